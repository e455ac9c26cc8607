"""Findings as CSV for Excel: UTF-8 with a BOM and CRLF, so Japanese Excel opens it as is."""

from __future__ import annotations

import csv
import io
import json

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.formats.common import label, languages

BOM = "\ufeff"
FIXED = (
    "account_id",
    "check_id",
    "section",
    "severity",
    "status",
    "resource_type",
    "resource_id",
    "resource_name",
)
TAIL = ("exception_approver", "exception_expires", "exception_ticket", "evidence")
RISKY = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(RISKY) else text


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """One row per finding; title and message columns per language; headers in ``lang``.

    The columns and their order are fixed (docs/findings.md names them by key); the header
    row is for the person who opens the file in Excel, so it is in the report's language.
    """
    codes = languages(lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    texts = [f"{kind}_{code}" for code in codes for kind in ("title", "message")]
    writer.writerow([label(f"csv.{key}", lang) for key in (*FIXED, *texts, *TAIL)])
    for f in assessment.findings:
        spec = catalogue[f.check_id]
        localized = [
            text
            for code in codes
            for text in (spec.text("title", code), catalogue.message(f, code))
        ]
        applied = f.suppressed_by
        row = [
            assessment.account_id,
            f.check_id,
            f.section.value,
            f.severity.value,
            f.status.value,
            f.resource_type,
            f.resource_id,
            f.resource_name,
            *localized,
            applied.approver if applied else None,
            applied.expires.isoformat() if applied else None,
            applied.ticket if applied else None,
            json.dumps(dict(f.evidence), ensure_ascii=False, sort_keys=True),
        ]
        writer.writerow([_cell(v) for v in row])
    return BOM + out.getvalue()
