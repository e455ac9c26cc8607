"""The audit workpaper pages: population statement, findings register with responses, the
access review and its follow-up, the 作成 / 確認 / 承認 block, and the cover's warnings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Status, undecided
from reportgen.evaluate.review import Decision, Review
from reportgen.render import fmt
from reportgen.render.chapters import check_title, severity_badge
from reportgen.render.i18n import Text, Ui, plain
from reportgen.render.signoff import ROLES, SignOff
from reportgen.render.views import Badge, Field
from reportgen.snapshot.model import Snapshot, Src

REVIEW_CHECK = "review_decisions_carried_out"
PDF_LIMIT = 50
"""Rows the PDF lists without a response (register) or with 継続 (review); the HTML lists all."""
Row = TypeVar("Row")
DECISION_ORDER = (Decision.REMOVE, Decision.CHANGE, Decision.KEEP)


@dataclass(frozen=True)
class SignOffBox:
    role: Text
    name: str
    date: Text | None


@dataclass(frozen=True)
class PopulationRow:
    """One kind of principal counted by each source; ``agree`` compares what was collected."""

    label: Text
    credential_report: str
    authorization_details: str
    account_summary: str
    agree: Badge


@dataclass(frozen=True)
class RegisterRow:
    """A FAIL finding with its response (owner, due date, response, state)."""

    severity: Badge
    check: Text
    check_id: str
    resource: str
    owner: str
    due: Text | None
    overdue: bool
    response: str
    state: Badge | None


@dataclass(frozen=True)
class ReviewRow:
    name: str
    arn: str
    kind: Text
    decision: Badge
    reason: str
    reviewer: str
    reviewed_on: Text
    ticket: str
    follow_up: Badge | None


@dataclass(frozen=True)
class ReviewView:
    facts: tuple[Field, ...]
    rows: tuple[ReviewRow, ...]
    not_carried_out: int
    pdf_rows: tuple[ReviewRow, ...]
    """In the PDF: every 削除 and 変更, and 継続 up to :data:`PDF_LIMIT`."""

    @property
    def pdf_hidden(self) -> int:
        return len(self.rows) - len(self.pdf_rows)


@dataclass(frozen=True)
class WorkpaperView:
    quarter: Text
    signoff: tuple[SignOffBox, ...]
    population: tuple[PopulationRow, ...]
    population_facts: tuple[Field, ...]
    population_agrees: bool | None
    register: tuple[RegisterRow, ...]
    pdf_register: tuple[RegisterRow, ...]
    """In the PDF: every finding with a response, and up to :data:`PDF_LIMIT` without."""
    register_counts: Mapping[str, int]
    """FAIL findings per check, counted in the register's group headings (the PDF's too)."""
    overdue: int
    without_owner: int
    review: ReviewView | None
    warnings: tuple[Text, ...]

    @property
    def pdf_register_hidden(self) -> int:
        return len(self.register) - len(self.pdf_register)


def workpaper(
    assessment: Assessment,
    snapshot: Snapshot,
    catalogue: Catalogue,
    ui: Ui,
    tz: ZoneInfo,
    quarter: Text,
    signoff: SignOff | None,
    review: Review | None,
) -> WorkpaperView:
    """Everything the workpaper pages and the cover warnings show."""
    population, agrees = _population(snapshot, ui)
    register = _register(assessment, catalogue, ui)
    return WorkpaperView(
        quarter=quarter,
        signoff=_signoff(signoff or SignOff(), ui),
        population=population,
        population_facts=_population_facts(snapshot, ui, tz),
        population_agrees=agrees,
        register=register,
        pdf_register=_limited(register, lambda r: r.state is not None),
        register_counts=Counter(r.check_id for r in register),
        overdue=sum(1 for r in register if r.overdue),
        without_owner=sum(1 for r in register if not r.state),
        review=_review(review, assessment, ui) if review else None,
        warnings=_warnings(assessment, snapshot, ui, agrees),
    )


def _signoff(signoff: SignOff, ui: Ui) -> tuple[SignOffBox, ...]:
    boxes = []
    for role in ROLES:
        signer = signoff.get(role)
        on = fmt.day(signer.on, ui.langs) if signer and signer.on else None
        boxes.append(SignOffBox(ui(f"signoff.{role}"), signer.name if signer else "", on))
    return tuple(boxes)


def _population(snapshot: Snapshot, ui: Ui) -> tuple[tuple[PopulationRow, ...], bool | None]:
    report_ok = snapshot.source(Src.CREDENTIAL_REPORT).ok and snapshot.credential_report
    auth_ok = snapshot.source(Src.AUTHORIZATION_DETAILS).ok
    summary = snapshot.account_summary if snapshot.source(Src.ACCOUNT_SUMMARY).ok else None
    report_users = (
        sum(1 for r in snapshot.credential_report.rows if not r.is_root)
        if report_ok and snapshot.credential_report
        else None
    )
    customer = sum(1 for p in snapshot.policies if not p.is_aws_managed)
    kinds = (
        ("users", report_users, len(snapshot.users), "Users"),
        ("roles", None, len(snapshot.roles), "Roles"),
        ("groups", None, len(snapshot.groups), "Groups"),
        ("policies", None, customer, "Policies"),
    )
    rows = []
    verdicts: list[bool | None] = []
    for key, in_report, in_auth, summary_key in kinds:
        auth = in_auth if auth_ok else None
        in_summary = summary.get(summary_key) if summary else None
        counted = [n for n in (in_report, auth, in_summary) if n is not None]
        agree: bool | None = None if len(counted) < 2 or auth is None else len(set(counted)) == 1
        verdicts.append(agree)
        rows.append(
            PopulationRow(
                label=ui(f"population.{key}"),
                credential_report=_count(in_report),
                authorization_details=_count(auth),
                account_summary=_count(in_summary),
                agree=_agree_badge(agree, ui),
            )
        )
    overall = False if False in verdicts else (True if True in verdicts else None)
    return tuple(rows), overall


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _agree_badge(agree: bool | None, ui: Ui) -> Badge:
    if agree is None:
        return Badge("unknown", ui("population.not_compared"))
    return Badge(
        "pass" if agree else "fail", ui("population.agree" if agree else "population.differ")
    )


def _population_facts(snapshot: Snapshot, ui: Ui, tz: ZoneInfo) -> tuple[Field, ...]:
    langs = ui.langs
    return (
        Field(ui("population.collected_at"), fmt.local_stamp(snapshot.collected_at, langs, tz)),
        Field(ui("population.collected_by"), plain(snapshot.collector.caller_arn or "—", langs)),
        Field(ui("population.sha256"), plain(snapshot.sha256, langs)),
    )


def _register(assessment: Assessment, catalogue: Catalogue, ui: Ui) -> tuple[RegisterRow, ...]:
    failing = sorted(
        (f for f in assessment.findings if f.status is Status.FAIL),
        key=lambda f: (f.severity.rank, f.check_id, f.resource_name),
    )
    return tuple(_register_row(f, assessment, catalogue, ui) for f in failing)


def _register_row(
    finding: Finding, assessment: Assessment, catalogue: Catalogue, ui: Ui
) -> RegisterRow:
    response = finding.response
    overdue = bool(response and response.overdue(assessment.as_of))
    state = None
    if response is not None:
        kind = "fail" if overdue else ("pass" if response.state.value == "done" else "neutral")
        state = Badge(kind, ui(f"response.state.{response.state.value}"))
    return RegisterRow(
        severity=severity_badge(finding.severity, ui),
        check=check_title(catalogue, finding.check_id, ui.langs),
        check_id=finding.check_id,
        resource=finding.resource_name,
        owner=(response.owner if response else None) or "",
        due=fmt.day(response.due, ui.langs) if response and response.due else None,
        overdue=overdue,
        response=response.response if response else "",
        state=state,
    )


def _review(review: Review, assessment: Assessment, ui: Ui) -> ReviewView:
    langs = ui.langs
    followed = {f.resource_id: f.status for f in assessment.findings if f.check_id == REVIEW_CHECK}
    rows = []
    ordered = sorted(review.decisions, key=lambda d: (DECISION_ORDER.index(d.decision), d.name))
    for d in ordered:
        status = followed.get(d.arn) if d.decision is Decision.REMOVE else None
        follow_up = None
        if status is Status.FAIL:
            follow_up = Badge("fail", ui("review.followup.not_removed"))
        elif status is Status.PASS:
            follow_up = Badge("pass", ui("review.followup.removed"))
        kind = "fail" if d.decision is Decision.REMOVE else "neutral"
        rows.append(
            ReviewRow(
                name=d.name,
                arn=d.arn,
                kind=ui(f"review.type.{d.kind}"),
                decision=Badge(kind, ui(f"review.decision.{d.decision.value}")),
                reason=d.reason,
                reviewer=d.reviewer,
                reviewed_on=fmt.day(d.reviewed_on, langs),
                ticket=d.ticket or "",
                follow_up=follow_up,
            )
        )
    counts = {k: sum(1 for d in review.decisions if d.decision is k) for k in Decision}
    completed = review.completed_on
    facts = (
        Field(ui("review.fact.snapshot"), plain(review.snapshot_sha256, langs)),
        Field(ui("review.fact.collected_at"), fmt.day(review.collected_at, langs)),
        Field(ui("review.fact.reviewers"), plain(", ".join(review.reviewers), langs)),
        Field(
            ui("review.fact.completed_on"),
            fmt.day(completed, langs) if completed else plain("—", langs),
        ),
        Field(
            ui("review.fact.decisions"),
            ui(
                "review.fact.counts",
                keep=counts[Decision.KEEP],
                change=counts[Decision.CHANGE],
                remove=counts[Decision.REMOVE],
            ),
        ),
    )
    not_done = sum(1 for r in rows if r.follow_up is not None and r.follow_up.kind == "fail")
    kept = ui(f"review.decision.{Decision.KEEP.value}")
    shown = _limited(tuple(rows), lambda r: r.decision.label != kept)
    return ReviewView(facts=facts, rows=tuple(rows), not_carried_out=not_done, pdf_rows=shown)


def _limited(rows: tuple[Row, ...], always: Callable[[Row], bool]) -> tuple[Row, ...]:
    """Every row for which ``always`` holds, and the first :data:`PDF_LIMIT` others."""
    others = 0
    kept = []
    for row in rows:
        if always(row):
            kept.append(row)
        elif others < PDF_LIMIT:
            others += 1
            kept.append(row)
    return tuple(kept)


def _warnings(
    assessment: Assessment, snapshot: Snapshot, ui: Ui, agrees: bool | None
) -> tuple[Text, ...]:
    """What the cover must say before anyone reads a score: gaps, exceptions, population."""
    found = []
    unknown, review = undecided(assessment)
    missing = [name for name, s in sorted(snapshot.sources.items()) if not s.ok]
    if unknown or missing:
        found.append(ui("warning.gaps", count=len(unknown), sources=len(missing)))
    if review:
        found.append(ui("warning.review", count=review))
    if any(f.status is Status.SUPPRESSED for f in assessment.findings):
        raw = assessment.overall.raw
        adjusted = assessment.overall.value
        if raw != adjusted:
            found.append(
                ui(
                    "warning.exceptions",
                    raw=fmt.number(raw or 0, ui.langs, 1),
                    adjusted=fmt.number(adjusted or 0, ui.langs, 1),
                )
            )
    if agrees is False:
        found.append(ui("warning.population"))
    return tuple(found)
