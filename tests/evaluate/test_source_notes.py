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
        ("not supplied to import", "import に指定されていない"),
        (
            "credential report not ready after 120 s",
            "認証情報レポートが120秒以内に作成されなかった",
        ),
        ("gave up after 20 s", "20秒で打ち切った"),
        (
            "ListAnalyzers: AccessDenied: no (up to 3 attempts, 1.5 s)",
            "ListAnalyzers: AccessDenied: no。3回まで試行、1.5秒",
        ),
        (
            "GetAccountPasswordPolicy: NoSuchEntity: none",
            "GetAccountPasswordPolicy: NoSuchEntity: none",
        ),
        # The cross-checks of reportgen/snapshot/crosscheck.py (the demo showed the first one
        # in English inside a Japanese sentence).
        (
            "enabled regions not read: af-south-1, us-west-2",
            "有効なリージョンのうち、読み取っていないリージョンがある：af-south-1, us-west-2",
        ),
        (
            "the enabled regions were not listed (ec2:DescribeRegions: AccessDenied: no); "
            "regions read: none",
            "有効なリージョンの一覧を取得できなかった（ec2:DescribeRegions：AccessDenied: "
            "no）。読み取ったリージョン：なし",
        ),
        (
            "the enabled regions were not listed; regions read: ap-northeast-1",
            "有効なリージョンの一覧が収集されていない。読み取ったリージョン：ap-northeast-1",
        ),
        (
            "IsTruncated: true (a page of get-account-authorization-details is missing)",
            "IsTruncated が true になっている"
            "（get-account-authorization-details のページが欠けている）",
        ),
        (
            "UserDetailList 3 < GetAccountSummary Users 5; "
            "customer managed policies 1 < GetAccountSummary 2",
            "UserDetailList が3件で、GetAccountSummary の Users（5件）より少なくなっている。"
            "カスタマー管理ポリシーが1件で、GetAccountSummary の件数（2件）より少なくなっている",
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
    assert any("import に指定されていない" in catalogue.message(f, "ja") for f in unknown)
