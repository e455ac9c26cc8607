"""Compare two assessments of one account: new, resolved, persisting and changed findings.

Findings are keyed by (check id, resource id). The rules and the JSON form are documented
in ``docs/compare.md``; the renderer, the ``diff`` command and the ``--fail-on-new`` gate
all read the :class:`Comparison` built here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from reportgen.errors import InputError
from reportgen.evaluate.findings import Assessment, Finding, Section, Severity, Status

Key = tuple[str, str]

# A finding is "open" while the problem exists, waived or not.
OPEN = frozenset({Status.FAIL, Status.SUPPRESSED})
# Statuses that say the resource was judged and found in order (or out of scope).
CLEAR = frozenset({Status.PASS, Status.NOT_APPLICABLE})
# A status change worth listing involves at least one of these.
NOTABLE = frozenset({Status.FAIL, Status.SUPPRESSED, Status.UNKNOWN})


class Change(enum.Enum):
    """How a finding moved between the two assessments (in the order they are listed)."""

    NEW = "new"
    RESOLVED = "resolved"
    CHANGED = "changed"
    PERSISTING = "persisting"


class CheckNote(enum.Enum):
    """Why a check's findings were left out of the new/resolved classification."""

    ADDED = "added"  # only in the new assessment's checks (catalogue or profile changed)
    REMOVED = "removed"  # only in the old assessment's checks
    NOT_ASSESSED_BEFORE = "not_assessed_before"  # every old finding UNKNOWN (data missing)
    NOT_ASSESSED_NOW = "not_assessed_now"  # every new finding UNKNOWN (data missing)


@dataclass(frozen=True)
class FindingChange:
    """One (check, resource) that moved; ``old``/``new`` is ``None`` where it was absent.

    ``open_since``: when the finding first failed in its current unbroken run (set when it
    fails in the new assessment). ``open_since_known``: whether an earlier assessment shows
    the resource in order (or absent) before that run; when not, the run reaches back to the
    oldest assessment at hand and the finding was first detected *at or before* that date.
    """

    change: Change
    old: Finding | None
    new: Finding | None
    open_since: datetime | None = None
    open_since_known: bool = False

    @property
    def finding(self) -> Finding:
        """The newest side (new if present, else old): the one to describe."""
        found = self.new or self.old
        assert found is not None, "a change has at least one side"
        return found

    @property
    def key(self) -> Key:
        return self.finding.key

    @property
    def check_id(self) -> str:
        return self.finding.check_id

    @property
    def section(self) -> Section:
        return self.finding.section

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def old_status(self) -> Status | None:
        return self.old.status if self.old else None

    @property
    def new_status(self) -> Status | None:
        return self.new.status if self.new else None


@dataclass(frozen=True)
class CheckChange:
    """A check whose findings are not classified, with its failing count on the judged side."""

    check_id: str
    note: CheckNote
    failing: int


@dataclass(frozen=True)
class ScoreDelta:
    """A score before and after (``None``: nothing scored on that side)."""

    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 1)


@dataclass(frozen=True)
class Comparison:
    """Everything that changed between ``old`` and ``new`` (one account, old collected first)."""

    old: Assessment
    new: Assessment
    changes: tuple[FindingChange, ...]
    checks: tuple[CheckChange, ...]
    overall: ScoreDelta
    sections: Mapping[Section, ScoreDelta]

    @property
    def account_id(self) -> str:
        return self.new.account_id

    @property
    def same_checks(self) -> bool:
        """Whether both assessments ran the same checks (scores then compare like for like)."""
        return set(self.old.check_ids) == set(self.new.check_ids)

    def of(self, change: Change) -> tuple[FindingChange, ...]:
        """The changes of one kind, in listing order."""
        return tuple(c for c in self.changes if c.change is change)

    @cached_property
    def counts(self) -> Mapping[Change, int]:
        """How many findings of each kind (every kind present, zero included)."""
        found = dict.fromkeys(Change, 0)
        for item in self.changes:
            found[item.change] += 1
        return found


