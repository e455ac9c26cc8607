"""Build the typed, read-only model from a validated snapshot document (docs/snapshot.md).

Kept apart from :mod:`reportgen.snapshot.document` (files, schema, validation): this is the one
place that knows how AWS's raw shapes map onto :mod:`reportgen.snapshot.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from reportgen.errors import CredentialReportError, ReportgenError, SnapshotError
from reportgen.snapshot import credreport, crosscheck, entries
from reportgen.snapshot.entries import BadEntry, flag, optional_timestamp, short, timestamp
from reportgen.snapshot.model import (
    Account,
    Collector,
    CredentialReport,
    CredentialRow,
    PasswordPolicy,
    Snapshot,
    Source,
    SourceStatus,
    Src,
    User,
)
from reportgen.snapshot.services import (
    Analyzer,
)

__all__ = ["from_document", "short", "timestamp"]


def from_document(document: Mapping[str, Any], sha256: str, name: str = "<snapshot>") -> Snapshot:
    """Build the model from a validated document."""
    try:
        return _Builder(document, name).build(sha256)
    except CredentialReportError as exc:
        raise SnapshotError.keyed("snapshot_credential_report", name=name, error=exc) from None
    except BadEntry as bad:
        raise SnapshotError.keyed(
            "snapshot_invalid", name=name, where=bad.where, detail=bad.reason
        ) from None
    except ValueError as exc:  # a value the schema lets through but that does not parse
        detail = exc if isinstance(exc, ReportgenError) else short(str(exc))
        raise SnapshotError.keyed("snapshot_inconsistent", name=name, detail=detail) from None


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
        groups = entries.each(
            (details or {}).get("GroupDetailList"), f"{gaad}/GroupDetailList", entries.group
        )
        roles = entries.each(
            (details or {}).get("RoleDetailList"), f"{gaad}/RoleDetailList", entries.role
        )
        policies = entries.each(
            (details or {}).get("Policies"), f"{gaad}/Policies", entries.managed_policy
        )
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
        center = self._section(Src.IDENTITY_CENTER)
        instances, instance_regions = entries.instances(
            self._section(Src.EC2_INSTANCES), account["partition"], account["id"]
        )
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
            virtual_mfa_devices=entries.each(
                self.data.get(Src.VIRTUAL_MFA_DEVICES.value),
                f"data/{Src.VIRTUAL_MFA_DEVICES.value}",
                entries.mfa_device,
            ),
            trails=entries.each(
                (self.data.get(Src.CLOUDTRAIL.value) or {}).get("trails"),
                f"data/{Src.CLOUDTRAIL.value}/trails",
                entries.trail,
            ),
            analyzer_regions=analyzer_regions,
            analyzers=analyzers,
            server_certificates=entries.each(
                self.data.get(Src.SERVER_CERTIFICATES.value),
                f"data/{Src.SERVER_CERTIFICATES.value}",
                entries.certificate,
            ),
            raw=self.doc,
            alternate_contacts=entries.alternate_contacts(self._section(Src.ALTERNATE_CONTACTS)),
            identity_providers=entries.identity_providers(self._section(Src.IDENTITY_PROVIDERS)),
            identity_center_instances=entries.identity_center(center),
            identity_center_region=center.get("region"),
            instances=instances,
            instance_regions=instance_regions,
            organization_features=entries.organization_features(
                self._section(Src.ORGANIZATION_FEATURES)
            ),
            service_control_policies=entries.service_control_policies(
                self._section(Src.SERVICE_CONTROL_POLICIES)
            ),
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

    def _section(self, source: Src) -> Mapping[str, Any]:
        """The data of an ``ok`` source whose data is an object; empty when not ``ok``."""
        found = self.data.get(source.value) if self.ok(source) else None
        return found if isinstance(found, Mapping) else {}

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
        listed = (details or {}).get("UserDetailList", [])
        where = f"data/{Src.AUTHORIZATION_DETAILS.value}/UserDetailList"
        for user in entries.each(listed, where, lambda e: entries.user(e, rows.get(e["Arn"]))):
            users[user.arn] = user
        for arn, row in rows.items():
            if arn not in users:  # in the report but not in the details (or details missing)
                users[arn] = User(
                    name=row.user,
                    arn=row.arn,
                    path=entries.path_of(row.arn),
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
