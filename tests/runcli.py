"""Run ``reportgen`` in-process through its real entry point, for CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``reportgen ARGS`` without a new interpreter: exit code, stdout and stderr."""
    capsys.readouterr()
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err
