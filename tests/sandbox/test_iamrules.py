"""The emulator refuses what AWS refuses: delete conflicts, weak passwords, old policy versions.

Each test names the AWS documentation page whose behaviour it checks.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reportgen.sandbox import fidelity, iamrules
from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID

DOC = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
)
STRONG = "Corr3ct-Horse-Battery!"


@pytest.fixture
def iam(iam: Any) -> Any:
    fidelity.install()
    return iam


def _code(caught: pytest.ExceptionInfo[ClientError]) -> str:
    return str(caught.value.response["Error"]["Code"])


@pytest.mark.parametrize(
    "subordinate",
    ["login_profile", "access_key", "mfa", "group", "ssh_key"],
)
def test_delete_user_with_subordinates_conflicts(iam: Any, subordinate: str) -> None:
    """IAM API Reference, DeleteUser: "you must delete the items attached to the user
    manually" (password, keys, certificates, SSH keys, MFA devices, groups) or DeleteConflict."""
    iam.create_user(UserName="u")
    if subordinate == "login_profile":
        iam.create_login_profile(UserName="u", Password=STRONG)
    elif subordinate == "access_key":
        iam.create_access_key(UserName="u")
    elif subordinate == "mfa":
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="u")["VirtualMFADevice"]
        iam.enable_mfa_device(
            UserName="u",
            SerialNumber=serial["SerialNumber"],
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    elif subordinate == "group":
        iam.create_group(GroupName="g")
        iam.add_user_to_group(UserName="u", GroupName="g")
    else:
        iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody="ssh-rsa AAAAB3NzaC1yc2E x")
    with pytest.raises(ClientError) as caught:
        iam.delete_user(UserName="u")
    assert _code(caught) == "DeleteConflict"
    assert iam.get_user(UserName="u")["User"]["UserName"] == "u"


def test_delete_user_without_subordinates_succeeds(iam: Any) -> None:
    """A user with nothing attached is deleted (DeleteUser)."""
    iam.create_user(UserName="u")
    iam.delete_user(UserName="u")
    assert iam.list_users()["Users"] == []


@pytest.mark.parametrize("blocker", ["member", "managed", "inline"])
def test_delete_group_with_members_or_policies_conflicts(iam: Any, blocker: str) -> None:
    """IAM API Reference, DeleteGroup: "The group must not contain any users or have any
    attached policies" (DeleteConflict)."""
    iam.create_group(GroupName="g")
    if blocker == "member":
        iam.create_user(UserName="u")
        iam.add_user_to_group(UserName="u", GroupName="g")
    elif blocker == "managed":
        arn = iam.create_policy(PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
        iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    else:
        iam.put_group_policy(GroupName="g", PolicyName="p", PolicyDocument=DOC)
    with pytest.raises(ClientError) as caught:
        iam.delete_group(GroupName="g")
    assert _code(caught) == "DeleteConflict"


def test_delete_policy_attached_or_versioned_conflicts(iam: Any) -> None:
    """IAM API Reference, DeletePolicy: detach it from every entity and delete its
    non-default versions first (DeleteConflict)."""
    arn = iam.create_policy(PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    with pytest.raises(ClientError) as caught:
        iam.delete_policy(PolicyArn=arn)
    assert _code(caught) == "DeleteConflict"
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC, SetAsDefault=True)
    with pytest.raises(ClientError) as caught:
        iam.delete_policy(PolicyArn=arn)
    assert _code(caught) == "DeleteConflict"
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy(PolicyArn=arn)


def test_delete_role_with_policies_conflicts(iam: Any) -> None:
    """IAM API Reference, DeleteRole: remove attached and inline policies first."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="r", PolicyName="p", PolicyDocument=DOC)
    with pytest.raises(ClientError) as caught:
        iam.delete_role(RoleName="r")
    assert _code(caught) == "DeleteConflict"


def test_a_managed_policy_keeps_at_most_five_versions(iam: Any) -> None:
    """IAM API Reference, CreatePolicyVersion: "A managed policy can have up to five
    versions" (LimitExceeded); the default version cannot be deleted (DeleteConflict)."""
    arn = iam.create_policy(PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC)
    with pytest.raises(ClientError) as caught:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC)
    assert _code(caught) == "LimitExceeded"
    with pytest.raises(ClientError) as caught:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    assert _code(caught) == "DeleteConflict"


