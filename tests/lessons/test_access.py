"""Effective permissions for lab invariants, by the report's own engine: Deny wins, a boundary
caps, conditions are not certainty, a missing policy is unknown, and iam:*, NotAction,
NotResource or an escalation action make an administrator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.snapshot.model import InlinePolicy
from reportgen.training.access import Decision, Who, admin_equivalent, decide, may
from reportgen.training.invariants import can, cannot, group_members, trust_only
from tests.factories import (
    allow,
    attached,
    make_group,
    make_policy,
    make_role,
    make_snapshot,
    make_user,
)

READ_EC2 = allow("ec2:Describe*")


def _with(*statements: dict[str, Any]) -> Any:
    user = make_user(
        "dev",
        groups=(),
        inline=(InlinePolicy("p", {"Version": "2012-10-17", "Statement": list(statements)}),),
    )
    return make_snapshot(users=(user,))


DEV = Who("user", "dev")


def _allow(action: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": "*", **extra}


@pytest.mark.parametrize(
    ("statement", "admin"),
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": "*:*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::x"}, True),
        ({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, True),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, False),
        ({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}, False),
        (
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            },
            True,
        ),
    ],
)
def test_administrator_equivalence(statement: dict[str, Any], admin: bool) -> None:
    """A principal is administrator-equivalent when it may grant itself anything."""
    assert (DEV in admin_equivalent(_with(statement))) is admin


def test_deny_wins_and_conditions_are_not_certain() -> None:
    """An explicit Deny beats an Allow; a conditional Allow is neither yes nor no."""
    snap = _with(_allow("*"), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    assert decide(snap, DEV, "iam:CreateUser", "*") is Decision.DENY
    assert not may(snap, DEV, "iam:AttachUserPolicy")
    cond = _with(_allow("s3:GetObject", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    assert decide(cond, DEV, "s3:GetObject", "*") is Decision.CONDITIONAL
    assert not can(cond, {"user": "dev", "actions": ["s3:GetObject"]}, ())[0]
    assert not cannot(cond, {"user": "dev", "actions": ["s3:GetObject"]}, ())[0]


def test_group_policies_count_and_missing_documents_are_unknown() -> None:
    """A user's group policies apply; a managed policy not collected makes the answer UNKNOWN."""
    user = make_user("dev", groups=("Developers",))
    group = make_group("Developers", (attached("ReadEC2", aws=False),))
    policy = make_policy("ReadEC2", READ_EC2)
    assert (
        decide(
            make_snapshot(users=(user,), groups=(group,), policies=(policy,)),
            DEV,
            "ec2:DescribeInstances",
            "*",
        )
        is Decision.ALLOW
    )
    assert (
        decide(make_snapshot(users=(user,), groups=(group,)), DEV, "ec2:DescribeInstances", "*")
        is Decision.UNKNOWN
    )


def test_group_members_names_the_missing_and_the_extra() -> None:
    """group_members reports who is missing and, when exact, who should not be there."""
    snap = make_snapshot(
        users=(make_user("a", groups=("Ops",)), make_user("b", groups=("Ops",))),
        groups=(make_group("Ops"),),
    )
    held, values = group_members(snap, {"group": "Ops", "users": ["a", "c"], "exact": True}, ())
    assert not held and values["missing"] == "c" and values["extra"] == "b"


def test_trust_only_refuses_any_principal() -> None:
    """A role that any AWS principal may assume breaks trust_only."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    role = make_role("deploy", assume_role_policy=trust)
    held, values = trust_only(
        make_snapshot(roles=(role,)), {"role": "deploy", "principals": ["arn:aws:iam::1:root"]}, ()
    )
    assert not held and values["principals"] == "*"


@given(st.sampled_from(["s3:GetObject", "ec2:RunInstances", "iam:CreateUser", "kms:Decrypt"]))
def test_an_unconditional_deny_all_leaves_nothing(action: str) -> None:
    """Whatever else is allowed, Deny * on * makes every action impossible."""
    snap = _with(_allow("*"), {"Effect": "Deny", "Action": "*", "Resource": "*"})
    assert not may(snap, DEV, action)
    assert DEV not in admin_equivalent(snap)


def test_a_permissions_boundary_caps_the_lab_grant_as_in_the_report() -> None:
    """The labs use the report's engine: a boundary limits an administrator to what it allows."""
    boundary = make_policy("S3Only", allow("s3:*"))
    user = make_user(
        "dev",
        groups=(),
        inline=(InlinePolicy("all", allow("*")),),
        permissions_boundary=boundary.arn,
    )
    snapshot = make_snapshot(users=(user,), policies=(boundary,))
    assert decide(snapshot, DEV, "s3:GetObject", "arn:aws:s3:::bucket/key") is Decision.ALLOW
    assert decide(snapshot, DEV, "iam:CreateUser", "*") is Decision.IMPLICIT_DENY
    assert DEV not in admin_equivalent(snapshot)


def test_a_policy_missing_from_the_snapshot_is_unknown_not_denied() -> None:
    """A managed policy the snapshot lacks: the answer is unknown, and the principal counts
    as a possible administrator (never as safe)."""
    user = make_user("dev", groups=(), policies=(attached("Gone"),))
    snapshot = make_snapshot(users=(user,), policies=())
    assert decide(snapshot, DEV, "s3:GetObject", "*") is Decision.UNKNOWN
    assert may(snapshot, DEV, "iam:CreateUser")
    assert DEV in admin_equivalent(snapshot)
