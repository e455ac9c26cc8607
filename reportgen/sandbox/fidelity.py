"""Make moto's IAM credential report, root user and server certificates behave like AWS.

Stock moto 5.2 renders the credential report live, has no ``<root_account>`` row,
fills several columns with placeholders and reports a fixed ``GeneratedTime``
(see reportgen/sandbox/README.md, "Fidelity"). :func:`install` patches the
IAM backend in this process so that the report is a snapshot taken at generation
time with AWS's ``N/A`` / ``no_information`` semantics. Server certificates get their
real dates and unset password-policy fields are left out, as on AWS; an account has no
IAM Identity Center instance until the spec asks for one. Only the sandbox imports this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from moto.core import routing as moto_routing
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam import models as iam_models
from moto.iam import responses as iam_responses
from moto.iam.exceptions import ReportNotPresentException
from moto.ssoadmin import models as ssoadmin_models

from reportgen.sandbox import analyzer, iamrules, orgreads, orgroot, regions
from reportgen.snapshot.credreport import COLUMNS

HEADER = COLUMNS  # the parser's column list is AWS's order
ROOT_MFA_DEVICE = "root-account-mfa-device"
_NA = "N/A"
_NO_INFO = "no_information"
_NOT_SUPPORTED = "not_supported"
_DEFAULT_ACCOUNT_CREATED = datetime(2015, 1, 1)
_MARK = "_reportgen_fidelity"


@dataclass(frozen=True)
class RootKey:
    """An access key of the root user (AWS has no API for these, so we keep them here)."""

    created: datetime
    last_used: datetime | None = None
    region: str | None = None
    service: str | None = None
    active: bool = True


@dataclass(frozen=True)
class RootState:
    """What the credential report and the account summary say about the root user.

    ``password_enabled`` ``None`` renders the documented ``not_supported``.
    """

    created: datetime
    password_last_used: datetime | None = None
    mfa: bool = False
    hardware_mfa: bool = False
    keys: tuple[RootKey, ...] = ()
    password_enabled: bool | None = None


def naive_utc(moment: datetime) -> datetime:
    """moto keeps naive UTC datetimes; convert an aware one (naive ones are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _stamp(moment: datetime | None) -> str | None:
    return naive_utc(moment).strftime("%Y-%m-%dT%H:%M:%S+00:00") if moment else None


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _key_columns(keys: Sequence[Any], slot: int) -> list[str]:
    if len(keys) <= slot:
        return ["false", _NA, _NA, _NA, _NA]
    key = keys[slot]
    if isinstance(key, RootKey):
        active, created = key.active, key.created
        used, region, service = key.last_used, key.region, key.service
    else:
        active, created = key.status == "Active", key.create_date
        last = key.last_used  # AccessKeyLastUsed, a bare datetime, or None
        used = getattr(last, "timestamp", last)
        region, service = getattr(last, "region", None), getattr(last, "service", None)
    if used is None:
        region = service = None
    return [
        _bool(active),
        _stamp(created) or _NA,
        _stamp(used) or _NA,
        region or _NA,
        service or _NA,
    ]


def _cert_columns(certs: Sequence[Any], slot: int) -> list[str]:
    if len(certs) <= slot:
        return ["false", _NA]
    return [_bool(certs[slot].status == "Active"), _stamp(certs[slot].upload_date) or _NA]


def _user_row(backend: Any, user: Any) -> list[str]:
    has_password = bool(user.password)
    changed = getattr(user, "password_last_changed", None) or user.create_date
    policy = backend.account_password_policy
    next_rotation = _NA
    if has_password and policy is not None and policy.max_password_age:
        next_rotation = _stamp(changed + timedelta(days=policy.max_password_age)) or _NA
    certs = list(user.signing_certificates.values())
    keys = list(user.access_keys)
    return [
        user.name,
        user.arn,
        _stamp(user.create_date) or _NA,
        _bool(has_password),
        (_stamp(user.password_last_used) or _NO_INFO) if has_password else _NA,
        (_stamp(changed) or _NA) if has_password else _NA,
        next_rotation,
        _bool(bool(user.mfa_devices)),
        *_key_columns(keys, 0),
        *_key_columns(keys, 1),
        *_cert_columns(certs, 0),
        *_cert_columns(certs, 1),
    ]


def root_state(backend: Any) -> RootState:
    """The root user's state as seeded by :func:`set_root` (a plain default otherwise)."""
    state: RootState | None = getattr(backend, "reportgen_root", None)
    return state or RootState(created=_DEFAULT_ACCOUNT_CREATED)


def _root_row(backend: Any) -> list[str]:
    root = root_state(backend)
    enabled = _NOT_SUPPORTED if root.password_enabled is None else _bool(root.password_enabled)
    return [
        "<root_account>",
        f"arn:{backend.partition}:iam::{backend.account_id}:root",
        _stamp(root.created) or _NA,
        enabled,
        _stamp(root.password_last_used) or _NO_INFO,
        _NOT_SUPPORTED,
        _NOT_SUPPORTED,
        _bool(root.mfa),
        *_key_columns(root.keys, 0),
        *_key_columns(root.keys, 1),
        "false",
        _NA,
        "false",
        _NA,
    ]


def render_report(backend: Any) -> str:
    """The credential report CSV for the backend's current state (AWS shape, no final newline)."""
    rows = [_root_row(backend)] + [_user_row(backend, u) for u in backend.users.values()]
    return "\n".join([",".join(HEADER)] + [",".join(row) for row in rows])


def set_root(
    backend: Any,
    created: datetime,
    password_last_used: datetime | None = None,
    mfa: bool = False,
    keys: Sequence[RootKey] = (),
    *,
    hardware_mfa: bool = False,
    password_enabled: bool | None = None,
    virtual_devices: int = 1,
) -> RootState:
    """Seed the root user: report row, account-summary flags and, for a virtual MFA, its
    devices (``virtual_devices`` of them).

    ``hardware_mfa`` only matters when ``mfa`` is true: a hardware device leaves no
    trace in ListVirtualMFADevices, a virtual one appears there assigned to root.
    """
    state = RootState(
        created=naive_utc(created),
        password_last_used=naive_utc(password_last_used) if password_last_used else None,
        mfa=mfa,
        hardware_mfa=hardware_mfa and mfa,
        keys=tuple(keys),
        password_enabled=password_enabled,
    )
    backend.reportgen_root = state
    backend.account_summary._account_mfa_enabled = int(mfa)
    backend.account_summary._account_access_keys_present = int(bool(keys))
    names = [ROOT_MFA_DEVICE] + [f"{ROOT_MFA_DEVICE}-{n}" for n in range(2, 9)]
    for name in names:
        serial = f"arn:{backend.partition}:iam::{backend.account_id}:mfa/{name}"
        backend.virtual_mfa_devices.pop(serial, None)
    for name in names[: max(1, virtual_devices)] if mfa and not hardware_mfa else ():
        device = backend.create_virtual_mfa_device(name, "/")
        device.enable_date = state.created
        device.user = {
            "Path": "/",
            "UserId": backend.account_id,
            "Arn": f"arn:{backend.partition}:iam::{backend.account_id}:root",
            "CreateDate": state.created,
        }
    return state


def _generate_report(self: Any) -> None:
    self.reportgen_report = (utcnow(), render_report(self))
    self.credential_report = True


def _get_credential_report(self: Any) -> str:
    report: tuple[datetime, str] | None = getattr(self, "reportgen_report", None)
    if report is None:
        raise ReportNotPresentException("Credential report not present")
    return report[1]


def _respond_credential_report(self: Any) -> Any:
    content = self.backend.get_credential_report()
    generated: datetime = self.backend.reportgen_report[0]
    return ActionResult(
        {"Content": content, "ReportFormat": "text/csv", "GeneratedTime": generated}
    )


def _recording_password_change(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, user_name: str, *args: Any, **kwargs: Any) -> Any:
        user = original(self, user_name, *args, **kwargs)
        self.get_user(user_name).password_last_changed = utcnow()
        return user

    return wrapper


def _recording_upload(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        cert = original(self, *args, **kwargs)
        cert.upload_date = utcnow()
        cert.cert_id = next(k for k, v in self.certificates.items() if v is cert)
        return cert

    return wrapper


def certificate_expiration(cert: Any) -> datetime | None:
    """The certificate's notAfter (naive UTC), or None when the body is not a PEM certificate."""
    try:
        parsed = x509.load_pem_x509_certificate(cert.cert_body.encode())
    except ValueError:
        return None
    return naive_utc(parsed.not_valid_after_utc)


def _certificate_metadata(cert: Any) -> dict[str, Any]:
    return {
        "ServerCertificateName": cert.cert_name,
        "Path": cert.path,
        "Arn": cert.arn,
        "UploadDate": getattr(cert, "upload_date", None) or _DEFAULT_ACCOUNT_CREATED,
        "ServerCertificateId": getattr(cert, "cert_id", None) or "ASCA" + cert.cert_name.upper(),
        "Expiration": certificate_expiration(cert) or _DEFAULT_ACCOUNT_CREATED,
    }


def _respond_list_server_certificates(self: Any) -> Any:
    certs = self.backend.list_server_certificates()
    return ActionResult(
        {
            "ServerCertificateMetadataList": [_certificate_metadata(c) for c in certs],
            "IsTruncated": False,
        }
    )


def _respond_get_server_certificate(self: Any) -> Any:
    cert = self.backend.get_server_certificate(self._get_param("ServerCertificateName"))
    body: dict[str, Any] = {
        "ServerCertificateMetadata": _certificate_metadata(cert),
        "CertificateBody": cert.cert_body,
    }
    if cert.cert_chain:
        body["CertificateChain"] = cert.cert_chain
    return ActionResult({"ServerCertificate": body})


def _respond_password_policy(self: Any) -> Any:
    # AWS omits MaxPasswordAge and PasswordReusePrevention when they are not set; moto says 0.
    policy = self.backend.get_account_password_policy()
    body: dict[str, Any] = {
        "MinimumPasswordLength": policy.minimum_password_length,
        "RequireSymbols": bool(policy.require_symbols),
        "RequireNumbers": bool(policy.require_numbers),
        "RequireUppercaseCharacters": bool(policy.require_uppercase_characters),
        "RequireLowercaseCharacters": bool(policy.require_lowercase_characters),
        "AllowUsersToChangePassword": bool(policy.allow_users_to_change_password),
        "ExpirePasswords": bool(policy.max_password_age),
        "HardExpiry": bool(policy.hard_expiry),
    }
    if policy.max_password_age:
        body["MaxPasswordAge"] = policy.max_password_age
    if policy.password_reuse_prevention:
        body["PasswordReusePrevention"] = policy.password_reuse_prevention
    return ActionResult({"PasswordPolicy": body})


_ROUTER_LOCK = threading.Lock()


def _locked_router(original: Callable[..., Any]) -> Callable[..., Any]:
    """moto builds a service's URL router on its first request, without a lock. Two threads
    doing that at once (the collector reads Access Analyzer in every region concurrently)
    compile werkzeug rules in parallel, which CPython 3.11's AST constructor does not
    survive ("AST constructor recursion depth mismatch"). Real AWS has no such step."""

    def get_router(self: Any, protocol: str) -> Any:
        with _ROUTER_LOCK:
            return original(self, protocol)

    return get_router


def _without_default_instance(original: Callable[..., Any]) -> Callable[..., Any]:
    """Stock moto gives every account and region an IAM Identity Center instance; on AWS,
    ListInstances is empty until Identity Center is enabled, which creates one instance in
    one region (https://docs.aws.amazon.com/singlesignon/latest/userguide/enable-identity-center.html).
    The seed adds the instance a spec asks for."""

    def __init__(self: Any, region_name: str, account_id: str) -> None:
        original(self, region_name, account_id)
        self.instances = []

    return __init__


def install() -> None:
    """Patch moto in this process (idempotent); also registers the Access Analyzer emulation,
    makes DescribeRegions list the account's enabled regions (:mod:`.regions`), adds IAM's
    centralized root access for organizations (:mod:`.orgroot`) and keeps Organizations' reads
    from ordinary member accounts (:mod:`.orgreads`)."""
    analyzer.install()
    iamrules.install()
    regions.install()
    orgroot.install()
    orgreads.install()
    sso_cls: Any = ssoadmin_models.SSOAdminBackend
    if not getattr(sso_cls, _MARK, False):
        sso_cls.__init__ = _without_default_instance(sso_cls.__init__)
        setattr(sso_cls, _MARK, True)
    router_cls: Any = moto_routing.ServiceOperationRouter
    if not getattr(router_cls, _MARK, False):
        router_cls._get_router = _locked_router(router_cls._get_router)
        setattr(router_cls, _MARK, True)
    backend_cls: Any = iam_models.IAMBackend
    response_cls: Any = iam_responses.IamResponse
    if getattr(backend_cls, _MARK, False):
        return
    # GAAD's Policies lack PolicyName and PolicyId in stock moto: its serializer looks for
    # ``policy_name``/``policy_id`` attributes, while the model calls them ``name``/``id``.
    policy_cls: Any = iam_models.Policy
    policy_cls.policy_name = property(lambda self: self.name)
    policy_cls.policy_id = property(lambda self: self.id)
    backend_cls.generate_report = _generate_report
    backend_cls.get_credential_report = _get_credential_report
    backend_cls.create_login_profile = _recording_password_change(backend_cls.create_login_profile)
    backend_cls.update_login_profile = _recording_password_change(backend_cls.update_login_profile)
    backend_cls.upload_server_certificate = _recording_upload(backend_cls.upload_server_certificate)
    response_cls.get_credential_report = _respond_credential_report
    response_cls.list_server_certificates = _respond_list_server_certificates
    response_cls.get_server_certificate = _respond_get_server_certificate
    response_cls.get_account_password_policy = _respond_password_policy
    setattr(backend_cls, _MARK, True)
