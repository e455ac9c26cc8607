"""``lab selftest``: what a trainee's machine needs before the first lab."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field

MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Item:
    """One check of the machine: its text key, the values for it, and whether it is fine."""

    key: str
    ok: bool
    values: dict[str, str] = field(default_factory=dict)


def _python() -> Item:
    version = ".".join(map(str, sys.version_info[:3]))
    return Item("selftest_python", sys.version_info[:2] >= MIN_PYTHON, {"version": version})


def _aws_cli() -> Item:
    path = shutil.which("aws")
    if path is None:
        return Item("selftest_aws_missing", False)
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return Item("selftest_aws_broken", False, {"path": path})
    version = (done.stdout or done.stderr).strip().split(" ")[0]
    return Item("selftest_aws", done.returncode == 0, {"version": version or "?"})


def _port(port: int) -> Item:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return Item("selftest_port_taken", False, {"port": str(port)})
    return Item("selftest_port_free", True, {"port": str(port)})


def run_selftest(port: int) -> tuple[Item, ...]:
    return (_python(), _aws_cli(), _port(port))
