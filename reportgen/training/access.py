"""What a principal of a lab account may do: IAM's decision over all of its policies.

The policies are read with the report's own parser (:mod:`reportgen.evaluate.policy`): the
user's attached and inline policies plus those of its groups, or a role's. An explicit Deny
wins; an Allow that carries a condition is *conditional* (neither surely allowed nor surely
denied). Permission boundaries and SCPs do not exist in the labs.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportgen.evaluate.policy import PolicyDocumentError, Statement, action_matches, statements
from reportgen.snapshot.model import JSON, AttachedPolicy, InlinePolicy, Snapshot

# Actions with which a principal can give itself (or a principal it controls) any permission:
# the privilege-escalation methods the labs teach. Any one of them on any resource is
# administrator-equivalent.
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
_VARIABLE = re.compile(r"\$\{[^}]*\}")


class Decision(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"  # explicit Deny
    IMPLICIT_DENY = "implicit_deny"
    CONDITIONAL = "conditional"  # allowed only under a condition
    UNKNOWN = "unknown"  # a policy document could not be read


@dataclass(frozen=True)
class Who:
    """A principal of the lab account: ``kind`` is ``user`` or ``role``."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


@lru_cache(maxsize=2048)
def _resource_pattern(glob: str) -> re.Pattern[str]:
    glob = _VARIABLE.sub("*", glob)  # a policy variable may stand for anything
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.DOTALL)


def _resource_matches(pattern: str, resource: str) -> bool:
    return _resource_pattern(pattern).fullmatch(resource) is not None


def _covers(st: Statement, action: str, resource: str | None) -> bool:
    """Does the statement apply? ``resource`` None means "on some resource": any Allow for the
    action counts, a Deny only when it covers every resource."""
    if st.actions is not None:
        action_ok = any(action_matches(a, action) for a in st.actions)
    else:
        action_ok = not any(action_matches(a, action) for a in st.not_actions or ())
    if resource is None:
        resource_ok = st.allows or (st.resources is not None and "*" in st.resources)
    elif st.resources is not None:
        resource_ok = any(_resource_matches(r, resource) for r in st.resources)
    else:
        resource_ok = not any(_resource_matches(r, resource) for r in st.not_resources or ())
    return action_ok and resource_ok


def _documents(snapshot: Snapshot, who: Who) -> Iterator[JSON | None]:
    """Every policy document that applies to ``who`` (None: a managed policy not collected)."""
    attached: list[AttachedPolicy] = []
    inline: list[InlinePolicy] = []
    if who.kind == "user":
        user = next((u for u in snapshot.users if u.name == who.name), None)
        if user is None:
            return
        attached += user.attached_policies
        inline += user.inline_policies
        for group in snapshot.groups:
            if group.name in user.groups:
                attached += group.attached_policies
                inline += group.inline_policies
    else:
        role = next((r for r in snapshot.roles if r.name == who.name), None)
        if role is None:
            return
        attached += role.attached_policies
        inline += role.inline_policies
    for policy in attached:
        managed = snapshot.policy(policy.arn)
        yield None if managed is None else managed.document
    for embedded in inline:
        yield embedded.document


def exists(snapshot: Snapshot, who: Who) -> bool:
    items = snapshot.users if who.kind == "user" else snapshot.roles
    return any(item.name == who.name for item in items)


def decide(snapshot: Snapshot, who: Who, action: str, resource: str) -> Decision:
    """IAM's answer for ``who`` doing ``action`` on ``resource`` (identity policies only)."""
    return _decide(_documents(snapshot, who), action, resource)


def document_is_admin(document: JSON, account_id: str) -> bool:
    """One policy document that, on its own, allows an escalation action (or everything)."""
    return any(
        _decide([document], action, None) not in (Decision.DENY, Decision.IMPLICIT_DENY)
        for action in ESCALATION_ACTIONS
    )


def _decide(documents: Iterable[JSON | None], action: str, resource: str | None) -> Decision:
    allowed = conditional = unreadable = False
    for document in documents:
        if document is None:
            unreadable = True
            continue
        try:
            found = statements(document)
        except PolicyDocumentError:
            unreadable = True
            continue
        for st in found:
            if not _covers(st, action, resource):
                continue
            if not st.allows:
                if not st.has_condition:
                    return Decision.DENY
                continue  # a conditional Deny may or may not apply
            if st.has_condition:
                conditional = True
            else:
                allowed = True
    if allowed:
        return Decision.ALLOW
    if unreadable:
        return Decision.UNKNOWN
    return Decision.CONDITIONAL if conditional else Decision.IMPLICIT_DENY


def may(snapshot: Snapshot, who: Who, action: str, resource: str | None = None) -> bool:
    """Could ``who`` do it (on ``resource``, or on some resource)? Conditional and unreadable
    count as yes: the careful answer when the question is "is this closed?"."""
    found = _decide(_documents(snapshot, who), action, resource)
    return found not in (Decision.DENY, Decision.IMPLICIT_DENY)


def principals(snapshot: Snapshot) -> tuple[Who, ...]:
    users = (Who("user", u.name) for u in snapshot.users)
    roles = (Who("role", r.name) for r in snapshot.roles)
    return tuple(sorted((*users, *roles), key=lambda w: (w.kind, w.name)))


def admin_equivalent(snapshot: Snapshot) -> tuple[Who, ...]:
    """Principals that can do everything, or can grant themselves anything (escalation)."""
    found = []
    for who in principals(snapshot):
        if any(may(snapshot, who, action) for action in ESCALATION_ACTIONS):
            found.append(who)
    return tuple(found)
