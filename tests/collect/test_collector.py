"""The collector against moto: every source, its status, request counts and failure paths."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam import models as iam_models
from moto.iam.exceptions import IAMException
from moto.iam.models import iam_backends

from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import request_counter
from reportgen.errors import CollectError
from reportgen.resources import package_file
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import Src
from tests.collect.test_scp import CHAIN_ACTIONS

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

FAST = CollectOptions(sleep=lambda _s: None, region="us-east-1")


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def seed_users(count: int) -> None:
    """Bulk users with one access key each, written to moto's backend directly (fast)."""
    backend = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for n in range(count):
        backend.create_user(region_name="us-east-1", user_name=f"user{n:05d}")
        backend.create_access_key(f"user{n:05d}")


def inject(monkeypatch: pytest.MonkeyPatch, method: str, code: str, times: int = 10**6) -> None:
    """Make a moto IAM backend method fail with an AWS error code (``times`` times)."""
    original = getattr(iam_models.IAMBackend, method)
    calls = {"n": 0}

    class Failure(IAMException):
        pass

    Failure.code = code

    def failing(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise Failure(f"injected {code}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(iam_models.IAMBackend, method, failing)


def test_every_source_is_collected_and_the_document_validates(aws: None) -> None:
    """A healthy account gives status ok for every source and a schema-valid document."""
    seed_users(3)
    document = collect(boto3.Session(), FAST)
    statuses = {k: v["status"] for k, v in document["sources"].items()}
    assert statuses.pop(Src.ACCESS_ANALYZER.value) in ("ok", "error")  # moto may lack it
    assert set(statuses.values()) == {"ok"}
    snapshot.validate(json.loads(snapshot.dumps(document)))
    assert document["account"]["id"] == DEFAULT_ACCOUNT_ID


def test_no_password_policy_is_ok_with_null_data(aws: None) -> None:
    """NoSuchEntity means AWS confirms no policy: status ok, data null (not 'absent')."""
    document = collect(boto3.Session(), FAST)
    assert document["sources"]["password_policy"]["status"] == "ok"
    assert document["data"]["password_policy"] is None


def test_unset_max_password_age_is_not_a_zero_day_expiry(aws: None, tmp_path: Any) -> None:
    """moto's MaxPasswordAge 0 (AWS: field omitted) loads as 'no expiry'."""
    boto3.client("iam").update_account_password_policy(MinimumPasswordLength=12)
    path = tmp_path / "s.json"
    snapshot.save(collect(boto3.Session(), FAST), path)
    policy = snapshot.load(path).password_policy
    assert policy is not None and policy.minimum_length == 12
    assert policy.max_password_age is None


@pytest.mark.parametrize(
    ("method", "code", "source", "status"),
    [
        ("get_account_summary", "AccessDenied", Src.ACCOUNT_SUMMARY, "denied"),
        ("get_account_authorization_details", "AccessDenied", Src.AUTHORIZATION_DETAILS, "denied"),
        ("get_account_password_policy", "ServiceFailure", Src.PASSWORD_POLICY, "error"),
        ("list_account_aliases", "AccessDenied", Src.ACCOUNT_ALIASES, "denied"),
    ],
)
def test_a_failing_source_is_recorded_and_the_rest_completes(
    aws: None, monkeypatch: pytest.MonkeyPatch, method: str, code: str, source: Src, status: str
) -> None:
    """A denied or failing source gets its status and message; the run goes on."""
    monkeypatch.setattr("reportgen.collect.aws.MAX_RETRIES", 1)  # no back-off waits for 5xx
    inject(monkeypatch, method, code)
    document = collect(boto3.Session(), FAST)
    assert document["sources"][source.value]["status"] == status
    assert code in (document["sources"][source.value]["message"] or "")
    assert document["sources"][Src.CREDENTIAL_REPORT.value]["status"] == "ok"
    assert source.value not in document["data"]


def test_report_in_progress_is_polled_until_ready(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ReportInProgress from GetCredentialReport is waited out, then the report is read."""
    inject(monkeypatch, "get_credential_report", "ReportInProgress", times=2)
    document = collect(boto3.Session(), FAST)
    assert document["sources"]["credential_report"]["status"] == "ok"
    assert document["data"]["credential_report"]["content"].startswith("user,arn,")


def test_a_report_that_never_completes_is_an_error_after_the_bound(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll is bounded: a report stuck in progress becomes status error, not a hang."""
    inject(monkeypatch, "get_credential_report", "ReportInProgress")
    options = CollectOptions(sleep=lambda _s: None, report_timeout=0.2, region="us-east-1")
    document = collect(boto3.Session(), options)
    assert document["sources"]["credential_report"]["status"] == "error"
    assert "not ready" in document["sources"]["credential_report"]["message"]


def test_request_count_does_not_grow_with_users() -> None:
    """10 and 1,000 users cost the same requests (moto has one page); nothing per user. The
    regional sources cost one request (plus pages) per enabled region."""

    def count(users: int) -> tuple[dict[str, int], int]:
        seed_users(users)
        session = boto3.Session()
        counted: Callable[[], Any] = request_counter(session)
        document = collect(session, FAST)
        return dict(counted()), len(document["data"]["ec2_instances"]["enabled_regions"])

    with mock_aws():
        small, _ = count(10)
    with mock_aws():
        large, regions = count(1000)
    # ListAnalyzers runs once per enabled region (moto enables every default region); plain
    # moto has no Access Analyzer, so those calls fail and botocore's shared retry quota makes
    # their retries vary between runs. Everything else is counted exactly.
    per_region = "accessanalyzer.ListAnalyzers"
    small_rest = {k: v for k, v in small.items() if k != per_region}
    large_rest = {k: v for k, v in large.items() if k != per_region}
    assert small_rest == large_rest
    # DescribeInstances: one page per enabled region, read concurrently (grows with regions).
    assert large_rest.pop("ec2.DescribeInstances") == regions
    # 15 before the account sources; they add a fixed 6 (3 alternate contacts, the SAML and
    # OIDC provider lists, one ListInstances in the collection region); the organization's
    # root access features and, outside an organization, the SCP chain one each.
    assert sum(large_rest.values()) <= 23
    fixed = {
        "account.GetAlternateContact": 3,
        "iam.ListSAMLProviders": 1,
        "iam.ListOpenIDConnectProviders": 1,
        "sso-admin.ListInstances": 1,
        "organizations.DescribeOrganization": 1,
    }
    assert {k: large_rest.get(k) for k in fixed} == fixed
    assert large.get(per_region, 0) <= 3 * regions
    assert not any("User" in op and "Account" not in op for op in large)


def test_every_call_is_covered_by_the_shipped_policy(aws: None) -> None:
    """`reportgen policy` allows every operation the collector sends, and nothing more."""
    boto3.client("s3").create_bucket(Bucket="trail-bucket")
    boto3.client("cloudtrail").create_trail(Name="main-trail", S3BucketName="trail-bucket")
    session = boto3.Session()
    counted = request_counter(session)
    collect(session, FAST)
    prefix = {
        "iam": "iam",
        "sts": "sts",
        "cloudtrail": "cloudtrail",
        "accessanalyzer": "access-analyzer",
        "ec2": "ec2",
        "account": "account",
        "sso-admin": "sso",
        "organizations": "organizations",
    }
    called = {f"{prefix[k.split('.')[0]]}:{k.split('.')[1]}" for k in counted()}
    policy = json.loads(package_file("collect", "collector-policy.json").read_text())
    allowed = set(policy["Statement"][0]["Action"])
    assert called - {"sts:GetCallerIdentity"} <= allowed
    # no action the collector never uses; an account in no organization reads no SCP chain
    # (test_scp.py collects a delegated administrator with exactly this policy)
    assert allowed - CHAIN_ACTIONS <= called
    assert allowed >= CHAIN_ACTIONS
    assert all(a.split(":")[1][0].isupper() for a in allowed)
    assert policy["Statement"][0]["Resource"] == "*"


def test_no_credentials_is_a_collect_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without any credentials the collector stops with a one-line CollectError."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(CollectError, match="no AWS credentials"):
        collect(boto3.Session(), FAST)


def test_unreachable_endpoint_is_a_collect_error() -> None:
    """A closed port fails fast with a clear CollectError."""
    options = CollectOptions(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    with pytest.raises(CollectError, match="cannot reach"):
        collect(boto3.Session(), options)


def test_a_network_cut_mid_collection_aborts_the_run(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Losing the connection half-way raises CollectError instead of a partial snapshot."""
    from botocore.exceptions import EndpointConnectionError

    def cut(*_a: Any, **_k: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://iam.amazonaws.com/")

    monkeypatch.setattr(iam_models.IAMBackend, "get_account_summary", cut)
    monkeypatch.setattr("reportgen.collect.aws.MAX_RETRIES", 1)
    with pytest.raises(CollectError, match="lost the connection"):
        collect(boto3.Session(), FAST)


def test_mfa_seeds_are_never_stored(aws: None) -> None:
    """Virtual MFA secrets (seed, QR code) returned by the API are dropped."""
    boto3.client("iam").create_virtual_mfa_device(VirtualMFADeviceName="dev")
    document = collect(boto3.Session(), FAST)
    devices = document["data"]["virtual_mfa_devices"]
    assert devices and all("Base32StringSeed" not in d and "QRCodePNG" not in d for d in devices)


def test_access_analyzer_is_read_in_every_enabled_region(aws: None) -> None:
    """The collector lists the enabled regions (EC2 DescribeRegions) and reads each: an
    analyzer in every one passes CIS 1.19, one region without fails, and without the list of
    regions (DescribeRegions denied) the check is UNKNOWN with the reason."""
    from reportgen.evaluate.findings import Status
    from reportgen.evaluate.run import evaluate
    from reportgen.sandbox import fidelity
    from reportgen.snapshot import document as snapshots

    fidelity.install()
    enabled = boto3.client("ec2").describe_regions()["Regions"]
    names = sorted(r["RegionName"] for r in enabled)

    def verdict(session: boto3.Session | None = None) -> tuple[set[Status], dict[str, Any]]:
        document = collect(session or boto3.Session(), FAST)
        snap = snapshots.loads(snapshots.dumps(document))
        found = evaluate(snap).findings
        return {f.status for f in found if f.check_id == "access_analyzer_enabled"}, document

    for region in names:
        boto3.client("accessanalyzer", region_name=region).create_analyzer(
            analyzerName="account", type="ACCOUNT"
        )
    statuses, document = verdict()
    assert document["data"]["access_analyzer"]["enabled_regions"] == names
    assert sorted(document["data"]["access_analyzer"]["regions"]) == names
    assert statuses == {Status.PASS}
    boto3.client("accessanalyzer", region_name=names[-1]).delete_analyzer(analyzerName="account")
    assert Status.FAIL in verdict()[0]
    denied = boto3.Session()

    def refuse(**_: Any) -> None:
        error = {"Error": {"Code": "UnauthorizedOperation", "Message": "not allowed"}}
        raise ClientError(error, "DescribeRegions")

    denied.events.register("before-call.ec2.DescribeRegions", refuse)
    statuses, document = verdict(denied)
    assert statuses == {Status.UNKNOWN}
    assert "UnauthorizedOperation" in document["data"]["access_analyzer"]["enabled_regions_error"]


def test_only_the_sources_asked_for_are_read(aws: None) -> None:
    """With ``sources``, only those are requested (GetCallerIdentity always); every other
    source is recorded absent in the usual order, and the document loads."""
    seed_users(3)
    session = boto3.Session()
    counted = request_counter(session)
    asked = frozenset({Src.CREDENTIAL_REPORT, Src.PASSWORD_POLICY})
    document = collect(session, dataclasses.replace(FAST, sources=asked))
    assert set(counted()) == {
        "sts.GetCallerIdentity",
        "iam.GenerateCredentialReport",
        "iam.GetCredentialReport",
        "iam.GetAccountPasswordPolicy",
    }
    full = collect(boto3.Session(), FAST)
    assert list(document["sources"]) == list(full["sources"])
    statuses = {k: v["status"] for k, v in document["sources"].items()}
    wanted = {s.value for s in asked} | {Src.CALLER_IDENTITY.value}
    assert {k for k, v in statuses.items() if v == "ok"} == wanted
    assert {v for k, v in statuses.items() if k not in wanted} == {"absent"}
    assert set(document["data"]) == wanted
    loaded = snapshot.loads(snapshot.dumps(document))
    assert not loaded.source(Src.AUTHORIZATION_DETAILS).ok
