"""Redaction: nothing identifying survives, the copy evaluates the same, pseudonyms are stable."""

from __future__ import annotations

import json
import re
import stat
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

from reportgen.snapshot import document as snapshot
from reportgen.snapshot.redact import (
    Pseudonyms,
    load_key,
    redact_credential_report,
    redact_document,
    redact_policy_document,
)
from tests.hardening.accounts import (
    ACCOUNT_ID,
    PARTNER_ACCOUNT,
    Q1,
    Q2,
    SECRET_NAMES,
    collected,
    company,
)
from tests.hardening.cli_run import assert_one_line_error, in_process

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


@pytest.fixture(scope="module")
def q1() -> dict[str, Any]:
    return collected(company(), Q1)


@pytest.fixture(scope="module")
def q2() -> dict[str, Any]:
    return collected(company(extra_user=True), Q2)


@pytest.fixture(scope="module")
def redacted(q1: dict[str, Any]) -> dict[str, Any]:
    return redact_document(q1, KEY)


def text_of(document: dict[str, Any]) -> str:
    return snapshot.dumps(document).decode("utf-8")


def user_names(document: dict[str, Any]) -> list[str]:
    return [u["UserName"] for u in document["data"]["authorization_details"]["UserDetailList"]]


def test_the_redacted_snapshot_loads_with_the_same_shape(
    q1: dict[str, Any], redacted: dict[str, Any]
) -> None:
    """Same counts of every kind of thing, same dates and flags, and it passes the schema."""
    before = snapshot.loads(snapshot.dumps(q1))
    after = snapshot.loads(snapshot.dumps(redacted))
    for field in ("users", "groups", "roles", "policies", "trails", "server_certificates"):
        assert len(getattr(after, field)) == len(getattr(before, field)), field
    assert after.collected_at == before.collected_at
    assert after.sources == before.sources
    assert sorted(u.create_date for u in after.users if u.create_date) == sorted(
        u.create_date for u in before.users if u.create_date
    )
    assert before.root is not None
    assert after.root == replace(before.root, arn=f"arn:aws:iam::{after.account.id}:root")
    assert after.password_policy == before.password_policy
    assert after.account_summary == before.account_summary
    assert after.account.id != before.account.id and re.fullmatch(r"[0-9]{12}", after.account.id)


def test_no_original_name_arn_or_account_id_remains(
    q1: dict[str, Any], redacted: dict[str, Any]
) -> None:
    """Not one company name, customer ARN, unique id or account id is left in the bytes."""
    original, text = text_of(q1), text_of(redacted)
    customer_arns = {
        arn for arn in re.findall(r"arn:aws:[a-z0-9-]*:[a-z0-9-]*:[0-9]{12}:[^\s\",]+", original)
    }
    details = q1["data"]["authorization_details"]
    entries = [e for part in details.values() for e in part if ":iam::aws:" not in e["Arn"]]
    id_keys = ("UserId", "GroupId", "RoleId", "PolicyId")
    unique_ids = {e[k] for e in entries for k in id_keys if k in e}  # AWS managed ids are public
    assert customer_arns and unique_ids
    for secret in (*SECRET_NAMES, ACCOUNT_ID, PARTNER_ACCOUNT, *customer_arns, *unique_ids):
        assert secret not in text, secret


def test_contacts_and_identity_sources_are_replaced(
    q1: dict[str, Any], redacted: dict[str, Any]
) -> None:
    """Contacts keep their types and their shape but no name, title, address or number; the
    Identity Center store id (the access portal's host name) and instance ARN are replaced;
    the redacted copy still says which contact types are registered."""
    original = q1["data"]["identity_center"]["instances"][0]
    text = text_of(redacted)
    assert original["IdentityStoreId"] not in text and original["InstanceArn"] not in text
    contacts = redacted["data"]["alternate_contacts"]["contacts"]
    assert sorted(k for k, v in contacts.items() if v) == ["BILLING", "SECURITY"]
    assert contacts["OPERATIONS"] is None
    security = contacts["SECURITY"]
    assert security["AlternateContactType"] == "SECURITY"
    assert [
        security[k].split("-")[0] for k in ("Name", "Title", "EmailAddress", "PhoneNumber")
    ] == [
        "person",
        "title",
        "email",
        "phone",
    ]
    loaded = snapshot.loads(snapshot.dumps(redacted))
    assert [p.kind for p in loaded.identity_providers] == ["saml"]
    assert len(loaded.identity_center_instances) == 1


