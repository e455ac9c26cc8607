"""Refusals of `evaluate`, `report`, `checks` and `lessons` read in Japanese (`--lang ja`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runcli import run

MINIMAL = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


@pytest.mark.parametrize(
    ("profile", "japanese", "english"),
    [
        (
            "checks: [access_key_unused]\nparameters:\n  access_key_unused:\n"
            "    max_unused_days: lots\n",
            "profile.yaml:4：access_key_unused.max_unused_days は int 型の値で指定してください。",
            "profile.yaml:4: access_key_unused.max_unused_days must be a int",
        ),
        (
            "checks: [access_key_unused]\nparameters:\n  access_key_unused: {max_days: 4}\n",
            "profile.yaml:3：チェック項目 'access_key_unused' にパラメーター 'max_days' は"
            "ありません（使用できるもの：max_unused_days）。",
            "profile.yaml:3: 'access_key_unused' has no parameter 'max_days' "
            "(has: max_unused_days)",
        ),
        (
            "checks: [root_mfa_enabled]\nparameters:\n  access_key_unused: {max_unused_days: 3}\n",
            "profile.yaml:3：チェック項目 'access_key_unused' が checks に含まれていません。",
            "profile.yaml:3: 'access_key_unused' is not among the checks",
        ),
    ],
)
def test_a_bad_profile_parameter_reads_in_japanese(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    profile: str,
    japanese: str,
    english: str,
) -> None:
    """`--lang ja evaluate --profile BAD`: file, line and mistake in Japanese; English unchanged."""
    path = tmp_path / "profile.yaml"
    path.write_text(profile, encoding="utf-8")
    code, out, err = run(capsys, "--lang", "ja", "evaluate", MINIMAL, "--profile", path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"reportgen：エラー：{tmp_path}/{japanese}"]
    code, _, err = run(capsys, "--lang", "en", "evaluate", MINIMAL, "--profile", path)
    assert err.splitlines() == [f"reportgen: error: {tmp_path}/{english}"]


@pytest.mark.parametrize(
    ("args", "japanese", "english"),
    [
        (
            ("checks", "show", "no_such_check"),
            "チェック項目 'no_such_check' はカタログにありません"
            "（reportgen checks list で確認してください）。",
            "unknown check id 'no_such_check' (see 'reportgen checks list')",
        ),
        (
            ("evaluate", MINIMAL, "--fail-on-new", "high"),
            "--fail-on-new には --previous SNAPSHOT（以前のスナップショット）の指定が必要です。",
            "--fail-on-new needs --previous SNAPSHOT (an earlier snapshot)",
        ),
        (
            ("evaluate", MINIMAL, "--as-of", "2000-01-01"),
            "--as-of の 2000-01-01T23:59:59+00:00 は、スナップショットの収集日時",
            "--as-of 2000-01-01T23:59:59+00:00 is before the snapshot was collected",
        ),
        (
            ("lessons", "build", "--edition", "someday", "-o", "handouts"),
            "--edition の 'someday' は日付（YYYY-MM-DD）ではありません。",
            "--edition 'someday' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_option_mistakes_read_in_japanese(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str | Path, ...],
    japanese: str,
    english: str,
) -> None:
    """Options that do not fit together or a wrong value: one Japanese line, exit 2."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--lang", "ja", *args)
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    assert err.startswith(f"reportgen：エラー：{japanese}")
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and err.startswith(f"reportgen: error: {english}")
    assert not (tmp_path / "handouts").exists()


def test_catalogue_message_mistakes_read_in_japanese() -> None:
    """A message naming a value its rule does not give, or a broken placeholder: keyed."""
    from reportgen.cli.i18n import error_text
    from reportgen.errors import CatalogueError
    from reportgen.evaluate.messages import fill, placeholders

    with pytest.raises(CatalogueError) as missing:
        fill("{user} has no MFA", {}, "ja")
    assert str(missing.value) == "message placeholder {user} has no evidence value"
    assert error_text(missing.value, "ja") == (
        "メッセージのプレースホルダー「user」に対応する証拠の値がありません。"
    )
    with pytest.raises(CatalogueError) as broken:
        placeholders("{user has no MFA")
    assert error_text(broken.value, "ja").startswith(
        "メッセージ '{user has no MFA' のプレースホルダーが正しくありません（"
    )
