"""Build the report's view model from an Assessment, its Snapshot and the catalogue texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.checkspec import CIS_VERSIONS, CheckSpec
from reportgen.evaluate.findings import (
    Assessment,
    ExceptionState,
    Finding,
    Severity,
    Status,
    blocked_checks,
    missing_sources,
    undecided,
)
from reportgen.evaluate.messages import source_note
from reportgen.evaluate.review import Review
from reportgen.fiscal import Calendar
from reportgen.lang import listed
from reportgen.render import fmt
from reportgen.render.changes import comparison_view
from reportgen.render.chapters import (
    anchor,
    chapters,
    check_title,
    message,
    no_score,
    score_beside,
    score_text,
    severity_badge,
    status_badge,
)
from reportgen.render.charts import score_bars, tone
from reportgen.render.i18n import Text, Ui, from_mapping, plain
from reportgen.render.inventory import PDF_INVENTORY_MAX, inventory
from reportgen.render.method import method_view
from reportgen.render.signoff import SignOff
from reportgen.render.views import (
    Badge,
    ChapterView,
    ComparisonView,
    CountRow,
    CoverView,
    ExceptionRow,
    Field,
    GapRow,
    MappingRow,
    ReportContext,
    RiskView,
    SourceRow,
    SummaryView,
)
from reportgen.render.workpaper import workpaper
from reportgen.snapshot.model import Snapshot

TOP_RISKS = 5
EXCEPTION_ORDER = (
    ExceptionState.INVALID,
    ExceptionState.EXPIRED,
    ExceptionState.EXPIRING,
    ExceptionState.STALE,
    ExceptionState.ACTIVE,
)


@dataclass(frozen=True)
class ReportOptions:
    """Choices that shape the report but not the assessment."""

    org_name: str | None = None
    resource_limit: int = 25
    full_inventory: bool = False
    """Every user in the PDF's appendix A even beyond ``inventory_pdf_max``."""
    inventory_summary_limit: int = 50
    inventory_pdf_max: int = PDF_INVENTORY_MAX
    """Up to this many users the PDF lists them all; beyond, the most affected ones and an
    attached ``inventory.csv`` with everyone."""
    snapshot_bytes: bytes | None = None
    """The snapshot file exactly as stored (attached to the PDF; its SHA-256 is on the cover)."""
    previous: tuple[Assessment, ...] = ()
    """Earlier assessments of the account: the newest is "the previous assessment"."""
    history: tuple[Assessment, ...] = ()
    """More earlier assessments for the trend and "open since" (``--history``); the newest is
    the previous assessment when ``previous`` is empty."""
    machine_outputs: bool = True
    """Also return ``findings.json``, ``findings.csv`` and ``junit.xml``."""
    rule_files: Mapping[str, bytes] = field(default_factory=dict)
    """The profile, exceptions, responses and review files used, as read (attached to the PDF
    for ``verify``; names in ``render.evidence.RULE_FILES``)."""
    timezone: str | None = None
    """The reader's time zone (IANA name); default JST for Japanese, UTC for English."""
    fiscal_year_start: int | None = None
    """First month of the fiscal year; default April for Japanese, January for English."""
    signoff: SignOff | None = None
    """Names and dates of the 作成 / 確認 / 承認 block (blank boxes without)."""
    review: Review | None = None
    """The access review followed up in this report (``--review``)."""
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    """Told the file name (``report.ja.pdf``) before each report file is rendered."""


def comparison(
    assessment: Assessment, catalogue: Catalogue, ui: Ui, options: ReportOptions
) -> ComparisonView | None:
    """The chapter "changes since the last assessment", or ``None`` without an earlier one."""
    return comparison_view(
        assessment,
        options.previous,
        options.history,
        catalogue,
        ui,
        options.resource_limit,
        Calendar(options.fiscal_year_start, options.timezone),
    )


