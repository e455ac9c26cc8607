"""Snapshot documents: validation, the typed model, atomic saving and identity."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import OutputExistsError, SnapshotError
from reportgen.snapshot import credreport
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import Sentinel, SourceStatus

REPORT = "\n".join(
    [
        ",".join(credreport.COLUMNS),
        "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,"
        "no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,"
        "N/A,false,N/A,false,N/A",
        "alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,true,"
        "2026-11-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,true,true,"
        "2026-01-02T00:00:00+00:00,2026-11-20T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,"
        "false,N/A,false,N/A",
    ]
)


def document(**data: Any) -> dict[str, Any]:
    """A minimal valid snapshot document; keyword arguments replace data sections."""
    sections: dict[str, Any] = {
        "credential_report": {"generated_time": "2026-11-28T00:00:00Z", "content": REPORT},
        "authorization_details": {
            "UserDetailList": [
                {
                    "UserName": "alice",
                    "Arn": "arn:aws:iam::123456789012:user/alice",
                    "Path": "/",
                    "CreateDate": "2024-01-01T00:00:00Z",
                    "GroupList": ["Developers"],
                    "AttachedManagedPolicies": [],
                    "UserPolicyList": [
                        {"PolicyName": "inline", "PolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D"}
                    ],
                }
            ],
            "GroupDetailList": [],
            "RoleDetailList": [],
            "Policies": [
                {
                    "PolicyName": "Custom",
                    "Arn": "arn:aws:iam::123456789012:policy/Custom",
                    "DefaultVersionId": "v2",
                    "AttachmentCount": 1,
                    "PolicyVersionList": [
                        {"VersionId": "v1", "Document": {"Statement": ["old"]}},
                        {"VersionId": "v2", "Document": {"Statement": ["new"]}},
                    ],
                }
            ],
        },
        "password_policy": {"MinimumPasswordLength": 8, "MaxPasswordAge": 0},
    }
    sections.update(data)
    return {
        "schema": "reportgen.snapshot/1",
        "collected_at": "2026-11-28T00:00:00Z",
        "collector": {"tool": "reportgen", "version": "0.1.0"},
        "account": {"id": "123456789012", "partition": "aws", "aliases": ["example"]},
        "sources": {k: {"status": "ok", "message": None} for k in sections},
        "data": sections,
    }


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_load_builds_the_typed_model(tmp_path: Path) -> None:
    """Users are joined with their report rows; the default policy version is the one kept."""
    snap = snapshot.load(write(tmp_path / "s.json", document()))
    (alice,) = snap.users
    assert alice.groups == ("Developers",)
    assert alice.credentials is not None and alice.credentials.mfa_active is True
    assert alice.inline_policies[0].document == {"Statement": []}  # URL-encoded JSON decoded
    assert snap.policies[0].document == {"Statement": ["new"]}
    assert snap.root is not None and snap.root.password_last_used is Sentinel.NO_INFORMATION
    assert snap.password_policy is not None and snap.password_policy.max_password_age is None


def test_sha256_is_the_identity_of_the_file_bytes(tmp_path: Path) -> None:
    """The snapshot's identity is the SHA-256 of the file's bytes."""
    path = write(tmp_path / "s.json", document())
    assert snapshot.load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_source_missing_from_the_document_counts_as_absent(tmp_path: Path) -> None:
    """Asking for a source the snapshot never recorded gives ABSENT, not OK."""
    snap = snapshot.load(write(tmp_path / "s.json", document()))
    assert snap.source("cloudtrail").status is SourceStatus.ABSENT


def test_the_model_is_read_only(tmp_path: Path) -> None:
    """Model objects are frozen."""
    snap = snapshot.load(write(tmp_path / "s.json", document()))
    with pytest.raises(AttributeError):
        snap.users[0].name = "mallory"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"schema": "reportgen.snap', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[]", "JSON object"),
        (b'{"schema": "reportgen.snapshot/0"}', "unsupported snapshot schema"),
        (b'{"schema": "reportgen.snapshot/1"}', "invalid at"),
    ],
    ids=["truncated", "not-utf8", "not-object", "wrong-version", "missing-parts"],
)
def test_bad_files_are_one_line_snapshot_errors(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    """Broken snapshots raise SnapshotError naming the file and the problem on one line."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SnapshotError) as caught:
        snapshot.load(path)
    assert fragment in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_wrong_types_name_the_place(tmp_path: Path) -> None:
    """A wrongly typed field is reported with its JSON path."""
    doc = document()
    doc["account"]["id"] = 123
    with pytest.raises(SnapshotError, match="account/id"):
        snapshot.load(write(tmp_path / "s.json", doc))


def test_a_malformed_embedded_report_is_a_snapshot_error(tmp_path: Path) -> None:
    """A broken credential report inside a snapshot names the report's line."""
    doc = document(credential_report={"content": REPORT + "\nbob,arn:aws:iam::1:user/bob"})
    with pytest.raises(SnapshotError, match="line 4"):
        snapshot.load(write(tmp_path / "s.json", doc))


def test_save_refuses_to_overwrite_unless_told(tmp_path: Path) -> None:
    """An existing snapshot is never replaced silently; overwrite=True replaces it."""
    path = tmp_path / "s.json"
    snapshot.save(document(), path)
    before = path.read_bytes()
    with pytest.raises(OutputExistsError):
        snapshot.save(document(), path)
    assert path.read_bytes() == before
    snapshot.save(document(), path, overwrite=True)


def test_save_is_atomic_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure before the rename keeps the old file and leaves no temporary file."""
    path = tmp_path / "s.json"
    snapshot.save(document(), path)
    before = path.read_bytes()

    def crash(*_a: Any, **_k: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("reportgen.atomic.os.fsync", crash)
    from reportgen.errors import InputError

    # one line naming the file asked for, not the temporary one
    with pytest.raises(InputError, match=r"s\.json: cannot write \(disk full\)"):
        snapshot.save(document(), path, overwrite=True)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_save_rejects_an_invalid_document(tmp_path: Path) -> None:
    """save validates before writing, so an invalid document never reaches disk."""
    doc = document()
    del doc["account"]
    with pytest.raises(SnapshotError):
        snapshot.save(doc, tmp_path / "s.json")
    assert not (tmp_path / "s.json").exists()
