"""No module of reportgen grows past about 400 lines: past that, it holds two things."""

from __future__ import annotations

from pathlib import Path

import reportgen

LIMIT = 400


def test_no_module_over_the_limit() -> None:
    root = Path(reportgen.__file__).parent
    sizes = {
        str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines())
        for p in root.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
