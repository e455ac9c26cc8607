"""The declarative description of a sandbox account; every age is in days before ``today``.

The training labs write the same shape in YAML (documented in ``reportgen/sandbox/README.md``);
:func:`spec_from_mapping` turns such a mapping into an :class:`AccountSpec`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportgen.errors import InputError

TOKYO = "ap-northeast-1"
# The commercial regions launched before 20 March 2019, enabled in every AWS account (the
# sandbox's DescribeRegions lists these plus the opt-in regions a spec works in: regions.py).
DEFAULT_REGIONS = (
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)


@dataclass(frozen=True)
class KeySpec:
    """An access key: created ``age_days`` ago, last used ``last_used_days`` ago (None: never)."""

    age_days: int
    last_used_days: int | None = None
    service: str = "s3"
    region: str = TOKYO
    active: bool = True


@dataclass(frozen=True)
class InlinePolicySpec:
    """A policy embedded in a user, group or role."""

    name: str
    document: Mapping[str, Any]


@dataclass(frozen=True)
class PolicySpec:
    """A customer managed policy."""

    name: str
    document: Mapping[str, Any]
    path: str = "/"
    description: str = ""
    age_days: int = 0


@dataclass(frozen=True)
class UserSpec:
    """An IAM user with its history.

    ``password``: has a console password, last changed ``password_changed_days`` ago
    (default: at creation) and last used ``password_last_used_days`` ago (None: never).
    ``mfa_days``: a virtual MFA device enabled that many days ago (None: no MFA).
    ``managed_policies`` name customer policies of the spec or AWS managed ones.
    """

    name: str
    age_days: int
    path: str = "/"
    password: bool = False
    password_changed_days: int | None = None
    password_last_used_days: int | None = None
    mfa_days: int | None = None
    keys: tuple[KeySpec, ...] = ()
    groups: tuple[str, ...] = ()
    managed_policies: tuple[str, ...] = ()
    inline_policies: tuple[InlinePolicySpec, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class GroupSpec:
    name: str
    path: str = "/"
    age_days: int = 0
    managed_policies: tuple[str, ...] = ()
    inline_policies: tuple[InlinePolicySpec, ...] = ()


@dataclass(frozen=True)
class RoleSpec:
    """An IAM role; ``trust`` is its assume-role policy document."""

    name: str
    trust: Mapping[str, Any]
    path: str = "/"
    age_days: int = 0
    last_used_days: int | None = None
    description: str = ""
    managed_policies: tuple[str, ...] = ()
    inline_policies: tuple[InlinePolicySpec, ...] = ()


@dataclass(frozen=True)
class RootSpec:
    """The root user: account age, last console sign-in, MFA and access keys.

    ``password``: None renders the older reports' ``not_supported``; False is a root without
    a password (a member account whose root credentials the organization manages centrally).
    ``mfa_devices``: how many virtual MFA devices root has when ``mfa`` (not hardware)."""

    age_days: int = 2000
    password_last_used_days: int | None = None
    mfa: bool = False
    hardware_mfa: bool = False
    keys: tuple[KeySpec, ...] = ()
    password: bool | None = None
    mfa_devices: int = 1


@dataclass(frozen=True)
class PasswordPolicySpec:
    """The account password policy; None in :class:`AccountSpec` means no policy at all."""

    minimum_length: int = 8
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    allow_users_to_change: bool = True
    max_age_days: int | None = None
    reuse_prevention: int | None = None
    hard_expiry: bool = False


@dataclass(frozen=True)
class TrailSpec:
    """A CloudTrail trail with its S3 bucket, created in ``region``."""

    name: str
    bucket: str
    region: str = TOKYO
    multi_region: bool = True
    logging: bool = True
    log_file_validation: bool = True
    kms_key_id: str | None = None
    include_management_events: bool = True
    read_write_type: str = "All"


@dataclass(frozen=True)
class AnalyzerSpec:
    """An IAM Access Analyzer analyzer in one region."""

    region: str
    name: str = "account-analyzer"
    type: str = "ACCOUNT"
    age_days: int = 0


@dataclass(frozen=True)
class ServerCertificateSpec:
    """An IAM server certificate uploaded ``age_days`` ago; expired when ``expires_in_days`` < 0."""

    name: str
    age_days: int
    expires_in_days: int
    path: str = "/"
    domain: str = "www.example.co.jp"


@dataclass(frozen=True)
class ContactSpec:
    """An alternate contact of the account; ``type`` is SECURITY, BILLING or OPERATIONS."""

    type: str
    name: str
    email: str
    title: str = ""
    phone: str = "+81-3-0000-0000"


@dataclass(frozen=True)
class InstanceSpec:
    """An EC2 instance (``Name`` tag ``name``). ``role``: the IAM role it gets through an
    instance profile of the same name; ``profile`` without ``role``: a profile holding no
    role; neither: no instance profile at all."""

    name: str
    region: str = TOKYO
    role: str | None = None
    profile: str | None = None
    state: str = "running"  # running | stopped

    def instance_id(self, account_id: str) -> str:
        """A stable id (moto draws random ones), so that expectations can name the instance."""
        digest = hashlib.sha256(f"{account_id}/{self.region}/{self.name}".encode()).hexdigest()
        return f"i-{digest[:17]}"


@dataclass(frozen=True)
class AccountSpec:
    """A whole sandbox account. ``regions`` are the regions the company works in (an opt-in
    region among them is enabled for the account, beside the default regions)."""

    users: tuple[UserSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    policies: tuple[PolicySpec, ...] = ()
    roles: tuple[RoleSpec, ...] = ()
    root: RootSpec = RootSpec()
    password_policy: PasswordPolicySpec | None = None
    trails: tuple[TrailSpec, ...] = ()
    analyzers: tuple[AnalyzerSpec, ...] = ()
    regions: tuple[str, ...] = (TOKYO,)
    server_certificates: tuple[ServerCertificateSpec, ...] = ()
    aliases: tuple[str, ...] = ()
    contacts: tuple[ContactSpec, ...] = ()
    saml_providers: tuple[str, ...] = ()  # names
    oidc_providers: tuple[str, ...] = ()  # issuer URLs without https://
    identity_center: bool = False  # an instance in ap-northeast-1 (the collection region)
    instances: tuple[InstanceSpec, ...] = ()

    @property
    def enabled_regions(self) -> tuple[str, ...]:
        """The regions DescribeRegions lists for the account: the defaults and ``regions``."""
        return tuple(sorted(set(DEFAULT_REGIONS) | set(self.regions)))


def spec_from_mapping(data: Mapping[str, Any]) -> AccountSpec:
    """Build an :class:`AccountSpec` from plain data (e.g. a lab's YAML ``account:`` block).

    Unknown keys and wrong types raise :class:`~reportgen.errors.InputError` naming the path.
    """
    spec: AccountSpec = _build(AccountSpec, data, "account")
    return spec


def _build(cls: type[Any], data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise InputError.keyed("spec_not_mapping_got", where=where, type=type(data).__name__)
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InputError.keyed("spec_unknown_keys", where=where, keys=", ".join(map(str, unknown)))
    missing = [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and f.name not in data
    ]
    if missing:
        raise InputError.keyed("spec_missing_keys", where=where, keys=", ".join(missing))
    values = {key: _convert(hints[key], value, f"{where}.{key}") for key, value in data.items()}
    return cls(**values)


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where)
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type[Any], hint), value, where)
    if origin is tuple:
        if isinstance(value, Mapping) and typing.get_origin(args[0]) is tuple:
            # pairs (tags) may be written as a mapping
            value = list(value.items())
        if not isinstance(value, list | tuple):
            raise InputError.keyed("spec_not_list", where=where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise InputError.keyed("spec_length", where=where, count=len(args), found=len(value))
        return tuple(_convert(a, v, where) for a, v in zip(args, value, strict=True))
    if origin is Mapping or hint is Mapping:
        if not isinstance(value, Mapping):
            raise InputError.keyed("spec_not_mapping", where=where)
        return dict(value)
    if hint is bool or hint is str:
        if not isinstance(value, hint):
            raise InputError.keyed(
                "spec_wrong_type", where=where, expected=hint.__name__, value=value
            )
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError.keyed("spec_not_whole_number", where=where, value=value)
        return value
    raise InputError(f"{where}: unsupported value {value!r}")
