"""Trends over several assessments: the data, the SVG chart and the table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from reportgen.compare.diff import compare
from reportgen.compare.trend import Trend, trend
from reportgen.errors import InputError, LanguageError
from reportgen.evaluate.findings import Assessment, Section, Severity, Status
from reportgen.fiscal import Calendar
from reportgen.formats.diff.rows import heading_lines
from reportgen.formats.diff.texts import Texts
from reportgen.formats.diff.trend_table import trend_table
from reportgen.render.trend_chart import trend_svg
from tests.compare.factories import ACCOUNT, Q1, Q2, Q3, Q4, assessment, finding

P, F = Status.PASS, Status.FAIL
SVG = "{http://www.w3.org/2000/svg}"


def four_quarters() -> list[Assessment]:
    """MFA fixed over the year, a group finding that comes and goes, root fixed in Q2."""
    return [
        assessment([finding(resource="a"), finding("root_mfa_enabled", "root")], Q1),
        assessment([finding(resource="a"), finding("root_mfa_enabled", "root", P)], Q2),
        assessment([finding(resource="a", status=P), finding("user_in_group", "x")], Q3),
        assessment([finding(resource="a", status=P), finding("user_in_group", "x", P)], Q4),
    ]


def test_points_sorted_and_counted() -> None:
    """Points are oldest first whatever the input order, with scores, failing counts by
    severity and new/resolved against the point before."""
    result = trend(reversed(four_quarters()))
    assert [p.collected_at for p in result.points] == [Q1, Q2, Q3, Q4]
    assert [p.failing for p in result.points] == [2, 1, 1, 0]
    assert [(p.new, p.resolved) for p in result.points] == [
        (None, None),
        (0, 1),
        (1, 1),
        (0, 1),
    ]
    assert result.points[0].failing_by_severity[Severity.CRITICAL] == 1
    assert result.series(Section.MFA) == (0.0, 0.0, 100.0, 100.0)
    assert result.series(Section.GROUPS) == (None, None, 0.0, 100.0)
    assert result.sections == (Section.ROOT, Section.MFA, Section.GROUPS)


def test_repeated_snapshot_counts_once() -> None:
    """The same snapshot given twice is one point."""
    items = four_quarters()
    assert len(trend([*items, items[0]]).points) == 4


@pytest.mark.parametrize(
    ("when", "lang", "quarter"),
    [
        (datetime(2026, 1, 1, tzinfo=UTC), "en", (2026, 1)),
        (datetime(2026, 3, 31, 23, 59, tzinfo=UTC), "en", (2026, 1)),
        (datetime(2026, 4, 1, tzinfo=UTC), "en", (2026, 2)),
        (datetime(2026, 12, 31, tzinfo=UTC), "en", (2026, 4)),
        (datetime(2026, 3, 31, 14, 59, tzinfo=UTC), "ja", (2025, 4)),
        (datetime(2026, 3, 31, 15, 0, tzinfo=UTC), "ja", (2026, 1)),  # 1 April in JST
        (datetime(2026, 12, 31, tzinfo=UTC), "ja", (2026, 3)),
    ],
)
def test_quarter_of_a_point(when: datetime, lang: str, quarter: tuple[int, int]) -> None:
    """A point's quarter is the reader's fiscal quarter: April and JST in Japanese, calendar
    quarters in UTC in English."""
    assert trend([assessment(collected_at=when)]).points[0].quarter(lang) == quarter


def test_empty_or_mixed_accounts_are_input_errors() -> None:
    """No assessments, or assessments of two accounts, make no trend."""
    with pytest.raises(InputError):
        trend([])
    with pytest.raises(InputError, match="different AWS accounts"):
        trend([assessment(), assessment(collected_at=Q2, account_id="210987654321")])


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
@pytest.mark.parametrize("count", [1, 4, 12])
def test_svg_is_static_wellformed_and_deterministic(lang: str, count: int) -> None:
    """The chart is well-formed SVG without scripts, event handlers, links or ids, with a
    title, one line per scored series and one bar per point; the same trend gives the
    same bytes."""
    items = [
        assessment([finding(status=F if i % 2 else P)], collected_at=Q1.replace(year=2020 + i))
        for i in range(count)
    ]
    data = trend(items)
    svg = trend_svg(data, lang)
    assert svg == trend_svg(data, lang)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}a")
        assert not any(name.startswith("on") or "href" in name for name in element.attrib)
        assert "id" not in element.attrib
    assert len(root.findall(f".//{SVG}rect")) == count
    lines = root.findall(f".//{SVG}g[@class='series']")
    assert len(lines) == 2  # overall and MFA


def test_svg_labels_follow_the_language() -> None:
    """Legend and titles are in the chosen language(s)."""
    data = trend(four_quarters())
    assert "多要素認証" in trend_svg(data, "ja") and "MFA" not in trend_svg(data, "ja")
    assert "Root user" in trend_svg(data, "en")
    assert "ルートユーザー / Root user" in trend_svg(data, "ja+en")
    with pytest.raises(LanguageError):
        trend_svg(data, "en+en")


def test_svg_breaks_a_line_where_a_score_is_missing() -> None:
    """A section not scored in a quarter leaves a gap: no segment crosses it."""
    data = trend(
        [
            assessment([finding("user_in_group", "x")], Q1),
            assessment([finding(resource="a")], Q2),
            assessment([finding("user_in_group", "x", P)], Q3),
        ]
    )
    root = ET.fromstring(trend_svg(data, "en"))
    groups = root.findall(f".//{SVG}g[@class='series']")
    stroke = "#CC79A7"  # groups
    (series,) = [g for g in groups if g.get("stroke") == stroke]
    assert series.findall(f"{SVG}polyline") == []
    assert len(series.findall(f"{SVG}circle")) == 2


def test_trend_table() -> None:
    """The table has a column per scored section and a row per point, in the language."""
    table = trend_table(trend(four_quarters()), "ja")
    assert table.header == (
        "四半期",
        "収集日",
        "総合",
        "ルートユーザー",
        "多要素認証",
        "グループによる管理",
        "不適合",
        "新規",
        "解消",
    )
    assert table.rows[0][:2] == ("2025年度 第4四半期", "2026-03-31")
    assert table.rows[0][-3:] == ("2", "—", "—")
    assert table.rows[3][-3:] == ("0", "0", "1")


def test_trend_type() -> None:
    """trend() returns the frozen Trend the renderer reads."""
    result = trend(four_quarters())
    assert isinstance(result, Trend) and result.account_id == ACCOUNT
    with pytest.raises(AttributeError):
        result.account_id = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("calendar", "quarter"),
    [
        (Calendar(), (2026, 1)),  # 1 April in JST: the first quarter of FY2026
        (Calendar(timezone="UTC"), (2025, 4)),  # still 31 March in UTC
        (Calendar(first_month=1), (2026, 2)),  # calendar-year quarters, JST
        (Calendar(first_month=10, timezone="UTC"), (2025, 2)),
    ],
)
def test_the_reports_calendar_counts_the_trend_quarters(
    calendar: Calendar, quarter: tuple[int, int]
) -> None:
    """``--fiscal-year-start`` and ``--timezone`` reach the trend, as they reach the cover."""
    when = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)
    point = trend([assessment(collected_at=when)], calendar).points[0]
    assert point.quarter("ja") == quarter
    table = trend_table(trend([assessment(collected_at=when)], calendar), "ja")
    assert table.rows[0][0] == f"{quarter[0]}年度 第{quarter[1]}四半期"


def test_the_diff_heading_names_both_quarters() -> None:
    """The diff opens with the quarter of each snapshot, in each language, by one calendar."""
    old = assessment(collected_at=datetime(2026, 9, 3, tzinfo=UTC))
    new = assessment(collected_at=datetime(2026, 12, 3, tzinfo=UTC))
    comparison = compare(old, new)
    ja = heading_lines(comparison, Texts("ja"))[1]
    assert (
        ja.startswith("前回 2026年度 第2四半期（2026-09-03、") and "今回 2026年度 第3四半期" in ja
    )
    both = heading_lines(comparison, Texts("ja+en", calendar=Calendar(first_month=1)))[1]
    assert "前回 2026年度 第3四半期" in both and "Previous FY2026 Q3 (2026-09-03, " in both


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_the_chart_names_each_quarter_as_the_table_does(lang: str) -> None:
    """One quarter label everywhere: the chart's x labels are the table's first column
    (「2026年度 第3四半期」 under the Japanese chart, not a shorter 「2026年度 Q3」)."""
    data = trend(four_quarters())
    labels = [t.text for t in ET.fromstring(trend_svg(data, lang)).iter(f"{SVG}text")]
    for row in trend_table(data, lang).rows:
        for name in row[0].split(" / "):
            assert name in labels
    assert not any("年度 Q" in (label or "") for label in labels)


@pytest.mark.parametrize("count", [4, 5, 6])
def test_quarter_names_that_would_touch_are_tilted_to_dates(count: int) -> None:
    """Five points leave 104 px per label, too little for 「2026年度 第3四半期」 (about
    106 px at 11 px): the labels turn into tilted dates instead of overlapping."""
    items = [assessment(collected_at=Q1.replace(year=2020 + i)) for i in range(count)]
    root = ET.fromstring(trend_svg(trend(items), "ja"))
    tilted = [t for t in root.iter(f"{SVG}text") if "rotate" in (t.get("transform") or "")]
    assert len(tilted) == (0 if count == 4 else count)
