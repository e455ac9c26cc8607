"""Findings and the assessment: what evaluate produces and every renderer reads."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

EvidenceValue = str | int | float | bool | None
Evidence = Mapping[str, EvidenceValue]


class Status(enum.Enum):
    """A finding's status. Only a rule that saw complete data may return PASS."""

    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    SUPPRESSED = "SUPPRESSED"


class Severity(enum.Enum):
    """A check's severity; ``rank`` orders them (critical first)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Section(enum.Enum):
    """The article's sections, in the report's chapter order."""

    ROOT = "root"
    LEAST_PRIVILEGE = "least_privilege"
    MFA = "mfa"
    GROUPS = "groups"
    ACCESS_KEYS = "access_keys"
    UNUSED = "unused"
    LOGGING = "logging"
    PASSWORD_POLICY = "password_policy"


@dataclass(frozen=True)
class AppliedException:
    """The approved exception that suppressed a finding."""

    check_id: str
    resource: str
    reason: str
    approver: str
    expires: date
    ticket: str | None = None


class ResponseState(enum.Enum):
    """Where the owner's response to a finding stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Response:
    """The management response to a finding: owner (対応責任者), due date (対応期限),
    response (対応方針) and state, from the responses file."""

    response: str
    state: ResponseState
    owner: str | None = None
    due: date | None = None
    ticket: str | None = None

    def overdue(self, as_of: datetime) -> bool:
        """Past its due date (UTC day of ``as_of``) and not done."""
        return (
            self.due is not None
            and self.due < as_of.date()
            and self.state is not ResponseState.DONE
        )


@dataclass(frozen=True)
class Finding:
    """One check's result for one resource, with the evidence that decided it.

    ``evidence`` fills the check's message placeholders; for UNKNOWN it names the
    source (``source``) and its status/message (``source_status``, ``source_message``).
    """

    check_id: str
    section: Section
    severity: Severity
    status: Status
    resource_type: str
    resource_id: str
    resource_name: str
    evidence: Evidence
    suppressed_by: AppliedException | None = None
    response: Response | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The identity used to compare quarters: (check id, resource ARN/id)."""
        return (self.check_id, self.resource_id)

    @property
    def needs_review(self) -> bool:
        """UNKNOWN because a person must judge what the data shows (reason ``needs_review_*``,
        e.g. a permission allowed only under conditions), not because data is missing."""
        reason = self.evidence.get("reason")
        return self.status is Status.UNKNOWN and str(reason).startswith("needs_review")


class ExceptionState(enum.Enum):
    ACTIVE = "active"
    EXPIRING = "expiring"  # active, expires within 30 days of as_of
    EXPIRED = "expired"
    STALE = "stale"  # matches no finding
    INVALID = "invalid"  # over-broad, too long or without approver/reason: never applied


@dataclass(frozen=True)
class ExceptionReport:
    """An entry of the exceptions register shown in the report."""

    check_id: str
    resource: str
    reason: str
    approver: str
    expires: date
    ticket: str | None
    state: ExceptionState
    matched: int
    problem: str | None = None
    """Why an INVALID entry is not applied: ``over_broad``, ``too_long`` or ``unapproved``."""
    approved: date | None = None


@dataclass(frozen=True)
class Score:
    """A 0–100 score after approved exceptions (``value``), the raw score that counts excepted
    findings as failed, the coverage beside them, and the grade with its caps
    (docs/scoring.md). ``None`` where nothing in scope could be scored."""

    value: float | None
    passed_weight: float
    total_weight: float
    raw: float | None = None
    coverage: float | None = None
    """Share (0–100) of the applicable checks' findings that could be evaluated."""
    grade: str | None = None
    raw_grade: str | None = None
    cap: str | None = None
    """Why ``grade`` is lower than the value alone gives: ``critical_fail``,
    ``critical_unknown`` or ``low_coverage`` (``None``: no cap applied)."""


@dataclass(frozen=True)
class Assessment:
    """All findings and scores for one snapshot under one profile, at ``as_of``."""

    account_id: str
    account_aliases: tuple[str, ...]
    partition: str
    collected_at: datetime
    as_of: datetime
    snapshot_sha256: str
    tool_version: str
    catalogue_version: str
    profile: str
    check_ids: tuple[str, ...]
    findings: tuple[Finding, ...]
    overall: Score
    sections: Mapping[Section, Score]
    exceptions: tuple[ExceptionReport, ...]
    profile_title: Mapping[str, str] = field(default_factory=dict, compare=False)
    """The profile's title per language (``profile`` is its id, what ``--profile`` takes)."""
    params: Mapping[str, Mapping[str, object]] = field(default_factory=dict, compare=False)
    """Each check's parameters as run (what decides whether it meets a mapped control)."""
    review_used: bool = False
    """An access review was followed up (its file must travel with the findings)."""
    responses_used: bool = False
    """A responses file was applied (its file must travel with the findings)."""

    def profile_name(self, lang: str) -> str:
        """The profile as a reader knows it: its title in ``lang``, else its id."""
        return self.profile_title.get(lang) or self.profile


def missing_sources(assessment: Assessment) -> tuple[str, ...]:
    """The sources whose absence (or denial, or error) left checks UNKNOWN, sorted: non-empty
    means the score rests on partial data (an import of a credential report alone)."""
    found: set[str] = set()
    for finding in assessment.findings:
        reason = finding.evidence.get("reason")
        if finding.status is Status.UNKNOWN and str(reason).startswith("source_"):
            names = str(finding.evidence.get("sources") or finding.evidence.get("source") or "")
            found.update(n.strip() for n in names.split(",") if n.strip())
    return tuple(sorted(found))


def undecided(assessment: Assessment) -> tuple[list[Finding], int]:
    """The UNKNOWN findings left undecided for lack of data, and how many more are UNKNOWN
    because a person must review them (their data was collected): the two are never
    reported as one."""
    unknown = [f for f in assessment.findings if f.status is Status.UNKNOWN]
    lacking = [f for f in unknown if not f.needs_review]
    return lacking, len(unknown) - len(lacking)


def blocked_checks(assessment: Assessment) -> int:
    """How many checks could not run at all because a source they read is missing."""
    return len(
        {
            f.check_id
            for f in assessment.findings
            if f.status is Status.UNKNOWN and str(f.evidence.get("reason")).startswith("source_")
        }
    )
