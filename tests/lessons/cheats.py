"""Ways to game each lab, applied through boto3 as a trainee would; each must fail.

A cheat either reaches the goals by a path that breaks what the lab protects (then ``broken``
names the invariants or goals that must report it), or is refused by the emulator exactly as
AWS refuses it (then ``refused`` names the AWS error code).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.lessons.solutions import (
    ACCOUNT,
    AWS,
    CI_RUNNER,
    SOLUTIONS,
    TOOLS,
    TOOLS_READ,
    Trainee,
    _enable_mfa,
    _keys,
    _let_ci_assume,
    _remove_user,
    _strong_passwords,
    drop_old_versions,
    escalate,
    narrow_tools,
    trust,
)


@dataclass(frozen=True)
class Cheat:
    """One attempt at the green tick without doing the lab's job."""

    name: str
    apply: Callable[[Trainee], None]
    broken: frozenset[str] = frozenset()
    refused: str | None = None
    from_issue: bool = False  # listed in the issue (else found while testing)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
LEGACY = f"arn:aws:iam::{ACCOUNT}:policy/LegacyFullAccess"


def _then(*steps: Callable[[Trainee], None]) -> Callable[[Trainee], None]:
    def run(trainee: Trainee) -> None:
        for step in steps:
            step(trainee)

    return run


def _solve(lesson: str) -> Callable[[Trainee], None]:
    return lambda t: SOLUTIONS[lesson](t)


# --- lab 01 -------------------------------------------------------------------
def _backdoor(t: Trainee) -> None:
    t.iam.create_user(UserName="backup-admin")
    t.iam.attach_user_policy(UserName="backup-admin", PolicyArn=AWS + "AdministratorAccess")


def _developer_admin(t: Trainee) -> None:
    t.iam.attach_user_policy(UserName="developer-user", PolicyArn=AWS + "AdministratorAccess")


def _developer_escalation(t: Trainee) -> None:
    doc = _doc({"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*"})
    t.iam.put_user_policy(UserName="developer-user", PolicyName="helper", PolicyDocument=doc)


