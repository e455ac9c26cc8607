"""The organization summary (HTML/PDF): score heatmap, worst checks and missing accounts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from reportgen.compare.accounts import AccountSummary, OrgSummary
from reportgen.evaluate import scoring
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Section, Status
from reportgen.fiscal import quarter_of
from reportgen.lang import parse_langs
from reportgen.render import fmt
from reportgen.render.chapters import check_title, severity_badge
from reportgen.render.context import ReportOptions
from reportgen.render.fonts import Font, japanese_font
from reportgen.render.html import render_page
from reportgen.render.i18n import Text, Ui, from_mapping, plain
from reportgen.render.pdf import PdfAttachment, render_pdf
from reportgen.render.report import parse_formats
from reportgen.render.views import Badge, Field

TEMPLATE = "org_summary.html.j2"


def summary_filename(lang: str, fmt: str) -> str:
    """``summary.ja.pdf``, ``summary.ja+en.html``…"""
    return f"summary.{lang}.{fmt}"


WORST_CHECKS = 10
TOP_PER_ACCOUNT = 3
EXAMPLE_ACCOUNTS = 6
LEVELS = ("a", "b", "c", "d", "e")


@dataclass(frozen=True)
class HeatCell:
    """One score in the heatmap: the number shown and its colour level (a grade, or none)."""

    shown: str
    level: str


@dataclass(frozen=True)
class SectionColumn:
    number: int
    title: Text


@dataclass(frozen=True)
class AccountRow:
    account_id: str
    name: str
    aliases: str
    link: str | None
    cells: tuple[HeatCell, ...]
    overall: HeatCell
    grade: str
    checks_failed: int
    checks_total: int
    failed: int
    unknown: int
    top: tuple[Text, ...]


@dataclass(frozen=True)
class WorstCheck:
    check_id: str
    title: Text
    severity: Badge
    section: Text
    accounts: int
    resources: int
    examples: tuple[str, ...]
    more: int


@dataclass(frozen=True)
class MissingRow:
    account_id: str
    name: str
    error: str
    state: Badge


@dataclass(frozen=True)
class Tile:
    value: str
    label: Text
    kind: str


@dataclass(frozen=True)
class OrgContext:
    """Everything ``org_summary.html.j2`` shows."""

    langs: tuple[str, ...]
    html_lang: str
    title: Text
    running_head: str
    organisation: str
    date: Text
    period: Text
    facts: tuple[Field, ...]
    average: HeatCell
    grade: str
    tiles: tuple[Tile, ...]
    columns: tuple[SectionColumn, ...]
    rows: tuple[AccountRow, ...]
    worst: tuple[WorstCheck, ...]
    worst_limit: int
    missing: tuple[MissingRow, ...]
    levels: tuple[tuple[str, Text], ...]


def shown(value: float | None) -> str:
    """A score with one decimal, rounded down (as in the account report), or a dash."""
    return "–" if value is None else f"{math.floor(value * 10) / 10:.1f}"


def heat_cell(value: float | None) -> HeatCell:
    grade = scoring.grade(value)
    return HeatCell(shown(value), grade.lower() if grade else "none")


def average(values: Iterable[float | None]) -> float | None:
    """The plain mean of the scores that exist, to one decimal; ``None`` if there are none."""
    scored = [v for v in values if v is not None]
    return round(sum(scored) / len(scored), 1) if scored else None


def _order(account: AccountSummary) -> tuple[bool, float, str]:
    """Lowest score first; accounts without a score last; then by id."""
    return (account.overall is None, account.overall or 0.0, account.id)


def worst_checks(
    accounts: Iterable[AccountSummary], catalogue: Catalogue, ui: Ui, limit: int = WORST_CHECKS
) -> tuple[WorstCheck, ...]:
    """The checks failing in the most accounts, then most severe, then most resources."""
    where: dict[str, list[str]] = {}
    resources: Counter[str] = Counter()
    tally = {}
    for account in accounts:
        for item in account.failing:
            where.setdefault(item.check_id, []).append(account.id)
            resources[item.check_id] += item.resources
            tally[item.check_id] = item
    ranked = sorted(
        where,
        key=lambda c: (-len(where[c]), tally[c].severity.rank, -resources[c], c),
    )[:limit]
    rows = []
    for check_id in ranked:
        section = catalogue.sections.get(tally[check_id].section)
        ids = sorted(where[check_id])
        rows.append(
            WorstCheck(
                check_id=check_id,
                title=check_title(catalogue, check_id, ui.langs),
                severity=severity_badge(tally[check_id].severity, ui),
                section=from_mapping(section.title, ui.langs)
                if section
                else plain(tally[check_id].section.value, ui.langs),
                accounts=len(ids),
                resources=resources[check_id],
                examples=tuple(ids[:EXAMPLE_ACCOUNTS]),
                more=max(0, len(ids) - EXAMPLE_ACCOUNTS),
            )
        )
    return tuple(rows)


def build_org_context(
    summary: OrgSummary, catalogue: Catalogue, langs: tuple[str, ...], options: ReportOptions
) -> OrgContext:
    """The summary's view model, in the requested languages."""
    ui = Ui(langs)
    accounts = sorted(summary.accounts, key=_order)
    present = {s for account in accounts for s, _ in account.sections}
    sections = [s for s in Section if s in present]
    mean = average(a.overall for a in accounts)
    organisation = options.org_name or summary.organization_id
    as_of = summary.as_of
    year, quarter = quarter_of(as_of, langs[0], options.fiscal_year_start, options.timezone)
    return OrgContext(
        langs=langs,
        html_lang=langs[0],
        title=ui("org.title"),
        running_head=" · ".join(p for p in (organisation, fmt.day(as_of, langs).first) if p),
        organisation=options.org_name or "",
        date=fmt.day(as_of, langs),
        period=ui("cover.quarter", year=year, quarter=quarter),
        facts=_facts(summary, ui),
        average=heat_cell(mean),
        grade=scoring.grade(mean) or "–",
        tiles=_tiles(summary, ui, mean),
        columns=tuple(
            SectionColumn(
                i + 1,
                from_mapping(spec.title, langs)
                if (spec := catalogue.sections.get(s))
                else plain(s.value, langs),
            )
            for i, s in enumerate(sections)
        ),
        rows=tuple(_row(a, sections, catalogue, ui) for a in accounts),
        worst=worst_checks(accounts, catalogue, ui),
        worst_limit=WORST_CHECKS,
        missing=tuple(
            MissingRow(
                account_id=m.id,
                name=m.name,
                error=m.error,
                state=Badge(
                    "unknown" if m.collected else "fail",
                    ui("org.missing.unusable" if m.collected else "org.missing.not_collected"),
                ),
            )
            for m in summary.missing
        ),
        levels=(
            *((level, plain(_band(level), langs)) for level in LEVELS),
            ("none", ui("org.legend.none")),
        ),
    )


