"""`reportgen import`: snapshots from files exported with the AWS console or CLI."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.collect import importer
from reportgen.errors import InputError
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import SourceStatus
from tests.snapshot.test_snapshot import REPORT

COLLECTED = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def save(tmp_path: Path, files: importer.ImportFiles) -> snapshot.Snapshot:
    path = tmp_path / "s.json"
    snapshot.save(importer.build_document(files), path)
    return snapshot.load(path)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode(),
        lambda t: ("\ufeff" + t.replace("\n", "\r\n")).encode(),
        lambda t: json.dumps(
            {
                "Content": base64.b64encode(t.encode()).decode(),
                "GeneratedTime": "2026-11-27T09:00:00+00:00",
            }
        ).encode(),
    ],
    ids=["csv", "excel-bom-crlf", "cli-json"],
)
def test_every_export_style_imports(tmp_path: Path, encode: object) -> None:
    """Console CSV, an Excel-saved CSV and the CLI's base64 JSON give the same rows."""
    source = tmp_path / "report.in"
    source.write_bytes(encode(REPORT))  # type: ignore[operator]
    snap = save(tmp_path, importer.ImportFiles(source, collected_at=COLLECTED))
    assert [u.name for u in snap.users] == ["alice"]
    assert snap.root is not None and snap.account.id == "123456789012"


def test_sources_not_given_are_absent(tmp_path: Path) -> None:
    """Only the credential report was given: every other source is absent, never ok."""
    source = tmp_path / "report.csv"
    source.write_text(REPORT)
    snap = save(tmp_path, importer.ImportFiles(source, collected_at=COLLECTED))
    assert snap.source("credential_report").ok
    assert snap.source("authorization_details").status is SourceStatus.ABSENT
    assert snap.source("password_policy").status is SourceStatus.ABSENT


def test_contacts_and_identity_sources_are_not_supplied_so_their_checks_are_unknown(
    tmp_path: Path,
) -> None:
    """An import has no alternate contacts, identity providers or Identity Center: the three
    sources are absent ("not supplied to import") and both checks are UNKNOWN, never PASS."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.findings import Status
    from reportgen.evaluate.profiles import load_profile
    from reportgen.evaluate.run import evaluate

    source = tmp_path / "report.csv"
    source.write_text(REPORT)
    snap = save(tmp_path, importer.ImportFiles(source, collected_at=COLLECTED))
    for name in ("alternate_contacts", "identity_providers", "identity_center"):
        assert snap.source(name).status is SourceStatus.ABSENT
        assert snap.source(name).message == "not supplied to import"
    catalogue = load_catalogue()
    cis = load_profile("cis-v5", catalogue)
    found = {f.check_id: f for f in evaluate(snap, cis, catalogue=catalogue).findings}
    for check, source_name in (
        ("security_contact_registered", "alternate_contacts"),
        ("central_identity", "identity_providers"),
    ):
        assert found[check].status is Status.UNKNOWN
        assert found[check].evidence["source"] == source_name
        assert found[check].evidence["reason"] == "source_absent"


def test_optional_files_are_read(tmp_path: Path) -> None:
    """Password policy and account summary in the CLI's JSON shape are taken in."""
    report = tmp_path / "report.csv"
    report.write_text(REPORT)
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"PasswordPolicy": {"MinimumPasswordLength": 14}}))
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"SummaryMap": {"AccountMFAEnabled": 1}}))
    snap = save(
        tmp_path,
        importer.ImportFiles(
            report, password_policy=policy, account_summary=summary, collected_at=COLLECTED
        ),
    )
    assert snap.password_policy is not None and snap.password_policy.minimum_length == 14
    assert snap.account_summary == {"AccountMFAEnabled": 1}


def test_a_wrong_file_in_a_slot_is_rejected(tmp_path: Path) -> None:
    """A file that is not what its option expects gives an InputError naming it."""
    report = tmp_path / "report.csv"
    report.write_text(REPORT)
    with pytest.raises(InputError, match="not valid JSON"):
        importer.build_document(
            importer.ImportFiles(report, password_policy=report, collected_at=COLLECTED)
        )


def test_an_empty_credential_report_is_one_japanese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reportgen --lang ja import` of an empty report: file, line and reason in Japanese."""
    from tests.runcli import run

    empty = tmp_path / "report.csv"
    empty.write_text("\n", encoding="utf-8")
    out = tmp_path / "s.json"
    args = ["import", "--credential-report", empty, "--collected-at", "2026-11-27", "-o", out]
    code, stdout, err = run(capsys, "--lang", "ja", *args)
    assert (code, stdout) == (2, "")
    assert err.splitlines() == [f"reportgen：エラー：{empty}：1行目：認証情報レポートが空です。"]
    code, _, err = run(capsys, "--lang", "en", *args)
    assert err.splitlines() == [
        f"reportgen: error: {empty}: line 1: the credential report is empty"
    ]
    assert not out.exists()


def test_a_wrong_password_policy_file_is_one_japanese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An --password-policy file that is other JSON is named in Japanese, exit 2, no traceback."""
    from tests.runcli import run

    report = tmp_path / "report.csv"
    report.write_text(REPORT, encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text("{}", encoding="utf-8")
    code, stdout, err = run(
        capsys,
        "--lang",
        "ja",
        "import",
        "--credential-report",
        report,
        "--password-policy",
        policy,
        "--collected-at",
        "2026-11-27",
        "-o",
        tmp_path / "s.json",
    )
    assert (code, stdout) == (2, "")
    assert err.splitlines() == [
        f"reportgen：エラー：{policy}：`aws iam get-account-password-policy` の出力ではありません。"
    ]
