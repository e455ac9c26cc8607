"""ec2_instance_roles: instances get AWS access from a role; a gap needs review, never PASS."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Finding, Section, Severity, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import Role, SourceStatus
from tests.evaluate.conftest import run
from tests.factories import (
    ACCOUNT,
    attached,
    make_coverage,
    make_ec2_instance,
    make_role,
    make_snapshot,
)

CHECK = "ec2_instance_roles"
PROFILE_ARN = f"arn:aws:iam::{ACCOUNT}:instance-profile/web"
WEB_ROLE = make_role("web-role", (attached("AmazonS3ReadOnlyAccess"),))


def with_profile(role_profiles: tuple[str, ...] = (PROFILE_ARN,)) -> Role:
    """The web role, holding the given instance profiles."""
    return replace(WEB_ROLE, instance_profiles=role_profiles)


def verdicts(**snapshot: Any) -> dict[str, tuple[Status, str | None]]:
    """resource id -> (status, reason) of the rule's results."""
    results = run(CHECK, make_snapshot(**snapshot))
    return {r.resource_id: (r.status, r.evidence.get("reason")) for r in results}


@pytest.mark.parametrize(
    ("instance", "roles", "expected"),
    [
        (make_ec2_instance(), (with_profile(),), (Status.PASS, None)),
        (
            make_ec2_instance(profile=None),
            (with_profile(),),
            (Status.UNKNOWN, "needs_review_no_instance_role"),
        ),
        (
            make_ec2_instance(),
            (with_profile(()),),
            (Status.UNKNOWN, "needs_review_profile_without_role"),
        ),
        (make_ec2_instance(state="stopped"), (with_profile(),), (Status.PASS, None)),
        (
            make_ec2_instance(state="stopped", profile=None),
            (),
            (Status.UNKNOWN, "needs_review_no_instance_role"),
        ),
    ],
    ids=["role", "no-profile", "profile-without-role", "stopped-with-role", "stopped-no-profile"],
)
def test_each_instance(instance: Any, roles: Any, expected: tuple[Status, str | None]) -> None:
    """With a role through its profile: PASS; no profile, or a profile holding no role: needs
    review (UNKNOWN), never FAIL and never PASS; stopped instances are judged too."""
    found = verdicts(instances=(instance,), roles=roles)
    assert found == {instance.arn: expected}


def test_pass_names_the_profile_and_the_role() -> None:
    """The evidence says which profile and which role, for the message and the report."""
    instance = make_ec2_instance("web-1")
    (result,) = run(CHECK, make_snapshot(instances=(instance,), roles=(with_profile(),)))
    assert result.resource_type == "instance" and result.resource_name == "web-1"
    assert {k: result.evidence[k] for k in ("instance", "region", "profile", "role")} == {
        "instance": instance.id,
        "region": "ap-northeast-1",
        "profile": "web",
        "role": "web-role",
    }


def test_no_instance_in_any_enabled_region_is_not_applicable() -> None:
    """Every enabled region read and no live instance: one N/A for the account."""
    coverage = make_coverage(
        read=("ap-northeast-1", "us-east-1"), enabled=("ap-northeast-1", "us-east-1")
    )
    found = verdicts(instances=(), instance_regions=coverage)
    assert found == {ACCOUNT: (Status.NOT_APPLICABLE, None)}


def test_a_region_not_read_is_unknown_and_rules_out_not_applicable() -> None:
    """An enabled region whose read failed, or that was left out (--only-region), is UNKNOWN on
    its own; without instances elsewhere there is no N/A, since that region may have some."""
    coverage = make_coverage(
        read=("ap-northeast-1",),
        enabled=("ap-northeast-1", "eu-west-1", "us-east-1"),
        failed={"eu-west-1": "DescribeInstances: UnauthorizedOperation: denied by SCP"},
    )
    found = verdicts(instances=(), instance_regions=coverage)
    assert found == {
        "eu-west-1": (Status.UNKNOWN, "region_read_failed"),
        "us-east-1": (Status.UNKNOWN, "region_left_out"),
    }


