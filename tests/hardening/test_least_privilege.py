"""The shipped collector policy, enforced by moto: enough for every source, and each action needed.

moto's enforcement (moto-notes §4.4) shows that the listed actions with ``Resource: "*"``
cover every call and that a missing action is refused. It cannot prove that the policy is
minimal in real AWS, and it does not enforce Access Analyzer for us (see ``ANALYZER_NOTE``).
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core import enable_iam_authentication

from reportgen.cli import main
from reportgen.collect.account import CollectOptions, collect
from reportgen.resources import package_file
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import (
    AccountSpec,
    AnalyzerSpec,
    GroupSpec,
    KeySpec,
    PasswordPolicySpec,
    RootSpec,
    ServerCertificateSpec,
    TrailSpec,
    UserSpec,
)
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import Snapshot, SourceStatus, Src
from tests.collect.test_scp import CHAIN_ACTIONS

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

REGION = "us-east-1"
TODAY = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def printed_policy() -> dict[str, Any]:
    """The policy exactly as `reportgen policy` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["policy"])
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


POLICY = printed_policy()
ACTIONS: list[str] = POLICY["Statement"][0]["Action"]
ANALYZER_NOTE = (
    "moto has no ListAnalyzers (404, status error), and under enforcement moto's signature "
    "check rejects the sandbox's emulated Access Analyzer (403, status denied)"
)

# Each action of the policy and the source that loses its data without it.
SOURCE_OF = {
    "iam:GenerateCredentialReport": Src.CREDENTIAL_REPORT,
    "iam:GetCredentialReport": Src.CREDENTIAL_REPORT,
    "iam:GetAccountAuthorizationDetails": Src.AUTHORIZATION_DETAILS,
    "iam:GetAccountPasswordPolicy": Src.PASSWORD_POLICY,
    "iam:GetAccountSummary": Src.ACCOUNT_SUMMARY,
    "iam:ListVirtualMFADevices": Src.VIRTUAL_MFA_DEVICES,
    "iam:ListAccountAliases": Src.ACCOUNT_ALIASES,
    "iam:ListServerCertificates": Src.SERVER_CERTIFICATES,
    "cloudtrail:DescribeTrails": Src.CLOUDTRAIL,
    "access-analyzer:ListAnalyzers": Src.ACCESS_ANALYZER,
    "account:GetAlternateContact": Src.ALTERNATE_CONTACTS,
    "iam:ListSAMLProviders": Src.IDENTITY_PROVIDERS,
    "iam:ListOpenIDConnectProviders": Src.IDENTITY_PROVIDERS,
    "sso:ListInstances": Src.IDENTITY_CENTER,
    "ec2:DescribeInstances": Src.EC2_INSTANCES,
    "iam:ListOrganizationsFeatures": Src.ORGANIZATION_FEATURES,
    "organizations:DescribeOrganization": Src.SERVICE_CONTROL_POLICIES,
}
# The SCP chain's reads: this account is in no organization, so DescribeOrganization ends the
# source; tests/collect/test_scp.py removes each of them for a delegated administrator.
# Per-trail calls: the trail keeps its other data, the part is null with an error beside it.
# The enabled regions: without them Access Analyzer cannot stand for the account (UNKNOWN).
REGIONS_ACTION = "ec2:DescribeRegions"
TRAIL_PART_OF = {
    "cloudtrail:GetTrailStatus": ("Status", "StatusError"),
    "cloudtrail:GetEventSelectors": ("EventSelectors", "EventSelectorsError"),
}

ACCOUNT = AccountSpec(
    users=(
        UserSpec(
            "alice",
            age_days=400,
            password=True,
            password_last_used_days=2,
            mfa_days=300,
            keys=(KeySpec(age_days=30, last_used_days=1),),
            groups=("Developers",),
        ),
        UserSpec("bob", age_days=100, keys=(KeySpec(age_days=100),)),
    ),
    groups=(GroupSpec("Developers"),),
    root=RootSpec(mfa=True),
    password_policy=PasswordPolicySpec(minimum_length=14, reuse_prevention=24),
    trails=(TrailSpec("main-trail", "main-trail-logs", region=REGION),),
    analyzers=(AnalyzerSpec(REGION),),
    server_certificates=(ServerCertificateSpec("www-cert", age_days=100, expires_in_days=200),),
    aliases=("example-co",),
    regions=(REGION,),
)


def policy_without(action: str | None) -> str:
    """The shipped policy, with one action removed."""
    document = json.loads(json.dumps(POLICY))
    if action is not None:
        document["Statement"][0]["Action"].remove(action)
    return json.dumps(document)


def collect_as_collector(policy: str) -> dict[str, Any]:
    """Seed an account, give a `collector` user exactly ``policy`` and collect with its key,
    moto enforcing IAM permissions on every request of the collection."""
    with mock_aws():
        seed(ACCOUNT, TODAY)
        iam = boto3.client("iam", region_name=REGION)
        iam.create_user(UserName="collector")
        iam.put_user_policy(UserName="collector", PolicyName="reportgen", PolicyDocument=policy)
        key = iam.create_access_key(UserName="collector")["AccessKey"]
        session = boto3.Session(
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
            region_name=REGION,
        )
        options = CollectOptions(region=REGION, clock=lambda: TODAY, sleep=lambda _s: None)
        with enable_iam_authentication():
            document = collect(session, options)
    return document


