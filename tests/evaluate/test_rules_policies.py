"""Groups and least-privilege rules over the authorization details."""

from __future__ import annotations

import pytest

from reportgen.evaluate.findings import Status
from reportgen.snapshot.model import InlinePolicy
from tests.evaluate.conftest import only, run, statuses
from tests.factories import (
    allow,
    attached,
    make_analyzer,
    make_group,
    make_policy,
    make_role,
    make_snapshot,
    make_user,
)

ADMIN = make_policy("AdministratorAccess", allow("*", "*"), aws=True)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (make_user(), Status.PASS),
        (make_user(policies=[attached("ReadOnlyAccess")]), Status.FAIL),
        (make_user(inline=[InlinePolicy("mine", allow())]), Status.FAIL),
    ],
)
def test_user_no_direct_policies(user, expected: Status) -> None:
    """Managed or inline policies directly on a user fail."""
    assert only(run("user_no_direct_policies", make_snapshot(users=[user]))).status is expected


@pytest.mark.parametrize(
    ("groups", "expected"), [(("Developers",), Status.PASS), ((), Status.FAIL)]
)
def test_user_in_group(groups: tuple, expected: Status) -> None:
    """A user outside every group fails."""
    result = only(run("user_in_group", make_snapshot(users=[make_user(groups=groups)])))
    assert (result.status, result.evidence["group_count"]) == (expected, len(groups))


def test_no_full_admin_policy_judges_policies_in_use() -> None:
    """Attached admin policies fail, harmless ones pass, unattached ones are not judged."""
    snap = make_snapshot(
        users=[make_user(policies=[attached("AdministratorAccess")])],
        policies=(
            ADMIN,
            make_policy("Harmless"),
            make_policy("Idle", allow("*"), attachment_count=0),
        ),
        roles=(),
    )
    results = {r.resource_name: r.status for r in run("no_full_admin_policy", snap)}
    assert results == {"AdministratorAccess": Status.FAIL, "Harmless": Status.PASS}


def test_no_full_admin_policy_checks_inline_policies() -> None:
    """Inline policies of users, groups and roles are judged too."""
    group = make_group(inline_policies=(InlinePolicy("all", allow("*", "*")),))
    snap = make_snapshot(groups=(group,), policies=(), roles=())
    result = only(run("no_full_admin_policy", snap))
    assert result.status is Status.FAIL
    assert result.resource_id == f"{group.arn}#all"


def test_no_full_admin_policy_missing_document_is_unknown() -> None:
    """An attached policy whose document was not collected is UNKNOWN."""
    snap = make_snapshot(
        users=[make_user(policies=[attached("Mystery", aws=False)])], policies=(), roles=()
    )
    assert statuses(run("no_full_admin_policy", snap)) == [Status.UNKNOWN]


def test_no_service_wildcard_policy_skips_aws_managed() -> None:
    """Customer managed wildcards fail; AWS managed policies are not judged here."""
    snap = make_snapshot(
        policies=(
            make_policy("S3All", allow("s3:*")),
            make_policy("AmazonS3FullAccess", allow("s3:*"), aws=True),
        )
    )
    result = only(run("no_service_wildcard_policy", snap))
    assert (result.resource_name, result.status, result.evidence["actions"]) == (
        "S3All",
        Status.FAIL,
        "s3:*",
    )


READ_ONLY = make_policy("ReadOnlyAccess", allow(["s3:Get*", "ec2:Describe*"]), aws=True)
MY_ADMIN = make_policy("MyAdmin", allow("*", "*"))
MY_IAM = make_policy("PeopleTeam", allow(["IAM:*"], "*"))


