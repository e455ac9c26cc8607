"""What the evaluator should find in a seeded spec: PASS/FAIL per check and resource.

An independent, deliberately plain reading of ``checks/README.md`` with the default
parameters (90 days, length 14, reuse 24). Only PASS and FAIL are listed; what the
rules report as NOT_APPLICABLE (e.g. length rules without any password policy) is
left out; see reportgen/sandbox/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.sandbox import awspolicies
from reportgen.sandbox.spec import AccountSpec, InlinePolicySpec, KeySpec, UserSpec

PRIVILEGED = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
DAYS = 90
MIN_LENGTH = 14
REUSE = 24
MAX_PASSWORD_AGE = 90  # password_expires (Security Hub IAM.17)
MIN_ROOT_MFA_DEVICES = 2  # root_mfa_devices


@dataclass(frozen=True)
class ResourceRef:
    """A resource as the manifest names it. Access keys: the user's name and ARN plus ``slot``."""

    type: str
    name: str
    arn: str
    slot: int | None = None

    @property
    def resource_id(self) -> str:
        """The finding's ``resource_id`` (access keys: ``<user arn>#access_key_<slot>``)."""
        return self.arn if self.slot is None else f"{self.arn}#access_key_{self.slot}"


Key = tuple[str, ResourceRef]
_Put = Callable[[str, ResourceRef, bool], None]


@dataclass(frozen=True)
class Expectations:
    """The expected statuses for one spec seeded at ``as_of``."""

    as_of: datetime
    results: Mapping[str, Mapping[ResourceRef, Status]]

    def with_status(self, check_id: str, status: Status) -> frozenset[ResourceRef]:
        found = self.results.get(check_id, {})
        return frozenset(r for r, s in found.items() if s is status)

    def failing(self, check_id: str) -> frozenset[ResourceRef]:
        return self.with_status(check_id, Status.FAIL)

    def passing(self, check_id: str) -> frozenset[ResourceRef]:
        return self.with_status(check_id, Status.PASS)

    def keys(self, status: Status = Status.FAIL) -> frozenset[Key]:
        return frozenset(
            (check, ref)
            for check, found in self.results.items()
            for ref, s in found.items()
            if s is status
        )


@dataclass(frozen=True)
class Changes:
    """FAIL findings between two points in time, keyed by (check id, resource)."""

    new: frozenset[Key]
    resolved: frozenset[Key]
    persisting: frozenset[Key]


def compare(before: Expectations, after: Expectations) -> Changes:
    """New, resolved and persisting failures between two moments, by (check id, resource).

    A failure is new when the resource did not fail before (it passed, was not judged or
    did not exist), resolved when it no longer fails (fixed, or the resource is gone).
    """
    old, now = before.keys(), after.keys()
    return Changes(new=now - old, resolved=old - now, persisting=old & now)


def expectations(spec: AccountSpec, as_of: datetime, account_id: str) -> Expectations:
    """Compute the expected PASS/FAIL findings of ``spec`` seeded at ``as_of``."""
    results: dict[str, dict[ResourceRef, Status]] = {}

    def put(check: str, ref: ResourceRef, failed: bool) -> None:
        results.setdefault(check, {})[ref] = Status.FAIL if failed else Status.PASS

    account = ResourceRef("account", account_id, account_id)
    _root(spec, account_id, put)
    _password(spec, account, put)
    for user in spec.users:
        _user(user, account_id, put)
    _policies(spec, account_id, put)
    put("support_role_exists", account, not _support_role(spec))
    _principals(spec, account_id, put)
    _role_checks(spec, account_id, put)
    for region in spec.enabled_regions:  # the collector reads every enabled region
        covered = any(a.region == region for a in spec.analyzers)
        put("access_analyzer_enabled", ResourceRef("region", region, region), not covered)
    _trails(spec, account_id, account, put)
    for cert in spec.server_certificates:
        arn = f"arn:aws:iam::{account_id}:server-certificate{cert.path}{cert.name}"
        ref = ResourceRef("certificate", cert.name, arn)
        put("expired_server_certificate", ref, cert.expires_in_days < 0)
    _identity(spec, account, put)
    for instance in spec.instances:  # no role or an empty profile: needs review, not listed
        if instance.role is not None:
            arn = f"arn:aws:ec2:{instance.region}:{account_id}:instance/"
            ref = ResourceRef("instance", instance.name, arn + instance.instance_id(account_id))
            put("ec2_instance_roles", ref, False)
    return Expectations(as_of, results)


