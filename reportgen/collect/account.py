"""Collect one AWS account into a snapshot document: the only stage that talks to AWS.

A fixed number of calls plus pages; nothing per user (DESIGN.md §1). Each source ends
with a status (ok / denied / error) so that evaluate never mistakes missing data for a PASS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
)

from reportgen import __version__
from reportgen.collect import account_settings, regional, scp
from reportgen.collect.aws import (
    FATAL_NETWORK,
    IAM_PAGE,
    OPTIONAL_SERVICES,
    SourceFailed,
    attempt,
    client_config,
    client_error,
    optional_config,
    reason,
    share_client_classes,
    share_service_models,
    use_fast_timestamps,
)
from reportgen.errors import CollectError
from reportgen.snapshot.model import Src

DEFAULT_REGION = "us-east-1"
_GAAD_FILTER = ["User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"]
# Secrets moto (and a careless AWS response) may include in ListVirtualMFADevices.
_MFA_SECRETS = ("Base32StringSeed", "QRCodePNG")
# Independent sources (and Access Analyzer's regions) are read by a small pool, so that wall
# time is bound by the slowest source rather than their sum (docs/performance.md).
WORKERS = 4
# The credential report is polled from 0.1 s, doubling up to 2 s (AWS usually needs < 1 s).
REPORT_FIRST_DELAY, REPORT_MAX_DELAY = 0.1, 2.0
NOT_ASKED = "not asked for in this collection"


@dataclass(frozen=True)
class CollectOptions:
    """How to reach the account and how long to wait for the credential report."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    # Regional sources (Access Analyzer, EC2 instances) read only these regions (default:
    # every enabled region); an enabled region left out keeps their checks UNKNOWN.
    regions: tuple[str, ...] = ()
    # An organization collection reads ListOrganizationsFeatures once, from the management
    # account, and gives every member its outcome: (status, data or message).
    organization_features: tuple[str, Any] | None = None
    # Likewise each member's SCP chain (collect/scp.py); None: the account asks AWS itself.
    service_control_policies: tuple[str, Any] | None = None
    report_timeout: float = 120.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], None] = time.sleep
    progress: Callable[[str], None] = field(default=lambda _step: None)
    workers: int = WORKERS
    # Only these sources are read (None: every source); the others are recorded ``absent``,
    # so their checks are UNKNOWN. GetCallerIdentity is always read: it names the account.
    sources: frozenset[Src] | None = None


def _not_asked() -> Any:
    """A source left out by ``CollectOptions.sources``: recorded absent, nothing sent."""
    raise SourceFailed("absent", NOT_ASKED)


def make_session(options: CollectOptions) -> boto3.Session:
    """A boto3 session from the standard credential chain (``--profile``, env, SSO)."""
    try:
        return boto3.Session(profile_name=options.profile, region_name=options.region)
    except ProfileNotFound:
        raise CollectError.keyed("aws_profile_not_found", profile=options.profile) from None


def collect(
    session: boto3.Session | None = None, options: CollectOptions | None = None
) -> dict[str, Any]:
    """Collect every source of one account; returns the snapshot document (not yet saved)."""
    options = options or CollectOptions()
    session = session or make_session(options)
    run = _Run(session, options)
    return run.document()