@pytest.mark.parametrize("password", ["a", "abcdefgh", "ABCDEFG1", "Ab1!"])
def test_default_password_policy_applies_when_none_is_set(iam: Any, password: str) -> None:
    """IAM User Guide, "Set an account password policy": without a custom policy, passwords
    need 8 characters and three of uppercase, lowercase, numbers and symbols."""
    iam.create_user(UserName="u")
    with pytest.raises(ClientError) as caught:
        iam.create_login_profile(UserName="u", Password=password)
    assert _code(caught) == "PasswordPolicyViolation"
    iam.create_login_profile(UserName="u", Password="Abcdefg1")


def test_custom_password_policy_is_enforced_on_update(iam: Any) -> None:
    """UpdateLoginProfile: a password below the account policy is PasswordPolicyViolation."""
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=STRONG)
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
    for weak in ("ab", "Abcdefghijklm1", "Abcdefghijklmnop1"):
        with pytest.raises(ClientError) as caught:
            iam.update_login_profile(UserName="u", Password=weak)
        assert _code(caught) == "PasswordPolicyViolation"
    iam.update_login_profile(UserName="u", Password="Abcdefghijklmn1!")


def test_password_reuse_prevention_is_enforced(iam: Any) -> None:
    """IAM password policy "Prevent password reuse": one of the last N passwords is refused."""
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=3)
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=STRONG)
    iam.update_login_profile(UserName="u", Password="Other-Passw0rd!")
    with pytest.raises(ClientError) as caught:
        iam.update_login_profile(UserName="u", Password=STRONG)
    assert _code(caught) == "PasswordPolicyViolation"


def test_change_password_checks_old_password_and_policy(iam: Any) -> None:
    """IAM API Reference, ChangePassword: the caller changes their own password; the new one
    must meet the policy (PasswordPolicyViolation)."""
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=STRONG)
    key = iam.create_access_key(UserName="u")["AccessKey"]
    own = boto3.client(
        "iam",
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    with pytest.raises(ClientError) as caught:
        own.change_password(OldPassword=STRONG, NewPassword="short")
    assert _code(caught) == "PasswordPolicyViolation"
    with pytest.raises(ClientError):
        own.change_password(OldPassword="wrong", NewPassword="New-Passw0rd-Long!")
    own.change_password(OldPassword=STRONG, NewPassword="New-Passw0rd-Long!")


def test_new_trail_records_all_management_events(aws: None) -> None:
    """CloudTrail User Guide, "Logging management events": a new trail logs read and write
    management events by default."""
    fidelity.install()
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="trail-bucket")
    trail = boto3.client("cloudtrail", region_name="us-east-1")
    trail.create_trail(Name="main-trail", S3BucketName="trail-bucket")
    (selector,) = trail.get_event_selectors(TrailName="main-trail")["EventSelectors"]
    assert selector["ReadWriteType"] == "All" and selector["IncludeManagementEvents"] is True


def test_inactive_and_deleted_keys_are_refused(iam: Any) -> None:
    """IAM User Guide, "Manage access keys": an inactive key cannot be used to sign requests;
    a deleted key is gone for good (InvalidClientTokenId on AWS)."""
    iam.create_user(UserName="u")
    first = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    second = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    assert not iamrules.refused_key(DEFAULT_ACCOUNT_ID, first)
    iam.update_access_key(UserName="u", AccessKeyId=first, Status="Inactive")
    iam.delete_access_key(UserName="u", AccessKeyId=second)
    assert iamrules.refused_key(DEFAULT_ACCOUNT_ID, first)
    assert iamrules.refused_key(DEFAULT_ACCOUNT_ID, second)
    assert not iamrules.refused_key(DEFAULT_ACCOUNT_ID, "AKIANEVERISSUED00000")
