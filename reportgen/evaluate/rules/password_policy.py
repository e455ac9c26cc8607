"""Rules for the account password policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.snapshot.model import Snapshot

# A missing policy (NoSuchEntity) is expected as source "ok" with no policy: a FAIL of
# password_policy_present, not an UNKNOWN.
EVIDENCE = ("policy_present", "min_length", "reuse", "threshold")


def _account(snapshot: Snapshot, status: Status, **evidence: int | bool | None) -> Result:
    policy = snapshot.password_policy
    base = {
        "policy_present": policy is not None,
        "min_length": policy.minimum_length if policy else None,
        "reuse": policy.reuse_prevention if policy else None,
        "threshold": None,
    }
    account = snapshot.account
    return Result(status, account.id, account.display_name, {**base, **evidence})


@rule("password_policy_present", evidence=EVIDENCE)
def password_policy_present(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    yield _account(snapshot, Status.PASS if snapshot.password_policy else Status.FAIL)


def _setting(snapshot: Snapshot, actual: int | None, wanted: int) -> Result:
    # Without a policy the setting does not exist: a missing control fails every check that
    # needs it (docs/scoring.md: removing a weak policy must never raise the score).
    if snapshot.password_policy is None:
        return Result(
            Status.FAIL,
            snapshot.account.id,
            snapshot.account.display_name,
            {
                "policy_present": False,
                "min_length": None,
                "reuse": None,
                "threshold": wanted,
                "reason": "no_password_policy",
            },
        )
    ok = actual is not None and actual >= wanted
    return _account(snapshot, Status.PASS if ok else Status.FAIL, threshold=wanted)


@rule("password_min_length", params=("min_length",), evidence=EVIDENCE)
def password_min_length(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Minimum length at least ``min_length``."""
    policy = snapshot.password_policy
    yield _setting(snapshot, policy.minimum_length if policy else None, params["min_length"])


@rule("password_reuse_prevention", params=("reuse_count",), evidence=EVIDENCE)
def password_reuse_prevention(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Remembers at least ``reuse_count`` previous passwords (24, the IAM maximum, by default)."""
    policy = snapshot.password_policy
    yield _setting(snapshot, policy.reuse_prevention if policy else None, params["reuse_count"])
