"""Must-flag / must-not-flag corpus: one principal per row, judged on all its policies together.

Each row gives the subject's policies (several inline policies and optionally a group's), a
permissions boundary, and the expected status of ``admin_equivalent_principal`` and
``privilege_escalation`` (UNKNOWN = "needs review" or incomplete data; NA = not applicable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from reportgen.evaluate.escalation import methods
from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Result
from reportgen.snapshot.model import InlinePolicy, Snapshot
from tests.evaluate.conftest import run
from tests.factories import (
    ACCOUNT,
    allow,
    attached,
    make_group,
    make_policy,
    make_role,
    make_snapshot,
    make_user,
)

P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
ROLE = f"arn:aws:iam::{ACCOUNT}:role"
SERVICES = sorted({m.service for m in methods() if m.service})


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """A policy document with one Deny statement."""
    return {"Statement": [{"Effect": "Deny", "Action": action, "Resource": resource, **extra}]}


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def stmt(action: Any, resource: Any = "*", effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": resource, **extra}


def trust(**principal: Any) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


PASSED_TO = "iam:PassedToService"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
ADMIN = allow("*", "*")


@dataclass(frozen=True)
class Case:
    """One corpus principal."""

    name: str
    docs: tuple[dict[str, Any], ...]
    admin: Status
    escalation: Status
    method: str | None = None  # a method id the FAIL/review evidence must name
    kind: str = "user"
    group_docs: tuple[dict[str, Any], ...] = ()
    boundary: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _direct_cases() -> list[Case]:
    cases = []
    for m in methods():
        if m.kind != "direct":
            continue
        kind = m.applies_to[0]
        cases.append(Case(f"direct {m.id}", (allow(list(m.actions)),), P, F, m.id, kind))
    return cases


def _passrole_cases() -> list[Case]:
    return [
        Case(f"passrole {m.id}", (allow(["iam:PassRole", *m.actions]),), P, F, m.id)
        for m in methods()
        if m.kind == "passrole"
    ]


def _existing_cases() -> list[Case]:
    return [
        Case(f"existing {m.id}", (allow(list(m.actions)),), P, U, m.id)
        for m in methods()
        if m.kind == "existing"
    ]


LAMBDA = ["lambda:CreateFunction", "lambda:InvokeFunction"]
CASES = [
    *_direct_cases(),
    *_passrole_cases(),
    *_existing_cases(),
    # administrator-equivalence, IAM semantics
    Case("admin * on *", (ADMIN,), F, NA),
    Case("admin *:* as a bare string", (allow("*:*", "*"),), F, NA),
    Case("admin IAM:* upper case", (allow("IAM:*", "*"),), F, NA),
    Case("admin iam:* on arn:aws:*:*:*:*", (allow("iam:*", "arn:aws:*:*:*:*"),), F, NA),
    Case(
        "admin NotAction s3:*",
        (doc({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}),),
        F,
        NA,
    ),
    Case(
        "admin split: NotAction iam:* + iam:*",
        (doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), allow("iam:*")),
        F,
        NA,
    ),
    Case("admin via group", (), F, NA, group_docs=(ADMIN,)),
    Case("admin capped by an s3 boundary", (ADMIN,), P, P, boundary=allow("s3:*")),
    Case("admin with an admin boundary", (ADMIN,), F, NA, boundary=ADMIN),
    Case("admin beside Deny *", (ADMIN, deny("*")), P, P),
    Case(
        "Deny iam:* beside AdministratorAccess (peers flag it)",
        (ADMIN, deny("iam:*")),
        P,
        U,
        "sso-create-account-assignment",
    ),
    Case(
        "NotAction iam:* is not admin but reaches Identity Center",
        (doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),),
        P,
        U,
        "sso-inline-policy-permission-set",
    ),
    Case("admin under an MFA condition", (allow("*", "*", Condition=MFA),), U, U),
    Case("admin with a conditional Deny on IAM", (ADMIN, deny("iam:*", Condition=MFA)), U, U),
    Case("admin with IAM denied on one role", (ADMIN, deny("iam:*", f"{ROLE}/BreakGlass")), U, F),
    Case(
        "admin on NotResource: not every resource",
        (doc({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::logs"}),),
        P,
        F,
    ),
    Case("s3 only", (allow("s3:*"),), P, P),
    Case("read only", (allow(["iam:Get*", "iam:List*", "ec2:Describe*", "s3:Get*"]),), P, P),
    Case(
        "iam:Put* minus user/group/role policies",
        (
            allow("iam:Put*"),
            deny(
                [
                    "iam:PutUserPolicy",
                    "iam:PutGroupPolicy",
                    "iam:PutRole*",
                    "iam:PutUserPermissionsBoundary",
                ]
            ),
        ),
        P,
        P,
    ),
    # escalation across policies, Deny, boundaries, conditions, resource scoping
    Case(
        "split AttachRolePolicy + AssumeRole",
        (allow("iam:AttachRolePolicy"), allow("sts:AssumeRole")),
        P,
        F,
        "iam-attach-role-policy-assume",
    ),
    Case("AttachRolePolicy alone (user)", (allow("iam:AttachRolePolicy"),), P, P),
    Case(
        "CreatePolicyVersion via group",
        (),
        P,
        F,
        "iam-create-policy-version",
        group_docs=(allow("iam:CreatePolicyVersion"),),
    ),
    Case(
        "CreatePolicyVersion denied",
        (allow("iam:CreatePolicyVersion"), deny("iam:CreatePolicyVersion")),
        P,
        P,
    ),
    Case(
        "CreatePolicyVersion denied by iam:Create*",
        (allow("iam:CreatePolicyVersion"), deny("iam:Create*")),
        P,
        P,
    ),
    Case(
        "CreatePolicyVersion under a condition",
        (allow("iam:CreatePolicyVersion", Condition=MFA),),
        P,
        U,
        "iam-create-policy-version",
    ),
    Case(
        "CreatePolicyVersion outside the boundary",
        (allow("iam:CreatePolicyVersion"),),
        P,
        P,
        boundary=allow("s3:*"),
    ),
    Case(
        "CreatePolicyVersion on one policy",
        (allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/Dev"),),
        P,
        F,
        "iam-create-policy-version",
    ),
    Case(
        "CreateAccessKey on self only",
        (
            allow(
                ["iam:CreateAccessKey", "iam:UpdateLoginProfile"],
                f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
            ),
        ),
        P,
        P,
    ),
    Case(
        "CreateAccessKey on every user",
        (allow("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/*"),),
        P,
        F,
        "iam-create-access-key",
    ),
    Case("iam:Attach* wildcard", (allow("iam:Attach*"),), P, F, "iam-attach-user-policy"),
    Case("iam:?ttachUserPolicy wildcard", (allow("iam:?ttachUserPolicy"),), P, F),
    Case(
        "split PassRole + Lambda",
        (allow("iam:PassRole"), allow(LAMBDA)),
        P,
        F,
        "passrole-lambda-invoke",
    ),
    Case(
        "PassRole scoped to one harmless role",
        (allow(LAMBDA), allow("iam:PassRole", f"{ROLE}/HarmlessLambda")),
        P,
        P,
    ),
    Case(
        "PassRole scoped to the admin Lambda role",
        (allow(LAMBDA), allow("iam:PassRole", f"{ROLE}/AdminForServices")),
        P,
        F,
        "passrole-lambda-invoke",
    ),
    Case(
        "PassRole to EC2 only, with Lambda actions",
        (
            allow(LAMBDA),
            allow("iam:PassRole", Condition={"StringEquals": {PASSED_TO: "ec2.amazonaws.com"}}),
        ),
        P,
        P,
    ),
    Case(
        "PassRole to Lambda only, with Lambda actions",
        (
            allow(LAMBDA),
            allow("iam:PassRole", Condition={"StringEquals": {PASSED_TO: "lambda.amazonaws.com"}}),
        ),
        P,
        F,
    ),
    Case(
        "PassRole under another condition",
        (
            allow(LAMBDA),
            allow(
                "iam:PassRole",
                Condition={"StringEquals": {"aws:RequestedRegion": "ap-northeast-1"}},
            ),
        ),
        P,
        U,
    ),
    Case(
        "PassRole to Lambda denied",
        (
            allow(["iam:PassRole", *LAMBDA]),
            deny("iam:PassRole", Condition={"StringEquals": {PASSED_TO: "lambda.amazonaws.com"}}),
        ),
        P,
        P,
    ),
    Case(
        "CloudFormation without PassRole",
        (allow("cloudformation:*"),),
        P,
        U,
        "cloudformation-update-stack",
    ),
    Case("CreateStack only, without PassRole", (allow("cloudformation:CreateStack"),), P, P),
    Case("Lambda without PassRole", (allow(LAMBDA),), P, P),
    Case("PassRole without any service", (allow("iam:PassRole"),), P, P),
    Case(
        "AssumeRole on one harmless role",
        (allow("sts:AssumeRole", f"{ROLE}/HarmlessLambda"),),
        P,
        P,
    ),
    Case(
        "AssumeRole on the admin role trusting the account",
        (allow("sts:AssumeRole"),),
        P,
        U,
        "sts-assume-stronger-role",
    ),
    Case(
        "escalation through the boundary's gap is capped",
        (allow(["iam:PassRole", *LAMBDA]),),
        P,
        P,
        boundary=allow(LAMBDA),
    ),
    # NotAction / NotResource
    Case(
        "NotAction iam, sts, sso: no PassRole, but code on existing resources",
        (doc({"Effect": "Allow", "NotAction": ["iam:*", "sts:*", "sso:*"], "Resource": "*"}),),
        P,
        U,
        "lambda-update-function-code",
    ),
    Case(
        "NotAction one IAM action is still an escalation",
        (doc({"Effect": "Allow", "NotAction": "iam:CreatePolicyVersion", "Resource": "*"}),),
        P,
        F,
        "iam-attach-user-policy",
    ),
    Case(
        "Deny NotAction s3:* beside admin leaves only S3",
        (ADMIN, doc({"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})),
        P,
        P,
    ),
    Case(
        "PassRole on NotResource the harmless role reaches the admin role",
        (
            allow(LAMBDA),
            doc(
                {
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "NotResource": f"{ROLE}/HarmlessLambda",
                }
            ),
        ),
        P,
        F,
        "passrole-lambda-invoke",
    ),
    Case(
        "Deny iam:* on NotResource one policy keeps CreatePolicyVersion there",
        (
            allow("iam:CreatePolicyVersion"),
            doc(
                {
                    "Effect": "Deny",
                    "Action": "iam:*",
                    "NotResource": f"arn:aws:iam::{ACCOUNT}:policy/Dev",
                }
            ),
        ),
        P,
        F,
        "iam-create-policy-version",
    ),
    # Deny beside broad grants
    Case("Deny * in the group beside admin on the user", (ADMIN,), P, P, group_docs=(deny("*"),)),
    Case(
        "Deny iam:* on the user beside admin from the group",
        (deny("iam:*"),),
        P,
        U,
        "sso-create-account-assignment",
        group_docs=(ADMIN,),
    ),
    Case(
        "Deny iam:PassRole beside admin still leaves CreatePolicyVersion",
        (ADMIN, deny("iam:PassRole")),
        P,
        F,
        "iam-create-policy-version",
    ),
    Case(
        "Deny sts:AssumeRole breaks AttachRolePolicy + AssumeRole",
        (allow(["iam:AttachRolePolicy", "sts:AssumeRole"]), deny("sts:AssumeRole")),
        P,
        P,
    ),
    Case(
        "conditional Deny on PassRole needs review",
        (allow(["iam:PassRole", *LAMBDA]), deny("iam:PassRole", Condition=MFA)),
        P,
        U,
        "passrole-lambda-invoke",
    ),
    # boundaries
    Case(
        "boundary with Deny iam:* caps admin",
        (ADMIN,),
        P,
        U,
        "sso-create-account-assignment",
        boundary=doc(stmt("*"), stmt("iam:*", effect="Deny")),
    ),
    Case(
        "boundary of iam:* leaves an IAM administrator",
        (ADMIN,),
        F,
        NA,
        boundary=allow("iam:*"),
    ),
    Case(
        "boundary of CreatePolicyVersion under admin",
        (ADMIN,),
        P,
        F,
        "iam-create-policy-version",
        boundary=allow("iam:CreatePolicyVersion"),
    ),
    Case(
        "boundary under an MFA condition",
        (ADMIN,),
        U,
        U,
        boundary=allow("*", "*", Condition=MFA),
    ),
    Case(
        "boundary caps DeleteUserPermissionsBoundary itself",
        (allow("iam:DeleteUserPermissionsBoundary"),),
        P,
        P,
        boundary=allow("s3:*"),
    ),
    Case(
        "boundary that allows deleting itself",
        (allow("iam:DeleteUserPermissionsBoundary"),),
        P,
        F,
        "iam-delete-user-permissions-boundary",
        boundary=allow(["s3:*", "iam:DeleteUserPermissionsBoundary"]),
    ),
    # actions split across policies (user, group, several inline policies)
    Case(
        "split PassRole on the user + Lambda in the group",
        (allow("iam:PassRole"),),
        P,
        F,
        "passrole-lambda-invoke",
        group_docs=(allow(LAMBDA),),
    ),
    Case(
        "split PassRole + ec2:RunInstances",
        (allow("iam:PassRole"), allow("ec2:RunInstances")),
        P,
        F,
        "passrole-ec2",
    ),
    Case(
        "split Data Pipeline over three policies",
        (
            allow(["iam:PassRole", "datapipeline:CreatePipeline"]),
            allow("datapipeline:PutPipelineDefinition"),
            allow("datapipeline:ActivatePipeline"),
        ),
        P,
        F,
        "passrole-datapipeline",
    ),
    Case(
        "PassRole + CreateFunction without a way to run it",
        (allow(["iam:PassRole", "lambda:CreateFunction"]),),
        P,
        P,
    ),
    Case(
        "PassRole + glue:CreateJob without StartJobRun",
        (allow(["iam:PassRole", "glue:CreateJob"]),),
        P,
        P,
    ),
    # resource-scoped PassRole and IAM actions
    Case(
        "PassRole to Harmless* roles only",
        (allow(LAMBDA), allow("iam:PassRole", f"{ROLE}/Harmless*")),
        P,
        P,
    ),
    Case(
        "PassRole to Admin* roles",
        (allow(LAMBDA), allow("iam:PassRole", f"{ROLE}/Admin*")),
        P,
        F,
        "passrole-lambda-invoke",
    ),
    Case(
        "PassRole to a path with no roles",
        (allow(LAMBDA), allow("iam:PassRole", f"{ROLE}/service-role/*")),
        P,
        P,
    ),
    Case(
        "PassRole to EC2 or Lambda, with Lambda actions",
        (
            allow(LAMBDA),
            allow(
                "iam:PassRole",
                Condition={
                    "StringEquals": {PASSED_TO: ["ec2.amazonaws.com", "lambda.amazonaws.com"]}
                },
            ),
        ),
        P,
        F,
        "passrole-lambda-invoke",
    ),
    Case(
        "actions in odd case",
        (allow("IAM:createpolicyversion"),),
        P,
        F,
        "iam-create-policy-version",
    ),
    Case(
        "AttachUserPolicy on another user only",
        (allow("iam:AttachUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/bob"),),
        P,
        P,
    ),
    Case(
        "PassRole on NotResource the admin roles: roles made later still pass",
        (
            allow(LAMBDA),
            doc(
                {
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "NotResource": [f"{ROLE}/AdminForServices", f"{ROLE}/AdminAssumable"],
                }
            ),
        ),
        P,
        U,
        "passrole-lambda-invoke",
    ),
    Case(
        "AttachUserPolicy and CreateAccessKey on another user",
        (
            allow(
                ["iam:AttachUserPolicy", "iam:CreateAccessKey"], f"arn:aws:iam::{ACCOUNT}:user/bob"
            ),
        ),
        P,
        F,
        "iam-create-access-key",
    ),
    Case(
        "AttachUserPolicy on itself denied",
        (
            allow("iam:AttachUserPolicy"),
            deny("iam:AttachUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/subject"),
        ),
        P,
        P,
    ),
    Case(
        "AttachUserPolicy on ${aws:username}",
        (allow("iam:AttachUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"),),
        P,
        F,
        "iam-attach-user-policy",
    ),
    Case(
        "conditional Lambda actions with unconditional PassRole",
        (allow("iam:PassRole"), allow(LAMBDA, Condition=MFA)),
        P,
        U,
        "passrole-lambda-invoke",
    ),
    # roles as subjects
    Case(
        "role with AttachRolePolicy on itself",
        (allow("iam:AttachRolePolicy"),),
        P,
        F,
        "iam-attach-role-policy-self",
        kind="role",
    ),
    Case("role with admin", (ADMIN,), F, NA, kind="role"),
    Case(
        "role with PutRolePolicy on itself only",
        (allow("iam:PutRolePolicy", f"{ROLE}/subject"),),
        P,
        F,
        "iam-put-role-policy-self",
        kind="role",
    ),
    Case(
        "role with PutRolePolicy on another role, without AssumeRole",
        (allow("iam:PutRolePolicy", f"{ROLE}/HarmlessLambda"),),
        P,
        P,
        kind="role",
    ),
    Case(
        "role with UpdateAssumeRolePolicy but no AssumeRole",
        (allow("iam:UpdateAssumeRolePolicy"),),
        P,
        P,
        kind="role",
    ),
    Case(
        "service-linked role with escalation actions",
        (allow(["iam:PassRole", *LAMBDA, "iam:CreatePolicyVersion"]),),
        NA,
        NA,
        kind="role",
        extra={"path": "/aws-service-role/ops.amazonaws.com/"},
    ),
    Case("role reading S3", (allow("s3:GetObject"),), P, P, kind="role"),
    Case(
        "service-linked role",
        (ADMIN,),
        NA,
        NA,
        kind="role",
        extra={"path": "/aws-service-role/ops.amazonaws.com/"},
    ),
]


def _snapshot(case: Case) -> Snapshot:
    inline = [InlinePolicy(f"p{i}", d) for i, d in enumerate(case.docs)]
    boundary = None
    policies = [
        make_policy("AdministratorAccess", ADMIN, aws=True),
        make_policy("Logs", allow("logs:*")),
    ]
    if case.boundary is not None:
        policies.append(make_policy("Boundary", case.boundary))
        boundary = f"arn:aws:iam::{ACCOUNT}:policy/Boundary"
    groups = [make_group("Developers")]
    user_groups: tuple[str, ...] = ("Developers",)  # a group without policies of its own
    if case.group_docs:
        groups.append(
            make_group(
                "Team",
                inline_policies=tuple(
                    InlinePolicy(f"g{i}", d) for i, d in enumerate(case.group_docs)
                ),
            )
        )
        user_groups = ("Developers", "Team")
    roles = [
        make_role(
            "AdminForServices",
            [attached("AdministratorAccess")],
            assume_role_policy=trust(Service=SERVICES),
        ),
        make_role(
            "AdminAssumable",
            [attached("AdministratorAccess")],
            assume_role_policy=trust(AWS=f"arn:aws:iam::{ACCOUNT}:root"),
        ),
        make_role(
            "HarmlessLambda",
            [attached("Logs", aws=False)],
            assume_role_policy=trust(Service="lambda.amazonaws.com"),
        ),
    ]
    users = []
    if case.kind == "user":
        users.append(
            make_user("subject", groups=user_groups, inline=inline, permissions_boundary=boundary)
        )
    else:
        roles.append(
            make_role(
                "subject",
                inline_policies=tuple(inline),
                permissions_boundary=boundary,
                **case.extra,
            )
        )
    return make_snapshot(users=users, groups=groups, roles=roles, policies=tuple(policies))


def _subject(results: list[Result]) -> Result:
    return next(r for r in results if r.resource_name == "subject")


def test_the_corpus_is_large_enough() -> None:
    """The corpus holds at least 80 principals and covers every method of the data file."""
    assert len(CASES) >= 80
    named = {c.method for c in CASES}
    assert {m.id for m in methods()} <= named


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus(case: Case) -> None:
    """Each principal gets the expected administrator and escalation verdicts."""
    snapshot = _snapshot(case)
    admin = _subject(run("admin_equivalent_principal", snapshot))
    escalation = _subject(run("privilege_escalation", snapshot))
    assert (admin.status, escalation.status) == (case.admin, case.escalation), (
        dict(admin.evidence),
        dict(escalation.evidence),
    )
    if case.method and escalation.status is F:
        assert case.method in str(escalation.evidence["methods"])
    if case.method and escalation.status is U:
        assert case.method in str(escalation.evidence["review"])


def test_same_documents_differ_by_whom_they_name() -> None:
    """Two users with the same policy, AttachUserPolicy on user/bob: bob can raise his own
    permissions, alice cannot (verdicts are not shared between users whose policies name users)."""
    policy = allow("iam:AttachUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/bob")
    users = [make_user(n, groups=(), inline=[InlinePolicy("p", policy)]) for n in ("alice", "bob")]
    found = run("privilege_escalation", make_snapshot(users=users, roles=(), policies=()))
    assert {r.resource_name: r.status for r in found} == {"alice": P, "bob": F}


@pytest.mark.parametrize("action", ["iam:AttachGroupPolicy", "iam:PutGroupPolicy"])
def test_a_group_policy_raises_only_its_members(action: str) -> None:
    """A policy put on a group reaches the group's members only: ana (in Developers) can raise
    her own permissions, ben (in no group) and cai (in Ops, allowed on Developers only) cannot,
    dan (in Developers, allowed on Developers only) can. The same documents do not share a
    verdict across different groups. Source: RSL #8/#11 (a group the attacker is part of)."""
    developers = f"arn:aws:iam::{ACCOUNT}:group/Developers"
    anywhere = [InlinePolicy("p", allow(action))]
    scoped = [InlinePolicy("p", allow(action, developers))]
    users = [
        make_user("ana", groups=("Developers",), inline=anywhere),
        make_user("ben", groups=(), inline=anywhere),
        make_user("cai", groups=("Ops",), inline=scoped),
        make_user("dan", groups=("Developers",), inline=scoped),
    ]
    groups = [make_group("Developers"), make_group("Ops")]
    found = run(
        "privilege_escalation", make_snapshot(users=users, groups=groups, roles=(), policies=())
    )
    assert {r.resource_name: r.status for r in found} == {"ana": F, "ben": P, "cai": P, "dan": F}


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"policies": [attached("Gone", aws=False)]}, "principal_policies_missing"),
        ({"groups": ("NoSuchGroup",)}, "principal_policies_missing"),
        (
            {"permissions_boundary": f"arn:aws:iam::{ACCOUNT}:policy/Gone"},
            "principal_policies_missing",
        ),
        ({"inline": [InlinePolicy("bad", {"Nope": 1})]}, "policy_document_invalid"),
        (
            {"inline": [InlinePolicy("bad", doc({"Effect": "Allow", "Action": "*"}))]},
            "policy_document_invalid",
        ),
    ],
)
def test_incomplete_principals_are_unknown(setup: dict[str, Any], reason: str) -> None:
    """A principal whose policies, groups or boundary the snapshot lacks is UNKNOWN, not PASS."""
    user = make_user("subject", **{"groups": (), **setup})
    snapshot = make_snapshot(users=[user], roles=(), policies=())
    for check in ("admin_equivalent_principal", "privilege_escalation"):
        result = _subject(run(check, snapshot))
        assert (result.status, result.evidence["reason"]) == (U, reason)


def test_the_statements_named_are_those_that_make_the_principal_an_administrator() -> None:
    """A group holding ReadOnlyAccess-like reads of IAM beside a ``*`` statement is an
    administrator because of the ``*`` statement alone: only that one is named (the demo's
    Operators named both). Without a single statement covering everything, every statement
    granting IAM actions everywhere is named, since the scope comes from them together."""
    reads = allow(["iam:Get*", "iam:List*", "s3:Get*"])
    full = allow("*")
    group = make_group(
        "Operators", inline_policies=(InlinePolicy("reads", reads), InlinePolicy("full", full))
    )
    split = make_group(
        "Split",
        inline_policies=(InlinePolicy("a", allow("iam:*")), InlinePolicy("b", allow("iam:Get*"))),
    )
    snapshot = make_snapshot(users=(), groups=[group, split], roles=(), policies=())
    found = {r.resource_name: r for r in run("admin_equivalent_principal", snapshot)}
    assert found["Operators"].status is F
    assert found["Operators"].evidence["statements"] == "full (inline)#1"
    assert found["Split"].status is F
    assert found["Split"].evidence["statements"] == "a (inline)#1"
