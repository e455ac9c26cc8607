"""An import of a credential report alone says "partial data" next to its score, on the
terminal and in the report, naming the sources that are missing; a full snapshot does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.collect import importer
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import missing_sources
from reportgen.evaluate.run import evaluate
from reportgen.formats import table
from reportgen.render import ReportOptions, render_report
from reportgen.snapshot import document as snapshots

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "docs" / "samples" / "credential-report.csv"
FULL = ROOT / "tests" / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("import") / "sample.json"
    files = importer.ImportFiles(SAMPLE, collected_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    snapshots.save(importer.build_document(files), path)
    return path


def test_terminal_and_report_say_partial_data(imported: Path) -> None:
    """Score line then the notice (ja and en), and the same beside the report's score."""
    catalogue = load_catalogue()
    snapshot = snapshots.load(imported)
    assessment = evaluate(snapshot, catalogue=catalogue)
    assert "authorization_details" in missing_sources(assessment)
    ja = table.summary(assessment, catalogue, "ja").splitlines()
    assert ja[1].startswith("一部のデータのみで評価しています：")
    assert "IAM の権限設定情報" in table.summary(assessment, catalogue, "ja")
    assert "Partial data:" in table.render(assessment, catalogue, "en")
    page = render_report(
        assessment, snapshot, catalogue, "ja", ["html"], ReportOptions(machine_outputs=False)
    )["report.ja.html"].decode("utf-8")
    summary = page[page.index('id="summary"') :][:4000]
    assert 'class="partial-data"' in summary and "一部のデータのみによる評価" in summary


def test_a_complete_snapshot_has_no_notice() -> None:
    """Every source collected: no partial-data line."""
    catalogue = load_catalogue()
    assessment = evaluate(snapshots.load(FULL), catalogue=catalogue)
    if missing_sources(assessment):
        pytest.skip("the corpus snapshot lacks a source")
    assert "Partial data" not in table.summary(assessment, catalogue, "en")


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("ja", "<td>import に指定されていません</td>"),
        ("en", "<td>not supplied to import</td>"),
        (
            "ja+en",
            '<td><span lang="ja" class="">import に指定されていません</span>'
            '<span lang="en" class=" alt">not supplied to import</span></td>',
        ),
    ],
)
def test_the_sources_table_gives_our_notes_in_the_readers_language(
    imported: Path, lang: str, note: str
) -> None:
    """The data-gaps chapter's sources table printed the collector's own note in English in a
    Japanese report ("not supplied to import"); it reads as the findings' reasons do."""
    catalogue = load_catalogue()
    snapshot = snapshots.load(imported)
    assessment = evaluate(snapshot, catalogue=catalogue)
    options = ReportOptions(machine_outputs=False)
    page = render_report(assessment, snapshot, catalogue, lang, ["html"], options)
    html = page[f"report.{lang}.html"].decode("utf-8")
    sources = html[html.index('<table class="sources">') :]
    assert note in sources[: sources.index("</table>")]
