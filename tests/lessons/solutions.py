"""Reference solutions of the labs, applied through boto3 as a trainee would with the aws CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3

from reportgen.training.runner import LabState

AWS = "arn:aws:iam::aws:policy/"
ACCOUNT = "123456789012"
READ_ONLY_OPS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "ec2:Describe*",
                "cloudwatch:Get*",
                "cloudwatch:List*",
                "cloudwatch:Describe*",
            ],
            "Resource": "*",
        }
    ],
}


class Trainee:
    """boto3 clients against the lab endpoint with the trainee's (or another) key."""

    def __init__(self, state: LabState) -> None:
        self.state = state
        self.key = (state.trainee.access_key_id, state.trainee.secret_access_key)

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.state.endpoint,
            region_name=self.state.region,
            aws_access_key_id=self.key[0],
            aws_secret_access_key=self.key[1],
        )

    @property
    def iam(self) -> Any:
        return self.client("iam")


def _keys(iam: Any, user: str) -> list[dict[str, Any]]:
    keys: list[dict[str, Any]] = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    return sorted(keys, key=lambda k: k["CreateDate"])


def _remove_user(iam: Any, user: str) -> None:
    """Clean up a user in the order IAM requires, then delete it."""
    iam.delete_login_profile(UserName=user)
    for key in _keys(iam, user):
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    for device in iam.list_mfa_devices(UserName=user)["MFADevices"]:
        iam.deactivate_mfa_device(UserName=user, SerialNumber=device["SerialNumber"])
        iam.delete_virtual_mfa_device(SerialNumber=device["SerialNumber"])
    for group in iam.list_groups_for_user(UserName=user)["Groups"]:
        iam.remove_user_from_group(UserName=user, GroupName=group["GroupName"])
    iam.delete_user(UserName=user)


def _use_key(trainee: Trainee, key: dict[str, Any]) -> None:
    """Make one call with ``key``, as the application does once it is switched over."""
    as_app = Trainee(trainee.state)
    as_app.key = (key["AccessKeyId"], key["SecretAccessKey"])
    as_app.client("sts").get_caller_identity()


def _enable_mfa(iam: Any, user: str) -> None:
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=user)["VirtualMFADevice"]
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=serial["SerialNumber"],
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )


def _narrow_legacy(iam: Any) -> None:
    iam.create_policy_version(
        PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/LegacyFullAccess",
        PolicyDocument=json.dumps(READ_ONLY_OPS),
        SetAsDefault=True,
    )


def _strong_passwords(iam: Any) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24)


def _fix_trail(trainee: Trainee) -> None:
    trail = trainee.client("cloudtrail")
    trail.update_trail(Name="main-trail", IsMultiRegionTrail=True, EnableLogFileValidation=True)
    trail.start_logging(Name="main-trail")


def lab01(trainee: Trainee) -> None:
    iam = trainee.iam  # the bootstrap (root-like) key
    iam.create_user(UserName="daily-admin")
    iam.attach_user_policy(UserName="daily-admin", PolicyArn=AWS + "AdministratorAccess")
    key = iam.create_access_key(UserName="daily-admin")["AccessKey"]
    trainee.key = (key["AccessKeyId"], key["SecretAccessKey"])  # switch to the administrator
    admin = trainee.iam
    admin.create_user(UserName="developer-user")
    admin.update_access_key(
        UserName="bootstrap", AccessKeyId=trainee.state.trainee.access_key_id, Status="Inactive"
    )


def lab02(trainee: Trainee) -> None:
    iam = trainee.iam
    _narrow_legacy(iam)
    iam.detach_user_policy(UserName="report-reader", PolicyArn=AWS + "AdministratorAccess")
    iam.attach_user_policy(UserName="report-reader", PolicyArn=AWS + "AmazonS3ReadOnlyAccess")


def lab03(trainee: Trainee) -> None:
    iam = trainee.iam
    iam.create_group(GroupName="Developers")
    iam.attach_group_policy(GroupName="Developers", PolicyArn=AWS + "AmazonS3ReadOnlyAccess")
    iam.create_user(UserName="developer-user")
    iam.create_login_profile(
        UserName="developer-user", Password="Lab-Start-Passw0rd!", PasswordResetRequired=True
    )
    iam.add_user_to_group(UserName="developer-user", GroupName="Developers")


def lab04(trainee: Trainee) -> None:
    iam = trainee.iam
    for user in ("alice", "bob"):
        _enable_mfa(iam, user)
    _strong_passwords(iam)