WORKLOAD_ISSUERS = ("token.actions.githubusercontent.com", "oidc.eks.", "gitlab.com")


def _identity(spec: AccountSpec, account: ResourceRef, put: _Put) -> None:
    """A SECURITY contact registered; people not signing in as IAM users with passwords when
    a SAML provider, a people's OIDC provider or Identity Center exists (none: N/A, unlisted)."""
    put("security_contact_registered", account, all(c.type != "SECURITY" for c in spec.contacts))
    people_oidc = [u for u in spec.oidc_providers if not u.startswith(WORKLOAD_ISSUERS)]
    central = bool(spec.saml_providers or people_oidc or spec.identity_center)
    if any(u.password for u in spec.users):
        put("central_identity", account, True)
    elif central:
        put("central_identity", account, False)


def _root(spec: AccountSpec, account_id: str, put: _Put) -> None:
    root = spec.root
    ref = ResourceRef("root", "<root_account>", f"arn:aws:iam::{account_id}:root")
    put("root_no_access_key", ref, any(k.active for k in root.keys))
    put("root_mfa_enabled", ref, not root.mfa)
    put("root_hardware_mfa", ref, not (root.mfa and root.hardware_mfa))
    uses = [root.password_last_used_days] + [k.last_used_days for k in root.keys]
    put("root_not_used_recently", ref, any(u is not None and u < DAYS for u in uses))
    # Root MFA devices: none with a password fails; enough virtual ones pass; fewer virtual
    # ones, or hardware ones (not listable), need review; no password and no MFA: N/A.
    if not root.mfa and root.password is not False:
        put("root_mfa_devices", ref, True)
    elif root.mfa and not root.hardware_mfa and root.mfa_devices >= MIN_ROOT_MFA_DEVICES:
        put("root_mfa_devices", ref, False)


def _password(spec: AccountSpec, account: ResourceRef, put: _Put) -> None:
    policy = spec.password_policy
    put("password_policy_present", account, policy is None)
    # No policy: every setting it should hold is missing, so those checks fail too.
    put("password_min_length", account, policy is None or policy.minimum_length < MIN_LENGTH)
    reuse = policy.reuse_prevention if policy else None
    put("password_reuse_prevention", account, (reuse or 0) < REUSE)
    for check, field in (
        ("password_requires_uppercase", "require_uppercase"),
        ("password_requires_lowercase", "require_lowercase"),
        ("password_requires_symbols", "require_symbols"),
        ("password_requires_numbers", "require_numbers"),
    ):
        put(check, account, policy is None or not getattr(policy, field))
    age = policy.max_age_days if policy else None
    put("password_expires", account, not age or age > MAX_PASSWORD_AGE)


def _user(user: UserSpec, account_id: str, put: _Put) -> None:
    arn = f"arn:aws:iam::{account_id}:user{user.path}{user.name}"
    ref = ResourceRef("user", user.name, arn)
    active = [(slot, k) for slot, k in enumerate(user.keys, start=1) if k.active]
    put("all_users_mfa", ref, user.mfa_days is None)
    if user.password:
        put("console_user_mfa", ref, user.mfa_days is None)
        last = user.password_last_used_days
        unused = last if last is not None else user.password_changed_days or user.age_days
        put("console_password_unused", ref, unused >= DAYS)
    for slot, key in active:
        key_ref = ResourceRef("access_key", user.name, arn, slot)
        put("access_key_rotated", key_ref, key.age_days > DAYS)
        put("access_key_unused", key_ref, _key_idle(key) >= DAYS)
        if user.password:
            put("no_unused_setup_key", key_ref, key.last_used_days is None)
    put("single_active_access_key", ref, len(active) > 1)
    direct = bool(user.managed_policies or user.inline_policies)
    put("user_no_direct_policies", ref, direct)
    put("user_in_group", ref, not user.groups)
    privileged = any(_short(p) in PRIVILEGED for p in user.managed_policies)
    put("no_privileged_policy_on_user", ref, privileged)
    _dormant(user, ref, put)