def test_unknown_enabled_regions_leave_the_account_unknown() -> None:
    """Without the list of enabled regions, instances found are judged, and the account is
    UNKNOWN: regions not read may hold instances."""
    instance = make_ec2_instance()
    coverage = make_coverage(enabled=None, enabled_error="DescribeRegions: AccessDenied: no")
    found = verdicts(instances=(instance,), roles=(with_profile(),), instance_regions=coverage)
    assert found == {
        instance.arn: (Status.PASS, None),
        ACCOUNT: (Status.UNKNOWN, "enabled_regions_unknown"),
    }


@pytest.mark.parametrize("source", ["ec2_instances", "authorization_details"])
@pytest.mark.parametrize("status", ["denied", "absent", "error"])
def test_a_source_missing_is_one_unknown(source: str, status: str) -> None:
    """ec2:DescribeInstances denied (or an import without it), or the authorization details
    that say which role a profile holds: one UNKNOWN for the account naming that source."""
    catalogue = load_catalogue()
    instances = (make_ec2_instance(), make_ec2_instance("batch", profile=None))
    snapshot = make_snapshot(
        source_status={source: status}, instances=instances, roles=(with_profile(),)
    )
    result = evaluate(snapshot, all_checks(catalogue), catalogue=catalogue)
    (found,) = [f for f in result.findings if f.check_id == CHECK]
    assert found.status is Status.UNKNOWN and found.resource_type == "account"
    assert (found.evidence["source"], found.evidence["reason"]) == (source, f"source_{status}")
    assert SourceStatus(status) is not SourceStatus.OK


def test_principal_gaps_add_no_instance_findings() -> None:
    """The evaluator's net for principals missing from the authorization details adds UNKNOWNs
    to principal checks only: the instance check keeps its own findings."""
    catalogue = load_catalogue()
    gaps = {f"arn:aws:iam::{ACCOUNT}:user/ghost": "user_not_in_details"}
    snapshot = make_snapshot(
        instances=(make_ec2_instance(),), roles=(with_profile(),), principal_gaps=gaps
    )
    result = evaluate(snapshot, all_checks(catalogue), catalogue=catalogue)
    found = [f for f in result.findings if f.check_id == CHECK]
    assert [(f.status, f.resource_type) for f in found] == [(Status.PASS, "instance")]


def finding(status: Status, resource_type: str, **evidence: Any) -> Finding:
    blank = dict.fromkeys(("instance", "name", "region", "state", "profile", "role", "count"))
    return Finding(
        CHECK,
        Section.ACCESS_KEYS,
        Severity.MEDIUM,
        status,
        resource_type,
        "x",
        "x",
        {
            **blank,
            "source": "ec2_instances",
            "source_status": "ok",
            "source_message": None,
            **evidence,
        },
    )


@pytest.mark.parametrize(
    ("reason", "extra", "ja", "en"),
    [
        (
            "needs_review_no_instance_role",
            {"instance": "i-0abc", "region": "ap-northeast-3"},
            "要確認：EC2 インスタンス i-0abc（ap-northeast-3）には IAM ロール",
            "needs review: EC2 instance i-0abc (ap-northeast-3) has no IAM role",
        ),
        (
            "needs_review_profile_without_role",
            {"instance": "i-0abc", "region": "ap-northeast-1", "profile": "web"},
            "インスタンスプロファイル web が関連付けられているが",
            "has the instance profile web, but the profile holds no IAM role",
        ),
        (
            "region_read_failed",
            {
                "region": "eu-west-1",
                "source_message": "DescribeInstances: UnauthorizedOperation: x",
            },
            "EC2 インスタンスを読み取れなかった（DescribeInstances: UnauthorizedOperation: x）",
            "could not be read (DescribeInstances: UnauthorizedOperation: x)",
        ),
        (
            "enabled_regions_unknown",
            {"source_message": "DescribeRegions listed no region", "count": 1},
            "DescribeRegions が返したリージョンはなかった",
            "were not listed (DescribeRegions listed no region)",
        ),
    ],
)
def test_review_and_region_messages_read_in_both_languages(
    reason: str, extra: dict[str, Any], ja: str, en: str
) -> None:
    """A review item is its own message; a region gap is the common UNKNOWN message with the
    reason, our own notes in the reader's language."""
    catalogue = load_catalogue()
    found = finding(Status.UNKNOWN, "instance", reason=reason, **extra)
    assert ja in catalogue.message(found, "ja")
    assert en in catalogue.message(found, "en")
