"""Privilege escalation: which known methods (``data/escalation-methods.yaml``) a principal can
use, judged on all its policies together, after Deny, its permissions boundary and the
account's SCPs (where the snapshot holds them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import yaml

from reportgen.evaluate.actions import ActionSet, action_index
from reportgen.evaluate.effective import (
    Analysis,
    PrincipalPolicies,
    admin_equivalence,
    analysis_for,
)
from reportgen.evaluate.permissions import Effective, Grant, Source, Verdict, decide_one, merge
from reportgen.evaluate.policy import PolicyDocumentError, Statement
from reportgen.evaluate.scp import ScpChain
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


@cache
def _masks() -> tuple[tuple[Method, ActionSet], ...]:
    index = action_index()
    found = []
    for method in methods():
        mask = 0
        for action in method.actions:
            mask |= index.bit(action)
        found.append((method, mask))
    return tuple(found)


@cache
def _any_method() -> ActionSet:
    found = action_index().bit("iam:PassRole")
    for _, mask in _masks():
        found |= mask
    return found


@dataclass(frozen=True)
class _Subject:
    who: PrincipalPolicies
    eff: Effective
    statements: tuple[tuple[Statement, ...], ...]
    boundary: tuple[Statement, ...] | None
    cache: dict[tuple[object, ...], Verdict]
    groups: tuple[str, ...] = ()
    """ARNs of the IAM groups a user belongs to (a policy put on one of them reaches it)."""
    touches: tuple[ActionSet, ...] = ()
    """Per document of ``statements``: every action one of its statements names, allowed or
    denied, anywhere (a request for another action gets no answer from it: not asked)."""
    scp: ScpChain | None = None
    """The account's SCPs, when they cap this principal."""

    def decide(self, action: str, resource: str, context: Mapping[str, str]) -> Grant:
        user = self.who.name if self.who.kind == "user" else None
        bit = action_index().bit(action)  # 0 for an action the list does not know: ask all
        documents = [
            d for d, t in zip(self.statements, self.touches, strict=True) if t & bit or not bit
        ]
        grant = merge([self._one(d, action, resource, context, user) for d in documents])
        if self.boundary is not None:
            cap = merge([self._one(self.boundary, action, resource, context, user)])
            grant = min(grant, cap)
        if self.scp is not None and grant is not Grant.NONE:
            grant = min(grant, self.scp.decide(action, resource, context, user))
        return grant

    def _one(
        self,
        document: tuple[Statement, ...],
        action: str,
        resource: str,
        context: Mapping[str, str],
        user: str | None,
    ) -> Verdict:
        # documents are shared by many principals (group and managed policies): answer once
        key = (id(document), action, resource, tuple(context.items()), user)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = decide_one(document, action, resource, context, user)
        return found


def assess_escalation(analysis: Analysis) -> dict[str, EscalationVerdict]:
    """Verdicts for every user and role whose policies are complete, keyed by ARN (made once
    per analysis)."""
    cached = analysis.memo.get("escalation")
    if isinstance(cached, dict):
        return cached
    subjects: list[_Subject] = []
    admins: set[str] = set()
    hot = action_index().hot
    cache: dict[tuple[object, ...], Verdict] = {}
    group_arns = {g.name: g.arn for g in analysis.snapshot.groups}
    member_of = {
        u.arn: tuple(group_arns[n] for n in u.groups if n in group_arns)
        for u in analysis.snapshot.users
    }
    for who in analysis.principals:
        eff = analysis.effective(who)
        if who.kind == "group" or eff is None or who.service_linked:
            continue
        parsed = tuple(analysis.statements(s) or () for s in who.sources)
        cap = analysis.statements(who.boundary) if who.boundary else None
        groups = member_of.get(who.arn, ()) if who.kind == "user" else ()
        touches = tuple(_touched(analysis, s) for s in who.sources)
        subjects.append(
            _Subject(
                who, eff.restrict(hot), parsed, cap, cache, groups, touches, analysis.scp_for(who)
            )
        )
        if admin_equivalence(analysis, who, eff).grant is Grant.ALLOWED:
            admins.add(who.arn)
    direct = {s.who.arn: _methods(s, "direct") for s in subjects}
    strong = admins | {arn for arn, (hits, _) in direct.items() if hits}
    roles = {r.arn: r for r in analysis.snapshot.roles if not r.is_service_linked}
    services = {m.service for m in methods() if m.service}
    passable = {
        service: tuple(
            arn
            for arn in sorted(strong & set(roles))
            if trusts_service(roles[arn].assume_role_policy, service)
        )
        for service in services
    }
    account = analysis.snapshot.account
    future_role = f"arn:{account.partition}:iam::{account.id}:role/any-new-role"
    verdicts: dict[str, EscalationVerdict] = {}
    seen: dict[tuple[object, ...], EscalationVerdict] = {}
    for subject in subjects:
        arn = subject.who.arn
        # users with the same documents get the same verdict; roles differ by self-exclusion
        key = (
            subject.who.kind,
            Analysis.key(subject.who),
            arn if subject.who.kind == "role" else "",
            subject.groups,
        )
        if key in seen and subject.who.kind == "user" and not _mentions_self(subject):
            verdicts[arn] = seen[key]
            continue
        hits, review = (list(x) for x in direct[arn])
        if subject.eff.possible() & _any_method():
            for method, mask in _masks():
                if subject.who.kind not in method.applies_to:
                    continue
                if method.kind == "passrole":
                    grant = _passrole(subject, method, mask, passable, future_role)
                    if grant is Grant.ALLOWED:
                        hits.append(method.id)
                    elif grant is Grant.CONDITIONAL:
                        review.append(method.id)
                elif method.kind == "existing" and _existing(subject, method, mask, roles, strong):
                    review.append(method.id)
        verdicts[arn] = seen[key] = EscalationVerdict(arn in admins, tuple(hits), tuple(review))
    analysis.memo["escalation"] = verdicts
    return verdicts


