"""The packages are layered as docs/architecture.md draws them."""

from __future__ import annotations

from pathlib import Path

from tests.architecture import STAGES, mermaid, package_edges, top_level

DOC = Path(__file__).parents[1] / "docs" / "architecture.md"


def test_packages_only_import_downwards() -> None:
    """cli above pipeline above training … above snapshot: never an import upwards."""
    upward = [(a, b) for a, b in package_edges() if STAGES.index(a) > STAGES.index(b)]
    assert upward == []


def test_the_document_draws_the_code() -> None:
    """docs/architecture.md holds the diagram the imports give (regenerate it with
    ``python -m tests.architecture`` after a deliberate change)."""
    assert mermaid() in DOC.read_text(encoding="utf-8")


def test_the_top_level_holds_only_cross_cutting_modules() -> None:
    assert top_level() == [
        "__main__",
        "atomic",
        "contracts",
        "dates",
        "errors",
        "fiscal",
        "isotime",
        "lang",
        "resources",
        "textstore",
        "yamldoc",
    ]
