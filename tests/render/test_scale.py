"""A 5,000-user account still gives a complete, readable report (speed: benchmarks/,
docs/performance.md)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reportgen.render import ReportOptions, render_report
from tests.render.fixtures import small_case, waivers_file


@pytest.mark.slow
def test_five_thousand_users_pdf_lists_every_finding_and_attaches_the_inventory() -> None:
    """5,000 users: chapters cut at 25 with the rest in appendix D (never "see the HTML"), the
    inventory summarised with every user in the attached inventory.csv."""
    assessment, snapshot, catalogue = small_case(extra_users=4996)
    assert len(snapshot.users) == 5000
    files = render_report(
        assessment,
        snapshot,
        catalogue,
        "ja",
        ["pdf"],
        ReportOptions(machine_outputs=False, rule_files=waivers_file(assessment)),
    )
    reader = PdfReader(io.BytesIO(files["report.ja.pdf"]))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "全5000名" in text.replace(",", "")
    assert "HTML 版の報告書に掲載" not in text and "HTML 版と添付" not in text
    assert "付録 D" in text
    inventory = reader.attachments["inventory.csv"][0].decode("utf-8-sig")
    assert len(inventory.splitlines()) == 1 + 5000
