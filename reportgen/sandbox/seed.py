"""Write an :class:`AccountSpec` into moto's in-process backends, history included.

Writing the backends directly (not through the API) is what makes 5,000 users take
seconds, and it is the only way to backdate: moto has no API for past dates.
Works under ``mock_aws()`` and with a ``ThreadedMotoServer`` in this process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from moto.account.models import account_backends
from moto.cloudtrail.models import cloudtrail_backends
from moto.ec2.models import ec2_backends
from moto.iam.models import AccessKeyLastUsed, AccountPasswordPolicy, iam_backends
from moto.s3.models import s3_backends
from moto.ssoadmin.models import Instance, ssoadmin_backends

from reportgen.errors import InputError
from reportgen.sandbox import analyzer, awspolicies, fidelity, regions
from reportgen.sandbox.spec import (
    TOKYO,
    AccountSpec,
    GroupSpec,
    InlinePolicySpec,
    InstanceSpec,
    KeySpec,
    PasswordPolicySpec,
    RoleSpec,
    ServerCertificateSpec,
    TrailSpec,
    UserSpec,
)

DEFAULT_ACCOUNT_ID = "123456789012"
IAM_REGION = "us-east-1"
MFA_CODES = ("123456", "654321")  # moto never checks them


@dataclass(frozen=True)
class Seeded:
    """What :func:`seed` wrote: the account and the ``today`` every age was measured from."""

    account_id: str
    today: datetime
    users: int
    access_keys: int


class _Clock:
    """Turns "N days ago" into moto's naive UTC datetimes."""

    def __init__(self, today: datetime) -> None:
        if today.tzinfo is None:
            raise InputError("seed: today must be an aware UTC datetime")
        self.today = fidelity.naive_utc(today)

    def ago(self, days: int) -> datetime:
        return self.today - timedelta(days=days)

    def maybe(self, days: int | None) -> datetime | None:
        return None if days is None else self.ago(days)


def seed(spec: AccountSpec, today: datetime, account_id: str = DEFAULT_ACCOUNT_ID) -> Seeded:
    """Write ``spec`` into moto for ``account_id`` as it stands on ``today``.

    Expects a fresh account (a new ``mock_aws()`` or server); installs the fidelity
    patches first. Ages in the spec are days before ``today``.
    """
    fidelity.install()
    clock = _Clock(today)
    iam = iam_backends[account_id]["aws"]
    iam.account_aliases = list(spec.aliases[:1])
    iam.account_password_policy = _password_policy(spec.password_policy)
    policies = _customer_policies(iam, spec, clock)
    for group in spec.groups:
        _group(iam, group, policies, clock)
    keys = sum(_user(iam, user, policies, clock) for user in spec.users)
    for role in spec.roles:
        _role(iam, role, policies, clock)
    root = spec.root
    fidelity.set_root(
        iam,
        created=clock.ago(root.age_days),
        password_last_used=clock.maybe(root.password_last_used_days),
        mfa=root.mfa,
        keys=[_root_key(key, clock) for key in root.keys],
        hardware_mfa=root.hardware_mfa,
        password_enabled=root.password,
        virtual_devices=root.mfa_devices,
    )
    for cert in spec.server_certificates:
        _server_certificate(iam, cert, clock)
    for trail in spec.trails:
        _trail(account_id, trail, clock)
    for spec_analyzer in spec.analyzers:
        analyzer.backend(account_id, spec_analyzer.region).create_analyzer(
            spec_analyzer.name, spec_analyzer.type, created_at=clock.ago(spec_analyzer.age_days)
        )
    _identity(iam, spec, account_id)
    regions.opt_in(account_id, spec.regions)  # an opt-in region the company works in is enabled
    for instance in spec.instances:
        _instance(iam, account_id, instance)
    return Seeded(account_id, today, len(spec.users), keys)


def _identity(iam: Any, spec: AccountSpec, account_id: str) -> None:
    """Alternate contacts, identity providers and the Identity Center instance."""
    contacts = account_backends[account_id]["aws"]
    for contact in spec.contacts:
        contacts.put_alternate_contact(
            contact.type, contact.email, contact.name, contact.phone, contact.title
        )
    for name in spec.saml_providers:
        iam.create_saml_provider(name, "<EntityDescriptor/>")
    for url in spec.oidc_providers:
        iam.create_open_id_connect_provider(f"https://{url}", ["0" * 40], ["sts.amazonaws.com"], [])
    if spec.identity_center:
        ssoadmin_backends[account_id][TOKYO].instances.append(Instance(account_id, TOKYO))