@dataclass(frozen=True)
class _Index:
    """One assessment's findings by key, and which of its checks could be judged."""

    assessment: Assessment
    findings: Mapping[Key, Finding]
    checks: frozenset[str]
    unassessed: frozenset[str]

    @classmethod
    def of(cls, assessment: Assessment) -> _Index:
        by_check: dict[str, list[Finding]] = {}
        for finding in assessment.findings:
            by_check.setdefault(finding.check_id, []).append(finding)
        unassessed = frozenset(
            check
            for check, items in by_check.items()
            if all(f.status is Status.UNKNOWN for f in items)
        )
        return cls(
            assessment,
            {f.key: f for f in assessment.findings},
            frozenset(assessment.check_ids),
            unassessed,
        )

    def judged(self, check_id: str) -> bool:
        return check_id in self.checks and check_id not in self.unassessed

    def failing(self, check_id: str) -> int:
        return sum(
            1 for f in self.findings.values() if f.check_id == check_id and f.status is Status.FAIL
        )


def compare(old: Assessment, new: Assessment, history: Sequence[Assessment] = ()) -> Comparison:
    """What changed from ``old`` to ``new``; ``history`` (any earlier assessments of the same
    account, in any order) dates back how long each failing finding has been open.

    Raises :class:`InputError` if the accounts differ or ``old`` was collected after ``new``.
    """
    _same_account((old, new, *history))
    if old.collected_at > new.collected_at:
        raise InputError(
            f"the old assessment ({old.collected_at:%Y-%m-%d}) was collected after "
            f"the new one ({new.collected_at:%Y-%m-%d}); swap OLD and NEW"
        )
    before, after = _Index.of(old), _Index.of(new)
    timeline = _timeline(old, new, history)
    changes = []
    for kind, was, now in _classified(before, after):
        since, known = (
            _open_since_run(now.key, timeline)
            if now and now.status is Status.FAIL
            else (None, False)
        )
        changes.append(FindingChange(kind, was, now, since, known))
    changes.sort(key=_listing_order)
    return Comparison(
        old=old,
        new=new,
        changes=tuple(changes),
        checks=_check_changes(before, after),
        overall=ScoreDelta(old.overall.value, new.overall.value),
        sections={s: ScoreDelta(_section_value(old, s), _section_value(new, s)) for s in Section},
    )


def change_counts(old: Assessment, new: Assessment) -> Mapping[Change, int]:
    """How many findings of each kind changed from ``old`` to ``new`` (what :func:`compare`
    counts, without building the changes; for trends over many quarters)."""
    _same_account((old, new))
    found = dict.fromkeys(Change, 0)
    for kind, _, _ in _classified(_Index.of(old), _Index.of(new)):
        found[kind] += 1
    return found


def _classified(
    before: _Index, after: _Index
) -> Iterator[tuple[Change, Finding | None, Finding | None]]:
    """Each (check, resource) of a check judged on both sides that changed in a way worth
    listing, with its old and new finding."""
    for key in before.findings.keys() | after.findings.keys():
        if not (before.judged(key[0]) and after.judged(key[0])):
            continue
        was, now = before.findings.get(key), after.findings.get(key)
        kind = classify(was.status if was else None, now.status if now else None)
        if kind is not None:
            yield kind, was, now


def classify(old: Status | None, new: Status | None) -> Change | None:
    """The kind of change from status ``old`` to ``new`` (``None``: absent); ``None`` if the
    pair is not worth listing (e.g. PASS to PASS, PASS to NOT_APPLICABLE)."""
    if old is Status.FAIL and new is Status.FAIL:
        return Change.PERSISTING
    if new is Status.FAIL and (old is None or old in CLEAR):
        return Change.NEW
    if old is Status.FAIL and (new is None or new in CLEAR):
        return Change.RESOLVED
    if old is not new and (old in NOTABLE or new in NOTABLE):
        return Change.CHANGED
    return None


