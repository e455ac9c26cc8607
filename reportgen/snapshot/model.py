"""The typed, read-only view of a snapshot that every later stage works on.

Nothing here talks to AWS or reads files: ``snapshot.load`` builds these objects.
Credential-report special values are the :class:`Sentinel` enum, never strings.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from reportgen.snapshot.services import (
    AlternateContact,
    Analyzer,
    IdentityCenterInstance,
    IdentityProvider,
    Instance,
    OrganizationFeatures,
    RegionCoverage,
    ServerCertificate,
    ServiceControlPolicies,
    Trail,
)

_T = TypeVar("_T")
JSON = Any  # a decoded JSON value (policy documents are kept as AWS returned them)


class Sentinel(enum.Enum):
    """The credential report's non-date values (see controls.md §1.3)."""

    NOT_APPLICABLE = "N/A"
    NO_INFORMATION = "no_information"
    NOT_SUPPORTED = "not_supported"


Stamp = datetime | Sentinel
"""A credential-report time field: an aware UTC datetime or a sentinel."""

Flag = bool | Sentinel
"""A credential-report boolean that may be ``not_supported`` (root ``password_enabled``)."""

Text = str | Sentinel
"""A credential-report text field that may be a sentinel (key last-used region/service)."""


class SourceStatus(enum.Enum):
    """How a collector source ended; only ``OK`` data may ever support a PASS.

    ``ABSENT`` means the source was not collected (not in the snapshot, not given to
    ``import``). A thing AWS confirms does not exist is ``OK`` with empty data: e.g. no
    password policy set = ``password_policy`` OK and ``Snapshot.password_policy is None``.
    """

    OK = "ok"
    ABSENT = "absent"
    DENIED = "denied"
    ERROR = "error"
    # Set by the loader only (never written to a file): the source says ``ok`` but its data
    # is partial (a truncated page, a region not read, counts that disagree). Not a PASS basis.
    INCOMPLETE = "incomplete"


class Src(enum.StrEnum):
    """The names of the snapshot's sources (keys of ``sources`` in the JSON)."""

    CREDENTIAL_REPORT = "credential_report"
    AUTHORIZATION_DETAILS = "authorization_details"
    PASSWORD_POLICY = "password_policy"
    ACCOUNT_SUMMARY = "account_summary"
    VIRTUAL_MFA_DEVICES = "virtual_mfa_devices"
    ACCOUNT_ALIASES = "account_aliases"
    CLOUDTRAIL = "cloudtrail"
    CALLER_IDENTITY = "caller_identity"
    ACCESS_ANALYZER = "access_analyzer"
    SERVER_CERTIFICATES = "server_certificates"
    ALTERNATE_CONTACTS = "alternate_contacts"
    IDENTITY_PROVIDERS = "identity_providers"
    IDENTITY_CENTER = "identity_center"
    EC2_INSTANCES = "ec2_instances"
    ORGANIZATION_FEATURES = "organization_features"
    SERVICE_CONTROL_POLICIES = "service_control_policies"


@dataclass(frozen=True)
class Source:
    """The outcome of collecting one source."""

    name: str
    status: SourceStatus
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is SourceStatus.OK


@dataclass(frozen=True)
class AccessKeyCredential:
    """One access-key slot (1 or 2) of a credential-report row."""

    slot: int
    active: bool
    last_rotated: Stamp
    last_used_date: Stamp
    last_used_region: Text
    last_used_service: Text


@dataclass(frozen=True)
class CertificateCredential:
    """One signing-certificate slot (1 or 2) of a credential-report row."""

    slot: int
    active: bool
    last_rotated: Stamp


@dataclass(frozen=True)
class CredentialRow:
    """One row of the credential report (a user, or the ``<root_account>`` row)."""

    line: int
    user: str
    arn: str
    user_creation_time: Stamp
    password_enabled: Flag
    password_last_used: Stamp
    password_last_changed: Stamp
    password_next_rotation: Stamp
    mfa_active: bool
    access_keys: tuple[AccessKeyCredential, AccessKeyCredential]
    certificates: tuple[CertificateCredential, CertificateCredential]

    @property
    def is_root(self) -> bool:
        return self.user == "<root_account>"

    @property
    def active_keys(self) -> tuple[AccessKeyCredential, ...]:
        return tuple(k for k in self.access_keys if k.active)


@dataclass(frozen=True)
class CredentialReport:
    """The parsed report; ``raw`` is the CSV exactly as collected (evidence)."""

    generated_time: datetime | None
    rows: tuple[CredentialRow, ...]
    root: CredentialRow | None
    raw: str


@dataclass(frozen=True)
class AttachedPolicy:
    """A managed policy attached to a user, group or role."""

    name: str
    arn: str

    @property
    def is_aws_managed(self) -> bool:
        return ":iam::aws:policy/" in self.arn


@dataclass(frozen=True)
class InlinePolicy:
    """An inline policy embedded in a user, group or role."""

    name: str
    document: JSON


@dataclass(frozen=True)
class ManagedPolicy:
    """A managed policy with the document of its default version (the only one that counts)."""

    name: str
    arn: str
    path: str
    default_version_id: str
    document: JSON
    attachment_count: int
    create_date: datetime | None
    update_date: datetime | None

    @property
    def is_aws_managed(self) -> bool:
        return ":iam::aws:policy/" in self.arn


