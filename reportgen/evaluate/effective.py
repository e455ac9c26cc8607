"""Each principal's policies gathered from a snapshot, and its effective grant (cached per
policy document, so thousands of users sharing group policies cost little)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from reportgen.evaluate.actions import ActionIndex, action_index
from reportgen.evaluate.permissions import (
    DocGrants,
    Effective,
    Grant,
    Source,
    cap_by,
    combine,
    fold_statements,
)
from reportgen.evaluate.policy import PolicyDocumentError, Statement, statements
from reportgen.evaluate.scp import ScpChain, scp_state
from reportgen.snapshot.model import AttachedPolicy, InlinePolicy, Snapshot


@dataclass(frozen=True)
class PrincipalPolicies:
    """A user, group or role with every identity policy that applies to it.

    ``missing`` names what the snapshot lacks to judge it (a group or managed policy it refers
    to, an unreadable document); a rule must report such a principal UNKNOWN.
    """

    kind: str
    name: str
    arn: str
    sources: tuple[Source, ...]
    boundary: Source | None
    missing: tuple[str, ...]
    service_linked: bool = False


def _managed(snapshot: Snapshot, attached: Sequence[AttachedPolicy], via: str) -> Iterator[Source]:
    for policy in attached:
        managed = snapshot.policy(policy.arn)
        yield Source(via + policy.name, managed.document if managed else None)


def _inline(policies: Sequence[InlinePolicy], via: str) -> Iterator[Source]:
    for policy in policies:
        yield Source(f"{via}{policy.name} (inline)", policy.document)


def _missing(snapshot: Snapshot, attached: Sequence[AttachedPolicy]) -> list[str]:
    return [f"policy:{p.arn}" for p in attached if snapshot.policy(p.arn) is None]


def principal_policies(snapshot: Snapshot) -> Iterator[PrincipalPolicies]:
    """Every user, group and role with its identity policies, in (kind, ARN) order."""
    groups = {g.name: g for g in snapshot.groups}
    for user in sorted(snapshot.users, key=lambda u: u.arn):
        sources = [
            *_managed(snapshot, user.attached_policies, ""),
            *_inline(user.inline_policies, ""),
        ]
        missing = _missing(snapshot, user.attached_policies)
        for name in user.groups:
            group = groups.get(name)
            if group is None:
                missing.append(f"group:{name}")
                continue
            via = f"group/{name}: "
            sources += [*_managed(snapshot, group.attached_policies, via)]
            sources += [*_inline(group.inline_policies, via)]
            missing += _missing(snapshot, group.attached_policies)
        yield _with_boundary(
            snapshot, "user", user.name, user.arn, sources, missing, user.permissions_boundary
        )
    for group in sorted(snapshot.groups, key=lambda g: g.arn):
        sources = [
            *_managed(snapshot, group.attached_policies, ""),
            *_inline(group.inline_policies, ""),
        ]
        missing = _missing(snapshot, group.attached_policies)
        yield PrincipalPolicies(
            "group", group.name, group.arn, tuple(sources), None, tuple(missing)
        )
    for role in sorted(snapshot.roles, key=lambda r: r.arn):
        sources = [
            *_managed(snapshot, role.attached_policies, ""),
            *_inline(role.inline_policies, ""),
        ]
        missing = _missing(snapshot, role.attached_policies)
        found = _with_boundary(
            snapshot, "role", role.name, role.arn, sources, missing, role.permissions_boundary
        )
        yield PrincipalPolicies(
            found.kind,
            found.name,
            found.arn,
            found.sources,
            found.boundary,
            found.missing,
            role.is_service_linked,
        )


def _with_boundary(
    snapshot: Snapshot,
    kind: str,
    name: str,
    arn: str,
    sources: list[Source],
    missing: list[str],
    boundary_arn: str | None,
) -> PrincipalPolicies:
    boundary = None
    if boundary_arn:
        policy = snapshot.policy(boundary_arn)
        if policy is None:
            missing.append(f"boundary:{boundary_arn}")
        else:
            boundary = Source(f"boundary: {policy.name}", policy.document)
    return PrincipalPolicies(kind, name, arn, tuple(sources), boundary, tuple(missing))


class Analysis:
    """One snapshot's principals with each policy document parsed and folded once, and each
    distinct set of documents combined once (users sharing groups share the work). The
    account's SCPs cap every principal but service-linked roles, where the snapshot holds them
    whole (:mod:`reportgen.evaluate.scp`)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.principals = tuple(principal_policies(snapshot))
        self.scp = scp_state(snapshot)
        self._parsed: dict[int, tuple[object, tuple[Statement, ...] | None]] = {}
        self._folded: dict[int, DocGrants | None] = {}
        self._combined: dict[tuple[int, ...], Effective | None] = {}
        self.memo: dict[object, object] = {}  # for callers' per-snapshot results

    def statements(self, source: Source) -> tuple[Statement, ...] | None:
        """The document's statements (``None`` when it is unreadable)."""
        key = id(source.document)
        hit = self._parsed.get(key)
        if hit is not None and hit[0] is source.document:
            return hit[1]
        try:
            found: tuple[Statement, ...] | None = statements(source.document)
        except PolicyDocumentError:
            found = None
        self._parsed[key] = (source.document, found)
        return found

    def grants(self, source: Source) -> DocGrants | None:
        """The folded document (``None`` when it is unreadable)."""
        found = self.statements(source)
        key = id(source.document)
        if key not in self._folded:
            try:
                self._folded[key] = fold_statements(found) if found is not None else None
            except PolicyDocumentError:
                self._folded[key] = None
        return self._folded[key]

    def scp_for(self, who: PrincipalPolicies) -> ScpChain | None:
        """The SCP chain that caps ``who`` (none for a service-linked role, or when the
        snapshot does not hold the account's chain whole)."""
        return None if who.service_linked else self.scp.chain

    def effective(self, who: PrincipalPolicies) -> Effective | None:
        """The principal's grant, SCPs applied; ``None`` if a document is missing or
        unreadable."""
        found = self.identity(who)
        chain = self.scp_for(who)
        if found is None or chain is None:
            return found
        key = ("scp", *self.key(who))
        capped = self.memo.get(key)
        if not isinstance(capped, Effective):
            capped = self.memo[key] = cap_by(found, chain.cap)
        return capped

    def identity(self, who: PrincipalPolicies) -> Effective | None:
        """The grant of the principal's identity policies and boundary alone (no SCP)."""
        if who.missing:
            return None
        key = self.key(who)
        if key not in self._combined:
            folded = [self.grants(s) for s in who.sources]
            cap = self.grants(who.boundary) if who.boundary else None
            if any(f is None for f in folded) or (who.boundary and cap is None):
                self._combined[key] = None
            else:
                self._combined[key] = combine([f for f in folded if f], [cap] if cap else None)
        return self._combined[key]

    @staticmethod
    def key(who: PrincipalPolicies) -> tuple[int, ...]:
        """Identity of the principal's set of documents (boundary, then ``1`` for a
        service-linked role, which no SCP caps)."""
        ids = sorted(id(s.document) for s in who.sources)
        return (*ids, id(who.boundary.document) if who.boundary else 0, int(who.service_linked))

    def unreadable(self, who: PrincipalPolicies) -> tuple[str, ...]:
        """Labels of the principal's documents that cannot be read."""
        key = ("unreadable", who.kind, who.arn)
        found = self.memo.get(key)
        if not isinstance(found, tuple):
            docs = [*who.sources, *([who.boundary] if who.boundary else [])]
            found = self.memo[key] = tuple(s.label for s in docs if self.grants(s) is None)
        return found


