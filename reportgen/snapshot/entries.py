"""AWS's raw entries (users, roles, policies, trails…) mapped onto the snapshot model, one
function per kind, and the parsers of the values they hold (timestamps, policy documents).

:func:`each` builds a list of entries and names the one that is unusable (``data/…/3``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from reportgen.errors import ReportgenError
from reportgen.isotime import parse_utc
from reportgen.snapshot.model import (
    JSON,
    AttachedPolicy,
    CredentialRow,
    Group,
    InlinePolicy,
    ManagedPolicy,
    MfaDevice,
    Role,
    User,
)
from reportgen.snapshot.services import (
    AlternateContact,
    IdentityCenterInstance,
    IdentityProvider,
    Instance,
    OrganizationFeatures,
    RegionCoverage,
    ScpLevel,
    ScpPolicy,
    ServerCertificate,
    ServiceControlPolicies,
    Trail,
)

_T = TypeVar("_T")


def short(text: str, limit: int = 160) -> str:
    """``text`` cut to one readable error-message fragment."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BadEntry(Exception):
    """An entry of a data list that the schema lets through but whose value does not parse."""

    def __init__(self, where: str, reason: str | ReportgenError) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


def each(items: Any, where: str, build: Callable[[Any], _T]) -> tuple[_T, ...]:
    """Build every entry of a list, naming the entry (``data/…/3``) when one is unusable.

    The schema has checked every field's presence and type (snapshot-1.json), so only a value
    that does not parse (a date, a policy document, a flag, disagreeing versions) is refused
    here, as a :class:`ValueError` of the entry's parser; any other error is a bug.
    """
    built = []
    for index, item in enumerate(items or []):
        try:
            built.append(build(item))
        except ValueError as exc:
            # A project error keeps its key, so that the command line shows it in Japanese too.
            reason = exc if isinstance(exc, ReportgenError) else short(str(exc))
            raise BadEntry(f"{where}/{index}", reason) from None
    return tuple(built)


def timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp into an aware UTC datetime (``Z`` accepted)."""
    return parse_utc(value)


def optional_timestamp(value: str | None) -> datetime | None:
    return timestamp(value) if value else None


def policy_document(value: JSON) -> JSON:
    """Policy documents may arrive decoded (boto3) or URL-encoded JSON (raw API/CLI)."""
    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


def path_of(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    return "/" + "/".join(parts[1:-1]) + "/" if len(parts) > 2 else "/"


def _attached(entry: Mapping[str, Any]) -> tuple[AttachedPolicy, ...]:
    return tuple(
        AttachedPolicy(name=p["PolicyName"], arn=p["PolicyArn"])
        for p in entry.get("AttachedManagedPolicies", [])
    )


def _inline(items: list[Mapping[str, Any]]) -> tuple[InlinePolicy, ...]:
    return tuple(
        InlinePolicy(name=p["PolicyName"], document=policy_document(p["PolicyDocument"]))
        for p in items
    )


def _tags(entry: Mapping[str, Any]) -> Mapping[str, str]:
    return {t["Key"]: t.get("Value", "") for t in entry.get("Tags", [])}


def user(entry: Mapping[str, Any], row: CredentialRow | None) -> User:
    boundary = entry.get("PermissionsBoundary") or {}
    return User(
        name=entry["UserName"],
        arn=entry["Arn"],
        path=entry.get("Path", "/"),
        user_id=entry.get("UserId"),
        create_date=optional_timestamp(entry.get("CreateDate")),
        groups=tuple(entry.get("GroupList", [])),
        attached_policies=_attached(entry),
        inline_policies=_inline(entry.get("UserPolicyList", [])),
        tags=_tags(entry),
        permissions_boundary=boundary.get("PermissionsBoundaryArn"),
        credentials=row,
    )


def group(entry: Mapping[str, Any]) -> Group:
    return Group(
        name=entry["GroupName"],
        arn=entry["Arn"],
        path=entry.get("Path", "/"),
        create_date=optional_timestamp(entry.get("CreateDate")),
        attached_policies=_attached(entry),
        inline_policies=_inline(entry.get("GroupPolicyList", [])),
    )


def role(entry: Mapping[str, Any]) -> Role:
    return Role(
        name=entry["RoleName"],
        arn=entry["Arn"],
        path=entry.get("Path", "/"),
        create_date=optional_timestamp(entry.get("CreateDate")),
        attached_policies=_attached(entry),
        inline_policies=_inline(entry.get("RolePolicyList", [])),
        assume_role_policy=policy_document(entry.get("AssumeRolePolicyDocument") or {}),
        last_used=optional_timestamp((entry.get("RoleLastUsed") or {}).get("LastUsedDate")),
        tags=_tags(entry),
        permissions_boundary=(entry.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
        instance_profiles=tuple(str(p["Arn"]) for p in entry.get("InstanceProfileList") or []),
    )


def managed_policy(entry: Mapping[str, Any]) -> ManagedPolicy:
    default = entry["DefaultVersionId"]
    versions = entry.get("PolicyVersionList", [])
    # DefaultVersionId and the versions' IsDefaultVersion must name one and the same version:
    # a file where they disagree (or that lists the version twice) does not say what applies.
    named = [v for v in versions if v.get("VersionId") == default]
    flagged = {v.get("VersionId") for v in versions if v.get("IsDefaultVersion") is True}
    if (
        len(named) > 1
        or flagged - {default}
        or any(v.get("IsDefaultVersion") is False for v in named)
    ):
        raise ValueError(
            f"policy {entry['Arn']}: DefaultVersionId {default} disagrees with the versions' "
            "IsDefaultVersion"
        )
    document = named[0].get("Document") if named else None
    if document is None:
        raise ValueError(f"policy {entry['Arn']} has no document for its default version")
    return ManagedPolicy(
        name=entry["PolicyName"],
        arn=entry["Arn"],
        path=entry.get("Path", "/"),
        default_version_id=default,
        document=policy_document(document),
        attachment_count=int(entry.get("AttachmentCount", 0)),
        create_date=optional_timestamp(entry.get("CreateDate")),
        update_date=optional_timestamp(entry.get("UpdateDate")),
    )


def certificate(entry: Mapping[str, Any]) -> ServerCertificate:
    return ServerCertificate(
        name=entry["ServerCertificateName"],
        arn=entry["Arn"],
        expiration=optional_timestamp(entry.get("Expiration")),
        upload_date=optional_timestamp(entry.get("UploadDate")),
    )


def alternate_contacts(section: Mapping[str, Any]) -> Mapping[str, AlternateContact | None]:
    """Contact type → contact; ``None`` where AWS said none is registered (types that could
    not be read are absent: the collector lists them under ``errors``)."""
    found: dict[str, AlternateContact | None] = {}
    for kind, entry in sorted((section.get("contacts") or {}).items()):
        found[kind] = (
            None
            if entry is None
            else AlternateContact(
                type=kind,
                name=entry.get("Name") or "",
                title=entry.get("Title") or "",
                email=entry.get("EmailAddress") or "",
                phone=entry.get("PhoneNumber") or "",
            )
        )
    return found


def identity_providers(section: Mapping[str, Any]) -> tuple[IdentityProvider, ...]:
    """The SAML and OpenID Connect providers, in ARN order within each kind."""
    return tuple(
        IdentityProvider(kind, entry["Arn"])
        for kind in ("saml", "oidc")
        for entry in sorted(section.get(kind) or [], key=lambda e: str(e["Arn"]))
    )


def identity_center(section: Mapping[str, Any]) -> tuple[IdentityCenterInstance, ...]:
    region = str(section.get("region") or "")
    return tuple(
        IdentityCenterInstance(
            arn=entry["InstanceArn"],
            identity_store_id=entry.get("IdentityStoreId"),
            name=entry.get("Name"),
            status=entry.get("Status"),
            region=region,
        )
        for entry in section.get("instances") or []
    )


def instances(
    section: Mapping[str, Any], partition: str, account_id: str
) -> tuple[tuple[Instance, ...], RegionCoverage | None]:
    """The EC2 instances of every region read, and which regions that covers."""
    regions: Mapping[str, Any] = section.get("regions") or {}
    if not section:
        return (), None
    found = tuple(
        Instance(
            id=entry["InstanceId"],
            arn=f"arn:{partition}:ec2:{region}:{account_id}:instance/{entry['InstanceId']}",
            region=region,
            state=entry.get("State"),
            profile_arn=entry.get("IamInstanceProfile") or None,
            name=entry.get("Name") or None,
        )
        for region, listed in sorted(regions.items())
        for entry in listed
    )
    enabled = section.get("enabled_regions")
    coverage = RegionCoverage(
        read=tuple(sorted(regions)),
        failed=dict(sorted((section.get("errors") or {}).items())),
        enabled=tuple(sorted(map(str, enabled))) if enabled else None,
        enabled_error=section.get("enabled_regions_error"),
    )
    return found, coverage


def organization_features(section: Mapping[str, Any]) -> OrganizationFeatures | None:
    """IAM's centralized root access features as collected (None when not collected)."""
    if not section:
        return None
    return OrganizationFeatures(
        organization_id=section.get("OrganizationId"),
        enabled=tuple(sorted(map(str, section.get("EnabledFeatures") or ()))),
        answered_by=section.get("answered_by"),
        management_account_id=section.get("management_account_id"),
        error_code=section.get("error_code"),
    )


