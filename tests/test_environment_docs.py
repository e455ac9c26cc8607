"""Every environment variable reportgen reads is documented for its users, in English and in
Japanese (a trainer cannot set a hint pace that only an error table mentions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
VARIABLE = re.compile(r"REPORTGEN_[A-Z][A-Z_]*[A-Z]")


def _read(paths: list[Path]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def _docs(japanese: bool) -> str:
    """The user documentation in one language, without the error tables (which name a
    variable only when its value is wrong)."""
    docs = sorted((ROOT / "docs").glob("*.md"))
    chosen = [
        p for p in docs if p.name.endswith(".ja.md") is japanese and not p.name.startswith("errors")
    ]
    readme = ROOT / ("README.ja.md" if japanese else "README.md")
    return _read([*chosen, readme])


def _variables() -> list[str]:
    found = {
        name
        for path in (ROOT / "reportgen").rglob("*.py")
        for name in VARIABLE.findall(path.read_text(encoding="utf-8"))
    }
    return sorted(found)


def test_the_scan_finds_the_variables() -> None:
    """The scan sees the variables the lab and the signing read."""
    assert {"REPORTGEN_LAB_HINT_PACE", "REPORTGEN_SIGN_PASSWORD"} <= set(_variables())


@pytest.mark.parametrize("japanese", [False, True], ids=["en", "ja"])
@pytest.mark.parametrize("variable", _variables())
def test_every_variable_is_documented(variable: str, japanese: bool) -> None:
    """Each REPORTGEN_* variable appears in docs/*.md or the README of the language."""
    assert variable in _docs(japanese)
