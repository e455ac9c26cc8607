"""Rules for the account password policy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.snapshot.model import PasswordPolicy, Snapshot

# A missing policy (NoSuchEntity) is expected as source "ok" with no policy: a FAIL of
# password_policy_present, not an UNKNOWN.
EVIDENCE = ("policy_present", "min_length", "reuse", "max_age", "threshold", "cli_options")

# The baseline a new policy starts from (docs/checks.md): 14 characters, 24 remembered
# passwords, every character class, users may change their own password.
BASELINE = PasswordPolicy(
    minimum_length=14,
    require_symbols=True,
    require_numbers=True,
    require_uppercase=True,
    require_lowercase=True,
    allow_users_to_change=True,
    max_password_age=None,
    reuse_prevention=24,
    hard_expiry=False,
)
SWITCHES = (
    ("require_symbols", "require-symbols"),
    ("require_numbers", "require-numbers"),
    ("require_uppercase", "require-uppercase-characters"),
    ("require_lowercase", "require-lowercase-characters"),
    ("allow_users_to_change", "allow-users-to-change-password"),
    ("hard_expiry", "hard-expiry"),
)


def cli_options(policy: PasswordPolicy | None, **raised: int) -> str:
    """Options of ``aws iam update-account-password-policy`` that raise only ``raised``.

    The command resets every setting it is not given, so the options repeat each current
    setting as it is (the baseline when there is no policy yet): copying the suggested
    command never weakens a stricter policy. Only numbers and fixed flags: safe in a shell.
    """
    current = policy or BASELINE
    length = max(current.minimum_length or 0, raised.get("minimum_length", 0)) or None
    reuse = max(current.reuse_prevention or 0, raised.get("reuse_prevention", 0)) or None
    options = [f"--minimum-password-length {length}"] if length else []
    for field, flag in SWITCHES:
        on = getattr(current, field) or bool(raised.get(field))
        options.append(f"--{flag}" if on else f"--no-{flag}")
    age = current.max_password_age
    wanted_age = raised.get("max_password_age")
    if wanted_age and (not age or age > wanted_age):
        age = wanted_age
    if age:
        options.append(f"--max-password-age {age}")
    if reuse:
        options.append(f"--password-reuse-prevention {reuse}")
    return " ".join(options)


def _account(snapshot: Snapshot, status: Status, **evidence: int | bool | str | None) -> Result:
    policy = snapshot.password_policy
    base = {
        "policy_present": policy is not None,
        "min_length": policy.minimum_length if policy else None,
        "reuse": policy.reuse_prevention if policy else None,
        "max_age": policy.max_password_age if policy else None,
        "threshold": None,
        "cli_options": cli_options(policy),
    }
    account = snapshot.account
    return Result(status, account.id, account.display_name, {**base, **evidence})


@rule("password_policy_present", evidence=EVIDENCE)
def password_policy_present(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    yield _account(snapshot, Status.PASS if snapshot.password_policy else Status.FAIL)


def _no_policy(snapshot: Snapshot, threshold: int | None = None, **raised: int) -> Result:
    """FAIL: without a policy no requirement is enforced (a missing control never passes)."""
    account = snapshot.account
    evidence = {
        "policy_present": False,
        "min_length": None,
        "reuse": None,
        "max_age": None,
        "threshold": threshold,
        "cli_options": cli_options(None, **raised),
        "reason": "no_password_policy",
    }
    return Result(Status.FAIL, account.id, account.display_name, evidence)


def _setting(snapshot: Snapshot, actual: int | None, wanted: int, option: str) -> Result:
    # Without a policy the setting does not exist: a missing control fails every check that
    # needs it (docs/scoring.md: removing a weak policy must never raise the score).
    if snapshot.password_policy is None:
        return _no_policy(snapshot, threshold=wanted, **{option: wanted})
    ok = actual is not None and actual >= wanted
    options = cli_options(snapshot.password_policy, **{option: wanted})
    return _account(
        snapshot, Status.PASS if ok else Status.FAIL, threshold=wanted, cli_options=options
    )


@rule("password_min_length", params=("min_length",), evidence=EVIDENCE)
def password_min_length(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Minimum length at least ``min_length``."""
    policy = snapshot.password_policy
    yield _setting(
        snapshot, policy.minimum_length if policy else None, params["min_length"], "minimum_length"
    )


@rule("password_reuse_prevention", params=("reuse_count",), evidence=EVIDENCE)
def password_reuse_prevention(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Remembers at least ``reuse_count`` previous passwords (24, the IAM maximum, by default)."""
    policy = snapshot.password_policy
    yield _setting(
        snapshot,
        policy.reuse_prevention if policy else None,
        params["reuse_count"],
        "reuse_prevention",
    )


def _required(snapshot: Snapshot, field: str) -> Result:
    """PASS when the policy requires the character class ``field`` names, else FAIL."""
    policy = snapshot.password_policy
    if policy is None:
        return _no_policy(snapshot, **{field: True})
    ok = bool(getattr(policy, field))
    return _account(
        snapshot,
        Status.PASS if ok else Status.FAIL,
        cli_options=cli_options(policy, **{field: True}),
    )


# Character classes, each its own check (Security Hub IAM.11-IAM.14): check id -> policy field.
REQUIRED_CLASSES = {
    "password_requires_uppercase": "require_uppercase",
    "password_requires_lowercase": "require_lowercase",
    "password_requires_symbols": "require_symbols",
    "password_requires_numbers": "require_numbers",
}


def _class_rule(field: str) -> Callable[[Snapshot, Params, datetime], Iterator[Result]]:
    def check(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
        yield _required(snapshot, field)

    return check


for _check_id, _field in REQUIRED_CLASSES.items():
    rule(_check_id, evidence=EVIDENCE)(_class_rule(_field))


@rule("password_expires", params=("max_age_days",), evidence=EVIDENCE)
def password_expires(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Passwords expire within ``max_age_days`` (Security Hub IAM.17: 90 days or less)."""
    policy = snapshot.password_policy
    wanted = params["max_age_days"]
    if policy is None:
        yield _no_policy(snapshot, threshold=wanted, max_password_age=wanted)
        return
    age = policy.max_password_age
    ok = age is not None and 0 < age <= wanted
    yield _account(
        snapshot,
        Status.PASS if ok else Status.FAIL,
        threshold=wanted,
        cli_options=cli_options(policy, max_password_age=wanted),
    )
