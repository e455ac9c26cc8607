"""IAM and CloudTrail rules that AWS enforces and moto 5.2 leaves out, patched in for labs.

Each rule follows the documented AWS behaviour (``reportgen/sandbox/README.md`` lists the
pages; the tests in ``tests/sandbox/test_iamrules.py`` name them), because a lab that passes
on the emulator and fails on AWS teaches the wrong thing:

* DeleteUser, DeleteGroup and DeletePolicy refuse with ``DeleteConflict`` while the entity
  still has subordinate entities (moto only checks a user's policies; DeleteRole is already
  faithful).
* Passwords follow the account password policy (or AWS's default one when none is set) on
  CreateLoginProfile, UpdateLoginProfile and ChangePassword (``PasswordPolicyViolation``);
  ChangePassword itself is added.
* A new trail records all management events (moto starts with no event selectors).
* Requests signed with an inactive or deleted access key are refused (:func:`refused_key`,
  applied by the lab server, because moto only checks keys when enforcing permissions).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from moto.cloudtrail import models as trail_models
from moto.core.responses import EmptyResult
from moto.iam import models as iam_models
from moto.iam import responses as iam_responses
from moto.iam.exceptions import DeleteConflictException, IAMException, NotFoundException
from moto.iam.models import iam_backends

_MARK = "_reportgen_iamrules"
# AWS's default password policy when the account has none: 8 characters, three of the four
# character types (IAM User Guide, "Set an account password policy for IAM users").
DEFAULT_MIN_LENGTH = 8
DEFAULT_TYPES_NEEDED = 3
# The symbols IAM counts as non-alphanumeric characters in a password policy.
SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")
DEFAULT_EVENT_SELECTOR: dict[str, Any] = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}


class PasswordPolicyViolation(IAMException):
    """AWS's error when a password does not meet the account password policy."""

    code = "PasswordPolicyViolation"


class InvalidOldPassword(IAMException):
    """ChangePassword with a current password that does not match (the change is refused)."""

    code = "InvalidUserType"


def _types(password: str) -> dict[str, bool]:
    return {
        "upper": any(c in string.ascii_uppercase for c in password),
        "lower": any(c in string.ascii_lowercase for c in password),
        "number": any(c in string.digits for c in password),
        "symbol": any(c in SYMBOLS for c in password),
    }


def password_problems(policy: Any, password: str, history: list[str] | None = None) -> list[str]:
    """What ``password`` lacks under ``policy`` (moto's policy object, or None for the default)."""
    kinds = _types(password)
    if policy is None:
        problems = []
        if len(password) < DEFAULT_MIN_LENGTH:
            problems.append(f"at least {DEFAULT_MIN_LENGTH} characters")
        if sum(kinds.values()) < DEFAULT_TYPES_NEEDED:
            problems.append("three of: uppercase, lowercase, numbers, symbols")
        return problems
    problems = []
    if len(password) < (policy.minimum_password_length or 0):
        problems.append(f"at least {policy.minimum_password_length} characters")
    for flag, kind in (
        ("require_uppercase_characters", "upper"),
        ("require_lowercase_characters", "lower"),
        ("require_numbers", "number"),
        ("require_symbols", "symbol"),
    ):
        if getattr(policy, flag, False) and not kinds[kind]:
            problems.append(f"a character of type {kind}")
    reuse = int(policy.password_reuse_prevention or 0)
    if reuse and history and password in history[-reuse:]:
        problems.append(f"not one of the last {reuse} passwords")
    return problems


def _enforce(backend: Any, user: Any, password: str) -> None:
    problems = password_problems(
        backend.account_password_policy, password, getattr(user, "reportgen_passwords", None)
    )
    if problems:
        raise PasswordPolicyViolation(
            "Password does not conform to the account password policy: needs " + "; ".join(problems)
        )


def _remember(user: Any, password: str) -> None:
    history: list[str] = getattr(user, "reportgen_passwords", [])
    user.reportgen_passwords = [*history, password][-24:]


def _checked_create_login_profile(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, user_name: str, password: str, *args: Any, **kwargs: Any) -> Any:
        user = self.get_user(user_name)
        if not user.password:  # an existing profile is moto's EntityAlreadyExists
            _enforce(self, user, password)
        result = original(self, user_name, password, *args, **kwargs)
        _remember(user, password)
        return result

    return wrapper


def _checked_update_login_profile(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, user_name: str, password: str | None, *args: Any, **kwargs: Any) -> Any:
        user = self.get_user(user_name)
        if password is not None and user.password:
            _enforce(self, user, password)
        result = original(self, user_name, password, *args, **kwargs)
        if password is not None:
            _remember(user, password)
        return result

    return wrapper


