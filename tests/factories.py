"""Builders of model objects with sensible defaults; every keyword overrides one field.

A snapshot built here is a complete, healthy account unless told otherwise: all sources ok,
a root row with MFA and no keys, a strict password policy, a logging multi-region trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reportgen.evaluate.review import Decision, Review, ReviewDecision
from reportgen.snapshot.model import (
    AccessKeyCredential,
    Account,
    AttachedPolicy,
    CertificateCredential,
    Collector,
    CredentialReport,
    CredentialRow,
    Flag,
    Group,
    InlinePolicy,
    ManagedPolicy,
    PasswordPolicy,
    Role,
    Sentinel,
    Snapshot,
    Source,
    SourceStatus,
    Src,
    Stamp,
    User,
)
from reportgen.snapshot.services import (
    AlternateContact,
    Analyzer,
    IdentityCenterInstance,
    IdentityProvider,
    Instance,
    RegionCoverage,
    ServerCertificate,
    Trail,
)

ACCOUNT = "123456789012"
NOW = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
NA = Sentinel.NOT_APPLICABLE
NO_INFO = Sentinel.NO_INFORMATION
NOT_SUPPORTED = Sentinel.NOT_SUPPORTED


def ago(days: float, now: datetime = NOW) -> datetime:
    """A moment ``days`` before ``now`` (fixed clock)."""
    return now - timedelta(days=days)


DAYS_1, DAYS_2, DAYS_30, DAYS_200, DAYS_400 = ago(1), ago(2), ago(30), ago(200), ago(400)


def user_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def make_key(
    slot: int = 1,
    active: bool = True,
    last_rotated: Stamp = DAYS_30,
    last_used_date: Stamp = DAYS_1,
    **overrides: Any,
) -> AccessKeyCredential:
    """An access-key slot; active, rotated 30 days ago, used yesterday."""
    region: Stamp | str = "ap-northeast-1" if isinstance(last_used_date, datetime) else NA
    service: Stamp | str = "s3" if isinstance(last_used_date, datetime) else NA
    fields = {"last_used_region": region, "last_used_service": service, **overrides}
    return AccessKeyCredential(slot, active, last_rotated, last_used_date, **fields)


def no_key(slot: int) -> AccessKeyCredential:
    """An empty access-key slot as the report shows it."""
    return AccessKeyCredential(slot, False, NA, NA, NA, NA)


def make_row(
    user: str = "alice",
    *,
    password_enabled: Flag = True,
    password_last_used: Stamp = DAYS_2,
    password_last_changed: Stamp = DAYS_200,
    mfa_active: bool = True,
    keys: Iterable[AccessKeyCredential] = (),
    created: Stamp = DAYS_400,
    **overrides: Any,
) -> CredentialRow:
    """A credential-report row; by default a console user with MFA who signed in 2 days ago."""
    slots = {k.slot: k for k in keys}
    access = (slots.get(1) or no_key(1), slots.get(2) or no_key(2))
    arn = f"arn:aws:iam::{ACCOUNT}:root" if user == "<root_account>" else user_arn(user)
    certs = (CertificateCredential(1, False, NA), CertificateCredential(2, False, NA))
    fields: dict[str, Any] = {
        "line": 2,
        "user": user,
        "arn": arn,
        "user_creation_time": created,
        "password_enabled": password_enabled,
        "password_last_used": password_last_used if password_enabled is not False else NA,
        "password_last_changed": password_last_changed if password_enabled is not False else NA,
        "password_next_rotation": NA,
        "mfa_active": mfa_active,
        "access_keys": access,
        "certificates": certs,
    }
    fields.update(overrides)
    return CredentialRow(**fields)


def make_root(**overrides: Any) -> CredentialRow:
    """The root row in the newer format: password true, MFA on, no keys, unused for a year."""
    fields: dict[str, Any] = {
        "password_enabled": True,
        "password_last_used": ago(365),
        "password_last_changed": ago(900),
        "password_next_rotation": NOT_SUPPORTED,
        "mfa_active": True,
    }
    fields.update(overrides)
    return make_row("<root_account>", **fields)


def attached(name: str, aws: bool = True) -> AttachedPolicy:
    owner = "aws" if aws else ACCOUNT
    return AttachedPolicy(name, f"arn:aws:iam::{owner}:policy/{name}")


def allow(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """A policy document with one Allow statement."""
    statement = {"Effect": "Allow", "Action": action, "Resource": resource, **extra}
    return {"Version": "2012-10-17", "Statement": [statement]}


def make_policy(
    name: str = "ReadOnlyS3",
    document: Any = None,
    aws: bool = False,
    attachment_count: int = 1,
    **overrides: Any,
) -> ManagedPolicy:
    """A managed policy with its default-version document (customer managed by default)."""
    owner = "aws" if aws else ACCOUNT
    fields: dict[str, Any] = {
        "name": name,
        "arn": f"arn:aws:iam::{owner}:policy/{name}",
        "path": "/",
        "default_version_id": "v1",
        "document": document if document is not None else allow(),
        "attachment_count": attachment_count,
        "create_date": ago(500),
        "update_date": ago(100),
    }
    fields.update(overrides)
    return ManagedPolicy(**fields)


def make_user(
    name: str = "alice",
    *,
    groups: Iterable[str] = ("Developers",),
    policies: Iterable[AttachedPolicy] = (),
    inline: Iterable[InlinePolicy] = (),
    credentials: CredentialRow | bool | None = True,
    **overrides: Any,
) -> User:
    """An IAM user in the Developers group; ``credentials=True`` makes a default report row."""
    row = make_row(name) if credentials is True else credentials or None
    fields: dict[str, Any] = {
        "name": name,
        "arn": user_arn(name),
        "path": "/",
        "user_id": f"AIDA{name.upper():0<16}"[:20],
        "create_date": ago(400),
        "groups": tuple(groups),
        "attached_policies": tuple(policies),
        "inline_policies": tuple(inline),
        "tags": {},
        "permissions_boundary": None,
        "credentials": row,
    }
    fields.update(overrides)
    return User(**fields)


def make_group(
    name: str = "Developers", policies: Iterable[AttachedPolicy] = (), **kw: Any
) -> Group:
    fields: dict[str, Any] = {
        "name": name,
        "arn": f"arn:aws:iam::{ACCOUNT}:group/{name}",
        "path": "/",
        "create_date": ago(500),
        "attached_policies": tuple(policies),
        "inline_policies": (),
    }
    fields.update(kw)
    return Group(**fields)


def make_role(name: str = "Support", policies: Iterable[AttachedPolicy] = (), **kw: Any) -> Role:
    fields: dict[str, Any] = {
        "name": name,
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "path": "/",
        "create_date": ago(500),
        "attached_policies": tuple(policies),
        "inline_policies": (),
        "assume_role_policy": {},
        "last_used": ago(3),
        "tags": {},
    }
    fields.update(kw)
    return Role(**fields)


def make_password_policy(**overrides: Any) -> PasswordPolicy:
    """A policy meeting CIS: 14 characters, 24 remembered."""
    fields: dict[str, Any] = {
        "minimum_length": 14,
        "require_symbols": True,
        "require_numbers": True,
        "require_uppercase": True,
        "require_lowercase": True,
        "allow_users_to_change": True,
        "max_password_age": None,
        "reuse_prevention": 24,
        "hard_expiry": False,
    }
    fields.update(overrides)
    return PasswordPolicy(**fields)


def make_trail(name: str = "org-trail", **overrides: Any) -> Trail:
    """A multi-region, logging trail with validation and all management events."""
    fields: dict[str, Any] = {
        "name": name,
        "arn": f"arn:aws:cloudtrail:ap-northeast-1:{ACCOUNT}:trail/{name}",
        "home_region": "ap-northeast-1",
        "is_multi_region": True,
        "is_organization": False,
        "log_file_validation": True,
        "kms_key_id": None,
        "is_logging": True,
        "management_events_all": True,
    }
    fields.update(overrides)
    return Trail(**fields)


def make_contact(kind: str = "SECURITY", name: str = "Security Team") -> AlternateContact:
    """An alternate contact of the account (a team address, as the remediation advises)."""
    return AlternateContact(
        type=kind,
        name=name,
        title="CSIRT",
        email=f"{kind.lower()}@example.co.jp",
        phone="+81-3-0000-0000",
    )


def make_contacts(security: bool = True) -> dict[str, AlternateContact | None]:
    """SECURITY (registered unless told otherwise) and BILLING registered, OPERATIONS not."""
    return {
        "SECURITY": make_contact() if security else None,
        "BILLING": make_contact("BILLING", "Accounting"),
        "OPERATIONS": None,
    }


def make_saml_provider(name: str = "AWSSSO_0123456789abcdef_DO_NOT_DELETE") -> IdentityProvider:
    """A SAML provider; by default the one IAM Identity Center creates in each account."""
    return IdentityProvider("saml", f"arn:aws:iam::{ACCOUNT}:saml-provider/{name}")


def make_instance(name: str | None = None) -> IdentityCenterInstance:
    return IdentityCenterInstance(
        arn="arn:aws:sso:::instance/ssoins-0123456789abcdef",
        identity_store_id="d-0123456789",
        name=name,
        status="ACTIVE",
        region="ap-northeast-1",
    )


def make_analyzer(region: str = "ap-northeast-1", **overrides: Any) -> Analyzer:
    fields: dict[str, Any] = {
        "name": f"external-{region}",
        "arn": f"arn:aws:access-analyzer:{region}:{ACCOUNT}:analyzer/external-{region}",
        "region": region,
        "type": "ACCOUNT",
        "status": "ACTIVE",
    }
    fields.update(overrides)
    return Analyzer(**fields)


def make_ec2_instance(
    name: str = "web-1", region: str = "ap-northeast-1", profile: str | None = "web", **kw: Any
) -> Instance:
    """A running EC2 instance; ``profile`` names its instance profile (None: no profile)."""
    digest = hashlib.sha256(f"{region}/{name}".encode()).hexdigest()
    instance_id = kw.pop("id", f"i-{digest[:17]}")
    fields: dict[str, Any] = {
        "id": instance_id,
        "arn": f"arn:aws:ec2:{region}:{ACCOUNT}:instance/{instance_id}",
        "region": region,
        "state": "running",
        "profile_arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{profile}" if profile else None,
        "name": name,
    }
    fields.update(kw)
    return Instance(**fields)


def make_coverage(
    read: Iterable[str] = ("ap-northeast-1",),
    enabled: Iterable[str] | None = ("ap-northeast-1",),
    failed: Mapping[str, str] | None = None,
    enabled_error: str | None = None,
) -> RegionCoverage:
    """Which regions a regional source read (default: the one enabled region, read)."""
    return RegionCoverage(
        read=tuple(read),
        failed=dict(failed or {}),
        enabled=None if enabled is None else tuple(enabled),
        enabled_error=enabled_error,
    )


def make_certificate(name: str = "www", expiration: datetime | None = None) -> ServerCertificate:
    return ServerCertificate(
        name,
        f"arn:aws:iam::{ACCOUNT}:server-certificate/{name}",
        expiration if expiration is not None else ago(-200),
        ago(165),
    )


def sources(**statuses: SourceStatus | str) -> dict[str, Source]:
    """Every source ``ok`` except those named (``credential_report="denied"``)."""
    found: dict[str, Source] = {}
    for src in Src:
        status = SourceStatus(statuses.get(src.value, SourceStatus.OK))
        message = None if status is SourceStatus.OK else f"{status.value} in test"
        found[src.value] = Source(src.value, status, message)
    return found


def make_snapshot(
    *,
    users: Iterable[User] | None = None,
    root: CredentialRow | bool | None = True,
    extra_rows: Iterable[CredentialRow] = (),
    generated: datetime | None = None,
    source_status: Mapping[str, SourceStatus | str] | None = None,
    collected_at: datetime = NOW,
    **overrides: Any,
) -> Snapshot:
    """A snapshot of a healthy account; the credential report is built from the users' rows."""
    people = tuple(users) if users is not None else (make_user("alice"),)
    root_row = make_root() if root is True else root or None
    rows = tuple(u.credentials for u in people if u.credentials is not None) + tuple(extra_rows)
    numbered = tuple(replace(r, line=i + 3) for i, r in enumerate(rows))
    report = CredentialReport(
        generated_time=generated or collected_at - timedelta(hours=1),
        rows=((root_row,) if root_row else ()) + numbered,
        root=root_row,
        raw="",
    )
    fields: dict[str, Any] = {
        "schema": "reportgen.snapshot/1",
        "collected_at": collected_at,
        "collector": Collector("reportgen", "0.1.0", None, None, "ap-northeast-1"),
        "account": Account(ACCOUNT, "aws", ("example-prod",)),
        "sources": sources(**dict(source_status or {})),
        "sha256": "0" * 64,
        "credential_report": report,
        "users": people,
        "groups": (make_group(),),
        "roles": (make_role("Support", (attached("AWSSupportAccess"),)),),
        "policies": (make_policy(), make_policy("AWSSupportAccess", allow("support:*"), aws=True)),
        "password_policy": make_password_policy(),
        "account_summary": {"AccountMFAEnabled": 1},
        "virtual_mfa_devices": (),
        "trails": (make_trail(),),
        "analyzer_regions": ("ap-northeast-1",),
        "analyzers": (make_analyzer(),),
        "server_certificates": (),
        "raw": {},
        "alternate_contacts": make_contacts(),
        "identity_providers": (make_saml_provider(),),
        "identity_center_instances": (),
        "identity_center_region": "ap-northeast-1",
        "instances": (),
        "instance_regions": make_coverage(),
    }
    fields.update(overrides)
    return Snapshot(**fields)


def make_review(
    removed: Iterable[str] = (f"arn:aws:iam::{ACCOUNT}:role/Support",),
    collected_at: datetime = NOW - timedelta(days=91),
) -> Review:
    """A completed access review of an earlier snapshot that decided to remove ``removed``."""
    decisions = tuple(
        ReviewDecision(
            arn=arn,
            name=arn.rsplit("/", 1)[-1],
            kind="role" if ":role/" in arn else "user",
            decision=Decision.REMOVE,
            reason="退職",
            reviewer="山田 花子",
            reviewed_on=collected_at.date() + timedelta(days=10),
            ticket="SEC-101",
        )
        for arn in removed
    )
    return Review("1" * 64, ACCOUNT, collected_at, decisions)
