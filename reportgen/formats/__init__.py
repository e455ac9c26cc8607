"""Machine and terminal outputs: each format is a pure ``render(assessment, catalogue, lang)``."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.formats import csv, json, junit, ocsf, table

Renderer = Callable[[Assessment, Catalogue, str], str]

FORMATS: Mapping[str, Renderer] = {
    "table": table.render,
    "json": json.render,
    "csv": csv.render,
    "junit": junit.render,
    "ocsf": ocsf.render,
}

__all__ = ["FORMATS", "Renderer"]
