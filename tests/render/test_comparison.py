"""The chapter "changes since the last assessment": counts, lists, score changes and the trend."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from pypdf import PdfReader

from reportgen.errors import InputError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Status
from reportgen.render import ReportOptions, render_report
from reportgen.render.context import build_context
from reportgen.render.html import render_html
from reportgen.render.views import ComparisonView
from reportgen.snapshot.model import Snapshot
from tests.compare.factories import Q2, Q3, Q4, assessment, finding
from tests.render.fixtures import make_catalogue, make_snapshot_for, make_users

ROOT = "arn:aws:iam::123456789012:root"
# The checks of the render fixtures' catalogue that the comparison factories know.
CHECK_IDS = ("root_mfa_enabled", "console_user_mfa", "access_key_rotated", "user_in_group")


def _old_key(status: Status = Status.FAIL) -> Finding:
    return finding("access_key_rotated", "bob", status, evidence={"user": "bob", "age_days": 200})


def _root(status: Status) -> Finding:
    return finding(
        "root_mfa_enabled", "<root_account>", status, resource_type="root", resource_id=ROOT
    )


# Q2 and Q3: alice lacks MFA; bob's key is old; carol is in no group; erin's MFA is waived.
Q2_ASSESSMENT = assessment(
    [
        finding("console_user_mfa", "alice"),
        _old_key(),
        finding("user_in_group", "carol", Status.PASS),
    ],
    collected_at=Q2,
    check_ids=CHECK_IDS,
)
Q3_ASSESSMENT = assessment(
    [
        finding("console_user_mfa", "alice"),
        _old_key(),
        finding("user_in_group", "carol"),
        finding("user_in_group", "alice", Status.PASS),
        finding("console_user_mfa", "erin", Status.SUPPRESSED),
        _root(Status.PASS),
    ],
    collected_at=Q3,
    check_ids=CHECK_IDS,
)
# Q4: bob rotated his key (resolved), dave joined without a group (new), erin's exception
# expired (changed), alice and carol are unchanged (persisting), root is fine.
Q4_ASSESSMENT = assessment(
    [
        finding("console_user_mfa", "alice"),
        _old_key(Status.PASS),
        finding("user_in_group", "carol"),
        finding("user_in_group", "dave"),
        finding("user_in_group", "alice", Status.PASS),
        finding("console_user_mfa", "erin"),
        _root(Status.PASS),
    ],
    collected_at=Q4,
    check_ids=CHECK_IDS,
)


@pytest.fixture(scope="module")
def parts() -> tuple[Snapshot, Catalogue]:
    """The render fixtures' snapshot (for the inventory) and catalogue (for the check titles)."""
    return make_snapshot_for(make_users()), make_catalogue()


def chapter(
    parts: tuple[Snapshot, Catalogue],
    lang: str = "en",
    current: Assessment = Q4_ASSESSMENT,
    **options: Any,
) -> ComparisonView | None:
    snapshot, catalogue = parts
    langs = tuple(lang.split("+"))
    context = build_context(current, snapshot, catalogue, langs, ReportOptions(**options))
    return context.comparison


def page(parts: tuple[Snapshot, Catalogue], lang: str, **options: Any) -> str:
    snapshot, catalogue = parts
    chosen = ReportOptions(machine_outputs=False, **options)
    files = render_report(Q4_ASSESSMENT, snapshot, catalogue, lang, ["html"], chosen)
    return files[f"report.{lang}.html"].decode("utf-8")


def section_of(html: str) -> str:
    start = html.index('id="comparison"')
    return html[start : html.index("</section>", start)]


def test_no_earlier_assessment_no_chapter(parts: tuple[Snapshot, Catalogue]) -> None:
    """Without --previous or --history there is no chapter and no contents entry."""
    assert chapter(parts) is None
    assert chapter(parts, previous=(Q4_ASSESSMENT,)) is None  # the same snapshot again
    assert "#comparison" not in page(parts, "en")


def test_counts_and_lists(parts: tuple[Snapshot, Catalogue]) -> None:
    """Counts and lists follow the comparison: one new, one resolved, one changed, two open."""
    view = chapter(parts, previous=(Q3_ASSESSMENT,))
    assert view is not None
    counts = {badge.kind: n for badge, n in view.counts}
    assert counts == {"chg-new": 1, "chg-resolved": 1, "chg-changed": 1, "chg-persisting": 2}
    listed = {group.kind: [row.resource for row in group.rows] for group in view.lists}
    assert listed == {
        "new": ["dave"],
        "resolved": ["bob"],
        "changed": ["erin"],
        "persisting": ["alice", "carol"],
    }
    new = view.lists[0].rows[0]
    assert new.title.first == "Users belong to a group"
    assert new.severity.kind == "low" and new.anchor == "check-user-in-group"


