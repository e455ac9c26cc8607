"""What a principal of a lab account may do: the report's own least-privilege engine.

Labs are graded by the same evaluator the reports use (:mod:`reportgen.evaluate.effective`,
:mod:`reportgen.evaluate.permissions`, :mod:`reportgen.evaluate.escalation`): a user's
attached and inline policies plus those of its groups, or a role's; explicit Deny wins;
Action/NotAction and Resource/NotResource with wildcards; a permissions boundary caps the
rest; an Allow that carries a condition is *conditional* (neither surely allowed nor surely
denied); a policy missing from the snapshot or unreadable makes the answer *unknown*.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from reportgen.evaluate.actions import action_index
from reportgen.evaluate.effective import PrincipalPolicies, analysis_for
from reportgen.evaluate.escalation import principal_flags
from reportgen.evaluate.permissions import Grant, decide_one, full_admin_scope, merge
from reportgen.evaluate.policy import PolicyDocumentError, statements
from reportgen.snapshot.model import JSON, Snapshot

# IAM write actions with which a policy document on its own lets its holder raise its own
# permissions: the privilege-escalation methods the labs teach (a subset of the methods in
# reportgen/evaluate/data/escalation-methods.yaml that need no other resource).
ESCALATION_ACTIONS = (
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
)


class Decision(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"  # explicit Deny
    IMPLICIT_DENY = "implicit_deny"
    CONDITIONAL = "conditional"  # allowed only under a condition
    UNKNOWN = "unknown"  # a policy document is missing or could not be read


@dataclass(frozen=True)
class Who:
    """A principal of the lab account: ``kind`` is ``user`` or ``role``."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


def _policies(snapshot: Snapshot, who: Who) -> PrincipalPolicies | None:
    analysis = analysis_for(snapshot)
    return next((p for p in analysis.principals if p.kind == who.kind and p.name == who.name), None)


def exists(snapshot: Snapshot, who: Who) -> bool:
    items = snapshot.users if who.kind == "user" else snapshot.roles
    return any(item.name == who.name for item in items)


def decide(snapshot: Snapshot, who: Who, action: str, resource: str) -> Decision:
    """IAM's answer for ``who`` doing ``action`` on ``resource`` (identity policies, the
    permissions boundary and the account's SCPs where the snapshot holds them; a principal that
    does not exist may do nothing)."""
    found = _policies(snapshot, who)
    if found is None:
        return Decision.IMPLICIT_DENY
    analysis = analysis_for(snapshot)
    if found.missing or analysis.unreadable(found):
        return Decision.UNKNOWN
    username = who.name if who.kind == "user" else None
    verdicts = [
        decide_one(analysis.statements(s) or (), action, resource, {}, username)
        for s in found.sources
    ]
    if any(v[2] for v in verdicts):
        return Decision.DENY
    grant = merge(verdicts)
    if found.boundary is not None:
        cap = decide_one(analysis.statements(found.boundary) or (), action, resource, {}, username)
        grant = min(grant, merge([cap]))
    chain = analysis.scp_for(found)
    if chain is not None:
        grant = min(grant, chain.decide(action, resource, {}, username))
    if grant is Grant.ALLOWED:
        return Decision.ALLOW
    return Decision.CONDITIONAL if grant is Grant.CONDITIONAL else Decision.IMPLICIT_DENY


def may(snapshot: Snapshot, who: Who, action: str, resource: str | None = None) -> bool:
    """Could ``who`` do it (on ``resource``, or on some resource)? Conditional and unknown
    count as yes: the careful answer when the question is "is this closed?"."""
    if resource is not None:
        return decide(snapshot, who, action, resource) not in (
            Decision.DENY,
            Decision.IMPLICIT_DENY,
        )
    found = _policies(snapshot, who)
    if found is None:
        return False
    effective = analysis_for(snapshot).effective(found)
    if effective is None:
        return True
    actions = action_index().expand(action)
    return actions != 0 and effective.grant(actions, "some") is not Grant.NONE


def document_is_admin(document: JSON, account_id: str) -> bool:
    """One policy document that, on its own, allows everything, all of IAM, or an IAM write
    action that lets its holder raise its own permissions (unreadable counts as yes)."""
    try:
        found = statements(document)
        if full_admin_scope(document):
            return True
    except PolicyDocumentError:
        return True
    probe = f"arn:aws:iam::{account_id}:user/probe"
    return any(
        merge([decide_one(found, action, probe, {}, None)]) is not Grant.NONE
        or merge([decide_one(found, action, "*", {}, None)]) is not Grant.NONE
        for action in ESCALATION_ACTIONS
    )


def principals(snapshot: Snapshot) -> tuple[Who, ...]:
    users = (Who("user", u.name) for u in snapshot.users)
    roles = (Who("role", r.name) for r in snapshot.roles)
    return tuple(sorted((*users, *roles), key=lambda w: (w.kind, w.name)))


def admin_equivalent(snapshot: Snapshot) -> tuple[Who, ...]:
    """Users and roles that are administrator-equivalent (``*`` or ``iam:*`` on everything,
    even only under conditions), can escalate by a method that needs no other resource, or
    whose policies cannot all be read: the report's own verdicts (service-linked roles,
    which the customer cannot change, never count). The labs are stricter than the report in
    one way: a user or role that may use any of ``ESCALATION_ACTIONS`` at all (a role that
    can rewrite users' policies, say) counts too, since no lab needs anyone to have them."""
    flags = principal_flags(snapshot)
    found = []
    for who in analysis_for(snapshot).principals:
        if who.kind == "group" or who.service_linked:
            continue
        flag = flags.get(who.arn)
        mine = Who(who.kind, who.name)
        if flag is None or not flag.complete or flag.admin or flag.escalation:
            found.append(mine)
        elif any(may(snapshot, mine, action) for action in ESCALATION_ACTIONS):
            found.append(mine)  # may rewrite IAM permissions: forbidden in every lab
    return tuple(sorted(found, key=lambda w: (w.kind, w.name)))
