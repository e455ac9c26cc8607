"""`reportgen demo`, the README's first command, end to end on a small company."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.snapshot import document as snapshot
from tests.runcli import run


@pytest.mark.slow
def test_demo_writes_the_quarters_reviews_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two quarters of a ten-person company: history named by fiscal quarter, the review of
    the earlier quarter, the findings and the HTML reports; a second run needs --force."""
    out = tmp_path / "out"
    args = ["demo", "-o", str(out), "--users", "10", "--quarters", "2", "--format", "html"]
    code, _stdout, err = run(capsys, *args, "--today", "2026-12-03")
    assert code == 0, err
    history = sorted(p.name for p in (out / "history").iterdir())
    assert history == ["snapshot-FY2026-Q2.json", "snapshot-FY2026-Q3.json"]
    latest = snapshot.load(out / "snapshot.json")
    assert latest.sha256 == snapshot.load(out / "history" / history[-1]).sha256
    for name in ("findings.json", "findings.csv", "junit.xml", "report.ja.html"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "review" / "review.FY2026-Q2.json").is_file()
    for lang, label in (("ja", "2026年度 第3四半期"), ("en", "FY2026 Q3")):
        page = (out / f"report.{lang}.html").read_text(encoding="utf-8")
        assert label in page, lang  # one quarter label: the file names' (April start)
    assert "FY2026 Q4" not in (out / "report.en.html").read_text(encoding="utf-8")
    again = run(capsys, *args, "--today", "2026-12-03")
    assert again[0] == 2 and "--force" in again[2]
