"""One Japanese word per concept: the glossary's avoided words never reach a user."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.vocabulary import (
    ALLOWED,
    ROOT,
    glossary_avoided_words,
    scan_file,
    scan_text,
    user_facing_files,
)

FILES = user_facing_files()


def test_the_scan_covers_every_kind_of_user_facing_text() -> None:
    """Catalogue, profiles, lessons, labs, report and diff strings, docs and README are scanned."""
    names = {str(p.relative_to(ROOT)) for p in FILES}
    for expected in (
        "checks/sections.yaml",
        "checks/profiles/article.yaml",
        "lessons/01-root-user/ja.md",
        "lessons/01-root-user/lab.yaml",
        "locale/ja/LC_MESSAGES/report.po",
        "locale/ja/LC_MESSAGES/diff.po",
        "locale/ja/LC_MESSAGES/training.po",
        "locale/ja/LC_MESSAGES/labels.po",
        "locale/ja/LC_MESSAGES/reasons.po",
        "docs/errors.ja.md",
        "docs/checks.md",
        "README.ja.md",
    ):
        assert expected in names


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_japanese_text_uses_the_glossary(path: Path) -> None:
    """No avoided word and no half-width bracket or colon in the file's Japanese text."""
    assert [str(p) for p in scan_file(path)] == []


def test_the_rendered_japanese_report_uses_the_glossary() -> None:
    """The golden Japanese report (templates, catalogue and strings together) is clean."""
    assert [str(p) for p in scan_file(ROOT / "tests/render/golden/report.ja.html")] == []


@pytest.mark.parametrize("word", glossary_avoided_words())
def test_every_avoided_word_of_the_glossary_is_caught(word: str) -> None:
    """Each word in the 避ける語 column of docs/glossary.ja.md fails the scan."""
    found = [p.found for p in scan_text(f"この{word}を確認します。")]
    assert found
    assert all(part in word for part in found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("報告書の指摘を確認します。", ["指摘"]),
        ("判定は不合格です。", ["合格"]),
        ("最新のレポートを出力します。", ["レポート"]),
        ("ユーザ名を入力します。", ["ユーザ"]),
        ("コンソールにログインします。", ["ログイン"]),
        ("管理者用のユーザー(例:`alice`)を作成します。", ["ー(", "例:", ")を"]),
        ("- **スコア**:章ごとの点数です。", ["ア :"]),
    ],
)
def test_the_scanner_reports_avoided_words_and_half_width_marks(
    text: str, found: list[str]
) -> None:
    """A sample with an avoided word or a half-width mark in Japanese is reported."""
    assert [p.found for p in scan_text(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "認証情報レポートをダウンロードします。",
        "監査で指摘事項になります。",
        "「多要素認証 (MFA)」で「MFA デバイスの割り当て」を選択します。",
        "`aws iam get-login-profile --user-name alice` でログインプロファイルを確認します。",
        "`arn:aws:iam::123456789012:user/alice`（ARN）を確認します。",
        "2026年12月3日 14:05（JST）に収集しました。",
        "Sign in to the console (English is not scanned): OK",
    ],
)
def test_quoted_aws_names_code_and_english_pass(text: str) -> None:
    """AWS's own names, code spans, times and English text are not reported."""
    assert scan_text(text) == []


def test_allowed_names_are_real_aws_wording() -> None:
    """Every allowed name is listed, with its meaning, in docs/glossary.ja.md."""
    glossary = (ROOT / "docs/glossary.ja.md").read_text(encoding="utf-8")
    for name in ALLOWED:
        assert name in glossary


def test_an_avoided_word_introduced_into_a_real_file_fails(tmp_path: Path) -> None:
    """Writing 指摘 into a copy of the training catalogue makes the scan of that file fail."""
    source = ROOT / "locale/ja/LC_MESSAGES/training.po"
    copy = tmp_path / "training.po"
    shutil.copy(source, copy)
    assert scan_file(copy) == []
    text = copy.read_text(encoding="utf-8").replace("理解度チェック", "指摘の確認", 1)
    copy.write_text(text, encoding="utf-8")
    assert [p.found for p in scan_file(copy)] == ["指摘"]