def analysis_for(snapshot: Snapshot) -> Analysis:
    """The snapshot's analysis, made once and kept with the (read-only) snapshot."""
    return snapshot.kept("_permission_analysis", Analysis, Analysis)


@dataclass(frozen=True)
class AdminVerdict:
    """Administrator-equivalence of one principal: how, and which statements grant it."""

    grant: Grant
    scope: str | None  # "*" (every action) or "iam:*" (all of IAM), on every resource
    statements: tuple[str, ...]
    scp: tuple[str, ...] = ()
    """The SCPs (``level: policy``) that shape the verdict: those that take part of the scope
    away from the whole account (``within_scp``), or that stop a grant the identity policies
    make (a PASS that only the SCPs earn)."""
    within_scp: bool = False
    """The scope is what the SCPs leave the account of ``*`` or ``iam:*``, not all of it."""


def admin_equivalence(analysis: Analysis, who: PrincipalPolicies, eff: Effective) -> AdminVerdict:
    """Effective ``*`` on ``*`` or all of ``iam:*`` on ``*``, fully or only under conditions
    (answered once per principal of ``analysis``: several checks ask).

    Under SCPs the scope is what the SCPs leave the account: a principal allowed everything
    that anyone in the account can be allowed is administrator-equivalent there, however much
    the SCPs remove for everyone (a guardrail that denies ``iam:CreateUser`` to the whole
    account does not make its administrators ordinary users). The SCPs' conditions bind every
    principal of the account alike, so they do not make one principal's grant conditional
    here. Only when the SCPs leave nothing of a scope does it stop counting: a PASS that says
    which SCPs earn it. ``eff`` (the grant with SCPs applied) decides when no SCP applies."""
    key = ("admin", who.kind, who.arn)
    found = analysis.memo.get(key)
    if isinstance(found, AdminVerdict):
        return found
    chain = analysis.scp_for(who)
    identity = analysis.identity(who) if chain else None
    if chain is None or identity is None:
        verdict = _admin(analysis, who, eff)
    else:
        ceiling = chain.cap.full_all | chain.cap.cond_all
        verdict = _admin(analysis, who, identity, ceiling)
        if verdict.scope is not None and verdict.within_scp:
            whole = _scope_actions(verdict.scope)
            scp = chain.capping(whole, "all", Grant.CONDITIONAL)
            verdict = replace(verdict, scp=scp)
        elif verdict.grant is Grant.NONE:
            before = _admin(analysis, who, identity)
            if before.scope is not None:
                scp = chain.capping(_scope_actions(before.scope), "all", before.grant)
                verdict = replace(verdict, statements=before.statements, scp=scp)
    analysis.memo[key] = verdict
    return verdict


