"""The follow-up of findings across quarters: closed, still open, open without an owner.

Responses (owner, due date, response, state) ride on the findings; a comparison of two
quarters evaluated with the same responses file carries them from one to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.compare.diff import Change, Comparison, FindingChange
from reportgen.evaluate.findings import Finding, Response


@dataclass(frozen=True)
class FollowUpItem:
    """One failing finding of either quarter with its response (``None``: no entry)."""

    change: Change
    finding: Finding
    response: Response | None
    overdue: bool

    @property
    def has_owner(self) -> bool:
        return self.response is not None and self.response.owner is not None


@dataclass(frozen=True)
class FollowUp:
    """Findings closed since the previous quarter, still open, and newly open."""

    closed: tuple[FollowUpItem, ...]
    still_open: tuple[FollowUpItem, ...]
    new_open: tuple[FollowUpItem, ...]

    @property
    def open(self) -> tuple[FollowUpItem, ...]:
        return self.still_open + self.new_open

    @property
    def without_owner(self) -> tuple[FollowUpItem, ...]:
        return tuple(item for item in self.open if not item.has_owner)

    @property
    def overdue(self) -> tuple[FollowUpItem, ...]:
        return tuple(item for item in self.open if item.overdue)


def follow_up(comparison: Comparison) -> FollowUp | None:
    """The follow-up, or ``None`` when no finding of either quarter carries a response."""
    findings = (*comparison.old.findings, *comparison.new.findings)
    if not any(f.response is not None for f in findings):
        return None
    as_of = comparison.new.as_of

    def item(change: FindingChange) -> FollowUpItem:
        finding = change.new if change.new is not None else change.finding
        response = finding.response or (change.old.response if change.old else None)
        overdue = change.change is not Change.RESOLVED and bool(
            response and response.overdue(as_of)
        )
        return FollowUpItem(change.change, finding, response, overdue)

    return FollowUp(
        closed=tuple(item(c) for c in comparison.of(Change.RESOLVED)),
        still_open=tuple(item(c) for c in comparison.of(Change.PERSISTING)),
        new_open=tuple(item(c) for c in comparison.of(Change.NEW)),
    )
