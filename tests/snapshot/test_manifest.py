"""manifest.json of an organization collection: every field checked before it is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError
from reportgen.snapshot.manifest import MANIFEST_SCHEMA, read_manifest
from tests.runcli import run

GOOD_ACCOUNT = {"id": "111111111111", "status": "ok", "snapshot": "a.json", "sha256": "ab" * 32}


def write(folder: Path, **document: object) -> Path:
    (folder / "manifest.json").write_text(
        json.dumps({"schema": MANIFEST_SCHEMA, **document}), encoding="utf-8"
    )
    return folder


def test_a_sound_manifest_is_read(tmp_path: Path) -> None:
    """Accounts sorted by id; a failed account needs no snapshot."""
    failed = {"id": "000000000001", "status": "failed", "error": "AccessDenied"}
    manifest = read_manifest(
        write(
            tmp_path,
            organization={"id": "o-abc", "management_account_id": "999999999999"},
            collected_at="2026-11-28T09:00:00Z",
            accounts=[GOOD_ACCOUNT, failed],
        )
    )
    assert [a.id for a in manifest.accounts] == ["000000000001", "111111111111"]
    assert manifest.accounts[0].ok is False and manifest.accounts[0].error == "AccessDenied"
    assert manifest.organization_id == "o-abc" and manifest.collected_at is not None


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"accounts": {"id": "1"}}, "accounts"),
        ({"accounts": ["x"]}, "accounts[0]"),
        ({"accounts": [{**GOOD_ACCOUNT, "id": 111111111111}]}, "accounts[0].id"),
        ({"accounts": [{**GOOD_ACCOUNT, "status": "OK"}]}, "accounts[0].status"),
        ({"accounts": [{**GOOD_ACCOUNT, "snapshot": None}]}, "accounts[0].snapshot"),
        ({"accounts": [{**GOOD_ACCOUNT, "sha256": ["ab"]}]}, "accounts[0].sha256"),
        ({"accounts": [{**GOOD_ACCOUNT, "name": 7}]}, "accounts[0].name"),
        ({"accounts": [], "organization": "o-abc"}, "organization"),
        ({"accounts": [], "organization": {"id": 5}}, "organization.id"),
        ({"accounts": [], "collected_at": "yesterday"}, "collected_at"),
    ],
)
def test_a_damaged_field_is_named(tmp_path: Path, document: dict[str, object], field: str) -> None:
    """A field missing or of the wrong type is one input error naming the file and the field,
    never a half-read organization (an unknown status is not taken as "failed")."""
    with pytest.raises(InputError) as caught:
        read_manifest(write(tmp_path, **document))
    assert caught.value.key == "manifest_field"
    assert str(caught.value).endswith(
        f"malformed manifest: {field} is missing or of the wrong type"
    )
    japanese = error_text(caught.value, "ja")
    assert f"マニフェストの形式が正しくありません。{field} がないか、型が違います。" in japanese


@pytest.mark.parametrize(
    ("account", "field"),
    [
        ("12345678901\n", "accounts[2].id"),
        ("123456789012\n", "accounts[2].id"),
        ("../../etc", "accounts[2].id"),
        ("12345678901", "accounts[2].id"),
        ("1234567890123", "accounts[2].id"),
        ("+12345678901", "accounts[2].id"),
        ("１２３４５６７８９０１２", "accounts[2].id"),
        ("12345678901٣", "accounts[2].id"),
    ],
)
def test_an_account_id_is_exactly_twelve_ascii_digits(
    tmp_path: Path, account: str, field: str
) -> None:
    """A failed account's id is never checked against a snapshot, so the manifest refuses any
    id but 12 ASCII digits (no final newline, no path, no full-width or other digits)."""
    failed = {"id": account, "status": "failed", "error": "AccessDenied"}
    other = {**GOOD_ACCOUNT, "id": "222222222222"}
    with pytest.raises(InputError) as caught:
        read_manifest(write(tmp_path, accounts=[GOOD_ACCOUNT, other, failed]))
    assert caught.value.key == "manifest_account_id"
    path = tmp_path / "manifest.json"
    assert str(caught.value) == (
        f"{path}: malformed manifest: {field} is not an AWS account id (12 digits)"
    )
    assert error_text(caught.value, "ja") == (
        f"{path}：マニフェストの形式が正しくありません。"
        f"{field} が AWS アカウント ID（12桁の数字）ではありません。"
    )


def test_the_management_account_id_is_checked_too(tmp_path: Path) -> None:
    """organization.management_account_id, shown in the summary, is held to the same rule."""
    organization = {"id": "o-abc", "management_account_id": "999999999999\n"}
    with pytest.raises(InputError) as caught:
        read_manifest(write(tmp_path, organization=organization, accounts=[GOOD_ACCOUNT]))
    assert caught.value.key == "manifest_account_id"
    assert "organization.management_account_id is not an AWS account id" in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "reportgen: error: {path}: malformed manifest: accounts[0].id is not an AWS "
            "account id (12 digits)",
        ),
        (
            "ja",
            "reportgen：エラー：{path}：マニフェストの形式が正しくありません。accounts[0].id が "
            "AWS アカウント ID（12桁の数字）ではありません。",
        ),
    ],
)
def test_report_refuses_such_a_manifest_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, line: str
) -> None:
    """reportgen report ORG-FOLDER: one line, exit 2, nothing written (no summary naming the id)."""
    failed = {"id": "../../etc\n", "status": "failed", "error": "AccessDenied"}
    (tmp_path / "org").mkdir()
    folder = write(tmp_path / "org", accounts=[failed])
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "--lang", lang, "report", folder, "-o", out)
    assert (code, stdout) == (2, "")
    assert err.splitlines() == [line.format(path=folder / "manifest.json")]
    assert not out.exists()
