"""What each lab goal is about: the users, groups, roles and policies its check or assertion
names, with what decides their permissions, and a fingerprint of just those parts.

The hint ladder compares these fingerprints so that work on one goal's resource does not
climb another goal's ladder. A goal whose resources cannot be named returns ``None`` here and
is compared by the whole account instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportgen.snapshot.model import ManagedPolicy, Snapshot
from reportgen.training.labspec import Goal

# Assertion kinds whose verdict depends only on the principals and policies their arguments
# name. Left out on purpose, so compared by the whole account: ``signed_by`` and
# ``escalated_by`` (graded from the request log, which no snapshot holds), ``no_admin_except``
# (every principal) and ``trail_logging`` (a CloudTrail trail, not an IAM resource). A kind
# added later is left out too until it is listed here.
_NAMED_KINDS = frozenset(
    {
        "user_exists",
        "user_absent",
        "user_in_group",
        "group_has_policy",
        "user_has_policy",
        "user_lacks_policy",
        "no_active_keys",
        "old_versions_safe",
        "can",
        "cannot",
        "can_sign_in",
        "group_members",
        "has_active_key",
        "trust_only",
    }
)
_NAME_KEYS = ("user", "users", "group", "role", "policy")
_ARN_KEYS = ("resource", "principals")  # e.g. arn:aws:iam::123456789012:role/deploy-role
_IAM_ARN = re.compile(r"arn:aws[\w-]*:iam::\d{12}:(?:user|group|role|policy)/(?:.*/)?([^/]+)")

Versions = Mapping[str, Sequence[tuple[str, bool, Any]]]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


def goal_names(goal: Goal) -> tuple[str, ...] | None:
    """The names of the IAM resources ``goal`` is about, or ``None`` when they cannot be told
    (a check over every resource, or an assertion kind about the whole account)."""
    if goal.check is not None:
        return goal.check.resources or None
    assertion = goal.assertion
    if assertion is None or assertion.kind not in _NAMED_KINDS:
        return None
    args = assertion.args
    names = [n for key in _NAME_KEYS if key in args for n in _strings(args[key])]
    for key in _ARN_KEYS:
        for value in _strings(args.get(key, [])):
            found = _IAM_ARN.fullmatch(value)
            names += [found.group(1)] if found else []
    return tuple(dict.fromkeys(names)) or None


def _plain(item: Any) -> Any:
    """A dataclass as JSON-able data, without the credential report's line number (it moves
    when another user is added or deleted)."""
    data = dataclasses.asdict(item)
    if isinstance(data.get("credentials"), dict):
        data["credentials"].pop("line", None)
    return data


def _described(snapshot: Snapshot, names: Iterable[str], versions: Versions) -> dict[str, Any]:
    """Each named resource (absent ones included, so creating one is a change) with the groups
    and managed policies that decide its permissions."""
    users = {u.name: u for u in snapshot.users}
    groups = {g.name: g for g in snapshot.groups}
    roles = {r.name: r for r in snapshot.roles}
    by_name = {p.name: p for p in snapshot.policies}
    by_arn = {p.arn: p for p in snapshot.policies}
    parts: dict[str, Any] = {}
    arns: set[str] = set()

    def group(name: str) -> None:
        found = groups.get(name)
        parts[f"group:{name}"] = _plain(found) if found else None
        if found is not None:
            arns.update(p.arn for p in found.attached_policies)

    for name in names:
        user, role, policy = users.get(name), roles.get(name), by_name.get(name)
        parts[f"user:{name}"] = _plain(user) if user else None
        parts[f"role:{name}"] = _plain(role) if role else None
        parts[f"policy:{name}"] = _plain(policy) if policy else None
        parts[f"versions:{name}"] = list(versions.get(name, ()))
        if user is not None:
            devices = [d for d in snapshot.virtual_mfa_devices if d.user_arn == user.arn]
            parts[f"mfa:{name}"] = sorted(d.serial for d in devices)
            for group_name in user.groups:
                group(group_name)
        for principal in (user, role):
            if principal is not None:
                arns.update(p.arn for p in principal.attached_policies)
                if principal.permissions_boundary:
                    arns.add(principal.permissions_boundary)
        if name in groups:
            group(name)
        # Members count for a group the goal names (group_members), not for a user's group.
        parts[f"members:{name}"] = sorted(u.name for u in snapshot.users if name in u.groups)
    for arn in sorted(arns):
        managed: ManagedPolicy | None = by_arn.get(arn)
        # Who else holds the policy is not this goal's business: leave the count out.
        parts[f"attached:{arn}"] = (
            {k: v for k, v in _plain(managed).items() if k != "attachment_count"}
            if managed
            else None
        )
        if managed is not None:
            parts[f"versions:{managed.name}"] = list(versions.get(managed.name, ()))
    return parts


def goal_fingerprints(
    goals: Sequence[Goal], snapshot: Snapshot, versions: Versions
) -> dict[str, str]:
    """A fingerprint of what each goal is about, for the goals whose resources can be named;
    the others are left out (the caller compares them by the whole account)."""
    prints: dict[str, str] = {}
    for goal in goals:
        names = goal_names(goal)
        if names is None:
            continue
        document = _described(snapshot, names, versions)
        encoded = json.dumps(document, sort_keys=True, default=str).encode("utf-8")
        prints[goal.id] = hashlib.sha256(encoded).hexdigest()
    return prints