def test_public_ci_oidc_issuers_stay_so_central_identity_judges_alike() -> None:
    """GitHub Actions' OIDC issuer is the same in every account and is not a people's identity
    source: it stays, the company's own issuer is replaced, and an EKS issuer keeps its AWS
    host with the cluster id replaced."""
    names = Pseudonyms(KEY, ACCOUNT_ID)
    prefix = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/"
    github = names.arn(prefix + "token.actions.githubusercontent.com")
    assert github.endswith(":oidc-provider/token.actions.githubusercontent.com")
    assert "login.acme-corp.example" not in names.arn(prefix + "login.acme-corp.example")
    eks = names.arn(prefix + "oidc.eks.ap-northeast-1.amazonaws.com/id/ABCDEF0123456789")
    assert "/oidc.eks.ap-northeast-1.amazonaws.com/id/idp-" in eks and "ABCDEF" not in eks


def test_public_aws_names_and_sentinels_stay(redacted: dict[str, Any]) -> None:
    """AWS managed policies, the root MFA device and report sentinels are kept for the checks."""
    text = text_of(redacted)
    for kept in (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        '"PolicyName": "AdministratorAccess"',
        ":mfa/root-account-mfa-device",
        "<root_account>",
        ",N/A,",
        "iam:ChangePassword",
    ):
        assert kept in text, kept


def test_the_redacted_copy_evaluates_to_the_same_statuses_and_scores(
    q1: dict[str, Any], redacted: dict[str, Any]
) -> None:
    """Every check gives the same statuses (per check) and the same section and overall scores."""
    from reportgen.evaluate import run as evaluate

    before = evaluate.evaluate(snapshot.loads(snapshot.dumps(q1)))
    after = evaluate.evaluate(snapshot.loads(snapshot.dumps(redacted)))

    def statuses(assessment: Any) -> Counter[tuple[str, str]]:
        return Counter((f.check_id, f.status.name) for f in assessment.findings)

    assert statuses(after) == statuses(before)
    assert after.overall == before.overall
    assert after.sections == before.sections
    assert {f.status.name for f in before.findings} >= {"PASS", "FAIL"}


def test_the_same_key_gives_the_same_pseudonyms_across_quarters(
    q1: dict[str, Any], q2: dict[str, Any]
) -> None:
    """Two snapshots, one key: shared names map alike, so quarters can still be compared."""
    first, second = redact_document(q1, KEY), redact_document(q2, KEY)
    assert first["account"]["id"] == second["account"]["id"]
    assert set(user_names(first)) < set(user_names(second))
    assert len(user_names(second)) == len(user_names(first)) + 1
    other = redact_document(q1, OTHER_KEY)
    assert not set(user_names(other)) & set(user_names(first))


def test_redaction_is_deterministic_and_leaves_the_input_alone(q1: dict[str, Any]) -> None:
    """Same input and key: identical bytes; the original document is not modified."""
    before = text_of(q1)
    assert text_of(redact_document(q1, KEY)) == text_of(redact_document(q1, KEY))
    assert text_of(q1) == before


def test_credential_report_and_details_agree(redacted: dict[str, Any]) -> None:
    """The CSV's user/arn columns use the same pseudonyms as the authorization details."""
    loaded = snapshot.loads(snapshot.dumps(redacted))
    assert loaded.credential_report is not None
    csv_arns = {row.arn for row in loaded.credential_report.rows}
    detail_arns = {u["Arn"] for u in redacted["data"]["authorization_details"]["UserDetailList"]}
    assert csv_arns == detail_arns
    assert all(u.credentials is not None for u in loaded.users if u.name != "collector")


