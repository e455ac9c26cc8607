"""Privilege escalation: which known methods (``data/escalation-methods.yaml``) a principal can
use, judged on all its policies together, after Deny and its permissions boundary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import yaml

from reportgen.evaluate.actions import action_index
from reportgen.evaluate.effective import Analysis, PrincipalPolicies, admin_equivalence
from reportgen.evaluate.effective import principal_policies as all_principals
from reportgen.evaluate.permissions import Effective, Grant, decide
from reportgen.evaluate.policy import PolicyDocumentError
from reportgen.evaluate.trust import trustees, trusts_service
from reportgen.resources import package_file
from reportgen.snapshot.model import Role, Snapshot


@dataclass(frozen=True)
class Method:
    """One escalation method (see the data file's header for the fields)."""

    id: str
    kind: str
    actions: tuple[str, ...]
    source: str
    service: str | None = None
    scope: str = "some"
    applies_to: tuple[str, ...] = ("user", "role")
    target: str | None = None


@cache
def methods() -> tuple[Method, ...]:
    """The method list shipped with the package."""
    path = package_file("evaluate", "data", "escalation-methods.yaml")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Method(
            id=e["id"],
            kind=e["kind"],
            actions=tuple(e["actions"]),
            source=e["source"],
            service=e.get("service"),
            scope=e.get("scope", "some"),
            applies_to=tuple(e.get("applies_to", ("user", "role"))),
            target=e.get("target"),
        )
        for e in entries
    )


@dataclass(frozen=True)
class EscalationVerdict:
    """What one principal can do: already admin, methods that work, methods to review."""

    admin: bool
    methods: tuple[str, ...]
    review: tuple[str, ...]


@dataclass(frozen=True)
class _Subject:
    who: PrincipalPolicies
    eff: Effective

    def all_of(self, actions: tuple[str, ...], scope: str = "some") -> Grant:
        index = action_index()
        return min((self.eff.grant(index.bit(a), scope) for a in actions), default=Grant.NONE)

    def decide(self, action: str, resource: str, context: Mapping[str, str]) -> Grant:
        user = self.who.name if self.who.kind == "user" else None
        grant = decide([s.document for s in self.who.sources], action, resource, context, user)
        if self.who.boundary is not None:
            cap = decide([self.who.boundary.document], action, resource, context, user)
            grant = min(grant, cap)
        return grant


def assess_escalation(snapshot: Snapshot, analysis: Analysis) -> dict[str, EscalationVerdict]:
    """Verdicts for every user and role whose policies are complete, keyed by ARN."""
    subjects: list[_Subject] = []
    admins: set[str] = set()
    for who in all_principals(snapshot):
        eff = analysis.effective(who)
        if who.kind == "group" or eff is None or who.service_linked:
            continue
        subjects.append(_Subject(who, eff))
        if admin_equivalence(who, eff).grant is Grant.ALLOWED:
            admins.add(who.arn)
    direct = {s.who.arn: _direct(s) for s in subjects}
    strong = admins | {arn for arn, (hits, _) in direct.items() if hits}
    roles = {r.arn: r for r in snapshot.roles if not r.is_service_linked}
    wildcard_role = f"arn:{snapshot.account.partition}:iam::{snapshot.account.id}:role/any-new-role"
    verdicts: dict[str, EscalationVerdict] = {}
    for subject in subjects:
        arn = subject.who.arn
        hits, review = direct[arn]
        for method in methods():
            if subject.who.kind not in method.applies_to:
                continue
            if method.kind == "passrole":
                grant = _passrole(subject, method, roles, strong, wildcard_role)
                if grant is Grant.ALLOWED:
                    hits.append(method.id)
                elif grant is Grant.CONDITIONAL:
                    review.append(method.id)
            elif method.kind == "existing" and _existing(subject, method, roles, strong):
                review.append(method.id)
        verdicts[arn] = EscalationVerdict(arn in admins, tuple(hits), tuple(review))
    return verdicts


def _direct(subject: _Subject) -> tuple[list[str], list[str]]:
    hits: list[str] = []
    review: list[str] = []
    for method in methods():
        if method.kind != "direct" or subject.who.kind not in method.applies_to:
            continue
        grant = subject.all_of(method.actions, method.scope)
        if grant is Grant.ALLOWED:
            hits.append(method.id)
        elif grant is Grant.CONDITIONAL:
            review.append(method.id)
    return hits, review


def _passrole(
    subject: _Subject,
    method: Method,
    roles: Mapping[str, Role],
    strong: set[str],
    wildcard_role: str,
) -> Grant:
    """ALLOWED: a stronger role trusting the service can be passed with the service actions;
    CONDITIONAL: only under conditions, or only roles created later could be passed."""
    service = method.service or ""
    base = subject.all_of(method.actions)
    if base is Grant.NONE or subject.all_of(("iam:PassRole",)) is Grant.NONE:
        return Grant.NONE
    context = {"iam:passedtoservice": service}
    best = Grant.NONE
    for arn, role in roles.items():
        if arn == subject.who.arn or arn not in strong:
            continue
        if not trusts_service(role.assume_role_policy, service):
            continue
        best = max(best, subject.decide("iam:PassRole", arn, context))
    if best is not Grant.NONE:
        return min(base, best)
    future = subject.decide("iam:PassRole", wildcard_role, context)
    return Grant.CONDITIONAL if future is not Grant.NONE else Grant.NONE


def _existing(
    subject: _Subject, method: Method, roles: Mapping[str, Role], strong: set[str]
) -> bool:
    if subject.all_of(method.actions) is Grant.NONE:
        return False
    if method.target != "stronger_role":
        return True
    for arn in strong & set(roles):
        if arn == subject.who.arn:
            continue
        try:
            found = trustees(roles[arn].assume_role_policy)
        except PolicyDocumentError:
            continue
        names = {t.value for t in found if t.kind == "AWS"}
        account = arn.split(":")[4]
        root = f"arn:{arn.split(':')[1]}:iam::{account}:root"
        trusted = bool(names & {subject.who.arn, "*", account, root})
        if trusted and subject.decide("sts:AssumeRole", arn, {}) is not Grant.NONE:
            return True
    return False


@dataclass(frozen=True)
class PrincipalFlags:
    """What an access review shows beside a principal (users, groups and roles).

    ``admin`` is the administrator-equivalent scope (``*`` / ``iam:*``), ``conditional`` when
    it is so only under conditions, or ``None``; ``complete`` is False when its policies are
    missing from the snapshot (nothing else may then be read as "clean").
    """

    admin: str | None
    admin_conditional: bool
    escalation: tuple[str, ...]
    review: tuple[str, ...]
    complete: bool


def principal_flags(snapshot: Snapshot) -> dict[str, PrincipalFlags]:
    """Administrator-equivalence and escalation methods of every principal, keyed by ARN."""
    analysis = Analysis()
    verdicts = assess_escalation(snapshot, analysis)
    flags: dict[str, PrincipalFlags] = {}
    for who in all_principals(snapshot):
        eff = analysis.effective(who)
        if eff is None:
            flags[who.arn] = PrincipalFlags(None, False, (), (), False)
            continue
        admin = admin_equivalence(who, eff)
        verdict = verdicts.get(who.arn)
        flags[who.arn] = PrincipalFlags(
            admin.scope,
            admin.grant is Grant.CONDITIONAL,
            verdict.methods if verdict else (),
            verdict.review if verdict else (),
            True,
        )
    return flags
