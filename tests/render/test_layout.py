"""Pages an auditor can file, checked from the PDF itself (tests/render/layout.py): no date,
id or name broken across lines, no text outside the page body, no page left almost empty.

The demo's own PDFs are checked the same way by hand before a release
(``python -m tests.render.layout out/report.ja.pdf``; see docs/pdf.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.run import evaluate
from reportgen.render import ReportOptions, render_report
from reportgen.textstore import read_catalogue
from tests.factories import (
    NOW,
    ago,
    allow,
    attached,
    make_group,
    make_key,
    make_policy,
    make_row,
    make_snapshot,
    make_user,
)
from tests.render import layout

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is missing"),
]

TEAMS = ("payments-settlement", "customer-identity", "data-platform-etl", "edi-partner-gateway")
LONG_POLICY = "QuarterlyAuditReadOnly-Billing-And-Cost-Explorer-Access"
LONG_ADMIN_POLICY = "EmergencyBreakGlass-FullAdministrator-Access-Approved-By-CISO"
BREAK_GLASS = "emergency-break-glass-operators"


def _stress() -> tuple[object, object, list[str]]:
    """500 users with long hyphenated names, groups and policies with long names; one in
    twenty without MFA, a third with keys older than 90 days, five administrators through a
    long-named policy: long chapters, registers and a 500-row inventory."""
    policy = make_policy(LONG_POLICY, document=allow("ce:Get*", "*"))
    admin = make_policy(LONG_ADMIN_POLICY, document=allow("*", "*"))
    groups = [
        make_group(f"{team}-operators", policies=[attached(LONG_POLICY, aws=False)])
        for team in TEAMS
    ]
    groups.append(make_group(BREAK_GLASS, policies=[attached(LONG_ADMIN_POLICY, aws=False)]))
    users = []
    for i in range(500):
        team = TEAMS[i % len(TEAMS)]
        if i % 100 == 7:  # five administrators with the long admin policy, via their group
            team = BREAK_GLASS.removesuffix("-operators")
        name = f"svc-{team}-runner-{i:03d}"
        users.append(
            make_user(
                name,
                groups=(f"{team}-operators",),
                credentials=make_row(
                    name,
                    mfa_active=i % 20 != 0,
                    password_last_used=ago(i % 30),
                    keys=[make_key(1, last_rotated=ago(30 + i % 90), last_used_date=ago(i % 20))],
                ),
            )
        )
    snapshot = make_snapshot(users=users, groups=tuple(groups), policies=(policy, admin))
    names = [u.name for u in users] + [g.name for g in groups] + [LONG_POLICY, LONG_ADMIN_POLICY]
    names += [u.arn for u in users]
    return snapshot, evaluate(snapshot, as_of=NOW), names


@pytest.fixture(scope="module")
def stress_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    snapshot, assessment, names = _stress()
    options = ReportOptions(machine_outputs=False)
    files = render_report(assessment, snapshot, load_catalogue(), "ja", ["pdf"], options)  # type: ignore[arg-type]
    path = tmp_path_factory.mktemp("layout") / "report.ja.pdf"
    path.write_bytes(files["report.ja.pdf"])
    return path, names


@pytest.fixture(scope="module")
def stress_pages(stress_pdf: tuple[Path, list[str]]) -> list[layout.Page]:
    """The stress PDF's pages as poppler lays them out, read once for the three checks."""
    return layout.read_pages(stress_pdf[0])


def test_stress_report_has_no_split_token(
    stress_pdf: tuple[Path, list[str]], stress_pages: list[layout.Page]
) -> None:
    assert layout.split_tokens(stress_pages, stress_pdf[1]) == []


def test_stress_report_cuts_no_header_word(stress_pages: list[layout.Page]) -> None:
    """A Japanese table header or inventory label is never cut mid-word (コンソー | ル)."""
    labels = read_catalogue("report", "ja")
    short = [text for key, text in labels.items() if key.startswith(("table.", "inventory."))]
    assert layout.split_labels(stress_pages, [t for t in short if "{" not in t]) == []


def test_stress_report_stays_inside_the_page(stress_pages: list[layout.Page]) -> None:
    assert layout.outside_body(stress_pages) == []


def test_stress_report_has_no_nearly_empty_page(stress_pages: list[layout.Page]) -> None:
    assert layout.nearly_empty(stress_pages, 0.2, skip=(1,)) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The checker finds a date split before 日, a hyphenated name split at its hyphen, a
    word past the right margin, and an almost empty page (it has teeth)."""
    word = layout.Word
    line_height = 10.0

    def line(x: float, y: float, *texts: str) -> tuple[layout.Word, ...]:
        return tuple(
            word(t, x + 40 * i, y, x + 40 * i + 30, y + line_height) for i, t in enumerate(texts)
        )

    body_top = layout.MARGIN_TOP + 5
    lines = (
        line(60, body_top, "期限", "2026年9月18"),
        line(60, body_top + line_height + 2, "日まで"),
        line(200, body_top, "arn:aws:iam::123456789012:user/svc-"),
        line(200, body_top + line_height + 2, "backup"),
        line(560, body_top + 40, "outside"),
    )
    page = layout.Page(1, 595.0, 842.0, lines)
    split = layout.split_tokens([page], ["svc-backup"])
    assert {p.kind for p in split} == {"date (ja) split", "name split"}
    assert [p.kind for p in layout.outside_body([page])] == ["outside the page body"]
    header = (
        line(300, body_top + 80, "コンソー"),
        line(300, body_top + 80 + line_height + 2, "ル"),
    )
    labels = layout.split_labels([layout.Page(1, 595.0, 842.0, header)], ["コンソール"])
    assert [p.kind for p in labels] == ["label split"]
    last = layout.Page(2, 595.0, 842.0, lines)
    assert [p.page for p in layout.nearly_empty([page, last], 0.2)] == [1]


def test_long_english_dates_fit_the_workpaper_columns(tmp_path: Path) -> None:
    """ "30 September 2026" is kept whole (never broken), so its column must hold it: in the
    access review it ran under the 'Still exists' badge of the next column."""
    from datetime import UTC, date, datetime

    from reportgen.evaluate.review import Decision, Review, ReviewDecision
    from tests.render.fixtures import small_case, waivers_file

    assessment, snapshot, catalogue = small_case()
    decisions = tuple(
        ReviewDecision(
            u.arn, u.name, "user", Decision.REMOVE, "退職", "監査室 高橋", date(2026, 9, 30)
        )
        for u in snapshot.users[:3]
    )
    review = Review("a" * 64, snapshot.account.id, datetime(2026, 8, 31, tzinfo=UTC), decisions)
    options = ReportOptions(
        machine_outputs=False, review=review, rule_files=waivers_file(assessment)
    )
    files = render_report(assessment, snapshot, catalogue, "en", ["pdf"], options)
    path = tmp_path / "report.en.pdf"
    path.write_bytes(files["report.en.pdf"])
    page = next(
        p for p in layout.read_pages(path) if any(w.text == "Carried" for ln in p.lines for w in ln)
    )
    words = [w for line in page.lines for w in line]
    next_column = min(w.x_min for w in words if w.text == "Carried")
    years = [w for w in words if w.text == "2026" and w.x_min > next_column - 120]
    assert years and all(w.x_max < next_column - 2 for w in years), (years, next_column)