def _band(level: str) -> str:
    floors = dict((letter.lower(), floor) for floor, letter in scoring.GRADES)
    if level in floors:
        return f"{level.upper()} ≥ {floors[level]:g}"
    return f"{level.upper()} < {min(floors.values()):g}"


def _facts(summary: OrgSummary, ui: Ui) -> tuple[Field, ...]:
    langs = ui.langs
    total = len(summary.accounts) + len(summary.missing)
    facts = [
        Field(ui("org.organization_id"), plain(summary.organization_id or "—", langs)),
        Field(ui("org.management_account"), plain(summary.management_account_id or "—", langs)),
        Field(
            ui("org.accounts"),
            ui("org.accounts_value", reported=len(summary.accounts), total=total),
        ),
    ]
    if summary.collected_at is not None:
        facts.append(Field(ui("cover.collected_at"), fmt.stamp(summary.collected_at, langs)))
    titles = summary.profile_title
    facts.append(
        Field(
            ui("cover.profile"), Text(tuple((x, titles.get(x) or summary.profile) for x in langs))
        )
    )
    return tuple(facts)


def _tiles(summary: OrgSummary, ui: Ui, mean: float | None) -> tuple[Tile, ...]:
    total = len(summary.accounts) + len(summary.missing)
    scores = [a.overall for a in summary.accounts if a.overall is not None]
    weak = sum(1 for a in summary.accounts if a.grade in ("D", "E"))
    return (
        Tile(f"{len(summary.accounts)} / {total}", ui("org.tile.reported"), "neutral"),
        Tile(shown(mean), ui("org.tile.average"), heat_cell(mean).level),
        Tile(
            shown(min(scores, default=None)),
            ui("org.tile.lowest"),
            heat_cell(min(scores, default=None)).level,
        ),
        Tile(str(weak), ui("org.tile.weak"), "e" if weak else "zero"),
        Tile(str(len(summary.missing)), ui("org.tile.missing"), "e" if summary.missing else "zero"),
    )


def _row(
    account: AccountSummary, sections: list[Section], catalogue: Catalogue, ui: Ui
) -> AccountRow:
    scores = dict(account.sections)

    return AccountRow(
        account_id=account.id,
        name=account.name,
        aliases=", ".join(account.aliases),
        link=account.report,
        cells=tuple(
            heat_cell(scores[s]) if s in scores else HeatCell("", "absent") for s in sections
        ),
        overall=heat_cell(account.overall),
        grade=account.grade or "–",
        checks_failed=len(account.failing),
        checks_total=account.checks_total,
        failed=account.count(Status.FAIL),
        unknown=account.count(Status.UNKNOWN),
        top=tuple(
            check_title(catalogue, t.check_id, ui.langs) for t in account.failing[:TOP_PER_ACCOUNT]
        ),
    )


def render_org_html(context: OrgContext, medium: str, font: Font | None, created: str) -> str:
    """The summary as one HTML document; ``medium`` is ``html`` or ``pdf`` (print layout)."""
    return render_page(TEMPLATE, context, context.langs, medium, font, created)


def render_org_summary(
    summary: OrgSummary,
    catalogue: Catalogue,
    lang: str,
    formats: Iterable[str],
    options: ReportOptions,
) -> dict[str, bytes]:
    """``summary.<lang>.html`` / ``.pdf`` (with the manifest attached): pure, no I/O."""
    langs = parse_langs(lang)
    wanted = parse_formats(formats)
    context = build_org_context(summary, catalogue, langs, options)
    when = summary.as_of
    created = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    files: dict[str, bytes] = {}
    if "html" in wanted:
        html = render_org_html(context, "html", None, created)
        files[summary_filename(lang, "html")] = html.encode("utf-8")
    if "pdf" in wanted:
        printable = render_org_html(context, "pdf", japanese_font(), created)
        manifest = PdfAttachment(
            "manifest.json", summary.manifest, "reportgen organization manifest"
        )
        files[summary_filename(lang, "pdf")] = render_pdf(printable, (manifest,), when, langs)
    return files
