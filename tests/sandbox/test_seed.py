"""seed() writes a spec into moto so that every collector source reads it back, backdated."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from reportgen.errors import InputError
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import (
    AccountSpec,
    AnalyzerSpec,
    GroupSpec,
    InlinePolicySpec,
    KeySpec,
    PasswordPolicySpec,
    PolicySpec,
    RoleSpec,
    RootSpec,
    ServerCertificateSpec,
    TrailSpec,
    UserSpec,
)
from tests.sandbox.conftest import TODAY, report_rows

S3_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
SPEC = AccountSpec(
    users=(
        UserSpec(
            "tanaka.hiroshi",
            400,
            password=True,
            password_last_used_days=3,
            mfa_days=390,
            keys=(KeySpec(200, 1, "ec2", "ap-northeast-1"),),
            groups=("Developers",),
            managed_policies=("AdministratorAccess",),
            tags=(("team", "infra"),),
            inline_policies=(InlinePolicySpec("extra", S3_ALL),),
        ),
        UserSpec("svc-ci", 800, keys=(KeySpec(800), KeySpec(30, 2, active=False))),
    ),
    groups=(GroupSpec("Developers", age_days=900, managed_policies=("PowerUserAccess", "s3-all")),),
    policies=(PolicySpec("s3-all", S3_ALL, age_days=300),),
    roles=(RoleSpec("support-role", TRUST, managed_policies=("AWSSupportAccess",)),),
    root=RootSpec(2000, 5, keys=(KeySpec(900, 40, "s3", "us-east-1"),)),
    password_policy=PasswordPolicySpec(8, max_age_days=90),
    trails=(TrailSpec("tokyo-trail", "trail-bucket-x", multi_region=False, logging=False),),
    analyzers=(AnalyzerSpec("ap-northeast-1"),),
    server_certificates=(
        ServerCertificateSpec("old", 800, -30),
        ServerCertificateSpec("new", 10, 300),
    ),
    aliases=("sakura-shoji",),
)


@pytest.fixture
def seeded(iam: Any) -> Any:
    seed(SPEC, TODAY)
    return iam


def test_report_rows_carry_backdated_dates(seeded: Any) -> None:
    """Creation, password use, MFA and key dates are the spec's ages before today."""
    rows = report_rows(seeded)
    tanaka = rows["tanaka.hiroshi"]
    assert tanaka["user_creation_time"] == "2025-08-27T09:00:00+00:00"
    assert tanaka["password_last_used"] == "2026-09-28T09:00:00+00:00"
    assert tanaka["password_next_rotation"] == "2025-11-25T09:00:00+00:00"
    assert tanaka["mfa_active"] == "true"
    assert tanaka["access_key_1_last_rotated"] == "2026-03-15T09:00:00+00:00"
    assert (tanaka["access_key_1_last_used_region"], tanaka["access_key_1_last_used_service"]) == (
        "ap-northeast-1",
        "ec2",
    )
    svc = rows["svc-ci"]
    assert (svc["password_enabled"], svc["password_last_used"]) == ("false", "N/A")
    assert (svc["access_key_1_active"], svc["access_key_1_last_used_date"]) == ("true", "N/A")
    assert svc["access_key_2_active"] == "false"
    root = rows["<root_account>"]
    assert root["access_key_1_last_rotated"] == "2024-04-14T09:00:00+00:00"
    assert root["password_last_used"] == "2026-09-26T09:00:00+00:00"


def test_list_users_and_mfa_devices(seeded: Any) -> None:
    """ListUsers and ListVirtualMFADevices see the seeded users with backdated dates."""
    users = {u["UserName"]: u for u in seeded.list_users()["Users"]}
    assert set(users) == {"tanaka.hiroshi", "svc-ci"}
    assert users["svc-ci"]["CreateDate"] == datetime(2024, 7, 23, 9, 0, tzinfo=UTC)
    (device,) = seeded.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert device["User"]["UserName"] == "tanaka.hiroshi"
    assert device["EnableDate"] == datetime(2025, 9, 6, 9, 0, tzinfo=UTC)


def test_authorization_details_hold_policies_and_memberships(seeded: Any) -> None:
    """GAAD returns users, groups, roles and only the AWS managed policies in use, real ARNs."""
    details = seeded.get_account_authorization_details(
        Filter=["User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"]
    )
    tanaka = next(u for u in details["UserDetailList"] if u["UserName"] == "tanaka.hiroshi")
    assert tanaka["GroupList"] == ["Developers"]
    assert [p["PolicyName"] for p in tanaka["AttachedManagedPolicies"]] == ["AdministratorAccess"]
    assert [p["PolicyName"] for p in tanaka["UserPolicyList"]] == ["extra"]
    policies = {p["Arn"]: p for p in details["Policies"]}
    assert set(policies) == {
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/AWSSupportAccess",
        "arn:aws:iam::123456789012:policy/s3-all",
    }
    admin = policies["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert admin["AttachmentCount"] == 1
    (version,) = [v for v in admin["PolicyVersionList"] if v["IsDefaultVersion"]]
    assert version["VersionId"] == admin["DefaultVersionId"]
    assert version["Document"]["Statement"] == [{"Action": "*", "Effect": "Allow", "Resource": "*"}]
    (role,) = details["RoleDetailList"]
    assert role["AttachedManagedPolicies"][0]["PolicyName"] == "AWSSupportAccess"


def test_account_level_sources(seeded: Any) -> None:
    """Password policy, aliases, summary, certificates, trails and analyzers read back as seeded."""
    assert seeded.get_account_password_policy()["PasswordPolicy"]["MaxPasswordAge"] == 90
    assert seeded.list_account_aliases()["AccountAliases"] == ["sakura-shoji"]
    summary = seeded.get_account_summary()["SummaryMap"]
    assert (summary["AccountMFAEnabled"], summary["AccountAccessKeysPresent"]) == (0, 1)
    certs = {
        c["ServerCertificateName"]: c
        for c in seeded.list_server_certificates()["ServerCertificateMetadataList"]
    }
    assert certs["old"]["Expiration"] < TODAY < certs["new"]["Expiration"]
    trail = boto3.client("cloudtrail", region_name="ap-northeast-1")
    (described,) = trail.describe_trails()["trailList"]
    assert (described["IsMultiRegionTrail"], described["LogFileValidationEnabled"]) == (False, True)
    assert trail.get_trail_status(Name="tokyo-trail")["IsLogging"] is False
    selectors = trail.get_event_selectors(TrailName="tokyo-trail")["EventSelectors"]
    assert selectors[0]["ReadWriteType"] == "All"
    regions = {
        region: boto3.client("accessanalyzer", region_name=region).list_analyzers()["analyzers"]
        for region in ("ap-northeast-1", "ap-northeast-3")
    }
    assert [a["status"] for a in regions["ap-northeast-1"]] == ["ACTIVE"]
    assert regions["ap-northeast-3"] == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (AccountSpec(users=(UserSpec("a", 1, groups=("Nobody",)),)), "no group named Nobody"),
        (AccountSpec(users=(UserSpec("a", 1, managed_policies=("NoSuch",)),)), "no policy named"),
    ],
)
def test_dangling_references_are_refused(iam: Any, spec: AccountSpec, message: str) -> None:
    """A user in an unknown group or with an unknown policy is an input error."""
    with pytest.raises(InputError, match=message):
        seed(spec, TODAY)


def test_naive_today_is_refused(iam: Any) -> None:
    """today must be aware, so that ages cannot silently shift by a time zone."""
    with pytest.raises(InputError, match="aware"):
        seed(AccountSpec(), datetime(2026, 10, 1))