@pytest.mark.parametrize(
    "report",
    [
        "user,arn,x\n<root_account>,arn:aws:iam::123456789012:root,1\nbob,arn:aws:iam::123456789012:user/bob,2\n",
        "\ufeffuser,arn,x\r\nbob,arn:aws:iam::123456789012:user/bob,2\r\n",
        "user,arn,x\nbob,arn:aws:iam::123456789012:user/bob,2",
    ],
    ids=["lf", "bom-crlf", "no-final-newline"],
)
def test_the_report_csv_keeps_bom_line_ends_and_root(report: str) -> None:
    """Only names and ARNs change: BOM, CRLF, the final newline and `<root_account>` stay."""
    names = Pseudonyms(KEY)
    out = redact_credential_report(names, report)
    assert out.startswith("\ufeff") == report.startswith("\ufeff")
    assert out.count("\r\n") == report.count("\r\n")
    assert out.endswith("\n") == report.endswith("\n")
    assert ("<root_account>" in out) == ("<root_account>" in report)
    assert "bob" not in out and "123456789012" not in out
    assert f"{names.name('user', 'bob')},arn:aws:iam::{names.account(ACCOUNT_ID)}:user/" in out


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:iam::123456789012:root", "arn:aws:iam::{acct}:root"),
        ("arn:aws:iam::123456789012:user/keiri/tanaka", "arn:aws:iam::{acct}:user/keiri/{user}"),
        ("arn:aws:iam::123456789012:user/dev-*", "arn:aws:iam::{acct}:user/{dev}*"),
        ("arn:aws:iam::123456789012:user/*", "arn:aws:iam::{acct}:user/*"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        (
            "arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
            "arn:aws:iam::{acct}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
        ),
        (
            "arn:aws:sts::123456789012:assumed-role/Ops/tanaka",
            "arn:aws:sts::{acct}:assumed-role/{ops}/{session}",
        ),
        ("arn:aws:s3:::acme-logs/AWSLogs/*", "arn:aws:s3:::{bucket}/{awslogs}/*"),
        ("arn:aws:s3:::*", "arn:aws:s3:::*"),
        ("*", "*"),
    ],
)
def test_arns_keep_their_shape(arn: str, expected: str) -> None:
    """Account ids and names are replaced inside ARNs; types, paths and wildcards stay."""
    names = Pseudonyms(KEY)
    wanted = expected.format(
        acct=names.account(ACCOUNT_ID),
        user=names.name("user", "tanaka"),
        dev=names.name("user", "dev-"),
        ops=names.name("role", "Ops"),
        session=names.name("session", "tanaka"),
        bucket=names.name("bucket", "acme-logs"),
        awslogs=names.name("object", "AWSLogs"),
    )
    assert names.value(arn) == wanted


def test_pseudonyms_are_readable_and_typed() -> None:
    """``user-`` + 10 hex digits, 12-digit account ids, and the same kind of name in trail
    names and trail ARNs maps alike."""
    names = Pseudonyms(KEY)
    assert re.fullmatch(r"user-[0-9a-f]{10}", names.name("user", "tanaka.hiroshi"))
    assert re.fullmatch(r"[0-9]{12}", names.account(ACCOUNT_ID))
    trail = names.name("trail", "acme-org-trail")
    assert names.value(
        "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/acme-org-trail"
    ).endswith(f":trail/{trail}")