# --- lab 02 -------------------------------------------------------------------
def _legacy_as(document: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        t.iam.create_policy_version(PolicyArn=LEGACY, PolicyDocument=document, SetAsDefault=True)
        t.iam.detach_user_policy(UserName="report-reader", PolicyArn=AWS + "AdministratorAccess")
        t.iam.attach_user_policy(UserName="report-reader", PolicyArn=AWS + "AmazonS3ReadOnlyAccess")

    return run


def _new_star_policy(t: Trainee) -> None:
    arn = t.iam.create_policy(
        PolicyName="OpsEverything",
        PolicyDocument=_doc({"Effect": "Allow", "Action": "*:*", "Resource": "*"}),
    )["Policy"]["Arn"]
    t.iam.attach_group_policy(GroupName="Ops", PolicyArn=arn)


def _reader_inline_s3(t: Trainee) -> None:
    doc = _doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    t.iam.put_user_policy(UserName="report-reader", PolicyName="s3-all", PolicyDocument=doc)


def _drop_legacy(t: Trainee) -> None:
    t.iam.detach_group_policy(GroupName="Ops", PolicyArn=LEGACY)
    t.iam.delete_policy(PolicyArn=LEGACY)
    t.iam.detach_user_policy(UserName="report-reader", PolicyArn=AWS + "AdministratorAccess")
    t.iam.attach_user_policy(UserName="report-reader", PolicyArn=AWS + "AmazonS3ReadOnlyAccess")


# --- lab 03 -------------------------------------------------------------------
def _password_a(t: Trainee) -> None:
    t.iam.create_user(UserName="developer-user")
    t.iam.create_login_profile(UserName="developer-user", Password="a")


def _wrong_group(t: Trainee) -> None:
    t.iam.create_group(GroupName="Developers")
    t.iam.attach_group_policy(GroupName="Developers", PolicyArn=AWS + "AmazonS3ReadOnlyAccess")
    t.iam.create_user(UserName="developer-user")
    t.iam.create_login_profile(UserName="developer-user", Password="Lab-Start-Passw0rd!")
    t.iam.add_user_to_group(UserName="developer-user", GroupName="Ops")


def _group_star(group: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        t.iam.put_group_policy(GroupName=group, PolicyName="all", PolicyDocument=_doc(ALL))

    return run


# --- lab 04 -------------------------------------------------------------------
def _delete_passwords(*users: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        for user in users:
            t.iam.delete_login_profile(UserName=user)

    return run


def _policy_at_baseline(t: Trainee) -> None:
    _strong_passwords(t.iam)


def _mfa(*users: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        for user in users:
            _enable_mfa(t.iam, user)

    return run


def _delete_keys(user: str, keep_newest: bool = False) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        keys = _keys(t.iam, user)
        for key in keys[:-1] if keep_newest else keys:
            t.iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])

    return run


def _deactivate_keys(user: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        for key in _keys(t.iam, user):
            t.iam.update_access_key(
                UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive"
            )

    return run


# --- lab 05 -------------------------------------------------------------------
def _groups_base(t: Trainee) -> None:
    t.iam.create_group(GroupName="Developers")
    t.iam.attach_group_policy(GroupName="Developers", PolicyArn=AWS + "AmazonEC2ReadOnlyAccess")


def _unhook(users: tuple[str, ...]) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        for user in users:
            t.iam.detach_user_policy(UserName=user, PolicyArn=AWS + "AmazonEC2ReadOnlyAccess")
        if "dev-c" in users:
            t.iam.delete_user_policy(UserName="dev-c", PolicyName="dev-c-extra")

    return run


def _empty_group(t: Trainee) -> None:
    _groups_base(t)
    t.iam.create_group(GroupName="Everyone")
    for user in ("dev-a", "dev-b", "dev-c"):
        t.iam.add_user_to_group(UserName=user, GroupName="Everyone")
    _unhook(("dev-a", "dev-b", "dev-c"))(t)


def _without_dev_c(t: Trainee) -> None:
    _groups_base(t)
    for user in ("dev-a", "dev-b"):
        t.iam.add_user_to_group(UserName=user, GroupName="Developers")
    _unhook(("dev-a", "dev-b", "dev-c"))(t)
    t.iam.delete_login_profile(UserName="dev-c")
    for device in t.iam.list_mfa_devices(UserName="dev-c")["MFADevices"]:
        t.iam.deactivate_mfa_device(UserName="dev-c", SerialNumber=device["SerialNumber"])
    t.iam.delete_user(UserName="dev-c")


# --- lab 06/07/08/09 ----------------------------------------------------------
def _remove_from_groups_and_delete(user: str) -> Callable[[Trainee], None]:
    def run(t: Trainee) -> None:
        for key in _keys(t.iam, user):
            t.iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
        for group in t.iam.list_groups_for_user(UserName=user)["Groups"]:
            t.iam.remove_user_from_group(UserName=user, GroupName=group["GroupName"])
        t.iam.delete_user(UserName=user)

    return run


def _detach_group(group: str, arn: str) -> Callable[[Trainee], None]:
    return lambda t: t.iam.detach_group_policy(GroupName=group, PolicyArn=arn)


def _second_trail(t: Trainee) -> None:
    t.client("s3").create_bucket(
        Bucket="my-own-trail-bucket",
        CreateBucketConfiguration={"LocationConstraint": t.state.region},
    )
    trail = t.client("cloudtrail")
    trail.create_trail(
        Name="my-trail",
        S3BucketName="my-own-trail-bucket",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    trail.start_logging(Name="my-trail")


def _write_only_events(t: Trainee) -> None:
    t.client("cloudtrail").put_event_selectors(
        TrailName="main-trail",
        EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}],
    )


def _two_char_password(t: Trainee) -> None:
    _strong_passwords(t.iam)
    t.iam.update_login_profile(UserName="ops-lead", Password="ab")


def _escalating_role(t: Trainee) -> None:
    trust = _doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    t.iam.create_role(RoleName="helper", AssumeRolePolicyDocument=trust)
    doc = _doc({"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*"})
    t.iam.put_role_policy(RoleName="helper", PolicyName="helper", PolicyDocument=doc)


# --- lab 10 -------------------------------------------------------------------
DEPLOY_POLICY = f"arn:aws:iam::{ACCOUNT}:policy/DeployArtifacts"


def _delete_deploy_role(t: Trainee) -> None:
    t.iam.detach_role_policy(RoleName="deploy-role", PolicyArn=DEPLOY_POLICY)
    t.iam.delete_role(RoleName="deploy-role")
    _let_ci_assume(t.iam)


def _trust_account(t: Trainee) -> None:
    t.iam.update_assume_role_policy(
        RoleName="deploy-role", PolicyDocument=trust(f"arn:aws:iam::{ACCOUNT}:root")
    )
    _let_ci_assume(t.iam)


def _open_audit_role(t: Trainee) -> None:
    t.iam.update_assume_role_policy(RoleName="audit-readonly", PolicyDocument=trust(CI_RUNNER, "*"))


def _ci_iam_star(t: Trainee) -> None:
    doc = _doc({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})
    t.iam.put_user_policy(UserName="ci-runner", PolicyName="iam", PolicyDocument=doc)


# --- lab 11 -------------------------------------------------------------------
def _fix_without_attack(t: Trainee) -> None:
    narrow_tools(t.iam)
    drop_old_versions(t.iam)


def _delete_tools(t: Trainee) -> None:
    escalate(t)
    t.iam.detach_group_policy(GroupName="Developers", PolicyArn=TOOLS)
    drop_old_versions(t.iam)
    t.iam.delete_policy(PolicyArn=TOOLS)


def _keep_admin_version(t: Trainee) -> None:
    escalate(t)
    narrow_tools(t.iam)


def _keep_set_default(t: Trainee) -> None:
    escalate(t)
    statement = {"Effect": "Allow", "Action": "iam:SetDefaultPolicyVersion", "Resource": TOOLS}
    document = {**TOOLS_READ, "Statement": [*TOOLS_READ["Statement"], statement]}
    narrow_tools(t.iam, document)
    drop_old_versions(t.iam)


CHEATS: dict[str, tuple[Cheat, ...]] = {
    "01-root-user": (
        Cheat(
            "backdoor administrator",
            _then(_solve("01-root-user"), _backdoor),
            frozenset({"no_backdoor_admin"}),
            from_issue=True,
        ),
        Cheat(
            "developer-user made administrator",
            _then(_solve("01-root-user"), _developer_admin),
            frozenset({"no_backdoor_admin"}),
        ),
        Cheat(
            "developer-user may attach policies",
            _then(_solve("01-root-user"), _developer_escalation),
            frozenset({"no_backdoor_admin"}),
        ),
    ),
    "02-least-privilege": (
        Cheat(
            "LegacyFullAccess narrowed to iam:*",
            _legacy_as(_doc({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
            frozenset({"no_admin", "ops_reads"}),
            from_issue=True,
        ),
        Cheat(
            "NotAction iam:*",
            _legacy_as(_doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
            frozenset({"ops_only_reads"}),
            from_issue=True,
        ),
        Cheat(
            "NotResource",
            _legacy_as(
                _doc({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::none"})
            ),
            frozenset({"no_admin", "ops_only_reads"}),
            from_issue=True,
        ),
        Cheat(
            "a brand-new *:* policy on Ops",
            _then(_solve("02-least-privilege"), _new_star_policy),
            frozenset({"no_admin", "ops_only_reads"}),
            from_issue=True,
        ),
        Cheat(
            "report-reader keeps an inline s3:*",
            _then(_solve("02-least-privilege"), _reader_inline_s3),
            frozenset({"reader_only_reads"}),
        ),
        Cheat(
            "LegacyFullAccess deleted (Ops left with nothing)",
            _drop_legacy,
            frozenset({"ops_reads"}),
        ),
    ),
    "03-create-user": (
        Cheat('password "a"', _password_a, refused="PasswordPolicyViolation", from_issue=True),
        Cheat(
            "developer-user in the wrong group",
            _wrong_group,
            frozenset({"right_group", "ops_unchanged"}),
            from_issue=True,
        ),
        Cheat(
            "Developers also allows everything",
            _then(_solve("03-create-user"), _group_star("Developers")),
            frozenset({"no_admin"}),
        ),
    ),
    "04-mfa": (
        Cheat(
            "console passwords deleted (MFA N/A)",
            _then(_delete_passwords("alice", "bob"), _policy_at_baseline),
            frozenset({"mfa_alice_bob", "alice_console", "bob_console"}),
            from_issue=True,
        ),
        Cheat(
            "MFA for alice, bob's password deleted",
            _then(_mfa("alice"), _delete_passwords("bob"), _policy_at_baseline),
            frozenset({"mfa_alice_bob", "bob_console"}),
        ),
        Cheat(
            "svc-batch's key deleted on the way",
            _then(_solve("04-mfa"), _delete_keys("svc-batch")),
            frozenset({"batch_runs"}),
        ),
    ),
    "05-groups": (
        Cheat(
            "everyone in an empty group",
            _empty_group,
            frozenset({"developers_hold_them", "devs_read_ec2"}),
            from_issue=True,
        ),
        Cheat(
            "dev-c deleted instead of moved",
            _without_dev_c,
            frozenset({"members", "developers_hold_them", "devs_read_ec2"}),
        ),
        Cheat(
            "Developers also allows everything",
            _then(_solve("05-groups"), _group_star("Developers")),
            frozenset({"no_admin"}),
        ),
    ),
    "06-key-rotation": (
        Cheat(
            "app-deploy's keys deleted, none created",
            _then(_delete_keys("app-deploy"), _delete_keys("etl-job", keep_newest=True)),
            frozenset({"deploy_rotated", "deploy_runs"}),
        ),
        Cheat(
            "etl-job's keys both deactivated",
            _then(_solve("06-key-rotation"), _deactivate_keys("etl-job")),
            frozenset({"etl_runs", "etl_rotated"}),
        ),
        Cheat(
            "app-deploy deleted",
            _then(
                _delete_keys("etl-job", keep_newest=True),
                _remove_from_groups_and_delete("app-deploy"),
            ),
            frozenset({"deploy_rotated", "deploy_runs"}),
        ),
    ),
    "07-remove-unused": (
        Cheat(
            "active-dev deleted too",
            _then(_solve("07-remove-unused"), lambda t: _remove_user(t.iam, "active-dev")),
            frozenset({"keep_active", "active_dev_in_group", "active_dev_reads"}),
        ),
        Cheat(
            "Developers' policy detached",
            _then(
                _solve("07-remove-unused"),
                _detach_group("Developers", AWS + "AmazonEC2ReadOnlyAccess"),
            ),
            frozenset({"active_dev_reads"}),
        ),
        Cheat(
            "active-dev taken out of Developers",
            _then(
                _solve("07-remove-unused"),
                lambda t: t.iam.remove_user_from_group(
                    UserName="active-dev", GroupName="Developers"
                ),
            ),
            frozenset({"active_dev_in_group", "active_dev_reads"}),
        ),
    ),
    "08-audit-and-report": (
        Cheat(
            "a second trail, main-trail left as it was",
            _second_trail,
            frozenset({"main_trail_complete"}),
        ),
        Cheat(
            "management events narrowed to write-only",
            _then(_solve("08-audit-and-report"), _write_only_events),
            frozenset({"multi_region_logging", "main_trail_complete"}),
        ),
    ),
    "09-capstone": (
        Cheat(
            "batch job deleted",
            _then(_solve("09-capstone"), _remove_from_groups_and_delete("batch-report")),
            frozenset({"batch_runs", "batch_reads_bucket"}),
            from_issue=True,
        ),
        Cheat(
            "every permission detached",
            _then(
                _solve("09-capstone"),
                _detach_group("Ops", LEGACY),
                _detach_group("Developers", AWS + "AmazonEC2ReadOnlyAccess"),
                _detach_group("Batch", f"arn:aws:iam::{ACCOUNT}:policy/BatchReportRead"),
            ),
            frozenset({"batch_reads_bucket", "ops_lead_works", "dev_sato_works", "keep_dev_sato"}),
            from_issue=True,
        ),
        Cheat(
            "two-character password",
            _two_char_password,
            refused="PasswordPolicyViolation",
            from_issue=True,
        ),
        Cheat(
            "a role that may write user policies",
            _then(_solve("09-capstone"), _escalating_role),
            frozenset({"no_admin"}),
        ),
        Cheat(
            "ops-lead's password deleted (MFA N/A)",
            _then(_solve("09-capstone"), _delete_passwords("ops-lead")),
            frozenset({"people_keep_console"}),
        ),
    ),
    "10-role-trust": (
        Cheat(
            "deploy-role deleted",
            _delete_deploy_role,
            frozenset({"trust_narrowed", "role_still_deploys"}),
        ),
        Cheat("trust widened to the whole account", _trust_account, frozenset({"trust_narrowed"})),
        Cheat(
            "deploy-role's policy detached",
            _then(
                _solve("10-role-trust"),
                lambda t: t.iam.detach_role_policy(RoleName="deploy-role", PolicyArn=DEPLOY_POLICY),
            ),
            frozenset({"role_still_deploys"}),
        ),
        Cheat(
            "audit-readonly opened to everyone",
            _then(_solve("10-role-trust"), _open_audit_role),
            frozenset({"audit_role_unchanged"}),
        ),
        Cheat(
            "ci-runner given iam:*",
            _then(_solve("10-role-trust"), _ci_iam_star),
            frozenset({"no_admin"}),
        ),
    ),
    "11-privilege-escalation": (
        Cheat("fixed without trying the attack", _fix_without_attack, frozenset({"escalated"})),
        Cheat("DeveloperTools deleted", _delete_tools, frozenset({"dev_works", "tools_kept"})),
        Cheat(
            "the admin version kept as a non-default version",
            _keep_admin_version,
            frozenset({"no_rollback"}),
        ),
        Cheat(
            "iam:SetDefaultPolicyVersion kept",
            _keep_set_default,
            frozenset({"door_closed", "no_admin"}),
        ),
        Cheat(
            "dev-kato taken out of Developers",
            _then(
                _solve("11-privilege-escalation"),
                lambda t: t.iam.remove_user_from_group(UserName="dev-kato", GroupName="Developers"),
            ),
            frozenset({"dev_works"}),
        ),
    ),
}