def open_since(key: Key, timeline: Sequence[Assessment]) -> datetime | None:
    """When the finding ``key`` began failing, looking back from the last assessment
    of ``timeline`` (oldest first).

    The run goes on through FAIL and SUPPRESSED (the problem was there, waived or not) and
    through assessments that could not judge it (UNKNOWN, check not run); it stops at one
    that judged the resource in order or did not have it.
    """
    return _open_since(key, tuple(_Index.of(a) for a in timeline))


def _open_since(key: Key, timeline: Sequence[_Index]) -> datetime | None:
    return _open_since_run(key, timeline)[0]


def _open_since_run(key: Key, timeline: Sequence[_Index]) -> tuple[datetime | None, bool]:
    """The start of the finding's open run, and whether an assessment before the run shows
    where it began (``False``: the run reaches the oldest assessment, "at or before")."""
    since: datetime | None = None
    for index in reversed(timeline):
        status = _status(index, key)
        if status in OPEN:
            since = index.assessment.collected_at
        elif status is Status.UNKNOWN or not index.judged(key[0]):
            continue
        else:
            return since, since is not None
    return since, False


def new_failures(comparison: Comparison, at_least: Severity) -> tuple[FindingChange, ...]:
    """The new failing findings of severity ``at_least`` or higher: the ``--fail-on-new`` gate.

    Only :attr:`Change.NEW` counts; a finding that fails again after an exception or a data
    gap is listed as changed and does not trip the gate.
    """
    return tuple(c for c in comparison.of(Change.NEW) if c.severity.rank <= at_least.rank)


def _status(index: _Index, key: Key) -> Status | None:
    found = index.findings.get(key)
    return found.status if found else None


def _same_account(assessments: Iterable[Assessment]) -> None:
    accounts = sorted({a.account_id for a in assessments})
    if len(accounts) > 1:
        raise InputError(
            "the assessments belong to different AWS accounts (" + ", ".join(accounts) + "); "
            "compare snapshots of one account"
        )


def _timeline(
    old: Assessment, new: Assessment, history: Sequence[Assessment]
) -> tuple[_Index, ...]:
    """Distinct earlier assessments up to ``old`` (by snapshot), then ``new``, oldest first."""
    earlier: dict[str, Assessment] = {}
    for item in (*history, old):
        if item.collected_at <= old.collected_at and item.snapshot_sha256 != new.snapshot_sha256:
            earlier[item.snapshot_sha256] = item
    ordered = sorted(earlier.values(), key=lambda a: (a.collected_at, a.snapshot_sha256))
    return tuple(_Index.of(a) for a in (*ordered, new))


_KIND_ORDER = {kind: index for index, kind in enumerate(Change)}
_SEVERITY_ORDER = {severity: index for index, severity in enumerate(Severity)}
_SECTION_ORDER = {section: index for index, section in enumerate(Section)}


def _listing_order(item: FindingChange) -> tuple[int, int, int, str, str]:
    finding = item.finding
    return (
        _KIND_ORDER[item.change],
        _SEVERITY_ORDER[finding.severity],
        _SECTION_ORDER[finding.section],
        finding.check_id,
        finding.resource_id,
    )


def _check_changes(before: _Index, after: _Index) -> tuple[CheckChange, ...]:
    notes: list[CheckChange] = []
    for check_id in sorted(after.checks - before.checks):
        notes.append(CheckChange(check_id, CheckNote.ADDED, after.failing(check_id)))
    for check_id in sorted(before.checks - after.checks):
        notes.append(CheckChange(check_id, CheckNote.REMOVED, before.failing(check_id)))
    both = before.checks & after.checks
    for check_id in sorted(both & before.unassessed - after.unassessed):
        notes.append(CheckChange(check_id, CheckNote.NOT_ASSESSED_BEFORE, after.failing(check_id)))
    for check_id in sorted(both & after.unassessed - before.unassessed):
        notes.append(CheckChange(check_id, CheckNote.NOT_ASSESSED_NOW, before.failing(check_id)))
    return tuple(notes)


def _section_value(assessment: Assessment, section: Section) -> float | None:
    found = assessment.sections.get(section)
    return found.value if found else None