class _Run:
    def __init__(self, session: boto3.Session, options: CollectOptions) -> None:
        self.session = session
        self.options = options
        use_fast_timestamps(session)
        share_service_models(session)
        share_client_classes(session)
        self.region = options.region or session.region_name or DEFAULT_REGION
        self.config = client_config()
        self.sources: dict[str, dict[str, str | None]] = {}
        self.data: dict[str, Any] = {}
        # boto3 sessions are not thread-safe: clients are made one at a time (then shared)
        self._client_lock = threading.Lock()
        self._regions_lock = threading.Lock()
        self._regions: tuple[tuple[str, ...], str | None] | None = None

    def client(self, service: str, region: str | None = None, *, probe: bool = False) -> Any:
        config = (
            self.config.merge(Config(retries={"mode": "standard", "max_attempts": 2}))
            if probe
            else optional_config()
            if service in OPTIONAL_SERVICES
            else self.config
        )
        try:
            with self._client_lock:
                return self.session.client(
                    service,
                    region_name=region or self.region,
                    endpoint_url=self.options.endpoint_url,
                    config=config,
                )
        except NoRegionError:
            raise CollectError.keyed("aws_no_region") from None

    def document(self) -> dict[str, Any]:
        collected_at = self.options.clock().astimezone(UTC)
        identity = self._identity()
        account_id = identity["Account"]
        partition = identity["Arn"].split(":")[1]
        iam = self.client("iam")
        steps: list[tuple[Src, Callable[[], Any]]] = [
            (Src.CREDENTIAL_REPORT, lambda: self._credential_report(iam)),
            (Src.AUTHORIZATION_DETAILS, lambda: self._authorization_details(iam)),
            (Src.PASSWORD_POLICY, lambda: self._password_policy(iam)),
            (Src.ACCOUNT_SUMMARY, lambda: iam.get_account_summary()["SummaryMap"]),
            (Src.VIRTUAL_MFA_DEVICES, lambda: self._virtual_mfa(iam)),
            (
                Src.ACCOUNT_ALIASES,
                lambda: self._pages(iam, "list_account_aliases", "AccountAliases"),
            ),
            (Src.SERVER_CERTIFICATES, lambda: self._server_certificates(iam)),
            (Src.CLOUDTRAIL, self._cloudtrail),
            (Src.ACCESS_ANALYZER, self._access_analyzer),
            (Src.ALTERNATE_CONTACTS, self._alternate_contacts),
            (Src.IDENTITY_PROVIDERS, lambda: account_settings.identity_providers(iam)),
            (Src.IDENTITY_CENTER, self._identity_center),
            (Src.EC2_INSTANCES, self._ec2_instances),
            (Src.ORGANIZATION_FEATURES, lambda: self._organization_features(iam, account_id)),
            (Src.SERVICE_CONTROL_POLICIES, lambda: self._service_control_policies(account_id)),
        ]
        wanted = self.options.sources
        self._run_all(
            [(s, step if wanted is None or s in wanted else _not_asked) for s, step in steps]
        )
        aliases = self.data.get(Src.ACCOUNT_ALIASES.value) or []
        return {
            "schema": "reportgen.snapshot/1",
            "collected_at": collected_at,
            "collector": {
                "tool": "reportgen",
                "version": __version__,
                "caller_arn": identity["Arn"],
                "endpoint": iam.meta.endpoint_url if self.options.endpoint_url else None,
                "region": self.region,
            },
            "account": {"id": account_id, "partition": partition, "aliases": list(aliases)},
            "sources": self.sources,
            "data": self.data,
        }

    def _identity(self) -> Mapping[str, str]:
        """GetCallerIdentity doubles as the connectivity and credentials probe."""
        self.options.progress("caller_identity")
        try:
            identity = self.client("sts", probe=True).get_caller_identity()
        except (NoCredentialsError, PartialCredentialsError):
            raise CollectError.keyed("aws_no_credentials") from None
        except FATAL_NETWORK as exc:
            raise CollectError.keyed("aws_unreachable", reason=reason(exc)) from None
        except ClientError as exc:
            raise CollectError.keyed("aws_refused", detail=client_error(exc)) from None
        except BotoCoreError as exc:
            raise CollectError.keyed("aws_sts_failed", reason=reason(exc)) from None
        result = {k: identity[k] for k in ("UserId", "Account", "Arn")}
        self.sources[Src.CALLER_IDENTITY.value] = {"status": "ok", "message": None}
        self.data[Src.CALLER_IDENTITY.value] = result
        return result

    def _run_all(self, steps: list[tuple[Src, Callable[[], Any]]]) -> None:
        """Read the sources (the credential report first) with a bounded pool; record them in
        the fixed order, so the document does not depend on which call finished first."""
        if self.options.workers <= 1:
            for source, step in steps:
                self._record(source, attempt(source.value, step))
            return
        with ThreadPoolExecutor(max_workers=self.options.workers) as pool:
            futures = [(source, pool.submit(attempt, source.value, step)) for source, step in steps]
            for source, future in futures:
                self._record(source, future.result())

    def _record(self, source: Src, outcome: tuple[str, Any]) -> None:
        self.options.progress(source.value)
        status, value = outcome
        if status == "ok":
            self.data[source.value] = value
            self.sources[source.value] = {"status": "ok", "message": None}
        else:
            self.sources[source.value] = {"status": status, "message": value}

    def _pages(self, client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
        items: list[Any] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items.extend(page.get(key, []))
        return items

    def _credential_report(self, iam: Any) -> dict[str, Any]:
        """Generate, poll with backoff (bounded), then get (controls.md §1.1)."""
        deadline = time.monotonic() + self.options.report_timeout
        delay = REPORT_FIRST_DELAY
        while True:
            try:
                state = iam.generate_credential_report().get("State")
                if state == "COMPLETE":
                    report = iam.get_credential_report()
                    content = report["Content"]
                    return {
                        "generated_time": report.get("GeneratedTime"),
                        "format": report.get("ReportFormat", "text/csv"),
                        "content": content.decode("utf-8")
                        if isinstance(content, bytes)
                        else content,
                    }
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                # Match on the code: HTTP statuses differ between AWS doc versions.
                if code not in ("ReportInProgress", "ReportExpired", "ReportNotPresent"):
                    raise
            if time.monotonic() + delay > deadline:
                raise SourceFailed(
                    "error",
                    f"credential report not ready after {self.options.report_timeout:.0f} s",
                )
            self.options.sleep(delay)
            delay = min(delay * 2, REPORT_MAX_DELAY)

    def _authorization_details(self, iam: Any) -> dict[str, list[Any]]:
        merged: dict[str, list[Any]] = {
            "UserDetailList": [],
            "GroupDetailList": [],
            "RoleDetailList": [],
            "Policies": [],
        }
        paginator = iam.get_paginator("get_account_authorization_details")
        for page in paginator.paginate(Filter=_GAAD_FILTER, PaginationConfig=IAM_PAGE):
            for key, items in merged.items():
                items.extend(page.get(key, []))
        # AWS returns every AWS managed policy (>1,000); only attached ones can matter.
        merged["Policies"] = [
            p
            for p in merged["Policies"]
            if ":iam::aws:policy/" not in p["Arn"] or p.get("AttachmentCount", 0) > 0
        ]
        return merged

    def _password_policy(self, iam: Any) -> dict[str, Any] | None:
        try:
            policy: dict[str, Any] = iam.get_account_password_policy()["PasswordPolicy"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchEntity":
                return None  # AWS confirms: no password policy is set
            raise
        return policy

    def _virtual_mfa(self, iam: Any) -> list[dict[str, Any]]:
        devices = self._pages(
            iam, "list_virtual_mfa_devices", "VirtualMFADevices", PaginationConfig=IAM_PAGE
        )
        return [{k: v for k, v in d.items() if k not in _MFA_SECRETS} for d in devices]

    def _server_certificates(self, iam: Any) -> list[Any]:
        return self._pages(
            iam,
            "list_server_certificates",
            "ServerCertificateMetadataList",
            PaginationConfig=IAM_PAGE,
        )

    def _organization_features(self, iam: Any, account_id: str) -> dict[str, Any]:
        given = self.options.organization_features
        if given is None:
            return account_settings.organization_features(iam, account_id)
        status, value = given
        if status != "ok":
            raise SourceFailed(status, str(value))
        return dict(value)

    def _service_control_policies(self, account_id: str) -> dict[str, Any]:
        given = self.options.service_control_policies
        if given is None:
            return scp.read_alone(self.client("organizations"), account_id)
        return scp.given(given)

    def _alternate_contacts(self) -> dict[str, Any]:
        return account_settings.alternate_contacts(self.client("account"))

    def _identity_center(self) -> dict[str, Any]:
        return account_settings.identity_center(self.client("sso-admin"), self.region)

    def _cloudtrail(self) -> dict[str, Any]:
        trails = self.client("cloudtrail").describe_trails(includeShadowTrails=True)["trailList"]
        unique: dict[str, dict[str, Any]] = {}
        for trail in trails:
            unique.setdefault(trail.get("TrailARN", trail["Name"]), dict(trail))
        for arn, trail in sorted(unique.items()):
            home = self.client("cloudtrail", trail.get("HomeRegion") or self.region)
            trail["Status"] = self._trail_part(
                home.get_trail_status, {"Name": arn}, trail, "StatusError"
            )
            trail["EventSelectors"] = self._trail_part(
                home.get_event_selectors, {"TrailName": arn}, trail, "EventSelectorsError"
            )
        return {"trails": [unique[a] for a in sorted(unique)]}

    @staticmethod
    def _trail_part(
        call: Callable[..., Any], kwargs: dict[str, str], trail: dict[str, Any], error_key: str
    ) -> Any:
        try:
            result = dict(call(**kwargs))
        except ClientError as exc:
            trail[error_key] = client_error(exc)
            return None
        result.pop("ResponseMetadata", None)
        return result

    def _access_analyzer(self) -> dict[str, Any]:
        enabled, why = self._enabled_regions()
        regions = self.options.regions or enabled or (self.region,)
        return regional.access_analyzer(self.client, regions, enabled, why, self.options.workers)

    def _ec2_instances(self) -> dict[str, Any]:
        enabled, why = self._enabled_regions()
        regions = self.options.regions or enabled or (self.region,)
        return regional.ec2_instances(self.client, regions, enabled, why, self.options.workers)

    def _enabled_regions(self) -> tuple[tuple[str, ...], str | None]:
        """The account's enabled regions, read once (DescribeRegions) for every regional
        source; none and why when they cannot be listed."""
        with self._regions_lock:
            if self._regions is None:
                self._regions = regional.enabled_regions(self.client("ec2", self.region))
            return self._regions
