"""The PDF is complete evidence on its own: every non-PASS finding is listed (the chapter's
first rows in full, the rest in appendix D's compact table), and every user up to 1,000; a
larger inventory is attached as inventory.csv and the page says so."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from markupsafe import Markup

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.run import evaluate
from reportgen.render import ReportOptions
from reportgen.render.context import build_context
from reportgen.render.evidence import INVENTORY, evidence_files
from reportgen.render.html import printable_breaks, render_html
from reportgen.render.i18n import Ui
from reportgen.render.inventory import PDF_INVENTORY_MAX, inventory, inventory_csv
from reportgen.snapshot.model import Sentinel
from tests.factories import NOW, make_key, make_row, make_snapshot, make_user
from tests.render.fixtures import small_case, waivers_file

LISTED = (Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED)


def printable(lang: str, options: ReportOptions, extra_users: int = 60) -> str:
    assessment, snapshot, catalogue = small_case(extra_users=extra_users)
    context = build_context(assessment, snapshot, catalogue, (lang,), options)
    return render_html(context, "pdf", None, assessment.as_of)


def test_every_listed_finding_is_in_the_printed_report() -> None:
    """Each FAIL, UNKNOWN and SUPPRESSED resource appears in the PDF's pages: never "see the
    HTML"."""
    assessment, _, _ = small_case(extra_users=60)
    page = printable("en", ReportOptions(machine_outputs=False, resource_limit=5))
    assert "HTML report" not in page
    chapter = page[page.index('id="check-console-user-mfa"') : page.index('id="section-groups"')]
    assert "more are listed in appendix D" in chapter and 'href="#full-check-' in chapter
    appendix = page[page.index('id="appendix-d"') :]
    assert 'class="resources compact"' in appendix
    listed = [
        f for f in assessment.findings if f.status in LISTED and f.check_id == "console_user_mfa"
    ]
    full = appendix[appendix.index('id="full-check-console-user-mfa"') :]
    full = full[: full.index("</table>")]
    # Rows (each has a c-res cell) plus one header cell, in the chapter and in appendix D.
    assert (chapter.count('class="c-res"') - 1) + (full.count('class="c-res"') - 1) == len(listed)
    assert "user0057" in full
    assert appendix.count('class="evidence"') == 0  # compact: the evidence is in findings.json


def test_japanese_pdf_points_to_appendix_d() -> None:
    """The Japanese chapter names appendix D, not the HTML version."""
    page = printable("ja", ReportOptions(machine_outputs=False, resource_limit=5))
    assert "付録 D に一覧で掲載している" in page
    assert "HTML 版の報告書に掲載" not in page


def test_inventory_up_to_the_limit_is_complete_in_the_pdf() -> None:
    """64 users (well under 1,000): appendix A of the PDF lists them all, no summary note."""
    assert PDF_INVENTORY_MAX == 1000
    page = printable("en", ReportOptions(machine_outputs=False))
    inventory = page[page.index('id="appendix-a"') : page.index('id="appendix-b"')]
    assert inventory.count('class="user"') == 64
    assert "inventory.csv" not in inventory


def test_a_larger_inventory_says_where_everyone_is_and_attaches_them() -> None:
    """Beyond the limit the page names the attached inventory.csv, which lists every user."""
    options = ReportOptions(machine_outputs=False, inventory_pdf_max=10, inventory_summary_limit=5)
    page = printable("ja", options)
    inventory = page[page.index('id="appendix-a"') : page.index('id="appendix-b"')]
    assert "添付ファイル inventory.csv" in inventory and "全64名" in inventory
    assert "10名を超えるため" in inventory
    assessment, snapshot, catalogue = small_case(extra_users=60)
    context = build_context(assessment, snapshot, catalogue, ("ja",), options)
    data = inventory_csv(context.inventory, Ui(("ja",)))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["ユーザー", "ARN"]
    assert sorted(r[0] for r in rows[1:]) == sorted(u.name.lstrip("'") for u in snapshot.users) or (
        len(rows) == 1 + len(snapshot.users)
    )
    waivers = waivers_file(assessment)
    files = evidence_files(assessment, catalogue, "ja", b"{}", b"{}", waivers, {INVENTORY: data})
    assert INVENTORY in files and INVENTORY in files["reproduce.json"].decode()


def test_unknown_rows_past_the_limit_point_to_the_data_gaps_chapter() -> None:
    """UNKNOWN rows past a chapter's limit are not printed twice: the chapter points to the
    data-gaps chapter, which lists every UNKNOWN finding, and appendix D holds the rest."""
    assessment, snapshot, catalogue = small_case(extra_users=60)
    context = build_context(
        assessment, snapshot, catalogue, ("en",), ReportOptions(resource_limit=1)
    )
    for check in context.truncated_checks:
        assert all(r.status.kind != "unknown" for r in check.appendix_rows)
        assert check.hidden == len(check.appendix_rows) + check.hidden_unknown
    unknown = [f for f in assessment.findings if f.status is Status.UNKNOWN]
    assert len(context.gaps) == len(unknown)


@pytest.mark.parametrize(
    ("lang", "days", "cell"),
    [
        ("ja", 10, "#1 10日経過 · 使用履歴なし"),
        ("en", 10, "#1 10 days old · never used"),
        ("ja", 1, "#1 1日経過 · 使用履歴なし"),
        ("en", 1, "#1 1 day old · never used"),
    ],
)
def test_a_key_never_used_reads_never_used_in_the_inventory(
    lang: str, days: int, cell: str
) -> None:
    """A key whose last use is N/A in the credential report was never used (docs/evidence.md):
    appendix A and inventory.csv say so instead of 「最終使用 対象外」 / "last used N/A", and
    not "last used Never" / 「最終使用 使用履歴なし」 either; a day-old key is "1 day old"."""
    key = make_key(
        1, last_rotated=NOW - timedelta(days=days), last_used_date=Sentinel.NOT_APPLICABLE
    )
    user = make_user("newkey", credentials=make_row("newkey", keys=(key,)))
    snapshot = make_snapshot(users=(user,))
    assessment = evaluate(snapshot, catalogue=load_catalogue())
    ui = Ui((lang,))
    view = inventory(assessment, snapshot, ui, full=True, summary_limit=10)
    rows = list(csv.reader(io.StringIO(inventory_csv(view, ui).decode("utf-8-sig"))))
    assert cell in [value for row in rows for value in row]


def test_english_dates_are_never_broken_across_lines_in_the_pdf() -> None:
    """ "last used 28 May | 2025": an English date is three words, so the PDF markup keeps
    each one whole (a nobr span), in evidence texts and in appendix A's key column."""
    assert printable_breaks("Last rotated: 13 April 2025 Last used: 28 May 2025") == Markup(
        'Last rotated: <span class="nobr">13 April 2025</span> '
        'Last used: <span class="nobr">28 May 2025</span>'
    )
    page = printable("en", ReportOptions(machine_outputs=False))
    inventory = page[page.index('id="appendix-a"') : page.index('id="appendix-b"')]
    dates = re.findall(r"(<span class=\"nobr\">)?(\d{1,2} [A-Z][a-z]+ \d{4})", inventory)
    assert dates and all(whole for whole, _ in dates), dates[:3]
