"""Our own notes on a missing source (kept in English in the snapshot) reach a Japanese reader
in Japanese; AWS's error texts stay as AWS wrote them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.collect import importer
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.messages import source_note
from reportgen.evaluate.run import evaluate
from reportgen.snapshot import document as snapshot

SAMPLE = Path(__file__).parents[2] / "docs" / "samples" / "credential-report.csv"


@pytest.mark.parametrize(
    ("note", "japanese"),
    [
        ("not supplied to import", "import に指定されていません"),
        (
            "credential report not ready after 120 s",
            "認証情報レポートが120秒以内に作成されませんでした",
        ),
        ("gave up after 20 s", "20秒で打ち切りました"),
        (
            "ListAnalyzers: AccessDenied: no (up to 3 attempts, 1.5 s)",
            "ListAnalyzers: AccessDenied: no。3回まで試行、1.5秒",
        ),
        (
            "GetAccountPasswordPolicy: NoSuchEntity: none",
            "GetAccountPasswordPolicy: NoSuchEntity: none",
        ),
    ],
)
def test_own_notes_are_translated_and_aws_texts_kept(note: str, japanese: str) -> None:
    """Each note of ours has a Japanese text; anything else is quoted as it is."""
    assert source_note(note, "ja") == japanese
    assert source_note(note, "en") == note


def test_an_import_explains_missing_sources_in_japanese(tmp_path: Path) -> None:
    """An import of only a credential report: UNKNOWN messages in Japanese carry no English note."""
    path = tmp_path / "s.json"
    collected = datetime(2026, 11, 27, 9, tzinfo=UTC)
    snapshot.save(
        importer.build_document(importer.ImportFiles(SAMPLE, collected_at=collected)), path
    )
    catalogue = load_catalogue()
    assessment = evaluate(snapshot.load(path), catalogue=catalogue)
    unknown = [f for f in assessment.findings if f.status is Status.UNKNOWN]
    assert unknown
    for finding in unknown:
        text = catalogue.message(finding, "ja")
        assert "not supplied" not in text, text
    assert any("import に指定されていません" in catalogue.message(f, "ja") for f in unknown)