def service_control_policies(section: Mapping[str, Any]) -> ServiceControlPolicies | None:
    """The account's SCP chain as collected (None when not collected); whether it can be used
    is the evaluator's question (``ServiceControlPolicies`` keeps what AWS answered)."""
    if not section:
        return None
    return ServiceControlPolicies(
        organization_id=section.get("organization_id"),
        management_account_id=section.get("management_account_id"),
        applies=bool(section["applies"]),
        reason=section.get("reason"),
        levels=tuple(
            ScpLevel(
                type=level["type"],
                id=level["id"],
                name=level.get("name"),
                policies=tuple(
                    ScpPolicy(
                        id=p["id"],
                        name=p["name"],
                        arn=p.get("arn"),
                        aws_managed=bool(p.get("aws_managed")),
                        document=p.get("document"),
                        error=p.get("error"),
                    )
                    for p in level["policies"]
                ),
            )
            for level in section["levels"]
        ),
    )


def mfa_device(entry: Mapping[str, Any]) -> MfaDevice:
    user = entry.get("User") or {}
    return MfaDevice(
        serial=entry["SerialNumber"],
        user_arn=user.get("Arn"),
        enable_date=optional_timestamp(entry.get("EnableDate")),
    )


def trail(entry: Mapping[str, Any]) -> Trail:
    status = entry.get("Status")
    selectors = entry.get("EventSelectors")
    return Trail(
        name=entry["Name"],
        arn=entry.get("TrailARN", entry["Name"]),
        home_region=entry.get("HomeRegion", ""),
        is_multi_region=flag(entry.get("IsMultiRegionTrail", False)),
        is_organization=flag(entry.get("IsOrganizationTrail", False)),
        log_file_validation=flag(entry.get("LogFileValidationEnabled", False)),
        kms_key_id=entry.get("KmsKeyId"),
        is_logging=_logging(status),
        management_events_all=_management_all(selectors) if isinstance(selectors, dict) else None,
    )


def _logging(status: Any) -> bool | None:
    """``IsLogging`` of GetTrailStatus; ``None`` when the status or the field was not read."""
    if not isinstance(status, dict) or status.get("IsLogging") is None:
        return None
    return flag(status["IsLogging"])


def flag(value: Any) -> bool:
    """A JSON boolean; the strings ``"true"``/``"false"`` (any case) are read as such, never
    by truthiness (``bool("false")`` is True). Anything else makes the entry invalid."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"expected true or false, got {str(value)[:40]!r}")


def _management_all(selectors: Mapping[str, Any]) -> bool:
    """True when some selector records every read and write management event (CIS 3.1).

    As AWS Config's multi-region-cloudtrail-enabled (behind Security Hub CloudTrail.1) judges
    it: a basic selector needs IncludeManagementEvents, ReadWriteType All and no
    ExcludeManagementEventSources (KMS or RDS Data API events left out are not "all"); an
    advanced selector needs eventCategory = Management and no other field at all (readOnly,
    eventSource, eventName, userIdentity.arn, ... each narrow what is recorded).
    """
    for selector in selectors.get("EventSelectors") or []:
        included = selector.get("IncludeManagementEvents")
        if (
            included is not None
            and flag(included)
            and selector.get("ReadWriteType") == "All"
            and not selector.get("ExcludeManagementEventSources")
        ):
            return True
    for advanced in selectors.get("AdvancedEventSelectors") or []:
        fields = advanced.get("FieldSelectors") or []
        if len(fields) != 1 or fields[0].get("Field") != "eventCategory":
            continue
        only = fields[0]
        if only.get("Equals") == ["Management"] and set(only) <= {"Field", "Equals"}:
            return True
    return False