def _password_policy(policy: PasswordPolicySpec | None) -> Any:
    if policy is None:
        return None
    return AccountPasswordPolicy(
        allow_change_password=policy.allow_users_to_change,
        hard_expiry=policy.hard_expiry,
        max_password_age=policy.max_age_days or 0,  # moto's "unset"
        minimum_password_length=policy.minimum_length,
        password_reuse_prevention=policy.reuse_prevention or 0,
        require_lowercase_characters=policy.require_lowercase,
        require_numbers=policy.require_numbers,
        require_symbols=policy.require_symbols,
        require_uppercase_characters=policy.require_uppercase,
    )


def _customer_policies(iam: Any, spec: AccountSpec, clock: _Clock) -> dict[str, Any]:
    created: dict[str, Any] = {}
    for policy in spec.policies:
        managed = iam.create_policy(
            description=policy.description,
            path=policy.path,
            policy_document=json.dumps(policy.document),
            policy_name=policy.name,
            tags=[],
        )
        managed.create_date = managed.update_date = clock.ago(policy.age_days)
        managed.versions[0].create_date = managed.create_date
        created[policy.name] = managed
    return created


def _attach(iam: Any, holder: Any, references: Iterable[str], policies: dict[str, Any]) -> None:
    for reference in references:
        policy = policies.get(reference) or iam.managed_policies.get(reference)
        if policy is None:
            if not awspolicies.is_aws_managed(reference):
                raise InputError.keyed("seed_no_policy", holder=holder.name, policy=reference)
            policy = awspolicies.ensure(iam, reference)
        policy.attach_to(holder)


def _inline(holder: Any, inline: Iterable[InlinePolicySpec]) -> None:
    for policy in inline:
        holder.put_policy(policy.name, json.dumps(policy.document))


def _group(iam: Any, spec: GroupSpec, policies: dict[str, Any], clock: _Clock) -> None:
    group = iam.create_group(spec.name, spec.path)
    group.create_date = clock.ago(spec.age_days)
    _attach(iam, group, spec.managed_policies, policies)
    _inline(group, spec.inline_policies)


def _user(iam: Any, spec: UserSpec, policies: dict[str, Any], clock: _Clock) -> int:
    tags = [{"Key": k, "Value": v} for k, v in spec.tags]
    user = iam.create_user(region_name=IAM_REGION, user_name=spec.name, path=spec.path, tags=tags)
    user.create_date = clock.ago(spec.age_days)
    if spec.password:
        user.password = "Sandbox-Passw0rd!"
        user.password_last_changed = clock.ago(spec.password_changed_days or spec.age_days)
        user.password_last_used = clock.maybe(spec.password_last_used_days)
    for key_spec in spec.keys:
        key = iam.create_access_key(spec.name, status="Active" if key_spec.active else "Inactive")
        key.create_date = clock.ago(key_spec.age_days)
        if key_spec.last_used_days is not None:
            key.last_used = AccessKeyLastUsed(
                clock.ago(key_spec.last_used_days), key_spec.service, key_spec.region
            )
    if spec.mfa_days is not None:
        _enable_mfa(iam, user, clock.ago(spec.mfa_days))
    for group_name in spec.groups:
        if group_name not in iam.groups:
            raise InputError.keyed("seed_no_group", user=spec.name, group=group_name)
        iam.groups[group_name].users.append(user)  # fresh user: moto's membership scan not needed
    _attach(iam, user, spec.managed_policies, policies)
    _inline(user, spec.inline_policies)
    return len(spec.keys)


def _enable_mfa(iam: Any, user: Any, enabled: datetime) -> None:
    device = iam.create_virtual_mfa_device(user.name, "/")
    iam.enable_mfa_device(user.name, device.serial_number, *MFA_CODES)
    device.enable_date = enabled
    user.mfa_devices[device.serial_number].enable_date = enabled