def build_context(
    assessment: Assessment,
    snapshot: Snapshot,
    catalogue: Catalogue,
    lang_codes: tuple[str, ...],
    options: ReportOptions,
) -> ReportContext:
    """Everything the templates show, in the requested languages."""
    ui = Ui(lang_codes)
    chapter_views = chapters(assessment, catalogue, ui, options.resource_limit)
    account = options.org_name or (assessment.account_aliases or (assessment.account_id,))[0]
    tz = fmt.zone(options.timezone, lang_codes[0])
    quarter = quarter_text(assessment, ui, tz, options.fiscal_year_start)
    return ReportContext(
        langs=lang_codes,
        html_lang=lang_codes[0],
        title=ui("report.title"),
        running_head=" · ".join((account, assessment.account_id, quarter.first)),
        cover=_cover(assessment, snapshot, ui, options, tz, quarter),
        summary=_summary(assessment, catalogue, ui, chapter_views),
        chapters=chapter_views,
        exceptions=_exceptions(assessment, catalogue, ui),
        sources=_sources(snapshot, ui),
        gaps=_gaps(assessment, catalogue, ui),
        inventory=inventory(
            assessment,
            snapshot,
            ui,
            options.full_inventory,
            options.inventory_summary_limit,
            options.inventory_pdf_max,
        ),
        mapping=_mapping(assessment, catalogue, ui),
        cis_versions=CIS_VERSIONS,
        method=method_view(assessment, snapshot, catalogue, ui),
        comparison=comparison(assessment, catalogue, ui, options),
        workpaper=workpaper(
            assessment, snapshot, catalogue, ui, tz, quarter, options.signoff, options.review
        ),
    )


def quarter_text(assessment: Assessment, ui: Ui, tz: ZoneInfo, first_month: int | None) -> Text:
    """The one quarter label of the report: 「2026年度 第3四半期」 / ``FY2026 Q3``."""
    start = first_month or fmt.DEFAULT_FISCAL_START[ui.langs[0]]
    year, quarter = fmt.fiscal_quarter(assessment.as_of, start, tz)
    return ui("cover.quarter", year=year, quarter=quarter)


def _cover(
    assessment: Assessment,
    snapshot: Snapshot,
    ui: Ui,
    options: ReportOptions,
    tz: ZoneInfo,
    quarter: Text,
) -> CoverView:
    langs = ui.langs
    as_of = assessment.as_of
    facts = (
        Field(ui("cover.collected_at"), fmt.local_stamp(assessment.collected_at, langs, tz)),
        Field(ui("cover.profile"), Text(tuple((x, assessment.profile_name(x)) for x in langs))),
        Field(ui("cover.tool_version"), plain(f"reportgen {assessment.tool_version}", langs)),
        Field(ui("cover.catalogue_version"), plain(assessment.catalogue_version, langs)),
    )
    return CoverView(
        organisation=options.org_name or "",
        account_id=assessment.account_id,
        aliases=", ".join(assessment.account_aliases),
        date=fmt.day(fmt.local_date(as_of, tz), langs),
        period=quarter,
        facts=facts,
        sha256=assessment.snapshot_sha256,
    )


def _summary(
    assessment: Assessment, catalogue: Catalogue, ui: Ui, chapter_views: tuple[ChapterView, ...]
) -> SummaryView:
    langs = ui.langs
    value = assessment.overall.value
    scored = [(c.title, _section_score(assessment, c.key)) for c in chapter_views]
    statuses = tuple(Status)
    grid = Counter((f.severity, f.status) for f in assessment.findings)
    counts = tuple(
        CountRow(
            severity_badge(sev, ui),
            tuple(grid[(sev, st)] for st in statuses),
            sum(grid[(sev, st)] for st in statuses),
        )
        for sev in Severity
    )
    failed = Counter(f.check_id for f in assessment.findings if f.status is Status.FAIL)
    unknown, review = undecided(assessment)
    gap_sources = sorted({str(f.evidence.get("source") or "?") for f in unknown})
    return SummaryView(
        score=no_score(assessment.overall, ui) if value is None else score_text(value, ui),
        grade=assessment.overall.grade or "–",
        beside=score_beside(assessment.overall, ui),
        tone=tone(value),
        chart=score_bars(scored, label_lines=len(langs)),
        statuses=tuple(status_badge(s, ui) for s in statuses),
        counts=counts,
        totals=tuple(grid_total(grid, st) for st in statuses),
        risks=_risks(assessment, catalogue, ui, failed),
        unknown_findings=len(unknown),
        gap_sources=tuple(plain(s, langs) for s in gap_sources),
        review_findings=review,
        checks_total=len(assessment.check_ids),
        checks_failed=len(failed),
        partial=_partial(assessment, catalogue, ui),
    )


def _partial(assessment: Assessment, catalogue: Catalogue, ui: Ui) -> Text | None:
    """ "Partial data" beside the score: which sources are missing, how many checks it blocks."""
    names = missing_sources(assessment)
    if not names:
        return None
    count = blocked_checks(assessment)
    parts = []
    for lang in ui.langs:
        sources = listed([catalogue.label("source", n, lang) for n in names], lang)
        parts.append((lang, ui.one(lang, "summary.partial", sources=sources, count=count)))
    return Text(tuple(parts))


