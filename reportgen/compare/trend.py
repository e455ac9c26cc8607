"""Trends over any number of assessments of one account (pure: the files of an account's
history are found by ``reportgen.snapshot.history``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from reportgen.compare.diff import Change, change_counts
from reportgen.errors import InputError
from reportgen.evaluate.findings import Assessment, Section, Severity, Status
from reportgen.fiscal import READERS_DEFAULT, Calendar


@dataclass(frozen=True)
class TrendPoint:
    """One assessment in the trend. ``new``/``resolved`` count against the point before
    (``None`` for the first)."""

    collected_at: datetime
    snapshot_sha256: str
    overall: float | None
    sections: Mapping[Section, float | None]
    failing: int
    failing_by_severity: Mapping[Severity, int]
    new: int | None
    resolved: int | None
    calendar: Calendar = READERS_DEFAULT

    def quarter(self, lang: str) -> tuple[int, int]:
        """Fiscal year and quarter (1–4) of the collection time as a ``lang`` reader counts
        them: the report's calendar (``--fiscal-year-start``, ``--timezone``), by default
        April and JST for Japanese, January and UTC for English (``reportgen.fiscal``)."""
        return self.calendar.quarter(self.collected_at, lang)


@dataclass(frozen=True)
class Trend:
    """Scores and failing counts of one account over time, oldest point first."""

    account_id: str
    points: tuple[TrendPoint, ...]

    def series(self, section: Section | None = None) -> tuple[float | None, ...]:
        """The overall score (``section=None``) or one section's, point by point."""
        if section is None:
            return tuple(p.overall for p in self.points)
        return tuple(p.sections.get(section) for p in self.points)

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections scored at least once, in chapter order."""
        return tuple(s for s in Section if any(v is not None for v in self.series(s)))


def trend(assessments: Iterable[Assessment], calendar: Calendar = READERS_DEFAULT) -> Trend:
    """The trend of ``assessments`` (any order; one account; a snapshot given twice counts once),
    its quarters counted by ``calendar``.

    Raises :class:`InputError` when empty or when the accounts differ.
    """
    distinct = {a.snapshot_sha256: a for a in assessments}
    ordered = sorted(distinct.values(), key=lambda a: (a.collected_at, a.snapshot_sha256))
    if not ordered:
        raise InputError("a trend needs at least one assessment")
    points: list[TrendPoint] = []
    for index, current in enumerate(ordered):
        new = resolved = None
        if index:
            # Also checks that every assessment is of the same account.
            counts = change_counts(ordered[index - 1], current)
            new, resolved = counts[Change.NEW], counts[Change.RESOLVED]
        points.append(_point(current, new, resolved, calendar))
    return Trend(ordered[0].account_id, tuple(points))


def _point(
    assessment: Assessment, new: int | None, resolved: int | None, calendar: Calendar
) -> TrendPoint:
    failing = [f for f in assessment.findings if f.status is Status.FAIL]
    by_severity = dict.fromkeys(Severity, 0)
    for finding in failing:
        by_severity[finding.severity] += 1
    return TrendPoint(
        collected_at=assessment.collected_at,
        snapshot_sha256=assessment.snapshot_sha256,
        overall=assessment.overall.value,
        sections={
            s: (found.value if (found := assessment.sections.get(s)) else None) for s in Section
        },
        failing=len(failing),
        failing_by_severity=by_severity,
        new=new,
        resolved=resolved,
        calendar=calendar,
    )
