"""Every keyed error the code raises has its text in both languages' cli catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import reportgen
from reportgen.textstore import read_catalogue

ROOT = Path(reportgen.__file__).parent
# .keyed("key", ...), .keyed_at(line, "key", ...) and keyed values such as key="…" are caught
# by the first two forms, which is how every error of the project names its text.
KEYED = re.compile(r"\.keyed\(\s*\"([a-z0-9_]+)\"|\.keyed_at\(\s*[^,]+,\s*\"([a-z0-9_]+)\"")


def raised_keys() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for match in KEYED.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_the_scan_finds_the_keys() -> None:
    keys = raised_keys()
    assert {"snapshot_unreadable", "outputs_exist", "manifest_field"} <= keys


def test_every_raised_key_has_both_texts() -> None:
    """A key missing from cli.po would fail only when the error is raised: found here first."""
    keys = raised_keys()
    for lang in ("en", "ja"):
        catalogue = read_catalogue("cli", lang)
        missing = sorted(k for k in keys if f"error.{k}" not in catalogue)
        assert missing == [], (lang, missing)
