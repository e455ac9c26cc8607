"""Organization collection: one snapshot per ACTIVE account, a manifest, failures recorded."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.retries import adaptive, standard
from click.testing import CliRunner
from moto import mock_aws
from moto.iam import models as iam_models
from moto.iam.models import iam_backends
from moto.server import ThreadedMotoServer
from moto.sts import models as sts_models
from moto.sts.exceptions import STSClientError

from reportgen.cli import cli
from reportgen.cli import collect_cmd as _registers_collect  # noqa: F401
from reportgen.collect.account import CollectOptions
from reportgen.collect.aws import MAX_RETRIES, request_counter
from reportgen.collect.organization import (
    AccountStatus,
    OrgOptions,
    OrgResult,
    collect_organization,
)
from reportgen.errors import CollectError, OutputExistsError
from reportgen.resources import package_file
from reportgen.sandbox import analyzer, regions
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.manifest import MANIFEST

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

ROLE = "ReportgenAudit"
TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
# Access Analyzer is read in one region: these tests are about accounts, not regions (moto
# enables about 35, each a client and a request per account).
COLLECT = CollectOptions(
    region="us-east-1",
    regions=("us-east-1",),
    sleep=lambda _s: None,
    clock=lambda: TODAY,
)


@dataclass(frozen=True)
class Org:
    """A moto organization: the management account plus members; ``no_role`` lacks the role."""

    id: str
    management: str
    members: tuple[str, ...]
    no_role: str | None

    @property
    def all(self) -> tuple[str, ...]:
        return (self.management, *self.members)


def add_role(account_id: str) -> None:
    iam_backends[account_id]["aws"].create_role(
        role_name=ROLE,
        assume_role_policy_document="{}",
        path="/",
        permissions_boundary=None,
        description="",
        tags=[],
        max_session_duration=None,
    )


def has_role(account_id: str, name: str) -> bool:
    return any(r.name == name for r in iam_backends[account_id]["aws"].roles.values())


def deny_missing_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make AssumeRole fail with AccessDenied when the target account has no such role.

    moto's AssumeRole succeeds for any ARN (it checks neither the role nor its trust
    policy), so the check real STS makes is added here, in moto's STS backend.
    """
    original = sts_models.STSBackend.assume_role

    def assume_role(self: Any, **kwargs: Any) -> Any:
        arn = kwargs["role_arn"]
        account_id, name = arn.split(":")[4], arn.split(":role/")[1]
        if not has_role(account_id, name):
            raise STSClientError(
                "AccessDenied",
                f"User is not authorized to perform: sts:AssumeRole on resource: {arn}",
            )
        return original(self, **kwargs)

    monkeypatch.setattr(sts_models.STSBackend, "assume_role", assume_role)


def build_org(members: int = 4, *, one_without_role: bool = True) -> Org:
    """Create the organization; every account gets its own users and (all but one) the role."""
    client = boto3.client("organizations", region_name="us-east-1")
    organization = client.create_organization(FeatureSet="ALL")["Organization"]
    created = tuple(
        client.create_account(AccountName=f"member-{n}", Email=f"m{n}@example.co.jp")[
            "CreateAccountStatus"
        ]["AccountId"]
        for n in range(members)
    )
    no_role = created[-1] if one_without_role else None
    org = Org(organization["Id"], organization["MasterAccountId"], created, no_role)
    for account_id in org.all:
        backend = iam_backends[account_id]["aws"]
        for n in range(2):
            backend.create_user(region_name="us-east-1", user_name=f"u{n}-{account_id}")
        if account_id != org.no_role:
            add_role(account_id)
    return org


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip botocore's back-off and adaptive pacing waits; retry decisions stay real."""
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda _self, _ctx: 0)
    monkeypatch.setattr(adaptive.ClientRateLimiter, "on_sending_request", lambda *_a, **_k: None)


@pytest.fixture
def org(monkeypatch: pytest.MonkeyPatch) -> Iterator[Org]:
    """Five accounts (management + 4 members); the last member has no role to assume."""
    with mock_aws():
        deny_missing_roles(monkeypatch)
        yield build_org()


@pytest.fixture
def small_org(monkeypatch: pytest.MonkeyPatch) -> Iterator[Org]:
    """Three accounts, all with the role (keeps the tests of options fast)."""
    with mock_aws():
        deny_missing_roles(monkeypatch)
        yield build_org(2, one_without_role=False)


def run(out: Path, **kwargs: Any) -> OrgResult:
    options = OrgOptions(role_name=ROLE, output_dir=out, collect=COLLECT, **kwargs)
    return collect_organization(boto3.Session(region_name="us-east-1"), options)