def _delete_user(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, user_name: str) -> None:
        user = self.get_user(user_name)
        blockers = [
            ("a login profile", bool(user.password)),
            ("access keys", bool(user.access_keys)),
            ("signing certificates", bool(user.signing_certificates)),
            ("SSH public keys", bool(user.ssh_public_keys)),
            ("MFA devices", bool(user.mfa_devices)),
            ("group memberships", any(user in g.users for g in self.groups.values())),
        ]
        found = [what for what, present in blockers if present]
        if found:
            raise DeleteConflictException(
                "Cannot delete entity, must remove " + ", ".join(found) + " first."
            )
        original(self, user_name)

    return wrapper


def _delete_group(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, group_name: str) -> None:
        group = self.groups.get(group_name)
        if group is not None:
            if group.users:
                raise DeleteConflictException(
                    "Cannot delete entity, must remove users from group first."
                )
            if group.managed_policies:
                raise DeleteConflictException(
                    "Cannot delete entity, must detach all policies first."
                )
            if group.policies:
                raise DeleteConflictException("Cannot delete entity, must delete policies first.")
        original(self, group_name)

    return wrapper


def _delete_policy(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, policy_arn: str) -> None:
        policy = self.managed_policies.get(policy_arn)
        if policy is not None:
            if policy.attachment_count > 0:
                raise DeleteConflictException("Cannot delete a policy attached to entities.")
            if len(policy.versions) > 1:
                raise DeleteConflictException(
                    "This policy has more than one version. Before you delete a policy, "
                    "you must delete the policy's versions. The default version is deleted "
                    "with the policy."
                )
        original(self, policy_arn)

    return wrapper


def _user_of_key(backend: Any, key_id: str | None) -> Any:
    for user in list(backend.users.values()):
        if any(k.access_key_id == key_id for k in user.access_keys):
            return user
    return None


def _respond_change_password(self: Any) -> Any:
    """ChangePassword: the signing user's own password, the old one must match."""
    user = _user_of_key(self.backend, self.get_access_key())
    if user is None or not user.password:
        raise NotFoundException("The user with the signing key has no login profile.")
    if self._get_param("OldPassword") != user.password:
        raise InvalidOldPassword("The old password is not correct.")
    new = self._get_param("NewPassword")
    _enforce(self.backend, user, new)
    user.password = new
    user.password_reset_required = False
    _remember(user, new)
    return EmptyResult()


def _trail_init(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.event_selectors = [dict(DEFAULT_EVENT_SELECTOR)]

    return wrapper


def retire_key(backend: Any, key_id: str) -> None:
    """Remember a deleted key id so that requests signed with it are refused like on AWS."""
    retired: set[str] = getattr(backend, "reportgen_retired_keys", set())
    backend.reportgen_retired_keys = retired | {key_id}


def _delete_access_key(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, access_key_id: str, user_name: str) -> None:
        original(self, access_key_id, user_name)
        retire_key(self, access_key_id)

    return wrapper


def refused_key(account_id: str, key_id: str | None) -> bool:
    """True when ``key_id`` is an IAM user's inactive key or a key deleted in this account.

    AWS answers such requests with ``InvalidClientTokenId`` (403); keys IAM never issued
    (the lab's grader key) are left to the caller.
    """
    if key_id is None:
        return False
    backend = iam_backends[account_id]["aws"]
    if key_id in getattr(backend, "reportgen_retired_keys", set()):
        return True
    user = _user_of_key(backend, key_id)
    if user is None:
        return False
    return any(k.access_key_id == key_id and k.status != "Active" for k in user.access_keys)


def install() -> None:
    """Patch moto in this process (idempotent)."""
    backend_cls: Any = iam_models.IAMBackend
    if getattr(backend_cls, _MARK, False):
        return
    backend_cls.delete_user = _delete_user(backend_cls.delete_user)
    backend_cls.delete_group = _delete_group(backend_cls.delete_group)
    backend_cls.delete_policy = _delete_policy(backend_cls.delete_policy)
    backend_cls.delete_access_key = _delete_access_key(backend_cls.delete_access_key)
    backend_cls.create_login_profile = _checked_create_login_profile(
        backend_cls.create_login_profile
    )
    backend_cls.update_login_profile = _checked_update_login_profile(
        backend_cls.update_login_profile
    )
    response_cls: Any = iam_responses.IamResponse
    response_cls.change_password = _respond_change_password
    trail_cls: Any = trail_models.Trail
    trail_cls.__init__ = _trail_init(trail_cls.__init__)
    setattr(backend_cls, _MARK, True)
