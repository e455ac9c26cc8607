"""Service control policies cap the effective permissions of a member account's principals:
must-flag / must-not-flag cases beside the least-privilege corpus, and the chains that must
not be applied (never a PASS on an SCP chain the snapshot lacks or cannot read whole)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.effective import analysis_for
from reportgen.evaluate.findings import Status
from reportgen.evaluate.permissions import decide_one, merge
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.evaluate.scp import APPLIED, NOT_READ, UNUSABLE, scp_state
from reportgen.snapshot.model import Snapshot, SourceStatus, Src
from reportgen.snapshot.services import ScpLevel, ScpPolicy, ServiceControlPolicies
from tests.evaluate.conftest import run
from tests.evaluate.test_least_privilege_corpus import (
    ADMIN,
    LAMBDA,
    MFA,
    ROLE,
    Case,
    _snapshot,
    _subject,
    deny,
    doc,
    stmt,
)
from tests.factories import ACCOUNT, allow

P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
FULL = ScpPolicy(
    "p-FullAWSAccess",
    "FullAWSAccess",
    "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
    True,
    allow("*", "*"),
)
NOT_BREAK_GLASS = {"ArnNotLike": {"aws:PrincipalArn": f"{ROLE}/BreakGlass"}}
OUTSIDE_TOKYO = {"StringNotEquals": {"aws:RequestedRegion": "ap-northeast-1"}}


def scp(name: str, document: Any) -> ScpPolicy:
    return ScpPolicy(f"p-{name.lower()}", name, None, False, document)


def chain(
    ou: tuple[ScpPolicy, ...] = (FULL,),
    account: tuple[ScpPolicy, ...] = (FULL,),
    root: tuple[ScpPolicy, ...] = (FULL,),
    **change: Any,
) -> ServiceControlPolicies:
    """Root → OU Workloads → this account, FullAWSAccess at each level unless replaced."""
    levels = (
        ScpLevel("ROOT", "r-ab12", "Root", root),
        ScpLevel("ORGANIZATIONAL_UNIT", "ou-ab12-workload", "Workloads", ou),
        ScpLevel("ACCOUNT", ACCOUNT, "production", account),
    )
    fields: dict[str, Any] = {
        "organization_id": "o-abc123",
        "management_account_id": "999988887777",
        "applies": True,
        "reason": None,
        "levels": levels,
        **change,
    }
    return ServiceControlPolicies(**fields)


def with_scps(
    case: Case, scps: ServiceControlPolicies | None, status: str = SourceStatus.OK
) -> Snapshot:
    snapshot = _snapshot(case)
    sources = dict(snapshot.sources)
    name = Src.SERVICE_CONTROL_POLICIES.value
    sources[name] = replace(sources[name], status=SourceStatus(status))
    return replace(snapshot, service_control_policies=scps, sources=sources)


def verdicts(snapshot: Snapshot) -> tuple[Status, Status]:
    admin = _subject(run("admin_equivalent_principal", snapshot))
    escalation = _subject(run("privilege_escalation", snapshot))
    return admin.status, escalation.status


DENY_IAM = scp("DenyIam", deny("iam:*"))
GUARDRAIL = scp(
    "NoIamUsers", deny(["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"])
)
ONLY_S3_EC2 = scp("OnlyS3Ec2", allow(["s3:*", "ec2:*"]))
ADMIN_CASE = Case("admin", (ADMIN,), F, NA)
CPV = Case("CreatePolicyVersion", (allow("iam:CreatePolicyVersion"),), P, F)
PASSROLE_LAMBDA = Case("PassRole + Lambda", (allow(["iam:PassRole", *LAMBDA]),), P, F)

# (name, case, chain, expected admin, expected escalation)
CAPPED = [
    ("FullAWSAccess everywhere changes nothing", ADMIN_CASE, chain(), F, NA),
    (
        "Deny iam:* on the OU: an administrator of all the account may do",
        ADMIN_CASE,
        chain(ou=(FULL, DENY_IAM)),
        F,
        NA,
    ),
    (
        "Deny * at the root leaves nobody anything",
        ADMIN_CASE,
        chain(root=(FULL, scp("DenyAll", deny("*")))),
        P,
        P,
    ),
    ("an allow-list without IAM on the OU", ADMIN_CASE, chain(ou=(ONLY_S3_EC2,)), F, NA),
    (
        "an account allow-list of everything but IAM",
        ADMIN_CASE,
        chain(
            account=(scp("NoIam", doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),)
        ),
        F,
        NA,
    ),
    (
        "a guardrail on IAM users keeps iam:* an administrator",
        Case("iam", (allow("iam:*"),), F, NA),
        chain(ou=(FULL, GUARDRAIL)),
        F,
        NA,
    ),
    (
        "a guardrail on IAM users keeps AdministratorAccess an administrator",
        ADMIN_CASE,
        chain(ou=(FULL, GUARDRAIL)),
        F,
        NA,
    ),
    (
        "a guardrail on IAM users: S3 only stays S3 only",
        Case("s3", (allow("s3:*"),), P, P),
        chain(ou=(FULL, GUARDRAIL)),
        P,
        P,
    ),
    (
        "a Deny of IAM on one role keeps the administrator",
        ADMIN_CASE,
        chain(ou=(FULL, scp("D", deny("iam:*", f"{ROLE}/OrgAudit")))),
        F,
        NA,
    ),
    ("allowed at two levels, not at the third", CPV, chain(account=(ONLY_S3_EC2,)), P, P),
    (
        "Deny CreatePolicyVersion at the root",
        CPV,
        chain(root=(FULL, scp("D", deny("iam:CreatePolicyVersion")))),
        P,
        P,
    ),
    (
        "a Deny with an exception for a break-glass role needs review",
        CPV,
        chain(ou=(FULL, scp("D", deny("iam:*", Condition=NOT_BREAK_GLASS)))),
        P,
        U,
    ),
    (
        "a region guardrail binds everyone alike: still an administrator",
        ADMIN_CASE,
        chain(root=(FULL, scp("Region", doc(stmt("*", effect="Deny", Condition=OUTSIDE_TOKYO))))),
        F,
        NA,
    ),
    (
        "a conditional allow-list binds everyone alike: still an administrator",
        ADMIN_CASE,
        chain(ou=(scp("MfaOnly", allow("*", "*", Condition=MFA)),)),
        F,
        NA,
    ),
    (
        "Deny lambda:CreateFunction breaks PassRole + Lambda",
        PASSROLE_LAMBDA,
        chain(ou=(FULL, scp("D", deny("lambda:CreateFunction")))),
        P,
        P,
    ),
    (
        "Deny iam:PassRole breaks PassRole + Lambda",
        PASSROLE_LAMBDA,
        chain(account=(FULL, scp("D", deny("iam:PassRole")))),
        P,
        P,
    ),
    (
        "Deny on another service keeps PassRole + Lambda",
        PASSROLE_LAMBDA,
        chain(ou=(FULL, scp("D", deny("s3:*")))),
        P,
        F,
    ),
    (
        "an administrator through a group, Deny iam:*",
        Case("group admin", (), F, NA, group_docs=(ADMIN,)),
        chain(ou=(FULL, DENY_IAM)),
        F,
        NA,
    ),
]


@pytest.mark.parametrize(
    ("name", "case", "scps", "admin", "escalation"), CAPPED, ids=[c[0] for c in CAPPED]
)
def test_scps_cap(
    name: str, case: Case, scps: ServiceControlPolicies, admin: Status, escalation: Status
) -> None:
    snapshot = with_scps(case, scps)
    assert scp_state(snapshot).code == APPLIED
    assert verdicts(snapshot) == (admin, escalation)


# Chains that must not be applied: the verdict stays that of the identity policies (F here),
# never a PASS that only an unreadable, partial or foreign chain would give.
BROKEN = [
    ("source denied", chain(ou=(FULL, DENY_IAM)), "denied", NOT_READ),
    ("source absent", None, "absent", NOT_READ),
    (
        "an unreadable SCP",
        chain(ou=(FULL, DENY_IAM, replace(DENY_IAM, name="Bad", document=None, error="not JSON"))),
        "ok",
        UNUSABLE,
    ),
    (
        "a Statement that is not one",
        chain(ou=(FULL, scp("D", {"Statement": "deny"}))),
        "ok",
        UNUSABLE,
    ),
    ("a level without SCPs", chain(ou=(), account=(FULL, DENY_IAM)), "ok", UNUSABLE),
    (
        "the chain of another account",
        chain(
            ou=(FULL, DENY_IAM),
            levels=(
                *chain(ou=(FULL, DENY_IAM)).levels[:2],
                ScpLevel("ACCOUNT", "111122223333", "other", (FULL,)),
            ),
        ),
        "ok",
        UNUSABLE,
    ),
    (
        "a chain without the root",
        chain(ou=(FULL, DENY_IAM), levels=chain(ou=(FULL, DENY_IAM)).levels[1:]),
        "ok",
        UNUSABLE,
    ),
    (
        "levels beside applies: false",
        chain(ou=(FULL, DENY_IAM), applies=False, reason="management_account"),
        "ok",
        UNUSABLE,
    ),
    ("no chain though applies", chain(levels=()), "ok", UNUSABLE),
]


@pytest.mark.parametrize(("name", "scps", "status", "code"), BROKEN, ids=[c[0] for c in BROKEN])
def test_a_chain_not_held_whole_is_not_applied(
    name: str, scps: ServiceControlPolicies | None, status: str, code: str
) -> None:
    snapshot = with_scps(ADMIN_CASE, scps, status)
    assert scp_state(snapshot).code == code
    assert verdicts(snapshot) == (F, NA)


@pytest.mark.parametrize(
    "reason", ["management_account", "no_organization", "not_enabled", "not_all_features"]
)
def test_no_scp_applies(reason: str) -> None:
    """The management account, an account outside any organization, an organization without
    SCPs: the identity policies decide, and the state says why."""
    snapshot = with_scps(ADMIN_CASE, chain(levels=(), applies=False, reason=reason))
    assert scp_state(snapshot).code == reason
    assert verdicts(snapshot) == (F, NA)


def test_service_linked_roles_are_not_capped() -> None:
    """SCPs do not restrict service-linked roles: their grant is left as the policies give it."""
    case = Case(
        "slr", (ADMIN,), NA, NA, kind="role", extra={"path": "/aws-service-role/x.amazonaws.com/"}
    )
    snapshot = with_scps(case, chain(ou=(FULL, DENY_IAM)))
    analysis = analysis_for(snapshot)
    subject = next(w for w in analysis.principals if w.name == "subject")
    assert subject.service_linked and analysis.scp_for(subject) is None
    assert analysis.effective(subject) == analysis.identity(subject)


def messages(snapshot: Snapshot) -> tuple[str, str]:
    catalogue = load_catalogue()
    finding = next(
        f
        for f in evaluate(snapshot, all_checks(catalogue), catalogue=catalogue).findings
        if f.check_id == "admin_equivalent_principal" and f.resource_name == "subject"
    )
    ja, en = (catalogue.message(finding, lang) for lang in ("ja", "en"))
    return ja, en


def test_an_administrator_within_the_scps_names_them_in_both_languages() -> None:
    """A guardrail that takes IAM from the whole account does not make its administrators
    ordinary users: FAIL, with the SCPs that set the account's scope named."""
    snapshot = with_scps(ADMIN_CASE, chain(ou=(FULL, DENY_IAM)))
    result = _subject(run("admin_equivalent_principal", snapshot))
    assert result.status is F and result.evidence["reason"] == "scp_ceiling"
    assert result.evidence["scp"] == "OU Workloads: DenyIam"
    ja, en = messages(snapshot)
    assert "サービスコントロールポリシー（SCP）（OU Workloads: DenyIam）" in ja
    assert "このアカウントでは管理者と同等である" in ja
    assert "(OU Workloads: DenyIam) leave this account" in en