def test_one_snapshot_per_account_and_the_failure_in_the_manifest(org: Org, tmp_path: Path) -> None:
    """5 accounts, one without the role: 4 snapshots, and the manifest records the fifth."""
    result = run(tmp_path)
    ok = sorted(set(org.all) - {org.no_role})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{i}.json" for i in ok] + [MANIFEST]
    )
    manifest = json.loads((tmp_path / MANIFEST).read_text("utf-8"))
    assert manifest["schema"] == "reportgen.org-manifest/1"
    assert manifest["organization"]["id"] == org.id
    assert manifest["collected_at"] == "2026-10-01T09:00:00Z"
    assert manifest["summary"] == {"accounts": 5, "ok": 4, "failed": 1}
    entries = {e["id"]: e for e in manifest["accounts"]}
    assert [e["id"] for e in manifest["accounts"]] == sorted(org.all)
    failed = entries[org.no_role]
    assert failed["status"] == "failed" and failed["snapshot"] is None
    assert "AccessDenied" in failed["error"] and f"{org.no_role}:role/{ROLE}" in failed["error"]
    for account_id in ok:
        entry = entries[account_id]
        data = (tmp_path / entry["snapshot"]).read_bytes()
        assert entry["status"] == "ok" and entry["error"] is None
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert [a.id for a in result.failed] == [org.no_role]


def test_each_snapshot_holds_its_own_accounts_data(org: Org, tmp_path: Path) -> None:
    """Each snapshot comes from its account (assumed role) and lists only that account's users."""
    run(tmp_path)
    for account_id in set(org.all) - {org.no_role}:
        loaded = snapshot.load(tmp_path / f"{account_id}.json")
        assert loaded.account.id == account_id
        assert (loaded.collector.caller_arn or "").endswith(
            f":assumed-role/{ROLE}/reportgen-collector"
        )
        assert sorted(u.name for u in loaded.users) == [f"u0-{account_id}", f"u1-{account_id}"]
        assert loaded.collected_at == TODAY


@pytest.mark.parametrize(
    ("accounts", "exclude", "expected"),
    [
        (lambda o: (), lambda o: o.members[:1], lambda o: set(o.all) - set(o.members[:1])),
        (lambda o: o.members, lambda o: (), lambda o: set(o.members)),
        (lambda o: o.members, lambda o: o.members[:1], lambda o: set(o.members[1:])),
    ],
    ids=["exclude", "accounts", "accounts-minus-exclude"],
)
def test_accounts_and_exclude_choose_the_members(
    small_org: Org, tmp_path: Path, accounts: Any, exclude: Any, expected: Any
) -> None:
    """--accounts limits the run, --exclude removes accounts from it."""
    result = run(tmp_path, accounts=accounts(small_org), exclude=exclude(small_org))
    assert {a.id for a in result.accounts} == expected(small_org)
    assert not result.failed


def test_a_requested_account_outside_the_organization_is_a_failure(
    small_org: Org, tmp_path: Path
) -> None:
    """An id given to --accounts that is no ACTIVE member is recorded as failed, not skipped."""
    result = run(tmp_path, accounts=(small_org.members[0], "999999999999"))
    assert [(a.id, a.status) for a in result.accounts] == [
        (small_org.members[0], AccountStatus.OK),
        ("999999999999", AccountStatus.FAILED),
    ]
    assert "not an ACTIVE account" in (result.accounts[1].error or "")


def test_suspended_accounts_are_not_collected(small_org: Org, tmp_path: Path) -> None:
    """Only ACTIVE accounts are listed: a closed (SUSPENDED) account is left out."""
    closed = small_org.members[0]
    boto3.client("organizations", region_name="us-east-1").close_account(AccountId=closed)
    result = run(tmp_path)
    assert {a.id for a in result.accounts} == set(small_org.all) - {closed}
    assert not result.failed