def lab05(trainee: Trainee) -> None:
    iam = trainee.iam
    iam.create_group(GroupName="Developers")
    iam.attach_group_policy(GroupName="Developers", PolicyArn=AWS + "AmazonEC2ReadOnlyAccess")
    for user in ("dev-a", "dev-b", "dev-c"):
        iam.add_user_to_group(UserName=user, GroupName="Developers")
        iam.detach_user_policy(UserName=user, PolicyArn=AWS + "AmazonEC2ReadOnlyAccess")
    iam.delete_user_policy(UserName="dev-c", PolicyName="dev-c-extra")


def lab06(trainee: Trainee) -> None:
    iam = trainee.iam
    old = _keys(iam, "app-deploy")[0]["AccessKeyId"]
    iam.create_access_key(UserName="app-deploy")
    iam.update_access_key(UserName="app-deploy", AccessKeyId=old, Status="Inactive")
    iam.delete_access_key(UserName="app-deploy", AccessKeyId=old)
    oldest = _keys(iam, "etl-job")[0]["AccessKeyId"]
    iam.delete_access_key(UserName="etl-job", AccessKeyId=oldest)


def lab07(trainee: Trainee) -> None:
    iam = trainee.iam
    _remove_user(iam, "former-employee")
    _remove_user(iam, "old-contractor")


def lab08(trainee: Trainee) -> None:
    _fix_trail(trainee)


def lab09(trainee: Trainee) -> None:
    iam = trainee.iam
    _enable_mfa(iam, "ops-lead")
    for key in _keys(iam, "ops-lead"):  # a console user needs no key
        iam.delete_access_key(UserName="ops-lead", AccessKeyId=key["AccessKeyId"])
    old_batch = _keys(iam, "batch-report")[0]["AccessKeyId"]
    new = iam.create_access_key(UserName="batch-report")["AccessKey"]
    _use_key(trainee, new)  # the batch job switches to the new key and runs
    iam.delete_access_key(UserName="batch-report", AccessKeyId=old_batch)
    iam.delete_access_key(UserName="dev-sato", AccessKeyId=_keys(iam, "dev-sato")[0]["AccessKeyId"])
    _remove_user(iam, "ex-suzuki")
    iam.detach_user_policy(UserName="ops-lead", PolicyArn=AWS + "AdministratorAccess")
    iam.detach_user_policy(UserName="dev-sato", PolicyArn=AWS + "AmazonEC2ReadOnlyAccess")
    iam.add_user_to_group(UserName="dev-sato", GroupName="Developers")
    _narrow_legacy(iam)
    _strong_passwords(iam)
    _fix_trail(trainee)


DEPLOY_ROLE = f"arn:aws:iam::{ACCOUNT}:role/deploy-role"
CI_RUNNER = f"arn:aws:iam::{ACCOUNT}:user/ci-runner"


def trust(*principals: str) -> str:
    """A trust policy that lets ``principals`` (ARNs, or "*") assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": list(principals)},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def _let_ci_assume(iam: Any) -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": DEPLOY_ROLE}],
    }
    iam.put_group_policy(
        GroupName="Automation", PolicyName="assume-deploy-role", PolicyDocument=json.dumps(document)
    )


def lab10(trainee: Trainee) -> None:
    iam = trainee.iam
    iam.update_assume_role_policy(RoleName="deploy-role", PolicyDocument=trust(CI_RUNNER))
    _let_ci_assume(iam)


TOOLS = f"arn:aws:iam::{ACCOUNT}:policy/DeveloperTools"
EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
TOOLS_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*"],
            "Resource": "*",
        }
    ],
}


def escalate(trainee: Trainee) -> None:
    """As dev-kato: a new default version of DeveloperTools that allows everything."""
    trainee.iam.create_policy_version(
        PolicyArn=TOOLS, PolicyDocument=json.dumps(EVERYTHING), SetAsDefault=True
    )


def narrow_tools(iam: Any, document: dict[str, Any] = TOOLS_READ) -> None:
    iam.create_policy_version(
        PolicyArn=TOOLS, PolicyDocument=json.dumps(document), SetAsDefault=True
    )


def drop_old_versions(iam: Any) -> None:
    for version in iam.list_policy_versions(PolicyArn=TOOLS)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=TOOLS, VersionId=version["VersionId"])


def lab11(trainee: Trainee) -> None:
    escalate(trainee)
    narrow_tools(trainee.iam)
    drop_old_versions(trainee.iam)


SOLUTIONS: dict[str, Callable[[Trainee], None]] = {
    "01-root-user": lab01,
    "02-least-privilege": lab02,
    "03-create-user": lab03,
    "04-mfa": lab04,
    "05-groups": lab05,
    "06-key-rotation": lab06,
    "07-remove-unused": lab07,
    "08-audit-and-report": lab08,
    "09-capstone": lab09,
    "10-role-trust": lab10,
    "11-privilege-escalation": lab11,
}