def _touched(analysis: Analysis, source: Source) -> ActionSet:
    """Every action a statement of ``source`` names (Allow or Deny, any resource, any
    condition): the union of its folded bit sets."""
    folded = analysis.grants(source)
    found = 0
    for part in folded or ():
        found |= part
    return found if folded is not None else action_index().everything


def _mentions_self(subject: _Subject) -> bool:
    """Whether a statement names users or groups (or uses a variable such as
    ``${aws:username}``), so that two users with the same documents may differ in what they
    can do to themselves."""
    return any(
        "${" in r or ":user/" in r or ":group/" in r
        for doc in subject.statements
        for st in doc
        for r in (*(st.resources or ()), *(st.not_resources or ()))
    )


def _methods(subject: _Subject, kind: str) -> tuple[list[str], list[str]]:
    hits: list[str] = []
    review: list[str] = []
    if not subject.eff.possible() & _any_method():
        return hits, review
    for method, mask in _masks():
        if method.kind != kind or subject.who.kind not in method.applies_to:
            continue
        if method.scope == "self":
            grant = _on_self(subject, method)
        elif method.scope == "own_groups":
            grant = _on_own_groups(subject, method, mask)
        else:
            grant = subject.eff.grant(mask, method.scope)
        if grant is Grant.ALLOWED:
            hits.append(method.id)
        elif grant is Grant.CONDITIONAL:
            review.append(method.id)
    return hits, review


def _on_self(subject: _Subject, method: Method) -> Grant:
    """Whether every action of ``method`` is allowed on the principal itself (a policy
    attached to another user raises nobody's own permissions), after Deny and the boundary."""
    return min(subject.decide(action, subject.who.arn, {}) for action in method.actions)


def _on_own_groups(subject: _Subject, method: Method, mask: ActionSet) -> Grant:
    """Whether every action of ``method`` is allowed on one of the user's own groups: a policy
    put on a group the user is not in raises nobody's own permissions (joining a group is
    its own method, ``iam-add-user-to-group``)."""
    if subject.eff.grant(mask, "some") is Grant.NONE:
        return Grant.NONE  # not allowed anywhere: no need to ask group by group
    return max(
        (min(subject.decide(a, group, {}) for a in method.actions) for group in subject.groups),
        default=Grant.NONE,
    )


def _passrole(
    subject: _Subject,
    method: Method,
    mask: ActionSet,
    passable: Mapping[str, tuple[str, ...]],
    future_role: str,
) -> Grant:
    """ALLOWED: a stronger role trusting the service can be passed with the service actions;
    CONDITIONAL: only under conditions, or only roles created later could be passed."""
    base = subject.eff.grant(mask, "some")
    if base is Grant.NONE or not subject.eff.possible() & action_index().bit("iam:PassRole"):
        return Grant.NONE
    service = method.service or ""
    context = {"iam:passedtoservice": service}
    best = Grant.NONE
    for arn in passable.get(service, ()):
        if arn != subject.who.arn:
            best = max(best, subject.decide("iam:PassRole", arn, context))
    if best is not Grant.NONE:
        return min(base, best)
    future = subject.decide("iam:PassRole", future_role, context)
    return Grant.CONDITIONAL if future is not Grant.NONE else Grant.NONE


def _existing(
    subject: _Subject, method: Method, mask: ActionSet, roles: Mapping[str, Role], strong: set[str]
) -> bool:
    if subject.eff.grant(mask, "some") is Grant.NONE:
        return False
    if method.target != "stronger_role":
        return True
    for arn in sorted(strong & set(roles)):
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
    analysis = analysis_for(snapshot)
    verdicts = assess_escalation(analysis)
    flags: dict[str, PrincipalFlags] = {}
    for who in analysis.principals:
        eff = analysis.effective(who)
        if eff is None:
            flags[who.arn] = PrincipalFlags(None, False, (), (), False)
            continue
        admin = admin_equivalence(analysis, who, eff)
        verdict = verdicts.get(who.arn)
        flags[who.arn] = PrincipalFlags(
            admin.scope,
            admin.grant is Grant.CONDITIONAL,
            verdict.methods if verdict else (),
            verdict.review if verdict else (),
            True,
        )
    return flags
