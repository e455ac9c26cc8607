"""The ``json`` format (``reportgen.diff/1``, see ``docs/compare.md``): codes, no prose."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reportgen.compare.diff import Comparison, FindingChange, ScoreDelta
from reportgen.compare.followup import follow_up
from reportgen.evaluate.findings import Assessment, Finding
from reportgen.formats.diff import followup
from reportgen.formats.diff.texts import Texts
from reportgen.isotime import utc_text

SCHEMA = "reportgen.diff/1"


def stamp(moment: datetime | None) -> str | None:
    """UTC, ISO 8601 with a ``Z``, as in the snapshot."""
    if moment is None:
        return None
    return utc_text(moment)


def _side(assessment: Assessment) -> dict[str, Any]:
    return {
        "collected_at": stamp(assessment.collected_at),
        "as_of": stamp(assessment.as_of),
        "snapshot_sha256": assessment.snapshot_sha256,
        "catalogue_version": assessment.catalogue_version,
        "profile": assessment.profile,
        "check_ids": sorted(assessment.check_ids),
    }


def _score(found: ScoreDelta) -> dict[str, float | None]:
    return {"old": found.old, "new": found.new, "delta": found.delta}


def _status(finding: Finding | None) -> str | None:
    return finding.status.value if finding else None


def _change(item: FindingChange) -> dict[str, Any]:
    finding = item.finding
    return {
        "change": item.change.value,
        "check_id": item.check_id,
        "section": item.section.value,
        "severity": item.severity.value,
        "resource_type": finding.resource_type,
        "resource_id": finding.resource_id,
        "resource_name": finding.resource_name,
        "old_status": _status(item.old),
        "new_status": _status(item.new),
        "open_since": stamp(item.open_since),
        "open_since_known": item.open_since_known,
        "evidence": dict(finding.evidence),
    }


def document(comparison: Comparison) -> dict[str, Any]:
    """The JSON document as Python values (keys in a fixed order); ``follow_up`` only when
    findings carry responses."""
    found = follow_up(comparison)
    extra = {"follow_up": followup.document(found)} if found is not None else {}
    return {
        "schema": SCHEMA,
        "account_id": comparison.account_id,
        "old": _side(comparison.old),
        "new": _side(comparison.new),
        "same_checks": comparison.same_checks,
        "counts": {kind.value: count for kind, count in comparison.counts.items()},
        "scores": {
            "overall": _score(comparison.overall),
            "sections": {s.value: _score(d) for s, d in comparison.sections.items()},
        },
        "checks": [
            {"check_id": c.check_id, "note": c.note.value, "failing": c.failing}
            for c in comparison.checks
        ],
        "changes": [_change(item) for item in comparison.changes],
        **extra,
    }


def render(comparison: Comparison, texts: Texts) -> str:
    """The document, indented, non-ASCII kept as is; ``texts`` is unused (no prose in JSON)."""
    return json.dumps(document(comparison), ensure_ascii=False, indent=2) + "\n"