def _dormant(user: UserSpec, ref: ResourceRef, put: _Put) -> None:
    # The latest use of the password or of any key (active or not); never used: since creation.
    uses = [k.last_used_days for k in user.keys if k.last_used_days is not None]
    if user.password and user.password_last_used_days is not None:
        uses.append(user.password_last_used_days)
    put("dormant_user", ref, (min(uses) if uses else user.age_days) >= DAYS)


def _key_idle(key: KeySpec) -> int:
    return key.last_used_days if key.last_used_days is not None else key.age_days


def _short(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def _attached(spec: AccountSpec) -> Iterator[str]:
    for user in spec.users:
        yield from user.managed_policies
    for group in spec.groups:
        yield from group.managed_policies
    for role in spec.roles:
        yield from role.managed_policies


def _policies(spec: AccountSpec, account_id: str, put: _Put) -> None:
    attached = set(_attached(spec))
    for policy in spec.policies:
        arn = f"arn:aws:iam::{account_id}:policy{policy.path}{policy.name}"
        ref = ResourceRef("policy", policy.name, arn)
        if policy.name in attached:
            put("no_full_admin_policy", ref, _full_admin(policy.document))
        put("no_service_wildcard_policy", ref, _service_wildcard(policy.document))
    customer = {p.name for p in spec.policies}
    for reference in sorted(attached - customer):
        ref = ResourceRef("policy", _short(reference), awspolicies.aws_policy_arn(reference))
        put("no_full_admin_policy", ref, _short(reference) == "AdministratorAccess")
        if _short(reference) == "AWSCloudShellFullAccess":
            put("cloudshell_full_access_not_attached", ref, True)
    for owner_arn, inline in _inline(spec, account_id):
        ref = ResourceRef("policy", inline.name, f"{owner_arn}#{inline.name}")
        put("no_full_admin_policy", ref, _full_admin(inline.document))
        put("no_service_wildcard_policy", ref, _service_wildcard(inline.document))


def _inline(spec: AccountSpec, account_id: str) -> Iterator[tuple[str, InlinePolicySpec]]:
    prefix = f"arn:aws:iam::{account_id}"
    for user in spec.users:
        yield from ((f"{prefix}:user{user.path}{user.name}", p) for p in user.inline_policies)
    for group in spec.groups:
        yield from ((f"{prefix}:group{group.path}{group.name}", p) for p in group.inline_policies)
    for role in spec.roles:
        yield from ((f"{prefix}:role{role.path}{role.name}", p) for p in role.inline_policies)


def _full_admin(document: Mapping[str, object]) -> bool:
    # every action, or all of IAM (enough to grant oneself anything), on every resource
    return any(
        ("*" in actions or "iam:*" in [a.lower() for a in actions]) and "*" in res
        for actions, res, _ in _allows(document)
    )


def _document(spec: AccountSpec, reference: str) -> Mapping[str, object]:
    for policy in spec.policies:
        if policy.name == _short(reference):
            return policy.document
    return awspolicies.document(reference)


ESCALATING = ("iam:createpolicyversion", "iam:attachuserpolicy", "iam:putuserpolicy")
PASS_TO_LAMBDA = {"iam:passrole", "lambda:createfunction", "lambda:invokefunction"}


def _principals(spec: AccountSpec, account_id: str, put: _Put) -> None:
    """Administrator-equivalent principals (a plain reading: an Allow of ``*`` or ``iam:*`` on
    ``*``, no Deny in the set), their console users' MFA, and the planted escalation paths
    (literal actions)."""
    groups = {g.name: g for g in spec.groups}
    prefix = f"arn:aws:iam::{account_id}"
    lambda_admin = any(
        any(_full_admin(_document(spec, p)) for p in r.managed_policies)
        and "lambda.amazonaws.com" in str(r.trust)
        for r in spec.roles
    )
    found: list[tuple[ResourceRef, list[Mapping[str, object]], bool]] = []
    for user in spec.users:
        docs = [_document(spec, p) for p in user.managed_policies]
        docs += [i.document for i in user.inline_policies]
        for name in user.groups:
            docs += [_document(spec, p) for p in groups[name].managed_policies]
            docs += [i.document for i in groups[name].inline_policies]
        arn = f"{prefix}:user{user.path}{user.name}"
        found.append((ResourceRef("user", user.name, arn), docs, True))
    for group in spec.groups:
        docs = [_document(spec, p) for p in group.managed_policies]
        docs += [i.document for i in group.inline_policies]
        arn = f"{prefix}:group{group.path}{group.name}"
        found.append((ResourceRef("group", group.name, arn), docs, False))
    for role in spec.roles:
        if role.path.startswith("/aws-service-role/"):
            continue
        docs = [_document(spec, p) for p in role.managed_policies]
        docs += [i.document for i in role.inline_policies]
        arn = f"{prefix}:role{role.path}{role.name}"
        found.append((ResourceRef("role", role.name, arn), docs, True))
    console = {u.name: u.mfa_days is not None for u in spec.users if u.password}
    for ref, docs, can_escalate in found:
        admin = any(_full_admin(d) for d in docs)
        put("admin_equivalent_principal", ref, admin)
        if admin and ref.type == "user" and ref.name in console:
            put("admin_user_mfa", ref, not console[ref.name])
        actions = {a.lower() for d in docs for listed, _, _ in _allows(d) for a in listed}
        escalates = bool(actions & set(ESCALATING)) or (lambda_admin and actions >= PASS_TO_LAMBDA)
        if can_escalate and not admin and escalates:
            put("privilege_escalation", ref, True)


def _service_wildcard(document: Mapping[str, object]) -> bool:
    # "*" and "service:*" both count, and so does an Allow with NotAction (like the rule).
    return any(
        not_action or any(a == "*" or a.endswith(":*") for a in actions)
        for actions, _, not_action in _allows(document)
    )


def _allows(document: Mapping[str, object]) -> Iterator[tuple[list[str], list[str], bool]]:
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if isinstance(statement, Mapping) and statement.get("Effect") == "Allow":
            actions = _listed(statement.get("Action"))
            yield actions, _listed(statement.get("Resource")), "NotAction" in statement


def _listed(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, Iterable) else []


def _support_role(spec: AccountSpec) -> bool:
    return any(_short(p) == "AWSSupportAccess" for r in spec.roles for p in r.managed_policies)


def _trails(spec: AccountSpec, account_id: str, account: ResourceRef, put: _Put) -> None:
    good = any(
        t.multi_region and t.logging and t.include_management_events and t.read_write_type == "All"
        for t in spec.trails
    )
    put("cloudtrail_multi_region_logging", account, not good)
    for trail in spec.trails:
        arn = f"arn:aws:cloudtrail:{trail.region}:{account_id}:trail/{trail.name}"
        ref = ResourceRef("trail", trail.name, arn)
        put("cloudtrail_log_validation", ref, not trail.log_file_validation)


def _role_checks(spec: AccountSpec, account_id: str, put: _Put) -> None:
    """Trust policies (a plain reading of the sandbox's simple trust documents) and last use."""
    for role in spec.roles:
        if role.path.startswith("/aws-service-role/"):
            continue
        ref = ResourceRef(
            "role", role.name, f"arn:aws:iam::{account_id}:role{role.path}{role.name}"
        )
        text = str(role.trust)
        put("role_trust_not_public", ref, "'*'" in text)
        others = "arn:aws:iam::" in text and f"arn:aws:iam::{account_id}:" not in text
        put("role_cross_account_trust", ref, others and "ExternalId" not in text)
        idle = role.last_used_days if role.last_used_days is not None else role.age_days
        put("role_unused", ref, idle >= DAYS)