def test_changed_list_only_when_something_changed(parts: tuple[Snapshot, Catalogue]) -> None:
    """New, resolved and persisting always have a table (maybe "None."); changed only if any."""
    calm = replace(Q4_ASSESSMENT, findings=Q3_ASSESSMENT.findings)
    view = chapter(parts, current=calm, previous=(Q3_ASSESSMENT,))
    assert view is not None
    assert [group.kind for group in view.lists] == ["new", "resolved", "persisting"]
    assert not view.lists[0].rows


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", ["2026年6月30日 以前", "2026年9月30日"]),
        ("en", ["at or before 30 June 2026", "30 September 2026"]),
    ],
)
def test_open_since_goes_back_through_history(
    parts: tuple[Snapshot, Catalogue], lang: str, expected: list[str]
) -> None:
    """Persisting failures are dated by the history: carol first detected in Q3 (Q2 shows her
    in order); alice already failed in Q2, the oldest at hand: "at or before" Q2 (per locale)."""
    view = chapter(parts, lang, previous=(Q3_ASSESSMENT,), history=(Q2_ASSESSMENT,))
    assert view is not None
    persisting = next(group for group in view.lists if group.kind == "persisting")
    assert [row.open_since.first for row in persisting.rows if row.open_since] == expected


JA_CELL = "2026\u2060年\u20606\u2060月\u206030\u2060日 以\u2060前"  # word joiners: no break inside


@pytest.mark.parametrize(
    ("lang", "cells"),
    [
        ("ja", [JA_CELL]),
        ("en", ['at or before <span class="nobr">30 June 2026</span>']),
        (
            "ja+en",
            [
                f'<span lang="ja" class="">{JA_CELL}</span>'
                '<span lang="en" class=" alt">at or before <span class="nobr">30 June 2026</span>',
            ],
        ),
    ],
)
def test_first_detected_is_never_broken_inside_a_date_in_the_pdf(
    parts: tuple[Snapshot, Catalogue], lang: str, cells: list[str]
) -> None:
    """In the PDF's first-detected column a date stays on one line and 「以前」 is not split
    into 以 | 前 (the demo's PDF printed "2026年3月6日 以" over "前", and "at or before 6"
    over "March 2026"); the line may break only between the date and 以前. A Japanese date is
    held by word joiners (tests/render/test_breaks.py), an English one by a nowrap span."""
    snapshot, catalogue = parts
    options = ReportOptions(previous=(Q3_ASSESSMENT,), history=(Q2_ASSESSMENT,))
    context = build_context(Q4_ASSESSMENT, snapshot, catalogue, tuple(lang.split("+")), options)
    body = section_of(render_html(context, "pdf", None, Q4))
    persisting = body[body.index("changes-persisting") :]
    for cell in cells:
        assert cell in persisting
    screen = section_of(render_html(context, "html", None, Q4))
    assert "\u2060" not in screen and 'class="nobr">30 June' not in screen


@pytest.mark.parametrize(
    ("previous", "history", "compared_with"),
    [
        ((Q3_ASSESSMENT,), (), Q3),
        ((Q2_ASSESSMENT,), (Q3_ASSESSMENT,), Q2),  # an explicit --previous wins
        ((), (Q2_ASSESSMENT, Q3_ASSESSMENT), Q3),  # else the newest of the history
        ((Q3_ASSESSMENT, Q2_ASSESSMENT), (), Q3),  # order does not matter
    ],
)
def test_which_assessment_is_the_previous(
    parts: tuple[Snapshot, Catalogue],
    previous: tuple[Assessment, ...],
    history: tuple[Assessment, ...],
    compared_with: datetime,
) -> None:
    """The newest --previous is compared with; without one, the newest of the history."""
    view = chapter(parts, previous=previous, history=history)
    assert view is not None
    assert view.facts[0].value.first.startswith(f"{compared_with:%-d %B %Y}")


def test_score_changes_by_section(parts: tuple[Snapshot, Catalogue]) -> None:
    """Overall first, then each scored section, with old, new, signed change and direction."""
    view = chapter(parts, previous=(Q3_ASSESSMENT,))
    assert view is not None
    rows = {row.label.first: row for row in view.scores}
    assert view.scores[0].overall and view.scores[0].label.first == "Overall score"
    access_keys = rows["Section access_keys"]
    assert (access_keys.old.first, access_keys.new.first) == ("0.0", "100.0")
    assert rows["Section root"].direction == "same" and rows["Section root"].delta.first == "±0.0"
    assert (access_keys.delta.first, access_keys.direction) == ("+100.0", "up")
    groups = rows["Section groups"]
    assert groups.direction == "down" and groups.delta.first.startswith("\u2212")
    assert rows["Section mfa"].direction == "down"  # erin is no longer waived
    assert not view.indicative


def test_checks_on_one_side_only(parts: tuple[Snapshot, Catalogue]) -> None:
    """A check run only now is listed apart with its failing count; scores are indicative."""
    fewer = replace(Q3_ASSESSMENT, check_ids=("console_user_mfa", "access_key_rotated"))
    view = chapter(parts, previous=(fewer,))
    assert view is not None and view.indicative
    notes = {row.check_id: (row.note.first, row.failing) for row in view.checks}
    assert notes["user_in_group"] == ("Added in this assessment", 2)
    assert "dave" not in [row.resource for group in view.lists for row in group.rows]