def test_a_pass_the_scps_earn_names_them_in_both_languages() -> None:
    """The evidence names the SCPs that leave the account nothing and the IAM statements that
    would grant it; the message says that a change to those SCPs makes it an administrator."""
    snapshot = with_scps(ADMIN_CASE, chain(root=(FULL, scp("DenyAll", deny("*")))))
    result = _subject(run("admin_equivalent_principal", snapshot))
    assert result.status is P and result.evidence["reason"] == "scp_capped"
    assert result.evidence["scp"] == "Root: DenyAll"
    assert result.evidence["statements"] == "p0 (inline)#1"
    ja, en = messages(snapshot)
    assert "サービスコントロールポリシー（SCP）（Root: DenyAll）" in ja and "p0 (inline)#1" in ja
    assert "SCP を変更すると管理者と同等になる" in ja
    assert "(Root: DenyAll) leave this account none of that grant" in en


def test_an_allow_list_names_its_level() -> None:
    snapshot = with_scps(ADMIN_CASE, chain(ou=(ONLY_S3_EC2,)))
    result = _subject(run("admin_equivalent_principal", snapshot))
    assert result.evidence["scp"] == "OU Workloads: OnlyS3Ec2"


def test_an_uncapped_pass_has_no_scp_evidence() -> None:
    snapshot = with_scps(Case("s3", (allow("s3:*"),), P, P), chain(ou=(FULL, DENY_IAM)))
    result = _subject(run("admin_equivalent_principal", snapshot))
    assert (
        result.status is P and result.evidence["scp"] is None and result.evidence["reason"] is None
    )


