"""YAML reading: the C loader where PyYAML has it, with lines still right in errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reportgen.errors import CatalogueError
from reportgen.yamldoc import read_yaml


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_the_c_loader_is_used_and_lines_stay_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys and items keep their lines, and a syntax error names its line, with CSafeLoader."""
    used: list[str] = []
    real = yaml.CSafeLoader

    class Spy(real):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            used.append("c")
            super().__init__(stream)

    monkeypatch.setattr(yaml, "CSafeLoader", Spy)
    good = tmp_path / "good.yaml"
    good.write_text("# comment\nchecks:\n  - a\n  - b\nparameters:\n  a: {x: 1}\n")
    doc = read_yaml(good)
    assert used == ["c"]
    assert (doc.line("checks"), doc.line("checks", 1), doc.line("parameters", "a")) == (2, 4, 6)
    bad = tmp_path / "bad.yaml"
    bad.write_text("checks:\n  - a\n  - [b\nparameters: {}\n")
    with pytest.raises(CatalogueError, match=r"bad\.yaml:4: invalid YAML"):
        read_yaml(bad)