def test_throttling_beyond_retries_fails_only_that_account(
    small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AssumeRole throttled on every attempt for one account: that account fails, others finish."""
    victim = small_org.members[0]
    original = sts_models.STSBackend.assume_role
    attempts: list[str] = []

    def throttled(self: Any, **kwargs: Any) -> Any:
        if f":{victim}:" in kwargs["role_arn"]:
            attempts.append(kwargs["role_arn"])
            raise STSClientError("Throttling", "Rate exceeded")
        return original(self, **kwargs)

    monkeypatch.setattr(sts_models.STSBackend, "assume_role", throttled)
    result = run(tmp_path)
    failed = {a.id: a.error or "" for a in result.failed}
    assert set(failed) == {victim}
    assert "Throttling" in failed[victim]
    assert len(attempts) == MAX_RETRIES + 1


def test_a_failing_collection_in_one_account_does_not_stop_the_others(
    small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A collector error in one account (identity probe refused) fails only that account."""
    victim = small_org.members[1]
    original = sts_models.STSBackend.get_caller_identity

    def refused(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.account_id == victim:
            raise STSClientError("InvalidClientTokenId", "The security token is invalid")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sts_models.STSBackend, "get_caller_identity", refused)
    result = run(tmp_path)
    assert {a.id for a in result.failed} == {victim}
    assert not (tmp_path / f"{victim}.json").exists()
    assert len(list(tmp_path.glob("*.json"))) == 3  # 2 snapshots + the manifest


def test_the_pool_never_runs_more_accounts_than_max_workers(
    small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --max-workers 2 at most two accounts are being collected at any moment."""
    original = iam_models.IAMBackend.get_account_summary
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def slow(self: Any) -> Any:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return original(self)

    monkeypatch.setattr(iam_models.IAMBackend, "get_account_summary", slow)
    run(tmp_path, max_workers=2)
    assert 1 <= state["peak"] <= 2


def test_an_existing_manifest_is_kept_without_overwrite(small_org: Org, tmp_path: Path) -> None:
    """A second run into the same folder is refused before any work unless overwrite is set."""
    run(tmp_path)
    before = (tmp_path / MANIFEST).read_bytes()
    with pytest.raises(OutputExistsError):
        run(tmp_path)
    assert (tmp_path / MANIFEST).read_bytes() == before
    assert not run(tmp_path, overwrite=True).failed


def test_credentials_outside_an_organization_are_a_collect_error(tmp_path: Path) -> None:
    """An account that is not in an organization stops with a one-line CollectError."""
    with mock_aws(), pytest.raises(CollectError, match="not in an AWS Organization"):
        run(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_organization_policy_covers_the_management_calls(
    small_org: Org, tmp_path: Path
) -> None:
    """`reportgen policy --organization` allows exactly what the management session calls
    (the SCP policy type enabled and a member in an OU, so that every read of a chain is made)."""
    orgs = boto3.client("organizations", region_name="us-east-1")
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ou = orgs.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]
    orgs.move_account(
        AccountId=small_org.members[0], SourceParentId=root, DestinationParentId=ou["Id"]
    )
    session = boto3.Session(region_name="us-east-1")
    counted = request_counter(session)
    collect_organization(session, OrgOptions(role_name=ROLE, output_dir=tmp_path, collect=COLLECT))
    prefix = {"organizations": "organizations", "sts": "sts", "iam": "iam"}
    called = {f"{prefix[k.split('.')[0]]}:{k.split('.')[1]}" for k in counted()}
    called.discard("sts:GetCallerIdentity")  # needs no permission (who answered the features)
    printed = CliRunner().invoke(cli, ["policy", "--organization", "--role-name", ROLE])
    assert printed.exit_code == 0, printed.output
    policy = json.loads(printed.output)
    allowed = {
        action
        for statement in policy["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else [])
        + (statement["Action"] if isinstance(statement["Action"], list) else [])
    }
    assert called == allowed
    assume = next(s for s in policy["Statement"] if s["Action"] == "sts:AssumeRole")
    assert assume["Resource"] == f"arn:aws:iam::*:role/{ROLE}"
    shipped = json.loads(package_file("collect", "organization-policy.json").read_text("utf-8"))
    assert len(shipped["Statement"]) == len(policy["Statement"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def org_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Org]]:
    """An organization in a moto server in this process; the CLI runs as a subprocess."""
    # Stock moto has no Access Analyzer: the server would answer 500 and botocore would
    # retry it with back-off in every account. The sandbox's emulation answers instead; its
    # DescribeRegions lists the 17 default regions (stock moto: 38, each read for instances).
    analyzer.install()
    regions.install()
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    deny_missing_roles(monkeypatch)
    try:
        yield endpoint, build_org()
    finally:
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(reset, timeout=10).close()  # the backends are process-wide
        server.stop()


def test_cli_writes_four_snapshots_and_exits_3(org_server: tuple[str, Org], tmp_path: Path) -> None:
    """`reportgen collect --organization`: 4 snapshots, a manifest, one line per account, exit 3."""
    endpoint, org = org_server
    out = tmp_path / "org"
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "collect", "--organization", "--role-name", ROLE,
         "--max-workers", "3", "--endpoint-url", endpoint, "--region", "us-east-1",
         "-o", str(out)],
        capture_output=True, text=True, env=dict(os.environ), timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("reportgen: error: 1 of 5 accounts failed")
    assert sorted(line.split()[0] for line in lines[:-1]) == sorted(org.all)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{i}.json" for i in set(org.all) - {org.no_role}] + [MANIFEST]
    )
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert [e["status"] for e in manifest["accounts"] if e["id"] == org.no_role] == ["failed"]
    assert "4 ok, 1 failed" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role-name", ROLE], "only apply with --organization"),
        (["--organization", "--role-name", ROLE, "--accounts", "12345"], "12-digit"),
    ],
)
def test_cli_refuses_inconsistent_organization_options(
    args: list[str], message: str, tmp_path: Path
) -> None:
    """Organization options are checked before any AWS call."""
    result = CliRunner().invoke(cli, ["collect", *args, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and message in result.output


def test_credentials_outside_an_organization_read_in_japanese(tmp_path: Path) -> None:
    """The refusal is keyed: the Japanese command line shows it in Japanese."""
    from reportgen.cli.i18n import error_text

    with mock_aws(), pytest.raises(CollectError) as refused:
        run(tmp_path)
    assert error_text(refused.value, "ja") == (
        "この認証情報のアカウントは、AWS Organizations の組織に属していません。"
        "--organization を付けずに収集してください。"
    )
