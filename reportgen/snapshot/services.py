"""The typed view of the sources beside IAM's principals: CloudTrail trails, Access Analyzer,
server certificates, alternate contacts, identity providers, IAM Identity Center, EC2 instances,
the organization's root access features and service control policies.

Plain frozen data like :mod:`reportgen.snapshot.model`, which holds them in the ``Snapshot``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Trail:
    """A CloudTrail trail with its status and whether it records read+write management events.

    ``is_logging`` / ``management_events_all`` are ``None`` when that part could not be read.
    """

    name: str
    arn: str
    home_region: str
    is_multi_region: bool
    is_organization: bool
    log_file_validation: bool
    kms_key_id: str | None
    is_logging: bool | None
    management_events_all: bool | None


@dataclass(frozen=True)
class Analyzer:
    """An IAM Access Analyzer analyzer in one region."""

    name: str
    arn: str
    region: str
    type: str
    status: str


@dataclass(frozen=True)
class ServerCertificate:
    name: str
    arn: str
    expiration: datetime | None
    upload_date: datetime | None


@dataclass(frozen=True)
class AlternateContact:
    """An alternate contact (SECURITY, BILLING, OPERATIONS): personal data (docs/redact.md)."""

    type: str
    name: str
    title: str
    email: str
    phone: str


@dataclass(frozen=True)
class IdentityProvider:
    kind: str  # saml or oidc
    arn: str


@dataclass(frozen=True)
class IdentityCenterInstance:
    """An IAM Identity Center instance visible from the account in ``region``."""

    arn: str
    identity_store_id: str | None
    name: str | None
    status: str | None
    region: str


@dataclass(frozen=True)
class Instance:
    """A live EC2 instance (not terminated) and the instance profile it carries, if any."""

    id: str
    arn: str
    region: str
    state: str | None
    profile_arn: str | None
    name: str | None


@dataclass(frozen=True)
class RegionCoverage:
    """Which regions a regional source read. ``enabled`` is ``None`` when the account's
    enabled regions could not be listed (``enabled_error`` says why); ``failed`` maps a region
    whose read failed to the error text."""

    read: tuple[str, ...]
    failed: Mapping[str, str]
    enabled: tuple[str, ...] | None
    enabled_error: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """Enabled regions not read (failed or left out), sorted."""
        return tuple(sorted(set(self.enabled or ()) - set(self.read)))


ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"


@dataclass(frozen=True)
class OrganizationFeatures:
    """IAM's centralized root access features (``iam:ListOrganizationsFeatures``) of the
    account's organization. ``answered_by`` is the account that asked: the management account
    in an organization collection, else the account itself (only a management account or IAM's
    delegated administrator gets an answer). ``management_account_id`` is known only from an
    organization collection. ``error_code``: AWS's reason why no feature can be on
    (``OrganizationNotFound``: not in an organization; ``OrganizationNotInAllFeaturesMode``,
    ``ServiceAccessNotEnabled``)."""

    organization_id: str | None
    enabled: tuple[str, ...]
    answered_by: str | None
    management_account_id: str | None
    error_code: str | None = None

    @property
    def root_credentials_management(self) -> bool:
        return ROOT_CREDENTIALS_MANAGEMENT in self.enabled


@dataclass(frozen=True)
class ScpPolicy:
    """One service control policy attached at a level; ``document`` is ``None`` when its
    content could not be read as JSON (``error`` says why)."""

    id: str
    name: str
    arn: str | None
    aws_managed: bool
    document: Any
    error: str | None = None


@dataclass(frozen=True)
class ScpLevel:
    """The organization root, an OU or the account itself, with the SCPs attached there."""

    type: str  # ROOT, ORGANIZATIONAL_UNIT or ACCOUNT
    id: str
    name: str | None
    policies: tuple[ScpPolicy, ...]


@dataclass(frozen=True)
class ServiceControlPolicies:
    """The SCPs that restrict the account, from the organization root down to the account.

    ``applies`` is false, with ``reason`` and no level, when none can: the account is in no
    organization (``no_organization``), is its management account (``management_account``), or
    the organization has no SCPs (``not_all_features``, ``not_enabled``)."""

    organization_id: str | None
    management_account_id: str | None
    applies: bool
    reason: str | None
    levels: tuple[ScpLevel, ...]
