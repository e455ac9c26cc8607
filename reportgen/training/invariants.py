"""Conditions a lab's end state must keep, whatever path the trainee took to the goals.

Each kind returns whether it holds and the values that fill the lab's ``why`` text
(``{principals}``, ``{missing}``, ...), so that a broken invariant says what broke.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportgen.evaluate.policy import PolicyDocumentError, parse_document
from reportgen.snapshot.model import Snapshot
from reportgen.training.access import (
    Decision,
    Who,
    admin_equivalent,
    decide,
    document_is_admin,
    exists,
    may,
)

Verdict = tuple[bool, dict[str, str]]
Kind = Callable[[Snapshot, Mapping[str, Any], Sequence[Any]], Verdict]


def _whos(args: Mapping[str, Any]) -> list[Who]:
    if "role" in args:
        return [Who("role", str(args["role"]))]
    if "users" in args:
        return [Who("user", str(u)) for u in args["users"]]
    return [Who("user", str(args["user"]))]


def _actions(args: Mapping[str, Any]) -> list[str]:
    raw = args.get("actions", args.get("action"))
    return [str(a) for a in (raw if isinstance(raw, list) else [raw])]


def no_admin_except(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """Nobody but ``allowed`` is administrator-equivalent (directly or by escalation)."""
    allowed = {str(a) for a in args.get("allowed", ())}
    extra = [str(w) for w in admin_equivalent(snapshot) if w.name not in allowed]
    return not extra, {"principals": ", ".join(extra)}


def can(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """Each principal exists and is surely allowed every action on ``resource`` (default
    ``*``): a conditional or unreadable allow does not count."""
    target = str(args.get("resource", "*"))
    for who in _whos(args):
        if not exists(snapshot, who):
            return False, {"principal": str(who), "action": ", ".join(_actions(args))}
        for action in _actions(args):
            if decide(snapshot, who, action, target) is not Decision.ALLOW:
                return False, {"principal": str(who), "action": action}
    return True, {}


def cannot(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """No principal may do any of the actions, not even conditionally (on ``resource``, or
    on a resource that no policy names on purpose)."""
    resource = args.get("resource")
    for who in _whos(args):
        hits = [a for a in _actions(args) if may(snapshot, who, a, resource and str(resource))]
        if hits:
            return False, {"principal": str(who), "action": ", ".join(hits)}
    return True, {}


def group_members(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """The group holds the named users (and, with ``exact``, nobody else)."""
    group = str(args["group"])
    wanted = {str(u) for u in args.get("users", ())}
    members = {u.name for u in snapshot.users if group in u.groups}
    missing = sorted(wanted - members)
    extra = sorted(members - wanted) if args.get("exact") else []
    present = any(g.name == group for g in snapshot.groups)
    values = {"group": group, "missing": ", ".join(missing), "extra": ", ".join(extra)}
    return present and not missing and not extra, values


def has_active_key(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """The user still exists and has an active access key (its job can still run)."""
    user = next((u for u in snapshot.users if u.name == args["user"]), None)
    ok = user is not None and user.credentials is not None and bool(user.credentials.active_keys)
    return ok, {"user": str(args["user"])}


def can_sign_in(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """Each named user exists and still has a console password."""
    for who in _whos(args):
        user = next((u for u in snapshot.users if u.name == who.name), None)
        row = user.credentials if user is not None else None
        if row is None or row.password_enabled is not True:
            return False, {"user": who.name}
    return True, {}


def _trusted(document: Any) -> list[str]:
    """The AWS principals a trust policy lets assume the role, as written."""
    found: list[str] = []
    raw = parse_document(document).get("Statement")
    for st in raw if isinstance(raw, list) else [raw]:
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        principal = st.get("Principal")
        if principal == "*":
            found.append("*")
        elif isinstance(principal, dict):
            value = principal.get("AWS", [])
            found += [str(v) for v in (value if isinstance(value, list) else [value])]
    return found


def trust_only(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """The role exists and only the listed principals (ARNs) may assume it."""
    role = next((r for r in snapshot.roles if r.name == args["role"]), None)
    if role is None:
        return False, {"role": str(args["role"]), "principals": "-"}
    try:
        trusted = _trusted(role.assume_role_policy)
    except PolicyDocumentError:
        return False, {"role": role.name, "principals": json.dumps(role.assume_role_policy)}
    allowed = {str(p) for p in args.get("principals", ())}
    extra = [p for p in trusted if p not in allowed]
    return not extra and bool(trusted), {"role": role.name, "principals": ", ".join(extra)}


def trail_logging(snapshot: Snapshot, args: Mapping[str, Any], _: Sequence[Any]) -> Verdict:
    """The named trail covers all regions, is logging, records all management events and
    validates its log files."""
    trail = next((t for t in snapshot.trails if t.name == args["trail"]), None)
    ok = trail is not None and (
        trail.is_multi_region
        and trail.is_logging is True
        and trail.management_events_all is True
        and trail.log_file_validation
    )
    return ok, {"trail": str(args["trail"])}


def policy_versions(snapshot_bytes: bytes) -> dict[str, list[tuple[str, bool, Any]]]:
    """Every version of every managed policy in a collected snapshot, by policy name:
    ``(version id, is default, document)`` (the model keeps only the default)."""
    document = json.loads(snapshot_bytes.decode("utf-8"))
    details = (document.get("data") or {}).get("authorization_details") or {}
    found: dict[str, list[tuple[str, bool, Any]]] = {}
    for policy in details.get("Policies") or []:
        found[str(policy.get("PolicyName"))] = [
            (str(v.get("VersionId")), bool(v.get("IsDefaultVersion")), v.get("Document"))
            for v in policy.get("PolicyVersionList") or []
        ]
    return found


def old_versions_safe(
    versions: Mapping[str, list[tuple[str, bool, Any]]], args: Mapping[str, Any], account_id: str
) -> Verdict:
    """No kept version of the policy other than the default would make an administrator if it
    were set as default again (the rollback path an attacker, or a mistake, can take)."""
    name = str(args["policy"])
    risky = [
        vid
        for vid, default, document in versions.get(name, [])
        if not default and document_is_admin(document, account_id)
    ]
    return not risky, {"policy": name, "versions": ", ".join(risky)}


KINDS: Mapping[str, Kind] = {
    "can_sign_in": can_sign_in,
    "trail_logging": trail_logging,
    "no_admin_except": no_admin_except,
    "can": can,
    "cannot": cannot,
    "group_members": group_members,
    "has_active_key": has_active_key,
    "trust_only": trust_only,
}
