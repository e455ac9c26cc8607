"""The machine outputs written beside the report, produced by ``reportgen.formats``."""

from __future__ import annotations

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment

MACHINE_FILES = ("findings.json", "findings.csv", "junit.xml")


def _encode(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def findings_json(assessment: Assessment, catalogue: Catalogue, lang: str) -> bytes:
    """The documented findings JSON (``reportgen.findings/1``), also attached to the PDF."""
    from reportgen.formats import json as findings

    return _encode(findings.render(assessment, catalogue, lang))


def machine_outputs(
    assessment: Assessment, catalogue: Catalogue, lang: str, findings: bytes | None = None
) -> dict[str, bytes]:
    """``findings.json``, ``findings.csv`` (Excel-ready) and ``junit.xml`` for CI, in ``lang``;
    ``findings`` is findings.json when the caller already serialised it (the PDF attaches it)."""
    from reportgen.formats import csv as findings_csv
    from reportgen.formats import junit

    return {
        "findings.json": findings or findings_json(assessment, catalogue, lang),
        "findings.csv": _encode(findings_csv.render(assessment, catalogue, lang)),
        "junit.xml": _encode(junit.render(assessment, catalogue, lang)),
    }
