"""Rules for the root user and the account it owns (article section: do not use the root user)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from reportgen.evaluate.findings import EvidenceValue, Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, age_days, future, iso_date, unknown
from reportgen.snapshot.model import CredentialRow, Sentinel, Snapshot, Src, Stamp

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


def no_credentials(root: CredentialRow) -> bool:
    """Root has no password (an explicit ``false``: ``not_supported`` means one is assumed)
    and no active access key: nothing to sign in or call with. This is also how a member
    account whose root credentials are centrally managed by AWS Organizations looks."""
    return root.password_enabled is False and not root.active_keys


def _not_applicable(root: CredentialRow, **extra: EvidenceValue) -> Result:
    return _result(root, Status.NOT_APPLICABLE, reason="root_no_credentials", **extra)


@rule("root_no_access_key", evidence=ROOT_EVIDENCE)
def root_no_access_key(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    yield _result(root, Status.FAIL if root.active_keys else Status.PASS)


@rule("root_mfa_enabled", evidence=ROOT_EVIDENCE)
def root_mfa_enabled(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """MFA on root; NOT_APPLICABLE when root has no password and no key (nothing to protect).

    A root without a password but with an active key and no MFA still FAILs (CIS v5 passes
    it; the key itself is flagged by root_no_access_key)."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    if no_credentials(root) and not root.mfa_active:
        yield _not_applicable(root)
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
    if no_credentials(root):
        # No password and no key: a virtual MFA left on it protects nothing to sign in with.
        yield _not_applicable(root, virtual_mfa=virtual)
        return
    status = Status.PASS if root.mfa_active and not virtual else Status.FAIL
    yield _result(root, status, virtual_mfa=virtual)


@rule(
    "root_not_used_recently",
    params=("window_days",),
    evidence=(
        *ROOT_EVIDENCE,
        "last_used",
        "age_days",
        "threshold",
        "credential",
        "measured_from",
    ),
)
def root_not_used_recently(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """FAIL when root's password or a root key was used within ``window_days`` before the
    moment the data describes (the report's generation time; as_of never moves evidence into
    the past). Sentinels (docs/evidence.md): ``no_information`` on the password and ``N/A``
    on a key mean "not used since AWS began recording"; ``N/A`` on an existing password, or
    any other sentinel, leaves the use unknown."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    window: int = params["window_days"]
    measured = snapshot.report_time
    base: Ev = {"threshold": window, "measured_from": measured.isoformat()}
    has_password = root.password_enabled is not False
    uses: list[tuple[str, Stamp, frozenset[Sentinel]]] = [
        ("password", root.password_last_used, frozenset({Sentinel.NO_INFORMATION})),
        *(
            (f"access_key_{k.slot}", k.last_used_date, frozenset({Sentinel.NOT_APPLICABLE}))
            for k in root.access_keys
        ),
    ]
    dated: list[tuple[datetime, str]] = []
    doubt: tuple[str, str, datetime | None] | None = None  # reason, credential, date
    for what, when, never in uses:
        if isinstance(when, datetime):
            if future(when, snapshot):
                doubt = doubt or ("date_in_future", what, when)
            else:
                dated.append((when, what))
        elif when not in never and (what != "password" or has_password):
            doubt = doubt or ("root_use_unknown", what, None)
    last = max(dated) if dated else None
    recent = last is not None and measured - last[0] < timedelta(days=window)
    if doubt is not None and not recent:  # a recent use FAILs whatever else is unknown
        yield _unknown_use(root, doubt[0], base, doubt[1], doubt[2])
        return
    if last is None:
        yield _result(root, Status.PASS, last_used=None, age_days=None, credential=None, **base)
        return
    yield _result(
        root,
        Status.FAIL if recent else Status.PASS,
        last_used=iso_date(last[0]),
        age_days=age_days(last[0], measured),
        credential=last[1],
        **base,
    )


def _unknown_use(
    root: CredentialRow, reason: str, base: Ev, what: str, when: datetime | None
) -> Result:
    evidence: Ev = {
        **_evidence(root),
        **base,
        "credential": what,
        "last_used": iso_date(when),
        "age_days": None,
    }
    return unknown(root.arn, root.user, reason, evidence=evidence)


@rule(
    "security_contact_registered",
    evidence=("contact", "email", "registered_contacts", "unregistered_contacts"),
)
def security_contact_registered(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """The account has a SECURITY alternate contact, so that AWS's security notices reach the
    security team and not only the root user's mailbox. BILLING and OPERATIONS are evidence."""
    account = snapshot.account
    contacts = snapshot.alternate_contacts
    security = contacts.get("SECURITY")
    registered = [k for k, c in sorted(contacts.items()) if c is not None]
    evidence: Ev = {
        "contact": security.name or security.title or None if security else None,
        "email": security.email or None if security else None,
        "registered_contacts": ", ".join(registered) or None,
        "unregistered_contacts": ", ".join(k for k in sorted(contacts) if k not in registered)
        or None,
    }
    if "SECURITY" not in contacts:  # the source says ok, yet SECURITY was not read
        yield unknown(
            account.id,
            account.display_name,
            "contact_not_read",
            Src.ALTERNATE_CONTACTS,
            evidence=evidence,
        )
        return
    status = Status.PASS if security is not None else Status.FAIL
    yield Result(status, account.id, account.display_name, evidence)
