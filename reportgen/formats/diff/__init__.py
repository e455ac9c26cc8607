"""Output formats of ``reportgen diff``: one module per format, each ``render(comparison, texts)``
returning the text to print or write; the CLI alone writes files."""

from __future__ import annotations

from collections.abc import Callable

from reportgen.compare.diff import Comparison
from reportgen.formats.diff.texts import Texts

Renderer = Callable[[Comparison, Texts], str]
FORMATS = ("table", "json", "csv", "markdown")


def renderer(name: str) -> Renderer:
    """The ``render`` function of the format ``name`` (one of :data:`FORMATS`)."""
    # Explicit imports, one per format, so each stays a small module of its own.
    if name == "table":
        from reportgen.formats.diff import table

        return table.render
    if name == "json":
        from reportgen.formats.diff import json

        return json.render
    if name == "csv":
        from reportgen.formats.diff import csv

        return csv.render
    if name == "markdown":
        from reportgen.formats.diff import markdown

        return markdown.render
    raise ValueError(f"unknown diff format {name!r}")


def render(name: str, comparison: Comparison, texts: Texts) -> str:
    """``comparison`` in the format ``name``."""
    return renderer(name)(comparison, texts)
