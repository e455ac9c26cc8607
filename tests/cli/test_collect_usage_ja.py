"""The collect and policy commands' usage errors in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runcli import run


@pytest.mark.parametrize(
    ("args", "english", "japanese"),
    [
        (
            ["collect", "--organization", "--accounts", "12,123456789012", "-o", "out"],
            "not a 12-digit AWS account id: 12",
            "12 桁の AWS アカウント ID ではありません：12",
        ),
        (
            ["collect", "--role-name", "Audit", "-o", "snap.json"],
            "--role-name only apply with --organization",
            "--role-name は --organization と一緒に指定してください。",
        ),
        (
            ["policy", "--organization", "--member-role"],
            "--organization and --member-role print different documents",
            "--organization と --member-role は別々のポリシーを表示します。",
        ),
        (
            ["policy", "--member-role", "--management-account", "123"],
            "must be a 12-digit account id",
            "12 桁のアカウント ID を指定してください。",
        ),
    ],
)
def test_usage_errors_read_in_both_languages(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    english: str,
    japanese: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and english in err and "Traceback" not in err
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2 and japanese in err and "Traceback" not in err