def test_trend_needs_two_earlier_assessments(parts: tuple[Snapshot, Catalogue]) -> None:
    """One earlier assessment: no trend; two: the SVG chart and one table row per quarter."""
    one = chapter(parts, previous=(Q3_ASSESSMENT,))
    two = chapter(parts, previous=(Q3_ASSESSMENT,), history=(Q2_ASSESSMENT,))
    assert one is not None and one.trend is None
    assert two is not None and two.trend is not None
    assert two.trend.svg.startswith("<svg") and "<script" not in two.trend.svg
    assert [quarter.first for quarter in two.trend.quarters] == [
        "FY2026 Q2",
        "FY2026 Q3",
        "FY2026 Q4",
    ]
    assert two.trend.dates[-1].first == "28 December 2026"
    lines = {line.label.first: line for line in two.trend.lines}
    assert lines["Overall"].kind == "overall"
    assert [v.first for v in lines["Failing"].values] == ["2", "3", "4"]
    assert [v.first for v in lines["New"].values] == ["—", "1", "1"]  # carol, then dave


def test_other_account_is_an_input_error(parts: tuple[Snapshot, Catalogue]) -> None:
    """An earlier assessment of another account cannot be compared."""
    other = replace(Q3_ASSESSMENT, account_id="999999999999")
    with pytest.raises(InputError, match="different AWS accounts"):
        chapter(parts, previous=(other,))


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "ja",
            [
                "前回評価からの変化",
                "新たな不適合",
                "解消した不適合",
                "継続している不適合",
                "2026年9月30日",
            ],
        ),
        (
            "en",
            [
                "Changes since the last assessment",
                "New findings",
                "Resolved findings",
                "First detected",
            ],
        ),
        ("ja+en", ["前回評価からの変化", "Changes since the last assessment"]),
    ],
)
def test_html_chapter_after_the_summary(
    parts: tuple[Snapshot, Catalogue], lang: str, texts: list[str]
) -> None:
    """The chapter sits right after the summary (and in the contents), in the report's language."""
    html = page(parts, lang, previous=(Q3_ASSESSMENT,), history=(Q2_ASSESSMENT,))
    marks = ['href="#summary"', 'href="#comparison"', 'id="summary"', 'id="comparison"']
    positions = [html.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert html.index('id="comparison"') < html.index('id="section-root"')
    body = section_of(html)
    for text in texts:
        assert text in body
    assert "<svg" in body and 'class="trend-table"' in body


def test_summary_mentions_the_overall_change(parts: tuple[Snapshot, Catalogue]) -> None:
    """The executive summary says in one line how the overall score moved since last time."""
    html = page(parts, "en", previous=(Q3_ASSESSMENT,))
    summary = html[html.index('id="summary"') : html.index('id="comparison"')]
    assert re.search(r"The overall score (rose|fell) by \d+\.\d points", summary)
    assert "New findings: 1; resolved: 1." in summary


def test_lists_are_cut_at_the_resource_limit(parts: tuple[Snapshot, Catalogue]) -> None:
    """Long lists show ``resource_limit`` rows in full and the rest in a compact table: the
    chapter is complete in the report itself, never "see reportgen diff"."""
    html = page(parts, "en", previous=(Q3_ASSESSMENT,), resource_limit=1)
    body = section_of(html)
    assert "1 more are listed in the compact table below (checks by id)." in body
    assert "reportgen diff" not in body
    assert body.count('<span class="name">carol</span>') == 0
    compact = body[body.index('class="changes compact') :]
    assert "carol" in compact[: compact.index("</table>")]


def test_names_are_escaped(parts: tuple[Snapshot, Catalogue]) -> None:
    """Resource names from the snapshot are shown as text, never as markup."""
    hostile = replace(
        Q4_ASSESSMENT,
        findings=(*Q4_ASSESSMENT.findings, finding("user_in_group", "<img src=x>")),
    )
    snapshot, catalogue = parts
    options = ReportOptions(machine_outputs=False, previous=(Q3_ASSESSMENT,))
    html = render_report(hostile, snapshot, catalogue, "en", ["html"], options)["report.en.html"]
    body = section_of(html.decode("utf-8"))
    assert "<img src=x>" not in body and "&lt;img src=x&gt;" in body


@pytest.mark.slow
def test_pdf_has_the_chapter_as_text(parts: tuple[Snapshot, Catalogue]) -> None:
    """The Japanese PDF carries the chapter heading and the trend as selectable text."""
    snapshot, catalogue = parts
    options = ReportOptions(
        machine_outputs=False, previous=(Q3_ASSESSMENT,), history=(Q2_ASSESSMENT,)
    )
    pdf = render_report(Q4_ASSESSMENT, snapshot, catalogue, "ja", ["pdf"], options)
    reader = PdfReader(io.BytesIO(pdf["report.ja.pdf"]))
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))
    for expected in ("前回評価からの変化", "継続している不適合", "スコアの推移"):
        assert expected in text
