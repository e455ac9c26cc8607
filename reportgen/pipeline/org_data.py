"""The organization summary as data (JSON and CSV), so an auditor can reconcile it.

``summary.json`` (``reportgen.org-summary/1``) and ``summary.csv`` (UTF-8 with BOM, one row
per account) hold accounts, scores, coverage and failing checks; codes only, no prose.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from reportgen.compare.accounts import AccountSummary, OrgSummary
from reportgen.evaluate.findings import Section, Status
from reportgen.formats.csv import BOM, _cell
from reportgen.isotime import utc_text

SCHEMA = "reportgen.org-summary/1"
FILES = ("summary.json", "summary.csv")


def _stamp(moment: datetime | None) -> str | None:
    return utc_text(moment) if moment else None


def coverage(account: AccountSummary) -> float | None:
    """The coverage of the account's overall score (docs/scoring.md), 0–1; without it, the
    share of scored findings that could be judged (not UNKNOWN); None if none."""
    if account.coverage is not None:
        return round(account.coverage / 100, 4)
    judged = sum(account.count(s) for s in (Status.PASS, Status.FAIL, Status.SUPPRESSED))
    total = judged + account.count(Status.UNKNOWN)
    return round(judged / total, 4) if total else None


def _account(account: AccountSummary) -> dict[str, Any]:
    return {
        "account_id": account.id,
        "name": account.name,
        "aliases": list(account.aliases),
        "as_of": _stamp(account.as_of),
        "snapshot_sha256": account.sha256,
        "overall": account.overall,
        "grade": account.grade,
        "overall_raw": account.raw,
        "coverage": coverage(account),
        "sections": {s.value: v for s, v in account.sections},
        "statuses": {s.value: n for s, n in account.statuses},
        "checks_total": account.checks_total,
        "failing_checks": [
            {
                "check_id": t.check_id,
                "severity": t.severity.value,
                "section": t.section.value,
                "resources": t.resources,
            }
            for t in account.failing
        ],
        "report": account.report,
    }


def summary_json(summary: OrgSummary) -> str:
    """The summary as a JSON document (keys in a fixed order)."""
    document = {
        "schema": SCHEMA,
        "organization_id": summary.organization_id,
        "management_account_id": summary.management_account_id,
        "collected_at": _stamp(summary.collected_at),
        "as_of": _stamp(summary.as_of),
        "profile": summary.profile,
        "accounts": [_account(a) for a in summary.accounts],
        "missing": [
            {"account_id": m.id, "name": m.name, "collected": m.collected, "error": m.error}
            for m in summary.missing
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def summary_csv(summary: OrgSummary) -> str:
    """One row per account (reported or missing), for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    sections = [f"score_{s.value}" for s in Section]
    statuses = [f"count_{s.value.lower()}" for s in Status]
    writer.writerow(
        [
            "account_id",
            "name",
            "reported",
            "as_of",
            "snapshot_sha256",
            "overall",
            "grade",
            "coverage",
            *sections,
            *statuses,
            "failing_checks",
            "error",
        ]
    )
    for a in summary.accounts:
        scores = dict(a.sections)
        writer.writerow(
            _cell(v)
            for v in (
                a.id,
                a.name,
                "yes",
                _stamp(a.as_of),
                a.sha256,
                a.overall,
                a.grade,
                coverage(a),
                *(scores.get(s) for s in Section),
                *(a.count(s) for s in Status),
                ";".join(f"{t.check_id}({t.resources})" for t in a.failing),
                None,
            )
        )
    for m in summary.missing:
        blank = [None] * (5 + len(sections) + len(statuses))
        writer.writerow(_cell(v) for v in (m.id, m.name, "no", *blank, m.error))
    return BOM + out.getvalue()