@dataclass(frozen=True)
class User:
    """An IAM user: authorization details joined with its credential-report row.

    ``credentials`` is ``None`` when the report holds no row for the user (created
    after the report, or the report is unavailable); rules must treat that as unknown.
    """

    name: str
    arn: str
    path: str
    user_id: str | None
    create_date: datetime | None
    groups: tuple[str, ...]
    attached_policies: tuple[AttachedPolicy, ...]
    inline_policies: tuple[InlinePolicy, ...]
    tags: Mapping[str, str]
    permissions_boundary: str | None
    credentials: CredentialRow | None


@dataclass(frozen=True)
class Group:
    name: str
    arn: str
    path: str
    create_date: datetime | None
    attached_policies: tuple[AttachedPolicy, ...]
    inline_policies: tuple[InlinePolicy, ...]


@dataclass(frozen=True)
class Role:
    name: str
    arn: str
    path: str
    create_date: datetime | None
    attached_policies: tuple[AttachedPolicy, ...]
    inline_policies: tuple[InlinePolicy, ...]
    assume_role_policy: JSON
    last_used: datetime | None
    tags: Mapping[str, str]
    permissions_boundary: str | None = None
    instance_profiles: tuple[str, ...] = ()  # ARNs of the instance profiles holding the role

    @property
    def is_service_linked(self) -> bool:
        """A service-linked role: created and maintained by an AWS service, not the customer."""
        return self.path.startswith("/aws-service-role/")


@dataclass(frozen=True)
class PasswordPolicy:
    """The account password policy. ``max_password_age`` is ``None`` when unset (AWS omits it;
    moto reports ``0``), never a 0-day expiry."""

    minimum_length: int | None
    require_symbols: bool
    require_numbers: bool
    require_uppercase: bool
    require_lowercase: bool
    allow_users_to_change: bool
    max_password_age: int | None
    reuse_prevention: int | None
    hard_expiry: bool


@dataclass(frozen=True)
class MfaDevice:
    """A virtual MFA device; ``user_arn`` is the owner when assigned (root: ``…:root``)."""

    serial: str
    user_arn: str | None
    enable_date: datetime | None


@dataclass(frozen=True)
class Collector:
    """Who collected the snapshot, with what, from where."""

    tool: str
    version: str
    caller_arn: str | None
    endpoint: str | None
    region: str | None


@dataclass(frozen=True)
class Account:
    id: str
    partition: str
    aliases: tuple[str, ...]

    @property
    def display_name(self) -> str:
        return f"{self.aliases[0]} ({self.id})" if self.aliases else self.id


@dataclass(frozen=True)
class Snapshot:
    """One account at one point in time, as collected; read-only."""

    schema: str
    collected_at: datetime
    collector: Collector
    account: Account
    sources: Mapping[str, Source]
    sha256: str
    credential_report: CredentialReport | None
    users: tuple[User, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    policies: tuple[ManagedPolicy, ...]
    password_policy: PasswordPolicy | None
    account_summary: Mapping[str, int] | None
    virtual_mfa_devices: tuple[MfaDevice, ...]
    trails: tuple[Trail, ...]
    analyzer_regions: tuple[str, ...]
    analyzers: tuple[Analyzer, ...]
    server_certificates: tuple[ServerCertificate, ...]
    raw: Mapping[str, JSON] = field(repr=False, compare=False)
    # type → contact; None: AWS says none is registered; a type not read is not a key.
    alternate_contacts: Mapping[str, AlternateContact | None] = field(default_factory=dict)
    identity_providers: tuple[IdentityProvider, ...] = ()
    # sso:ListInstances is regional: the collector lists one region (identity_center_region).
    identity_center_instances: tuple[IdentityCenterInstance, ...] = ()
    identity_center_region: str | None = None
    instances: tuple[Instance, ...] = ()
    instance_regions: RegionCoverage | None = None  # None: EC2 instances were not read
    # IAM's centralized root access features of the account's organization (None: not read).
    organization_features: OrganizationFeatures | None = None
    # The SCPs from the organization root down to the account (None: not read).
    service_control_policies: ServiceControlPolicies | None = None
    principal_gaps: Mapping[str, str] = field(default_factory=dict)
    """Principals (ARN) whose data is incomplete, with a reason code (``reasons.po``): e.g. a
    user in the credential report but not in the authorization details. Rules read it
    through ``rules.helpers.principal_gap`` and say UNKNOWN for them."""

    def source(self, name: str) -> Source:
        """The status of a source; a source missing from the document counts as absent."""
        return self.sources.get(name) or Source(name, SourceStatus.ABSENT, "not in snapshot")

    @property
    def report_time(self) -> datetime:
        """The moment the credential-report data describes: its generation time (never later
        than the collection), else the collection time. Recency ("used recently") is measured
        from here, never from as_of."""
        report = self.credential_report
        generated = report.generated_time if report else None
        return min(generated, self.collected_at) if generated else self.collected_at

    @property
    def root(self) -> CredentialRow | None:
        return self.credential_report.root if self.credential_report else None

    def policy(self, arn: str) -> ManagedPolicy | None:
        return self._policies_by_arn.get(arn)

    def kept(self, name: str, kind: type[_T], make: Callable[[Snapshot], _T]) -> _T:
        """A value derived from this read-only snapshot (``make``), made once and kept with it
        under ``name`` (several checks ask for the same analysis)."""
        found = self.__dict__.get(name)
        if not isinstance(found, kind):
            found = make(self)
            object.__setattr__(self, name, found)
        return found

    @property
    def _policies_by_arn(self) -> Mapping[str, ManagedPolicy]:
        cached: Mapping[str, ManagedPolicy] | None = self.__dict__.get("_by_arn")
        if cached is None:
            cached = {p.arn: p for p in self.policies}
            object.__setattr__(self, "_by_arn", cached)
        return cached