def test_policy_documents_keep_actions_and_lose_identifiers() -> None:
    """Resource, Principal and Condition lose ARNs, accounts and names; Action, Effect and
    wildcards stay; a URL-encoded document stays URL-encoded."""
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PayrollAccess",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": ["arn:aws:s3:::acme-payroll/*", "*"],
                "Principal": {"AWS": [PARTNER_ACCOUNT, "arn:aws:iam::210987654321:root"]},
                "Condition": {
                    "StringEquals": {"aws:username": "tanaka", "sts:ExternalId": "acme-secret"},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                },
            }
        ],
    }
    names = Pseudonyms(KEY)
    out = redact_policy_document(names, document)
    text = json.dumps(out)
    for gone in ("acme-payroll", PARTNER_ACCOUNT, "tanaka", "acme-secret", "PayrollAccess"):
        assert gone not in text
    statement = out["Statement"][0]
    assert statement["Action"] == ["s3:GetObject"] and statement["Effect"] == "Allow"
    assert statement["Resource"][1] == "*"
    assert statement["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
    assert statement["Principal"]["AWS"][0] == names.account(PARTNER_ACCOUNT)
    encoded = redact_policy_document(names, quote(json.dumps(document)))
    assert isinstance(encoded, str) and json.loads(unquote(encoded)) == out


def test_tag_keys_stay_and_values_change(redacted: dict[str, Any]) -> None:
    """Tag keys are a fixed vocabulary (kept); their values name people and projects (replaced)."""
    user = next(
        u for u in redacted["data"]["authorization_details"]["UserDetailList"] if u.get("Tags")
    )
    assert [t["Key"] for t in user["Tags"]] == ["Department", "Owner"]
    assert all(t["Value"].startswith("tag-") for t in user["Tags"])


# --- the CLI -------------------------------------------------------------------------------


@pytest.fixture
def snapshot_file(q1: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "q1.json"
    snapshot.save(q1, path)
    return path


def test_cli_with_a_key_file_creates_it_private_and_reuses_it(
    snapshot_file: Path, q2: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--key-file is created with mode 0600 on first use; the next quarter reuses it."""
    key = tmp_path / "redact.key"
    out1, out2 = tmp_path / "r1.json", tmp_path / "r2.json"
    outcome = in_process(
        capsys, "redact", str(snapshot_file), "-o", str(out1), "--key-file", str(key)
    )
    assert outcome.code == 0, outcome.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "new key created" in outcome.stderr
    second = tmp_path / "q2.json"
    snapshot.save(q2, second)
    outcome = in_process(capsys, "redact", str(second), "-o", str(out2), "--key-file", str(key))
    assert outcome.code == 0 and "new key" not in outcome.stderr
    one, two = snapshot.load(out1), snapshot.load(out2)
    assert one.account.id == two.account.id
    assert {u.arn for u in one.users} < {u.arn for u in two.users}
    assert load_key(key) == (load_key(key)[0], False)


def test_cli_without_a_key_says_so_and_differs_per_run(
    snapshot_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --key-file: a one-off random key, announced on stderr; two runs do not match."""
    outs = [tmp_path / "a.json", tmp_path / "b.json"]
    for out in outs:
        outcome = in_process(capsys, "redact", str(snapshot_file), "-o", str(out))
        assert outcome.code == 0 and "one-off random key" in outcome.stderr
    assert snapshot.load(outs[0]).account.id != snapshot.load(outs[1]).account.id


def test_cli_refuses_to_overwrite_without_force(
    snapshot_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An existing output is kept (one line, exit 2) unless --force is given."""
    out = tmp_path / "out.json"
    out.write_text("keep me")
    assert_one_line_error(
        in_process(capsys, "redact", str(snapshot_file), "-o", str(out)), str(out), "--force"
    )
    assert out.read_text() == "keep me"
    outcome = in_process(capsys, "redact", str(snapshot_file), "-o", str(out), "--force")
    assert outcome.code == 0 and snapshot.load(out).account.id != ACCOUNT_ID


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"not hex at all\n", "not a reportgen key file"), (b"abcd\n", "key too short")],
)
def test_cli_rejects_a_bad_key_file(
    content: bytes,
    fragment: str,
    snapshot_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A key file that is not a key: one line naming it, exit 2, nothing written."""
    key = tmp_path / "bad.key"
    key.write_bytes(content)
    out = tmp_path / "out.json"
    outcome = in_process(
        capsys, "redact", str(snapshot_file), "-o", str(out), "--key-file", str(key)
    )
    assert_one_line_error(outcome, str(key), fragment)
    assert not out.exists()


def test_cli_missing_snapshot_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot path that does not exist: one line naming it, exit 2."""
    missing = tmp_path / "nope.json"
    outcome = in_process(capsys, "redact", str(missing), "-o", str(tmp_path / "o.json"))
    assert_one_line_error(outcome, str(missing), "cannot read snapshot")


def test_messages_use_the_same_pseudonyms_as_the_data() -> None:
    """An AccessDenied message names the same pseudonymous ARN and account as the data."""
    names = Pseudonyms(KEY)
    arn = f"arn:aws:iam::{ACCOUNT_ID}:user/collector"
    text = names.text(f"User: {arn} is not authorized (account {ACCOUNT_ID}).")
    assert names.value(arn) in text
    assert text.count(names.account(ACCOUNT_ID)) == 2 and ACCOUNT_ID not in text


def test_an_unreadable_report_is_refused_not_copied() -> None:
    """A report the csv module cannot read is a clean InputError, never passed through."""
    from reportgen.errors import InputError

    huge = "user,arn\n" + "a" * 200_000 + ",arn:aws:iam::123456789012:user/x\n"
    with pytest.raises(InputError, match="cannot be redacted"):
        redact_credential_report(Pseudonyms(KEY), huge)


@pytest.mark.parametrize(
    ("content", "japanese", "english"),
    [
        (
            b"not hex at all\n",
            "reportgen の鍵ファイルではありません（16進数のテキストのはずです）。",
            "not a reportgen key file (expected hex text)",
        ),
        (
            b"abcd\n",
            "鍵が短すぎます（2バイト。16バイト以上が必要です）。",
            "key too short (2 bytes, need at least 16)",
        ),
    ],
)
def test_a_bad_key_file_reads_in_japanese(
    content: bytes,
    japanese: str,
    english: str,
    snapshot_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`reportgen --lang ja redact --key-file BAD`: the refusal in Japanese, English unchanged."""
    from tests.runcli import run

    key = tmp_path / "bad.key"
    key.write_bytes(content)
    args = ["redact", snapshot_file, "-o", tmp_path / "out.json", "--key-file", key]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert (code, err.splitlines()) == (2, [f"reportgen：エラー：{key}：{japanese}"])
    code, _, err = run(capsys, "--lang", "en", *args)
    assert (code, err.splitlines()) == (2, [f"reportgen: error: {key}: {english}"])


def test_an_unreadable_report_is_refused_in_japanese() -> None:
    """The refusal to copy an unreadable credential report is keyed: Japanese for the CLI."""
    from reportgen.cli.i18n import error_text
    from reportgen.errors import InputError

    huge = "user,arn\n" + "a" * 200_000 + ",arn:aws:iam::123456789012:user/x\n"
    with pytest.raises(InputError) as refused:
        redact_credential_report(Pseudonyms(KEY), huge)
    japanese = error_text(refused.value, "ja")
    assert japanese.startswith("認証情報レポートを CSV として読み取れないため")


def test_a_snapshot_that_is_no_snapshot_reads_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON nested too deeply for a snapshot: one Japanese line, the English as before."""
    from tests.runcli import run

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    args = ["redact", deep, "-o", tmp_path / "out.json"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    japanese = "スナップショットではありません（JSON の入れ子が深すぎます）。"
    assert (code, err.splitlines()) == (2, [f"reportgen：エラー：{deep}：{japanese}"])
    code, _, err = run(capsys, "--lang", "en", *args)
    english = "not a snapshot (JSON nested too deeply)"
    assert err.splitlines() == [f"reportgen: error: {deep}: {english}"]
