"""The README stays in step with the real command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_commands_block_is_the_real_help() -> None:
    """The README's command list is exactly `reportgen --help` (COLUMNS=100)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Commands\n\n```text\n(.*?)```", readme, re.S)
    assert block is not None
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=True,
    )
    assert block.group(1) == result.stdout


def test_readme_starts_with_the_two_commands() -> None:
    """The quickstart is `make demo` then `make test`, and CI runs `make test`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
