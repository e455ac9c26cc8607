"""Rules for permissions through IAM groups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, unknown_if_incomplete
from reportgen.snapshot.model import Snapshot


@rule("user_no_direct_policies", evidence=("user", "arn", "policies", "count"))
def user_no_direct_policies(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """No managed or inline policy directly on a user: permissions come through groups."""
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        if (gap := unknown_if_incomplete(snapshot, user.arn, user.name)) is not None:
            yield gap
            continue
        names = [p.name for p in user.attached_policies] + [p.name for p in user.inline_policies]
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "policies": ", ".join(names) or None,
            "count": len(names),
        }
        yield Result(Status.FAIL if names else Status.PASS, user.arn, user.name, evidence)


@rule("user_in_group", evidence=("user", "arn", "group_count", "groups"))
def user_in_group(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every user belongs to at least one group."""
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        # A group missing from the details still proves membership; only an absent user is unknown.
        gap = unknown_if_incomplete(snapshot, user.arn, user.name)
        if gap is not None and snapshot.principal_gaps[user.arn] == "user_not_in_details":
            yield gap
            continue
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "group_count": len(user.groups),
            "groups": ", ".join(user.groups) or None,
        }
        yield Result(Status.PASS if user.groups else Status.FAIL, user.arn, user.name, evidence)
