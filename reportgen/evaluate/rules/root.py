"""Rules for the root user (article section: do not use the root user)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import EvidenceValue, Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, age_days, iso_date, unknown
from reportgen.snapshot.model import CredentialRow, Snapshot

ROOT_EVIDENCE = ("user", "arn", "count", "key_id", "mfa_active", "password_enabled")


def _root(snapshot: Snapshot) -> CredentialRow | Result:
    root = snapshot.root
    if root is None:
        arn = f"arn:{snapshot.account.partition}:iam::{snapshot.account.id}:root"
        evidence: Ev = {"user": "<root_account>", "arn": arn}
        return unknown(arn, "<root_account>", "root_row_missing", evidence=evidence)
    return root


def _evidence(root: CredentialRow) -> Ev:
    active = [f"access_key_{k.slot}" for k in root.active_keys]
    enabled = root.password_enabled
    return {
        "user": root.user,
        "arn": root.arn,
        "count": len(active),
        "key_id": ", ".join(active) or None,
        "mfa_active": root.mfa_active,
        # Older reports say not_supported for root: a password is then assumed (controls.md §1.4).
        "password_enabled": enabled if isinstance(enabled, bool) else None,
    }


def _result(root: CredentialRow, status: Status, **extra: EvidenceValue) -> Result:
    return Result(status, root.arn, root.user, {**_evidence(root), **extra})


@rule("root_no_access_key", evidence=ROOT_EVIDENCE)
def root_no_access_key(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    yield _result(root, Status.FAIL if root.active_keys else Status.PASS)


@rule("root_mfa_enabled", evidence=ROOT_EVIDENCE)
def root_mfa_enabled(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """MFA on root, or no root password at all (CIS v5: nothing to sign in with)."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    ok = root.mfa_active or root.password_enabled is False
    yield _result(root, Status.PASS if ok else Status.FAIL)


@rule("root_hardware_mfa", evidence=(*ROOT_EVIDENCE, "virtual_mfa"))
def root_hardware_mfa(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Root MFA must not be a virtual device (its serial is listed by ListVirtualMFADevices)."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    virtual = any(
        (d.user_arn or "").endswith(":root") or d.serial.endswith(":mfa/root-account-mfa-device")
        for d in snapshot.virtual_mfa_devices
    )
    if root.password_enabled is False and not root.mfa_active and not root.active_keys:
        status = Status.PASS  # no root credentials at all
    else:
        status = Status.PASS if root.mfa_active and not virtual else Status.FAIL
    yield _result(root, status, virtual_mfa=virtual)


@rule(
    "root_not_used_recently",
    params=("window_days",),
    evidence=(*ROOT_EVIDENCE, "last_used", "age_days", "threshold", "credential"),
)
def root_not_used_recently(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """FAIL when root's password or a root key was used within ``window_days`` of as_of."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    window: int = params["window_days"]
    uses = [("password", root.password_last_used)] + [
        (f"access_key_{k.slot}", k.last_used_date) for k in root.access_keys
    ]
    dated = [(when, what) for what, when in uses if isinstance(when, datetime)]
    if not dated:
        yield _result(
            root, Status.PASS, last_used=None, age_days=None, threshold=window, credential=None
        )
        return
    when, what = max(dated)
    age = age_days(when, as_of)
    yield _result(
        root,
        Status.FAIL if age < window else Status.PASS,
        last_used=iso_date(when),
        age_days=age,
        threshold=window,
        credential=what,
    )
