"""An import of a credential report alone says "partial data" next to its score, on the
terminal and in the report, naming the sources that are missing; a full snapshot does not."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.collect import importer
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import missing_sources
from reportgen.evaluate.run import evaluate
from reportgen.formats import table
from reportgen.lang import listed
from reportgen.lang import text as lang_text
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
        ("ja", "<td>import に指定されていない</td>"),
        ("en", "<td>not supplied to import</td>"),
        (
            "ja+en",
            '<td><span lang="ja" class="">import に指定されていない</span>'
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


@pytest.mark.parametrize(
    ("items", "lang", "expected"),
    [
        (["EC2 インスタンス"], "ja", "EC2 インスタンス"),
        (
            ["IAM のサーバー証明書", "CloudTrail の証跡"],
            "ja",
            "IAM のサーバー証明書、CloudTrail の証跡",
        ),
        (["IAM の ID プロバイダー（SAML、OIDC）"], "ja", "IAM の ID プロバイダー（SAML、OIDC）"),
        (["パスワードポリシー", "cloudtrail"], "ja", "パスワードポリシー、cloudtrail "),
        (["EC2 instances", "password policy"], "en", "EC2 instances, password policy"),
    ],
)
def test_a_japanese_list_brings_the_space_a_latin_word_needs(
    items: list[str], lang: str, expected: str
) -> None:
    """「EC2 インスタンス が収集されていない」 had a space before が after Japanese; the space
    stays only after a Latin word (「cloudtrail が」), as the style guide writes Japanese."""
    assert listed(items, lang) == expected


@pytest.mark.parametrize("source", ["ec2_instances", "server_certificates", "cloudtrail"])
def test_each_notice_text_joins_its_particle_as_japanese_does(source: str) -> None:
    """Terminal and report texts read 「EC2 インスタンスが収集されていない」, and keep the space
    only after a Latin word."""
    label = load_catalogue().label("source", source, "ja")
    sources = listed([label], "ja")
    for text in (
        lang_text("labels", "ja", "partial_data", sources=sources, count=1),
        lang_text("report", "ja", "summary.partial", sources=sources, count=1),
    ):
        spaced = label[-1].isascii()
        assert (f"{label} が" if spaced else f"{label}が") in text


def test_the_import_notice_has_no_space_before_its_particle(imported: Path) -> None:
    """The sample import's notice (last source 「IAM のサーバー証明書」) read 「… が収集されて
    いない」 on the terminal and in the report."""
    catalogue = load_catalogue()
    snapshot = snapshots.load(imported)
    assessment = evaluate(snapshot, catalogue=catalogue)
    terminal = "".join(table.fitted(assessment, catalogue, "ja", 1000).splitlines()[:3])
    page = render_report(
        assessment, snapshot, catalogue, "ja", ["html"], ReportOptions(machine_outputs=False)
    )["report.ja.html"].decode("utf-8")
    for text in (terminal, page[page.index('class="partial-data"') :][:2000]):
        assert "が収集されていない" in text
        assert re.search(r"[^\x00-\x7f] が収集", text) is None
