"""Run the ``reportgen`` CLI in this process or as ``python -m reportgen`` and read its outcome."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen.cli import cli
from tests.runcli import run

EVALUATE_CMD = Path(__file__).parents[2] / "reportgen" / "cli" / "evaluate_cmd.py"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    """``reportgen ARGS`` through the real entry point, without starting an interpreter."""
    return Outcome(*run(capsys, *args))


def subprocess_run(*args: str) -> Outcome:
    """``python -m reportgen ARGS`` in a fresh interpreter (what a user runs)."""
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    return Outcome(result.returncode, result.stdout, result.stderr)


def assert_one_line_error(outcome: Outcome, *fragments: str) -> str:
    """Exit 2, exactly one ``reportgen: error:`` line on stderr, no traceback; returns it."""
    assert outcome.code == 2, outcome
    assert "Traceback" not in outcome.stderr
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("reportgen: error: "), outcome.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def evaluate_args(snapshot: Path, out: Path) -> list[str] | None:
    """The argv of `reportgen evaluate` for ``snapshot`` once that command exists, else None."""
    if not EVALUATE_CMD.exists():
        return None
    command = cli.commands.get("evaluate")
    if command is None:
        return None
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    return ["evaluate", str(snapshot), *(["-o", str(out)] if "-o" in options else [])]
