"""The organization summary's data: what is kept of each account once its report is written
(contracts between the organization pipeline, its renderer and its machine outputs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from reportgen.evaluate import scoring
from reportgen.evaluate.findings import Section, Severity, Status


@dataclass(frozen=True)
class CheckTally:
    """A check that failed in an account, and for how many resources."""

    check_id: str
    severity: Severity
    section: Section
    resources: int


@dataclass(frozen=True)
class AccountSummary:
    """What the organization summary keeps of one account once its report is written."""

    id: str
    name: str
    aliases: tuple[str, ...]
    as_of: datetime
    sha256: str
    overall: float | None
    sections: tuple[tuple[Section, float | None], ...]
    statuses: tuple[tuple[Status, int], ...]
    failing: tuple[CheckTally, ...]
    """Every failing check, most severe first, then by resources."""
    checks_total: int
    report: str | None
    """The account's HTML report relative to the output folder, if one was written."""
    capped_grade: str | None = None
    """The account's grade with the caps of docs/scoring.md (``None``: from ``overall``)."""
    raw: float | None = None
    """The score with excepted findings counted as failed."""
    coverage: float | None = None

    @property
    def grade(self) -> str | None:
        return self.capped_grade or scoring.grade(self.overall)

    def count(self, status: Status) -> int:
        return dict(self.statuses).get(status, 0)


@dataclass(frozen=True)
class MissingAccount:
    """An account without a report: not collected, or its snapshot could not be used."""

    id: str
    name: str
    error: str
    collected: bool
    """``False``: the collector recorded a failure; ``True``: the snapshot was unusable."""


@dataclass(frozen=True)
class OrgSummary:
    """The organization at a glance: per-account summaries and the accounts without a report."""

    organization_id: str
    management_account_id: str
    collected_at: datetime | None
    as_of: datetime
    profile: str
    accounts: tuple[AccountSummary, ...]
    missing: tuple[MissingAccount, ...]
    manifest: bytes
    profile_title: Mapping[str, str] = field(default_factory=dict)
    """The profile's title per language, as the cover shows it (``profile`` is its id)."""

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)
