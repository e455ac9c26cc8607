"""The audit workpaper pages: population, responses register, access review, sign-off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reportgen.errors import InputError
from reportgen.evaluate.findings import Assessment, Response, ResponseState, Status
from reportgen.evaluate.review import Decision, Review, ReviewDecision
from reportgen.render import fmt
from reportgen.render.context import ReportOptions
from reportgen.render.report import render_report
from reportgen.render.signoff import Signer, SignOff, load_signoff
from reportgen.snapshot.model import Snapshot
from tests.render.fixtures import AS_OF, small_case

OWNER = "情報システム部 佐藤"


def _with_response(assessment: Assessment) -> Assessment:
    """The first FAIL finding gets an overdue response; the others none."""
    findings = list(assessment.findings)
    index = next(i for i, f in enumerate(findings) if f.status is Status.FAIL)
    response = Response("MFA を必須にする", ResponseState.IN_PROGRESS, OWNER, date(2026, 10, 31))
    findings[index] = replace(findings[index], response=response)
    return replace(assessment, findings=tuple(findings))


def _review(snapshot: Snapshot) -> Review:
    user = snapshot.users[0]
    decision = ReviewDecision(
        user.arn, user.name, "user", Decision.REMOVE, "退職", "内部監査室 高橋", date(2026, 9, 1)
    )
    return Review("a" * 64, snapshot.account.id, datetime(2026, 8, 31, tzinfo=UTC), (decision,))


def _page(lang: str, options: ReportOptions) -> str:
    assessment, snapshot, catalogue = small_case()
    files = render_report(_with_response(assessment), snapshot, catalogue, lang, ["html"], options)
    return files[f"report.{lang}.html"].decode("utf-8")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_workpaper_shows_responses_review_and_signoff(lang: str) -> None:
    """Owner, overdue flag, review decisions, reviewer and the sign-off names appear."""
    _, snapshot, _ = small_case()
    signoff = SignOff(prepared=Signer("情報システム部 鈴木", date(2026, 12, 1)))
    page = _page(
        lang, ReportOptions(machine_outputs=False, signoff=signoff, review=_review(snapshot))
    )
    workpaper = page[page.index('id="workpaper"') :]
    assert OWNER in workpaper and "情報システム部 鈴木" in workpaper
    assert "内部監査室 高橋" in workpaper and snapshot.users[0].arn in workpaper
    words = {"ja": ("期限超過", "削除", "作成", "確認", "承認"), "en": ("Overdue", "Remove")}
    assert all(word in workpaper for word in words[lang])


def test_blank_signoff_boxes_without_names() -> None:
    """Without names the three boxes are printed empty, to sign by hand."""
    page = _page("ja", ReportOptions(machine_outputs=False))
    block = page[page.index('class="signoff"') :]
    assert block.count("<td></td>") == 3
    assert "アクセス権の棚卸しの結果は指定されていない" in page


@pytest.mark.parametrize(
    ("moment", "first", "zone", "expected"),
    [
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), 4, "Asia/Tokyo", (2026, 4)),  # 1 Jan JST
        (datetime(2026, 12, 31, 14, 0, tzinfo=UTC), 4, "Asia/Tokyo", (2026, 3)),
        (datetime(2026, 4, 1, 0, 0, tzinfo=UTC), 4, "UTC", (2026, 1)),
        (datetime(2026, 3, 31, 0, 0, tzinfo=UTC), 4, "UTC", (2025, 4)),
        (datetime(2026, 11, 28, 0, 0, tzinfo=UTC), 1, "UTC", (2026, 4)),
        (datetime(2026, 9, 30, 0, 0, tzinfo=UTC), 10, "UTC", (2025, 4)),
    ],
)
def test_fiscal_quarter(moment: datetime, first: int, zone: str, expected: tuple[int, int]) -> None:
    """The fiscal year is named by the year it starts in; the day is the reader's."""
    assert fmt.fiscal_quarter(moment, first, ZoneInfo(zone)) == expected


def test_times_in_the_readers_zone() -> None:
    """Japanese readers see JST with the zone named; the default zone follows the language."""
    text = fmt.local_stamp(AS_OF, ("ja", "en"), fmt.zone(None, "ja"))
    assert text.get("ja") == "2026年11月28日 18:00（JST）"
    assert text.get("en") == "28 November 2026 18:00 JST"
    assert str(fmt.zone(None, "en")) == "UTC"
    with pytest.raises(InputError, match="unknown time zone"):
        fmt.zone("Mars/Olympus", "ja")