ACTIONS = [
    "iam:*",
    "iam:CreatePolicyVersion",
    "iam:PassRole",
    "s3:*",
    "lambda:CreateFunction",
    "*",
    "ec2:RunInstances",
]
RESOURCES = ["*", f"{ROLE}/AdminForServices", "arn:aws:s3:::logs/*"]
statements = st.builds(
    lambda effect, actions, resource, cond: stmt(
        actions, resource, effect=effect, **({"Condition": MFA} if cond else {})
    ),
    st.sampled_from(["Allow", "Deny"]),
    st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3),
    st.sampled_from(RESOURCES),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(statements, min_size=1, max_size=3),
    st.lists(statements, min_size=1, max_size=3),
    st.lists(statements, min_size=1, max_size=3),
)
def test_scps_never_raise_a_grant(
    identity: list[dict[str, Any]], ou: list[dict[str, Any]], account: list[dict[str, Any]]
) -> None:
    """Whatever the SCPs say, the capped grant is never more than the identity grant, for the
    action sets and the concrete requests the checks ask about."""
    case = Case("any", (doc(*identity),), P, P)
    snapshot = with_scps(
        case, chain(ou=(scp("Ou", doc(*ou)),), account=(scp("Acc", doc(*account)),))
    )
    analysis = analysis_for(snapshot)
    who = next(w for w in analysis.principals if w.name == "subject")
    capped, alone = analysis.effective(who), analysis.identity(who)
    assert capped is not None and alone is not None
    for scope in ("all", "some", "others"):
        full, cond = f"full_{scope}", f"cond_{scope}"
        assert getattr(capped, full) & ~getattr(alone, full) == 0
        either = getattr(capped, full) | getattr(capped, cond)
        assert either & ~(getattr(alone, full) | getattr(alone, cond)) == 0
    chain_ = analysis.scp_for(who)
    assert chain_ is not None
    for action in ("iam:CreatePolicyVersion", "iam:PassRole", "s3:GetObject", "ec2:RunInstances"):
        for target in (f"{ROLE}/AdminForServices", "arn:aws:s3:::logs/x"):
            slow = min(
                merge([decide_one(d, action, target, {}) for d in level]) for level in chain_.parsed
            )
            assert chain_.decide(action, target, {}) == slow, (action, target)
