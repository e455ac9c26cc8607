"""Machine and terminal outputs: each format is a pure ``render(assessment, catalogue, lang)``."""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.contracts import FormatRenderer
from reportgen.formats import csv, json, junit, ocsf, table

Renderer = FormatRenderer

FORMATS: Mapping[str, Renderer] = {
    "table": table.render,
    "json": json.render,
    "csv": csv.render,
    "junit": junit.render,
    "ocsf": ocsf.render,
}

__all__ = ["FORMATS", "Renderer"]