def test_signoff_file(tmp_path: Path) -> None:
    """The sign-off file gives names and dates; options replace names; mistakes name the line."""
    path = tmp_path / "signoff.yaml"
    path.write_text("prepared: {name: 鈴木, date: 2026-12-01}\napproved: {name: 田中}\n", "utf-8")
    signoff = load_signoff(path).with_names(approved="山本")
    assert signoff.prepared == Signer("鈴木", date(2026, 12, 1))
    assert signoff.reviewed is None and signoff.approved == Signer("山本")
    path.write_text("prepared: {name: 鈴木}\nchecked: {name: x}\n", "utf-8")
    with pytest.raises(InputError, match=r"signoff.yaml:2: unknown key 'checked'"):
        load_signoff(path)


@pytest.mark.parametrize(("limit", "appendix"), [(5, True), (1000, False)])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_register_cut_in_the_pdf_names_appendix_d_only_when_there_is_one(
    lang: str, limit: int, appendix: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF's register says where its left-out rows are: appendix D only when the PDF has
    one (some chapter's list is cut), otherwise the chapters."""
    from reportgen.render import workpaper
    from reportgen.render.context import build_context
    from reportgen.render.html import render_html

    monkeypatch.setattr(workpaper, "PDF_LIMIT", 3)  # the register of 24 FAILs is cut

    assessment, snapshot, catalogue = small_case(extra_users=60)
    options = ReportOptions(machine_outputs=False, resource_limit=limit)
    page = render_html(
        build_context(assessment, snapshot, catalogue, (lang,), options),
        "pdf",
        None,
        assessment.as_of,
    )
    assert ('id="appendix-d"' in page) is appendix
    register = page[page.index('id="responses"') : page.index('id="access-review"')]
    note = {"ja": "各章と付録 D に掲載", "en": "their chapters and appendix D"}[lang]
    chapters = {"ja": "各章に掲載", "en": "listed in their chapters ("}[lang]
    assert (note in register) is appendix
    assert (chapters in register) is not appendix


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_register_groups_resources_under_their_check(lang: str) -> None:
    """The register names each check once, with its severity and how many of its findings
    fail, and lists its resources below it (in the order of severity, check, resource):
    the 89 FAILs of the demo no longer repeat a four-line check title on every row."""
    import re
    from collections import Counter

    assessment, _, _ = small_case()
    page = _page(lang, ReportOptions(machine_outputs=False))
    register = page[page.index('class="wp responses"') : page.index('id="access-review"')]
    headings = re.findall(
        r'<tr class="check-group">.*?<span class="arn">(\w+) · ([^<]+)<', register
    )
    failing = Counter(f.check_id for f in assessment.findings if f.status is Status.FAIL)
    fails = [f for f in assessment.findings if f.status is Status.FAIL]
    order = sorted(fails, key=lambda f: (f.severity.rank, f.check_id))
    assert [check for check, _ in headings] == list(dict.fromkeys(f.check_id for f in order))
    word = {"ja": "不適合 {}件", "en": "failing: {}"}[lang]
    assert [count for _, count in headings] == [word.format(failing[c]) for c, _ in headings]
    assert register.count('<td class="mono small">') == failing.total()


@pytest.mark.parametrize(
    ("lang", "note"),
    [("ja", "添付ファイル review.json"), ("en", "attached review.json")],
)
def test_review_rows_left_out_of_the_pdf_are_in_its_attachment(
    lang: str, note: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep decisions beyond the PDF's limit are named as in the attached review.json, not
    in "the HTML report": the PDF/A is complete evidence on its own."""
    from reportgen.render import workpaper
    from reportgen.render.context import build_context
    from reportgen.render.html import render_html

    monkeypatch.setattr(workpaper, "PDF_LIMIT", 2)
    assessment, snapshot, catalogue = small_case()
    decisions = tuple(
        ReviewDecision(u.arn, u.name, "user", Decision.KEEP, "業務で使用", "高橋", date(2026, 9, 1))
        for u in snapshot.users
    )
    review = Review("a" * 64, snapshot.account.id, datetime(2026, 8, 31, tzinfo=UTC), decisions)
    options = ReportOptions(machine_outputs=False, review=review)
    context = build_context(assessment, snapshot, catalogue, (lang,), options)
    page = render_html(context, "pdf", None, assessment.as_of)
    section = page[page.index('id="access-review"') : page.index('id="signoff"')]
    assert note in section and "HTML" not in section
