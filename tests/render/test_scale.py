"""A 5,000-user account still gives a readable report, and the default PDF renders quickly."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from reportgen.render import ReportOptions, render_report
from tests.render.fixtures import small_case

BUDGET_SECONDS = 30.0


@pytest.mark.slow
def test_five_thousand_users_default_pdf_is_summarised_and_fast() -> None:
    """5,000 users: lists cut at 25, inventory summarised, PDF well inside 30 s."""
    assessment, snapshot, catalogue = small_case(extra_users=4996)
    assert len(snapshot.users) == 5000
    started = time.perf_counter()
    files = render_report(
        assessment, snapshot, catalogue, "ja", ["pdf"], ReportOptions(machine_outputs=False)
    )
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{elapsed:.1f} s"
    reader = PdfReader(io.BytesIO(files["report.ja.pdf"]))
    assert len(reader.pages) < 40
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "全5000名" in text.replace(",", "")