def _scope_actions(scope: str) -> int:
    """Every action (``*``) or all of IAM (``iam:*``)."""
    index = action_index()
    return index.everything if scope == "*" else index.service("iam")


def _admin(
    analysis: Analysis, who: PrincipalPolicies, eff: Effective, ceiling: int | None = None
) -> AdminVerdict:
    for scope in ("*", "iam:*"):
        whole = _scope_actions(scope)
        actions = whole if ceiling is None else whole & ceiling
        if not actions:
            continue  # the SCPs leave the account nothing of this scope
        grant = eff.grant(actions, "all")
        if grant is not Grant.NONE:
            statements = _granting(analysis, who, actions)
            return AdminVerdict(grant, scope, statements, within_scp=actions != whole)
    return AdminVerdict(Grant.NONE, None, ())


def _granting(analysis: Analysis, who: PrincipalPolicies, scope: int) -> tuple[str, ...]:
    """``policy#statement`` labels of the Allow statements that make ``who`` administrator-
    equivalent: those granting the whole ``scope`` on every resource on their own, if any
    (ReadOnlyAccess beside a ``*`` policy is not a cause); else every statement granting IAM
    actions on every resource (the scope then comes from several together)."""
    index = action_index()
    granted = [
        (f"{source.label}#{number}", actions)
        for source in who.sources
        for number, actions in _everywhere(analysis, source, index)
    ]
    whole = [label for label, actions in granted if actions & scope == scope]
    iam = index.service("iam")
    return tuple(whole or [label for label, actions in granted if actions & iam])


def _everywhere(
    analysis: Analysis, source: Source, index: ActionIndex
) -> tuple[tuple[str, int], ...]:
    """Each Allow statement of ``source`` (its Sid or number) with the actions it allows on
    every resource; looked at once per document (many principals share a document)."""
    key = ("everywhere", id(source.document))
    found = analysis.memo.get(key)
    if not isinstance(found, tuple):
        found = tuple(
            (st.sid or str(number), _on_every_resource(st, index))
            for number, st in enumerate(analysis.statements(source) or (), start=1)
            if st.allows
        )
        analysis.memo[key] = found
    return found


def _on_every_resource(st: Statement, index: ActionIndex) -> int:
    one = fold_statements([st], index)
    return one.allow_all | one.allow_all_cond
