"""A 5,000-user account still gives a readable report (speed: benchmarks/, docs/performance.md)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reportgen.render import ReportOptions, render_report
from tests.render.fixtures import small_case


@pytest.mark.slow
def test_five_thousand_users_default_pdf_is_summarised() -> None:
    """5,000 users: lists cut at 25 and the inventory summarised, so the PDF stays short."""
    assessment, snapshot, catalogue = small_case(extra_users=4996)
    assert len(snapshot.users) == 5000
    files = render_report(
        assessment, snapshot, catalogue, "ja", ["pdf"], ReportOptions(machine_outputs=False)
    )
    reader = PdfReader(io.BytesIO(files["report.ja.pdf"]))
    assert len(reader.pages) < 40
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "全5000名" in text.replace(",", "")
