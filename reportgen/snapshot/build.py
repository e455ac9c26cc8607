"""Build the typed, read-only model from a validated snapshot document (docs/snapshot.md).

Kept apart from :mod:`reportgen.snapshot.document` (files, schema, validation): this is the one
place that knows how AWS's raw shapes map onto :mod:`reportgen.snapshot.model`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from reportgen.errors import CredentialReportError, SnapshotError
from reportgen.snapshot import credreport, crosscheck
from reportgen.snapshot.model import (
    JSON,
    Account,
    Analyzer,
    AttachedPolicy,
    Collector,
    CredentialReport,
    CredentialRow,
    Group,
    InlinePolicy,
    ManagedPolicy,
    MfaDevice,
    PasswordPolicy,
    Role,
    ServerCertificate,
    Snapshot,
    Source,
    SourceStatus,
    Src,
    Trail,
    User,
)

_T = TypeVar("_T")


def short(text: str, limit: int = 160) -> str:
    """``text`` cut to one readable error-message fragment."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def from_document(document: Mapping[str, Any], sha256: str, name: str = "<snapshot>") -> Snapshot:
    """Build the model from a validated document."""
    try:
        return _Builder(document, name).build(sha256)
    except CredentialReportError as exc:
        raise SnapshotError(f"{name}: credential report {exc}") from None
    except _BadEntry as bad:
        raise SnapshotError(f"{name}: invalid at {bad.where}: {bad.reason}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SnapshotError(f"{name}: inconsistent snapshot data ({_reason(exc)})") from None


class _BadEntry(Exception):
    """An entry of a data list that the schema lets through but the model cannot use."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}" if exc.args else "missing field"
    return short(str(exc))


def _each(items: Any, where: str, build: Callable[[Any], _T]) -> tuple[_T, ...]:
    """Build every entry of a list, naming the entry (``data/…/3``) when one is unusable."""
    built = []
    for index, item in enumerate(items or []):
        try:
            built.append(build(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _BadEntry(f"{where}/{index}", _reason(exc)) from None
    return tuple(built)


class _Builder:
    def __init__(self, document: Mapping[str, Any], name: str) -> None:
        self.doc = document
        self.data: Mapping[str, Any] = document.get("data", {})
        self.name = name
        self.sources = {
            key: Source(key, SourceStatus(value["status"]), value.get("message"))
            for key, value in document["sources"].items()
        }

    def ok(self, source: Src) -> bool:
        found = self.sources.get(source.value)
        return found is not None and found.ok and source.value in self.data

    def build(self, sha256: str) -> Snapshot:
        crosscheck.require_data(self.sources, self.data, self.name)
        report = self._credential_report()
        details = self.data.get(Src.AUTHORIZATION_DETAILS.value) if self._has_details() else None
        account = self.doc["account"]
        collector = self.doc["collector"]
        analyzers, analyzer_regions = self._analyzers()
        gaad = f"data/{Src.AUTHORIZATION_DETAILS.value}"
        users = self._users(details, report)
        groups = _each((details or {}).get("GroupDetailList"), f"{gaad}/GroupDetailList", _group)
        roles = _each((details or {}).get("RoleDetailList"), f"{gaad}/RoleDetailList", _role)
        policies = _each((details or {}).get("Policies"), f"{gaad}/Policies", _policy)
        summary = self.data.get(Src.ACCOUNT_SUMMARY.value) if self.ok(Src.ACCOUNT_SUMMARY) else None
        detail_users = frozenset(
            str(u.get("Arn")) for u in (details or {}).get("UserDetailList") or []
        )
        crosscheck.check_unique(self.name, details, gaad)
        crosscheck.check_accounts(
            self.name,
            account["partition"],
            account["id"],
            report,
            self._principal_arns(details),
            self.data.get(Src.CALLER_IDENTITY.value) if self.ok(Src.CALLER_IDENTITY) else None,
        )
        self._mark_incomplete(details, summary)
        return Snapshot(
            schema=self.doc["schema"],
            collected_at=timestamp(self.doc["collected_at"]),
            collector=Collector(
                tool=collector["tool"],
                version=collector["version"],
                caller_arn=collector.get("caller_arn"),
                endpoint=collector.get("endpoint"),
                region=collector.get("region"),
            ),
            account=Account(
                id=account["id"], partition=account["partition"], aliases=tuple(account["aliases"])
            ),
            sources=self.sources,
            sha256=sha256,
            credential_report=report,
            users=users,
            groups=groups,
            roles=roles,
            policies=policies,
            password_policy=self._password_policy(),
            account_summary=summary,
            virtual_mfa_devices=_each(
                self.data.get(Src.VIRTUAL_MFA_DEVICES.value),
                f"data/{Src.VIRTUAL_MFA_DEVICES.value}",
                _mfa,
            ),
            trails=_each(
                (self.data.get(Src.CLOUDTRAIL.value) or {}).get("trails"),
                f"data/{Src.CLOUDTRAIL.value}/trails",
                _trail,
            ),
            analyzer_regions=analyzer_regions,
            analyzers=analyzers,
            server_certificates=_each(
                self.data.get(Src.SERVER_CERTIFICATES.value),
                f"data/{Src.SERVER_CERTIFICATES.value}",
                _certificate,
            ),
            raw=self.doc,
            principal_gaps=crosscheck.principal_gaps(
                details is not None, users, detail_users, groups, roles, policies
            ),
        )

    def _principal_arns(self, details: Mapping[str, Any] | None) -> list[tuple[str, str]]:
        """(place, ARN) of every user, group, role and managed policy in the details."""
        found = []
        for listed in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"):
            for index, entry in enumerate((details or {}).get(listed) or []):
                where = f"data/{Src.AUTHORIZATION_DETAILS.value}/{listed}/{index}"
                found.append((where, str(entry.get("Arn", ""))))
        return found

    def _mark_incomplete(
        self, details: Mapping[str, Any] | None, summary: Mapping[str, int] | None
    ) -> None:
        """Downgrade ``ok`` sources whose data is partial to ``incomplete`` (with the reason)."""
        name = Src.AUTHORIZATION_DETAILS.value
        gap = crosscheck.details_gap(details, summary) if details is not None else None
        if gap:
            self.sources[name] = crosscheck.incomplete(self.sources[name], gap)
        name = Src.ACCESS_ANALYZER.value
        if self.ok(Src.ACCESS_ANALYZER):
            gap = crosscheck.analyzer_gap(self.data[name])
            if gap:
                self.sources[name] = crosscheck.incomplete(self.sources[name], gap)

    def _has_details(self) -> bool:
        return self.ok(Src.AUTHORIZATION_DETAILS)

    def _credential_report(self) -> CredentialReport | None:
        if not self.ok(Src.CREDENTIAL_REPORT):
            return None
        section = self.data[Src.CREDENTIAL_REPORT.value]
        return credreport.parse(
            section["content"], optional_timestamp(section.get("generated_time"))
        )

    def _users(
        self, details: Mapping[str, Any] | None, report: CredentialReport | None
    ) -> tuple[User, ...]:
        rows: dict[str, CredentialRow] = {row.arn: row for row in report.rows} if report else {}
        users: dict[str, User] = {}
        entries = (details or {}).get("UserDetailList", [])
        where = f"data/{Src.AUTHORIZATION_DETAILS.value}/UserDetailList"
        for user in _each(entries, where, lambda e: _user(e, rows.get(e["Arn"]))):
            users[user.arn] = user
        for arn, row in rows.items():
            if arn not in users:  # in the report but not in the details (or details missing)
                users[arn] = User(
                    name=row.user,
                    arn=row.arn,
                    path=_path_of(row.arn),
                    user_id=None,
                    create_date=row.user_creation_time
                    if isinstance(row.user_creation_time, datetime)
                    else None,
                    groups=(),
                    attached_policies=(),
                    inline_policies=(),
                    tags={},
                    permissions_boundary=None,
                    credentials=row,
                )
        return tuple(sorted(users.values(), key=lambda u: (u.name, u.arn)))

    def _password_policy(self) -> PasswordPolicy | None:
        policy = self.data.get(Src.PASSWORD_POLICY.value) if self.ok(Src.PASSWORD_POLICY) else None
        if not policy:
            return None
        max_age = policy.get("MaxPasswordAge")
        reuse = policy.get("PasswordReusePrevention")
        return PasswordPolicy(
            minimum_length=policy.get("MinimumPasswordLength"),
            require_symbols=flag(policy.get("RequireSymbols", False)),
            require_numbers=flag(policy.get("RequireNumbers", False)),
            require_uppercase=flag(policy.get("RequireUppercaseCharacters", False)),
            require_lowercase=flag(policy.get("RequireLowercaseCharacters", False)),
            allow_users_to_change=flag(policy.get("AllowUsersToChangePassword", False)),
            # AWS omits MaxPasswordAge when unset; moto reports 0. Neither is a 0-day expiry.
            max_password_age=int(max_age) if max_age else None,
            reuse_prevention=int(reuse) if reuse else None,
            hard_expiry=flag(policy.get("HardExpiry", False)),
        )

    def _analyzers(self) -> tuple[tuple[Analyzer, ...], tuple[str, ...]]:
        section = self.data.get(Src.ACCESS_ANALYZER.value) or {}
        regions: Mapping[str, list[Mapping[str, Any]]] = section.get("regions", {})
        found = tuple(
            Analyzer(
                name=a.get("name", ""),
                arn=a.get("arn", ""),
                region=region,
                type=a.get("type", ""),
                status=a.get("status", ""),
            )
            for region, items in sorted(regions.items())
            for a in items
        )
        return found, tuple(sorted(regions))


def timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp into an aware UTC datetime (``Z`` accepted)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise ValueError(f"date outside the years 1-9999 in UTC: {value[:40]!r}") from None


def optional_timestamp(value: str | None) -> datetime | None:
    return timestamp(value) if value else None


def policy_document(value: JSON) -> JSON:
    """Policy documents may arrive decoded (boto3) or URL-encoded JSON (raw API/CLI)."""
    if isinstance(value, str):
        return json.loads(unquote(value))
    return value


def _path_of(arn: str) -> str:
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


def _user(entry: Mapping[str, Any], row: CredentialRow | None) -> User:
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


def _group(entry: Mapping[str, Any]) -> Group:
    return Group(
        name=entry["GroupName"],
        arn=entry["Arn"],
        path=entry.get("Path", "/"),
        create_date=optional_timestamp(entry.get("CreateDate")),
        attached_policies=_attached(entry),
        inline_policies=_inline(entry.get("GroupPolicyList", [])),
    )


def _role(entry: Mapping[str, Any]) -> Role:
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
    )


def _policy(entry: Mapping[str, Any]) -> ManagedPolicy:
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


def _certificate(entry: Mapping[str, Any]) -> ServerCertificate:
    return ServerCertificate(
        name=entry["ServerCertificateName"],
        arn=entry["Arn"],
        expiration=optional_timestamp(entry.get("Expiration")),
        upload_date=optional_timestamp(entry.get("UploadDate")),
    )


def _mfa(entry: Mapping[str, Any]) -> MfaDevice:
    user = entry.get("User") or {}
    return MfaDevice(
        serial=entry["SerialNumber"],
        user_arn=user.get("Arn"),
        enable_date=optional_timestamp(entry.get("EnableDate")),
    )


def _trail(entry: Mapping[str, Any]) -> Trail:
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
