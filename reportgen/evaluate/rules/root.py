"""Rules for the root user and the account it owns (article section: do not use the root user)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from reportgen.evaluate.findings import EvidenceValue, Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, age_days, future, iso_date, unknown
from reportgen.snapshot.model import CredentialRow, Sentinel, Snapshot, Src, Stamp

ROOT_EVIDENCE = (
    "user",
    "arn",
    "count",
    "key_id",
    "mfa_active",
    "password_enabled",
    "organization",
)
CENTRAL = "root_centrally_managed"


def _root(snapshot: Snapshot) -> CredentialRow | Result:
    root = snapshot.root
    if root is None:
        arn = f"arn:{snapshot.account.partition}:iam::{snapshot.account.id}:root"
        evidence: Ev = {"user": "<root_account>", "arn": arn}
        return unknown(arn, "<root_account>", "root_row_missing", evidence=evidence)
    return root


def _evidence(root: CredentialRow, organization: str | None = None) -> Ev:
    active = [f"access_key_{k.slot}" for k in root.active_keys]
    enabled = root.password_enabled
    return {
        "organization": organization,
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


def central_organization(snapshot: Snapshot) -> str | None:
    """The organization that manages this member account's root credentials centrally
    (RootCredentialsManagement enabled, read from the management account), or None: not
    enabled, not known, or this is the management account (its root is never managed so)."""
    features = snapshot.organization_features
    if features is None or not features.root_credentials_management:
        return None
    management = features.management_account_id
    if management is None or management == snapshot.account.id:
        return None
    return features.organization_id or management


def bare(root: CredentialRow) -> bool:
    """Root has no credential at all: no password (an explicit false), no active access key or
    signing certificate, no MFA device: how AWS shows a member account's root once the
    management account has deleted its credentials (or created the account without them)."""
    return (
        root.password_enabled is False
        and not root.active_keys
        and not any(c.active for c in root.certificates)
        and not root.mfa_active
    )


def _centrally_managed(
    snapshot: Snapshot, root: CredentialRow, **extra: EvidenceValue
) -> Result | None:
    """NOT_APPLICABLE (reason root_centrally_managed) for a bare root whose credentials the
    organization manages centrally; None when the check judges as usual. A root with any
    credential left is judged as usual, whatever the organization says."""
    organization = central_organization(snapshot)
    if organization is None or not bare(root):
        return None
    evidence: Ev = {**_evidence(root, organization), **extra, "reason": CENTRAL}
    return Result(Status.NOT_APPLICABLE, root.arn, root.user, evidence)


def _with_org(result: Result, snapshot: Snapshot) -> Result:
    """A usual verdict, naming the organization when it manages root centrally (the root of
    this member account still has a credential, which the management account should delete)."""
    organization = central_organization(snapshot)
    if organization is None or result.status is not Status.FAIL:
        return result
    return Result(
        result.status,
        result.resource_id,
        result.resource_name,
        {**result.evidence, "organization": organization, "reason": "root_credentials_remain"},
        result.resource_type,
    )


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
    if (managed := _centrally_managed(snapshot, root)) is not None:
        yield managed
        return
    yield _with_org(_result(root, Status.FAIL if root.active_keys else Status.PASS), snapshot)


@rule("root_mfa_enabled", evidence=ROOT_EVIDENCE)
def root_mfa_enabled(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """MFA on root; NOT_APPLICABLE when root has no password and no key (nothing to protect).

    A root without a password but with an active key and no MFA still FAILs (CIS v5 passes
    it; the key itself is flagged by root_no_access_key)."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    if (managed := _centrally_managed(snapshot, root)) is not None:
        yield managed
        return
    if no_credentials(root) and not root.mfa_active:
        yield _not_applicable(root)
        return
    ok = root.mfa_active or root.password_enabled is False
    yield _with_org(_result(root, Status.PASS if ok else Status.FAIL), snapshot)


@rule("root_hardware_mfa", evidence=(*ROOT_EVIDENCE, "virtual_mfa"))
def root_hardware_mfa(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Root MFA must not be a virtual device (its serial is listed by ListVirtualMFADevices)."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    virtual = bool(root_virtual_devices(snapshot))
    if (managed := _centrally_managed(snapshot, root, virtual_mfa=virtual)) is not None:
        yield managed
        return
    if no_credentials(root):
        # No password and no key: a virtual MFA left on it protects nothing to sign in with.
        yield _not_applicable(root, virtual_mfa=virtual)
        return
    status = Status.PASS if root.mfa_active and not virtual else Status.FAIL
    yield _with_org(_result(root, status, virtual_mfa=virtual), snapshot)


def root_virtual_devices(snapshot: Snapshot) -> list[str]:
    """Serials of the virtual MFA devices assigned to root (ListVirtualMFADevices names the
    user root's ARN; the serial ``…:mfa/root-account-mfa-device`` is the classic name)."""
    return sorted(
        d.serial
        for d in snapshot.virtual_mfa_devices
        if (d.user_arn or "").endswith(":root") or d.serial.endswith(":mfa/root-account-mfa-device")
    )


@rule(
    "root_mfa_devices",
    params=("min_devices",),
    evidence=(*ROOT_EVIDENCE, "devices", "virtual_devices", "threshold"),
)
def root_mfa_devices(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Root has at least ``min_devices`` MFA devices, so that one lost or broken device does not
    lock the account (AWS recommends several; up to eight). An IAM principal sees whether root
    has MFA at all (credential report) and root's virtual devices (ListVirtualMFADevices);
    root's security keys and hardware TOTP tokens are listed by no API it may call. The count is
    therefore known when root has no MFA (0) or enough virtual devices; otherwise it needs
    review (UNKNOWN), never PASS."""
    root = _root(snapshot)
    if isinstance(root, Result):
        yield root
        return
    minimum: int = params["min_devices"]
    virtual = root_virtual_devices(snapshot)
    extra: Ev = {"devices": None, "virtual_devices": len(virtual), "threshold": minimum}
    if virtual and not root.mfa_active:  # the report may predate the devices: not evidence
        yield unknown(
            root.arn,
            root.user,
            "root_mfa_devices_disagree",
            evidence={**_evidence(root), **extra},
        )
        return
    if (managed := _centrally_managed(snapshot, root, **extra)) is not None:
        yield managed
        return
    if not root.mfa_active and root.password_enabled is False:
        yield _not_applicable(root, **{**extra, "devices": 0})
        return
    known = max(len(virtual), 1 if root.mfa_active else 0)
    if not root.mfa_active or known >= minimum:
        status = Status.PASS if known >= minimum else Status.FAIL
        yield _with_org(_result(root, status, **{**extra, "devices": known}), snapshot)
        return
    yield unknown(
        root.arn,
        root.user,
        "needs_review_root_mfa_devices",
        evidence={**_evidence(root), **extra},
    )


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
    used: Ev = {
        "last_used": iso_date(last[0]) if last else None,
        "age_days": age_days(last[0], measured) if last else None,
        "credential": last[1] if last else None,
    }
    # A centrally managed bare root: no credential left to use; sessions the management
    # account opens (sts:AssumeRoot) are not in the credential report. A recorded recent use
    # still FAILs: it happened.
    managed = _centrally_managed(snapshot, root, **used, **base)
    if managed is not None and not recent:
        yield managed
        return
    if doubt is not None and not recent:  # a recent use FAILs whatever else is unknown
        yield _unknown_use(root, doubt[0], base, doubt[1], doubt[2])
        return
    status = Status.FAIL if recent else Status.PASS
    organization = central_organization(snapshot)
    yield _result(root, status, **used, **base, organization=organization)


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