def saved_and_loaded(document: dict[str, Any], folder: Path) -> Snapshot:
    path = folder / "snapshot.json"
    snapshot.save(document, path)
    return snapshot.load(path)


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    return collect_as_collector(policy_without(None))


def statuses(document: dict[str, Any]) -> dict[str, str]:
    return {name: info["status"] for name, info in document["sources"].items()}


def test_the_tables_name_every_action_of_the_policy() -> None:
    """Every action in `reportgen policy` is tested for removal, and nothing else; the printed
    policy is the shipped file."""
    assert json.loads(package_file("collect", "collector-policy.json").read_text("utf-8")) == POLICY
    assert set(SOURCE_OF) | set(TRAIL_PART_OF) | {REGIONS_ACTION} | CHAIN_ACTIONS == set(ACTIONS)


def test_the_shipped_policy_collects_every_source(full: dict[str, Any], tmp_path: Path) -> None:
    """With exactly the shipped policy every source is ok (Access Analyzer: see ANALYZER_NOTE)."""
    found = statuses(full)
    assert found.pop(Src.ACCESS_ANALYZER.value) in ("ok", "error", "denied"), ANALYZER_NOTE
    assert set(found) == {s.value for s in Src} - {Src.ACCESS_ANALYZER.value}
    assert set(found.values()) == {"ok"}
    assert full["collector"]["caller_arn"].endswith(":user/collector")
    trail = full["data"][Src.CLOUDTRAIL.value]["trails"][0]
    assert trail["Status"]["IsLogging"] is True and trail["EventSelectors"] is not None
    loaded = saved_and_loaded(full, tmp_path)
    assert [u.name for u in loaded.users] == ["alice", "bob", "collector"]
    assert loaded.password_policy is not None and loaded.root is not None


@pytest.mark.parametrize(("action", "source"), sorted(SOURCE_OF.items()))
def test_without_an_action_its_source_is_denied_and_the_rest_is_written(
    action: str, source: Src, full: dict[str, Any], tmp_path: Path
) -> None:
    """Removing one action: that source is `denied` with the operation named, its data is
    absent, every other source is as before, and the snapshot still saves and loads."""
    if source is Src.ACCESS_ANALYZER and statuses(full)[source.value] != "ok":
        pytest.skip(ANALYZER_NOTE)
    document = collect_as_collector(policy_without(action))
    info = document["sources"][source.value]
    assert info["status"] == "denied"
    assert action.split(":")[1] in (info["message"] or "")
    assert source.value not in document["data"]
    others = {k: v for k, v in statuses(document).items() if k != source.value}
    expected = {k: v for k, v in statuses(full).items() if k != source.value}
    assert others == expected
    loaded = saved_and_loaded(document, tmp_path)
    assert loaded.source(source.value).status is SourceStatus.DENIED


def test_without_describe_regions_access_analyzer_says_why(
    full: dict[str, Any], tmp_path: Path
) -> None:
    """ec2:DescribeRegions denied: every other source is as before, and Access Analyzer and EC2
    instances have no list of enabled regions but the refusal beside it, so their checks cannot
    pass (instances read in the collection region are judged, the account stays UNKNOWN)."""
    document = collect_as_collector(policy_without(REGIONS_ACTION))
    assert statuses(document) == statuses(full)
    section = document["data"].get(Src.ACCESS_ANALYZER.value)
    if section is not None:
        assert "enabled_regions" not in section
        assert "DescribeRegions" in section["enabled_regions_error"]
    instances = document["data"][Src.EC2_INSTANCES.value]
    assert list(instances["regions"]) == [REGION] and "enabled_regions" not in instances
    assert "DescribeRegions" in instances["enabled_regions_error"]
    loaded = saved_and_loaded(document, tmp_path)
    assert loaded.source(Src.ACCESS_ANALYZER.value).status is not SourceStatus.OK
    assert loaded.instance_regions is not None and loaded.instance_regions.enabled is None


@pytest.mark.parametrize(("action", "part"), sorted(TRAIL_PART_OF.items()))
def test_without_a_trail_call_that_part_is_null_and_says_why(
    action: str, part: tuple[str, str], full: dict[str, Any], tmp_path: Path
) -> None:
    """GetTrailStatus/GetEventSelectors denied: the trail is kept with that part null and the
    refusal recorded beside it, so the checks that need it are UNKNOWN, not PASS."""
    field, error_field = part
    document = collect_as_collector(policy_without(action))
    assert statuses(document)[Src.CLOUDTRAIL.value] == "ok"
    trail = document["data"][Src.CLOUDTRAIL.value]["trails"][0]
    assert trail[field] is None
    assert action.split(":")[1] in trail[error_field]
    loaded = saved_and_loaded(document, tmp_path)
    attribute = "is_logging" if field == "Status" else "management_events_all"
    assert getattr(loaded.trails[0], attribute) is None


def test_enforcement_is_really_on() -> None:
    """Sanity check of the harness: a policy with no actions gets every IAM source denied."""
    empty = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
        }
    )
    document = collect_as_collector(empty)
    denied = {k for k, v in statuses(document).items() if v == "denied"}
    assert {s.value for s in SOURCE_OF.values()} - {Src.ACCESS_ANALYZER.value} <= denied