def grid_total(grid: Counter[tuple[Severity, Status]], status: Status) -> int:
    return sum(n for (_, st), n in grid.items() if st is status)


def _section_score(assessment: Assessment, key: str) -> float | None:
    for section, score in assessment.sections.items():
        if section.value == key:
            return score.value
    return None


def _risks(
    assessment: Assessment, catalogue: Catalogue, ui: Ui, failed: Counter[str]
) -> tuple[RiskView, ...]:
    """The failing checks a reader should act on first: severity, then how many resources."""
    severity = {f.check_id: f.severity for f in assessment.findings}
    section = {f.check_id: f.section for f in assessment.findings}
    ranked = sorted(failed, key=lambda c: (severity[c].rank, -failed[c], c))[:TOP_RISKS]
    first: dict[str, Finding] = {}
    for finding in assessment.findings:
        if finding.status is Status.FAIL:
            first.setdefault(finding.check_id, finding)
    risks = []
    for check_id in ranked:
        spec = catalogue.sections.get(section[check_id])
        risks.append(
            RiskView(
                check_id=check_id,
                anchor=anchor("check", check_id),
                title=check_title(catalogue, check_id, ui.langs),
                severity=severity_badge(severity[check_id], ui),
                section=from_mapping(spec.title, ui.langs) if spec else plain("", ui.langs),
                affected=failed[check_id],
                example=message(first[check_id], catalogue, ui),
            )
        )
    return tuple(risks)


def _exceptions(assessment: Assessment, catalogue: Catalogue, ui: Ui) -> tuple[ExceptionRow, ...]:
    entries = sorted(
        assessment.exceptions,
        key=lambda e: (EXCEPTION_ORDER.index(e.state), e.expires, e.check_id, e.resource),
    )
    return tuple(
        ExceptionRow(
            state=Badge(f"exc-{e.state.value}", ui(f"exception.state.{e.state.value}")),
            check=check_title(catalogue, e.check_id, ui.langs),
            check_id=e.check_id,
            resource=e.resource,
            reason=e.reason,
            approver=e.approver,
            expires=fmt.day(e.expires, ui.langs),
            ticket=e.ticket or "—",
            matched=e.matched,
            problem=ui(f"exception.problem.{e.problem}") if e.problem else None,
            expires_iso=e.expires.isoformat(),
        )
        for e in entries
    )


def _sources(snapshot: Snapshot, ui: Ui) -> tuple[SourceRow, ...]:
    return tuple(
        SourceRow(
            name=name,
            status=Badge(
                "pass" if source.ok else "unknown", ui(f"source.status.{source.status.value}")
            ),
            message=Text(
                tuple((lang, source_note(source.message or "", lang)) for lang in ui.langs)
            ),
        )
        for name, source in sorted(snapshot.sources.items())
    )


def _gaps(assessment: Assessment, catalogue: Catalogue, ui: Ui) -> tuple[GapRow, ...]:
    """Every UNKNOWN finding, those of one check with the same message in one row naming all
    their resources (5,000 users needing the same review took 400 PDF pages, one each)."""
    rows: dict[tuple[str, Text], list[str]] = {}
    for f in assessment.findings:
        if f.status is Status.UNKNOWN:
            rows.setdefault((f.check_id, message(f, catalogue, ui)), []).append(f.resource_name)
    return tuple(
        GapRow(check_title(catalogue, check, ui.langs), check, tuple(names), text)
        for (check, text), names in rows.items()
    )


def _mapping(assessment: Assessment, catalogue: Catalogue, ui: Ui) -> tuple[MappingRow, ...]:
    rows = []
    dash = plain("—", ui.langs)
    for check_id in sorted(assessment.check_ids):
        spec = catalogue.checks.get(check_id)
        params = assessment.params.get(check_id)
        rows.append(
            MappingRow(
                check_id=check_id,
                title=check_title(catalogue, check_id, ui.langs),
                cis=tuple(
                    _control(spec, params, "cis", found, ui)
                    if (found := spec.cis(v) if spec else None)
                    else dash
                    for v in CIS_VERSIONS
                ),
                security_hub=tuple(_control(spec, params, c, c, ui) for c in spec.security_hub)
                if spec
                else (),
            )
        )
    return tuple(rows)


def _control(
    spec: CheckSpec | None, params: Mapping[str, object] | None, control: str, value: str, ui: Ui
) -> Text:
    """The control id, marked when our test only relates to it (docs/checks.md)."""
    if spec is None or spec.meets(control, params):
        return plain(value, ui.langs)
    return ui("mapping.related", control=value)