def _role(iam: Any, spec: RoleSpec, policies: dict[str, Any], clock: _Clock) -> None:
    role = iam.create_role(
        role_name=spec.name,
        assume_role_policy_document=json.dumps(spec.trust),
        path=spec.path,
        permissions_boundary=None,
        description=spec.description,
        tags=[],
        max_session_duration=None,
    )
    role.create_date = clock.ago(spec.age_days)
    if spec.last_used_days is not None:
        role.last_used = clock.ago(spec.last_used_days)
        role.last_used_region = "ap-northeast-1"
    _attach(iam, role, spec.managed_policies, policies)
    _inline(role, spec.inline_policies)


_AMI = "ami-12345678"  # moto does not check images unless asked to


def _instance(iam: Any, account_id: str, spec: InstanceSpec) -> None:
    """An EC2 instance with its instance profile (created on first use, holding ``role``)."""
    profile = spec.role or spec.profile
    if profile is not None and profile not in iam.instance_profiles:
        iam.create_instance_profile(profile, "/", [spec.role] if spec.role else [])
    ec2 = ec2_backends[account_id][spec.region]
    reservation = ec2.run_instances(
        _AMI,
        1,
        None,
        [],
        is_instance_type_default=False,
        instance_type="t3.micro",
        region_name=spec.region,
    )
    instance = reservation.instances[0]
    instance.id = spec.instance_id(account_id)  # before anything is keyed by it
    ec2.create_tags([instance.id], {"Name": spec.name})
    if profile is not None:
        ec2.associate_iam_instance_profile(instance.id, iam_instance_profile_name=profile)
    if spec.state == "stopped":
        ec2.stop_instances([instance.id])


def _root_key(key: KeySpec, clock: _Clock) -> fidelity.RootKey:
    used = clock.maybe(key.last_used_days)
    return fidelity.RootKey(
        created=clock.ago(key.age_days),
        last_used=used,
        region=key.region if used else None,
        service=key.service if used else None,
        active=key.active,
    )


def _fresh(moment: datetime) -> datetime:
    # Rebuilt through this module's ``datetime`` so that it is freezegun's class under
    # freeze_time; cryptography refuses the real class while time is frozen.
    return datetime(*moment.timetuple()[:6])


def self_signed_certificate(
    domain: str, not_before: datetime, not_after: datetime
) -> tuple[str, str]:
    """A throwaway self-signed certificate and its key, both PEM (EC P-256: fast to make)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_fresh(not_before))
        .not_valid_after(_fresh(not_after))
        .sign(key, hashes.SHA256())
    )
    body = certificate.public_bytes(serialization.Encoding.PEM).decode()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return body, private


def _server_certificate(iam: Any, spec: ServerCertificateSpec, clock: _Clock) -> None:
    uploaded = clock.ago(spec.age_days)
    body, private = self_signed_certificate(
        spec.domain, uploaded - timedelta(days=1), clock.ago(-spec.expires_in_days)
    )
    cert = iam.upload_server_certificate(spec.name, body, private, path=spec.path)
    cert.upload_date = uploaded


def _trail(account_id: str, spec: TrailSpec, clock: _Clock) -> None:
    s3 = s3_backends[account_id]["aws"]
    if spec.bucket not in s3.buckets:
        s3.create_bucket(spec.bucket, spec.region)
    cloudtrail: Any = cloudtrail_backends[account_id][spec.region]
    trail = cloudtrail.create_trail(
        name=spec.name,
        bucket_name=spec.bucket,
        s3_key_prefix=None,
        sns_topic_name=None,
        is_global=True,
        is_multi_region=spec.multi_region,
        log_validation=spec.log_file_validation,
        is_org_trail=False,
        cw_log_group_arn=None,
        cw_role_arn=None,
        kms_key_id=spec.kms_key_id,
        tags_list=[],
    )
    trail.put_event_selectors(
        [
            {
                "ReadWriteType": spec.read_write_type,
                "IncludeManagementEvents": spec.include_management_events,
                "DataResources": [],
                "ExcludeManagementEventSources": [],
            }
        ],
        [],
    )
    if spec.logging:
        trail.start_logging()
    else:
        trail.start_logging()
        trail.stop_logging()


# cryptography's Rust core looks up ``datetime.datetime`` the first time it signs and keeps
# it. Under freezegun that lookup returns FakeDatetime, after which every real datetime is
# refused ("not an instance of 'FakeDatetime'"), so the seed then depends on test order.
# Signing once at import, with the real class cached, works under both clocks (FakeDatetime
# is a subclass of it).
self_signed_certificate("clock.invalid", datetime(2000, 1, 1), datetime(2000, 1, 2))
