"""manifest.json of an organization collection: every field checked before it is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError
from reportgen.snapshot.manifest import MANIFEST_SCHEMA, read_manifest

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
