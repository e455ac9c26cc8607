"""The chapter "changes since the last assessment": score changes, moved findings and the trend."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from reportgen.compare.diff import Change, Comparison, FindingChange, ScoreDelta, compare
from reportgen.compare.trend import TrendPoint, trend
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Section, Status
from reportgen.fiscal import READERS_DEFAULT, Calendar
from reportgen.formats.diff.rows import score
from reportgen.formats.diff.texts import Texts
from reportgen.render import fmt
from reportgen.render.chapters import anchor, check_title, score_text, severity_badge, status_badge
from reportgen.render.i18n import Text, Ui, from_mapping, plain
from reportgen.render.trend_chart import trend_svg
from reportgen.render.views import (
    Badge,
    ChangeList,
    ChangeRow,
    CheckNoteRow,
    ComparisonView,
    DeltaRow,
    Field,
    TrendLine,
    TrendView,
)

# Kinds whose table is shown even when empty ("nothing new" is news too); CHANGED only if any.
ALWAYS_LISTED = (Change.NEW, Change.RESOLVED, Change.PERSISTING)
# The trend needs the current assessment and at least this many earlier ones.
TREND_MIN_PREVIOUS = 2

# Persisting failures are listed in full in their chapters; here a short reminder is enough.
PERSISTING_LIMIT = 10


def comparison_view(
    assessment: Assessment,
    previous: Sequence[Assessment],
    history: Sequence[Assessment],
    catalogue: Catalogue,
    ui: Ui,
    limit: int,
    calendar: Calendar = READERS_DEFAULT,
) -> ComparisonView | None:
    """The chapter comparing ``assessment`` with the newest of ``previous`` (else the newest of
    ``history``); all of them date open findings back and, from two on, draw the trend.
    ``None`` when there is no earlier assessment.

    Raises :class:`~reportgen.errors.InputError` when an earlier assessment is of another account.
    """
    chosen = earlier_assessments(assessment, previous)
    earlier = earlier_assessments(assessment, (*previous, *history))
    if not earlier:
        return None
    old = (chosen or earlier)[-1]
    result = compare(old, assessment, history=earlier)
    langs = ui.langs
    return ComparisonView(
        intro=ui(
            "comparison.intro",
            old=fmt.day(old.collected_at, langs),
            new=fmt.day(assessment.collected_at, langs),
        ),
        headline=headline(result, ui),
        facts=_facts(result, len(earlier), ui),
        scores=_scores(result, catalogue, ui),
        indicative=not result.same_checks,
        counts=tuple((change_badge(kind, ui), result.counts[kind]) for kind in Change),
        lists=tuple(
            _change_list(
                kind,
                result,
                catalogue,
                ui,
                min(limit, PERSISTING_LIMIT) if kind is Change.PERSISTING else limit,
            )
            for kind in Change
            if kind in ALWAYS_LISTED or result.counts[kind]
        ),
        checks=tuple(
            CheckNoteRow(
                check_id=item.check_id,
                title=check_title(catalogue, item.check_id, langs),
                note=ui(f"comparison.note.{item.note.value}"),
                failing=item.failing,
            )
            for item in result.checks
        ),
        trend=(
            _trend(earlier, assessment, ui, calendar)
            if len(earlier) >= TREND_MIN_PREVIOUS
            else None
        ),
    )


def earlier_assessments(
    assessment: Assessment, previous: Sequence[Assessment]
) -> tuple[Assessment, ...]:
    """The distinct assessments of other snapshots collected no later than ``assessment``,
    oldest first (the last one is "the previous assessment")."""
    distinct = {
        a.snapshot_sha256: a
        for a in previous
        if a.snapshot_sha256 != assessment.snapshot_sha256
        and a.collected_at <= assessment.collected_at
    }
    return tuple(sorted(distinct.values(), key=lambda a: (a.collected_at, a.snapshot_sha256)))


def change_badge(kind: Change, ui: Ui) -> Badge:
    return Badge(f"chg-{kind.value}", ui(f"comparison.kind.{kind.value}"))


def headline(result: Comparison, ui: Ui) -> Text:
    """One sentence for the executive summary: the overall score change and the counts."""
    delta = result.overall.delta
    direction = _direction(delta)
    return ui(
        f"comparison.summary_{direction}",
        date=fmt.day(result.old.collected_at, ui.langs),
        delta=fmt.number(abs(delta or 0.0), ui.langs, 1),
        new=result.counts[Change.NEW],
        resolved=result.counts[Change.RESOLVED],
    )


def _facts(result: Comparison, count: int, ui: Ui) -> tuple[Field, ...]:
    langs = ui.langs
    facts = [
        Field(ui("comparison.fact.previous"), fmt.stamp(result.old.collected_at, langs)),
        Field(ui("comparison.fact.current"), fmt.stamp(result.new.collected_at, langs)),
        Field(ui("comparison.fact.previous_sha256"), plain(result.old.snapshot_sha256, langs)),
    ]
    if count > 1:
        facts.append(Field(ui("comparison.fact.history"), ui("comparison.times", count=count)))
    return tuple(facts)


def _direction(delta: float | None) -> str:
    if delta is None:
        return "none"
    if delta > 0:
        return "up"
    return "down" if delta < 0 else "same"


def _delta_row(label: Text, score: ScoreDelta, ui: Ui, overall: bool = False) -> DeltaRow:
    direction = _direction(score.delta)
    if score.delta is None:
        shown = ui("value.dash")
    else:
        size = fmt.number(abs(score.delta), ui.langs, 1).first
        sign = {"up": "+", "down": "\u2212", "same": "\u00b1"}[direction]
        shown = plain(sign + size, ui.langs)
    return DeltaRow(
        label=label,
        old=score_text(score.old, ui) if score.old is not None else ui("value.dash"),
        new=score_text(score.new, ui) if score.new is not None else ui("value.dash"),
        delta=shown,
        direction=direction,
        overall=overall,
    )


def _scores(result: Comparison, catalogue: Catalogue, ui: Ui) -> tuple[DeltaRow, ...]:
    """Overall first, then every article section scored on at least one side."""
    rows = [_delta_row(ui("summary.overall"), result.overall, ui, overall=True)]
    for section in Section:
        score = result.sections[section]
        if score.old is None and score.new is None:
            continue
        spec = catalogue.sections.get(section)
        label = from_mapping(spec.title, ui.langs) if spec else plain(section.value, ui.langs)
        rows.append(_delta_row(label, score, ui))
    return tuple(rows)


def _status(status: Status | None, ui: Ui) -> Badge:
    return status_badge(status, ui) if status else Badge("neutral", ui("comparison.absent"))


def _row(item: FindingChange, result: Comparison, catalogue: Catalogue, ui: Ui) -> ChangeRow:
    finding = item.finding
    check_id = finding.check_id
    return ChangeRow(
        check_id=check_id,
        anchor=anchor("check", check_id) if check_id in result.new.check_ids else None,
        title=check_title(catalogue, check_id, ui.langs),
        severity=severity_badge(finding.severity, ui),
        resource=finding.resource_name,
        resource_id=finding.resource_id,
        old_status=_status(item.old_status, ui),
        new_status=_status(item.new_status, ui),
        open_since=_first_detected(item, ui),
    )


def _first_detected(item: FindingChange, ui: Ui) -> Text | None:
    """The date the finding was first detected, or "at or before" the oldest assessment's
    date when no earlier one shows where its run began."""
    if item.open_since is None:
        return None
    when = fmt.day(item.open_since, ui.langs)
    return when if item.open_since_known else ui("comparison.open_since_before", date=when)


def _change_list(
    kind: Change, result: Comparison, catalogue: Catalogue, ui: Ui, limit: int
) -> ChangeList:
    return ChangeList(
        kind=kind.value,
        heading=ui(f"comparison.list.{kind.value}"),
        intro=ui(f"comparison.list.{kind.value}_intro"),
        rows=tuple(_row(item, result, catalogue, ui) for item in result.of(kind)),
        limit=limit,
    )


def _trend(
    earlier: Sequence[Assessment], assessment: Assessment, ui: Ui, calendar: Calendar
) -> TrendView:
    """The chart, and the trend's numbers a quarter a turn: one column per assessment, so that
    eight sections fit the page (dates as elsewhere in the report). Built from the
    :class:`Trend` itself, its cells written as the trend table writes them."""
    langs = ui.langs
    points = trend((*earlier, assessment), calendar)
    # The chart module escapes every text it writes (our own labels, dates and numbers only).
    svg = Markup(trend_svg(points, "+".join(langs)))
    texts = {lang: Texts(lang) for lang in langs}

    def each(write: Callable[[Texts, TrendPoint], str]) -> tuple[Text, ...]:
        """One cell per assessment, every cell in every language."""
        return tuple(
            Text(tuple((lang, write(texts[lang], point)) for lang in langs))
            for point in points.points
        )

    def label(write: Callable[[Texts], str]) -> Text:
        return Text(tuple((lang, write(texts[lang])) for lang in langs))

    def count(value: int | None, words: Texts) -> str:
        return str(value) if value is not None else words("scores.none")

    def section_line(section: Section) -> TrendLine:
        return TrendLine(
            label(lambda t: t.section(section)),
            each(lambda t, p: score(p.sections.get(section), t)),
            "section",
        )

    lines = (
        TrendLine(
            label(lambda t: t("trend.overall")),
            each(lambda t, p: score(p.overall, t)),
            "overall",
        ),
        *(section_line(section) for section in points.sections),
        TrendLine(
            label(lambda t: t("trend.col.failing")), each(lambda t, p: str(p.failing)), "count"
        ),
        TrendLine(label(lambda t: t("trend.col.new")), each(lambda t, p: count(p.new, t)), "count"),
        TrendLine(
            label(lambda t: t("trend.col.resolved")),
            each(lambda t, p: count(p.resolved, t)),
            "count",
        ),
    )
    return TrendView(
        svg=svg,
        quarters=each(lambda t, p: t("trend.quarter", **_quarter(p, t))),
        dates=tuple(fmt.day(point.collected_at, langs) for point in points.points),
        lines=lines,
    )


def _quarter(point: TrendPoint, texts: Texts) -> dict[str, int]:
    year, quarter = point.quarter(texts.langs[0])
    return {"year": year, "quarter": quarter}