@pytest.mark.parametrize(
    ("policies", "inline", "expected"),
    [
        ([], [], Status.PASS),
        ([attached("AdministratorAccess")], [], Status.FAIL),
        ([attached("IAMFullAccess")], [], Status.FAIL),
        ([attached("ReadOnlyAccess")], [], Status.PASS),
        # Powerful whatever the name: a home-made administrator policy, all of IAM, inline.
        ([attached("MyAdmin", aws=False)], [], Status.FAIL),
        ([attached("PeopleTeam", aws=False)], [], Status.FAIL),
        ([], [InlinePolicy("all", allow("*", "*"))], Status.FAIL),
        (
            [],
            [
                InlinePolicy(
                    "all", {"Statement": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}}
                )
            ],
            Status.FAIL,
        ),
        # Conditions do not excuse a grant of everything; its own Deny of everything does.
        (
            [],
            [
                InlinePolicy(
                    "mfa",
                    allow("*", "*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                )
            ],
            Status.FAIL,
        ),
        (
            [],
            [
                InlinePolicy(
                    "none",
                    {
                        "Statement": [
                            allow("*", "*")["Statement"][0],
                            {"Effect": "Deny", "Action": "*", "Resource": "*"},
                        ]
                    },
                )
            ],
            Status.PASS,
        ),
        # What cannot be read is not clean: a managed policy the snapshot lacks, a bad document.
        ([attached("Vanished", aws=False)], [], Status.UNKNOWN),
        (
            [],
            [InlinePolicy("bad", {"Statement": [{"Effect": "Perhaps", "Action": "*"}]})],
            Status.UNKNOWN,
        ),
        ([attached("Vanished", aws=False), attached("AdministratorAccess")], [], Status.FAIL),
    ],
)
def test_no_privileged_policy_on_user(policies: list, inline: list, expected: Status) -> None:
    """Named privileged policies, and any policy that alone is administrator-equivalent, must
    not be given directly to a user; an unreadable one makes the user UNKNOWN, not PASS."""
    snap = make_snapshot(
        users=[make_user(policies=policies, inline=inline)],
        policies=(make_policy(), READ_ONLY, MY_ADMIN, MY_IAM),
    )
    assert only(run("no_privileged_policy_on_user", snap)).status is expected


def test_privileged_policy_names_are_a_parameter() -> None:
    """policy_names decides which attachments fail."""
    snap = make_snapshot(users=[make_user(policies=[attached("ReadOnlyAccess")])])
    result = only(run("no_privileged_policy_on_user", snap, policy_names=("ReadOnlyAccess",)))
    assert result.status is Status.FAIL


@pytest.mark.parametrize(
    ("roles", "users", "expected"),
    [
        ((), [], Status.PASS),
        ((make_role("Shell", (attached("AWSCloudShellFullAccess"),)),), [], Status.FAIL),
        ((), [make_user(policies=[attached("AWSCloudShellFullAccess")])], Status.FAIL),
    ],
)
def test_cloudshell_full_access_not_attached(roles, users, expected: Status) -> None:
    """AWSCloudShellFullAccess attached to any principal fails."""
    result = only(
        run("cloudshell_full_access_not_attached", make_snapshot(roles=roles, users=users))
    )
    assert result.status is expected


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((make_role("Support", (attached("AWSSupportAccess"),)),), Status.PASS),
        ((make_role("Other"),), Status.FAIL),
    ],
)
def test_support_role_exists(roles: tuple, expected: Status) -> None:
    """Some role must carry AWSSupportAccess."""
    assert only(run("support_role_exists", make_snapshot(roles=roles))).status is expected


def test_access_analyzer_per_region() -> None:
    """Each region needs an ACTIVE account/organization analyzer; no region list is UNKNOWN."""
    snap = make_snapshot(
        analyzer_regions=("ap-northeast-1", "us-east-1", "eu-west-1"),
        analyzers=(
            make_analyzer("ap-northeast-1"),
            make_analyzer("us-east-1", status="CREATING"),
            make_analyzer("eu-west-1", type="ACCOUNT_UNUSED_ACCESS"),
        ),
    )
    found = {r.resource_id: r.status for r in run("access_analyzer_enabled", snap)}
    assert found == {
        "ap-northeast-1": Status.PASS,
        "us-east-1": Status.FAIL,
        "eu-west-1": Status.FAIL,
    }
    empty = make_snapshot(analyzer_regions=(), analyzers=())
    assert statuses(run("access_analyzer_enabled", empty)) == [Status.UNKNOWN]
