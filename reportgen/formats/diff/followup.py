"""Cells of the follow-up block (closed, still open, without an owner) of the diff formats."""

from __future__ import annotations

from typing import Any

from reportgen.compare.followup import FollowUp, FollowUpItem
from reportgen.formats.diff.texts import Texts


def summary(found: FollowUp, texts: Texts) -> str:
    return texts(
        "followup.summary",
        closed=len(found.closed),
        still_open=len(found.still_open),
        new_open=len(found.new_open),
        without_owner=len(found.without_owner),
        overdue=len(found.overdue),
    )


def header(texts: Texts) -> list[str]:
    return [
        texts("col.change"),
        texts("col.severity"),
        texts("col.check"),
        texts("col.resource"),
        texts("col.owner"),
        texts("col.due"),
        texts("col.response"),
        texts("col.state"),
    ]


def row(item: FollowUpItem, texts: Texts) -> list[str]:
    response = item.response
    due = response.due.isoformat() if response and response.due else ""
    if item.overdue:
        due = f"{due} {texts('followup.overdue')}"
    return [
        texts(f"change.{item.change.value}"),
        texts.severity(item.finding.severity),
        texts.title(item.finding.check_id),
        item.finding.resource_name,
        (response.owner if response else None) or texts("followup.no_owner"),
        due,
        response.response if response else "",
        texts(f"state.{response.state.value}") if response else "",
    ]


def rows(found: FollowUp, texts: Texts) -> list[list[str]]:
    """Open findings first (without an owner first), then the closed ones."""
    ordered = sorted(found.open, key=lambda i: (i.has_owner, not i.overdue))
    return [row(item, texts) for item in (*ordered, *found.closed)]


def document(found: FollowUp) -> dict[str, Any]:
    """The follow-up for the JSON format (codes only)."""

    def item(entry: FollowUpItem) -> dict[str, Any]:
        response = entry.response
        return {
            "change": entry.change.value,
            "check_id": entry.finding.check_id,
            "resource_id": entry.finding.resource_id,
            "owner": response.owner if response else None,
            "due": response.due.isoformat() if response and response.due else None,
            "response": response.response if response else None,
            "state": response.state.value if response else None,
            "ticket": response.ticket if response else None,
            "overdue": entry.overdue,
        }

    return {
        "counts": {
            "closed": len(found.closed),
            "still_open": len(found.still_open),
            "new_open": len(found.new_open),
            "without_owner": len(found.without_owner),
            "overdue": len(found.overdue),
        },
        "items": [item(i) for i in (*found.open, *found.closed)],
    }
