"""Effective permissions of a principal under IAM's evaluation logic for identity policies.

A principal's grant is the union of all its identity policies (a user's own inline and managed
policies plus its groups'; a role's), minus explicit Deny, capped by its permissions boundary.
Every statement with a ``Condition`` is "allowed under conditions": it never becomes a full
grant and never disappears. The account's service control policies cap it again where the
snapshot holds them (:mod:`reportgen.evaluate.scp`). Session policies and resource-based
policies are not in a snapshot and are outside this evaluation (docs/least-privilege.md).

Two ways to ask: per action set over "every resource" / "some resource" (bit sets, cheap enough
for thousands of principals; cached per policy document), and per concrete action + resource
with a small request context (``iam:PassedToService``) for PassRole and friends.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from reportgen.evaluate.actions import ActionIndex, ActionSet, action_index
from reportgen.evaluate.policy import PolicyDocumentError, Statement, action_matches, statements
from reportgen.snapshot.model import JSON


class Grant(enum.IntEnum):
    """How far something is allowed; ``min`` of two grants is "both"."""

    NONE = 0
    CONDITIONAL = 1  # allowed only under conditions (or with exceptions a Deny carves out)
    ALLOWED = 2


@dataclass(frozen=True)
class Source:
    """One identity policy of a principal, labelled for evidence (``via`` a group, if any)."""

    label: str
    document: JSON


class DocGrants(NamedTuple):
    """One document's statements folded into action bit sets (see module docstring)."""

    allow_all: ActionSet = 0
    allow_all_cond: ActionSet = 0
    allow_some: ActionSet = 0
    allow_some_cond: ActionSet = 0
    allow_others: ActionSet = 0
    allow_others_cond: ActionSet = 0
    deny_all: ActionSet = 0  # unconditional, on every resource
    deny_part: ActionSet = 0  # unconditional, on some resources only
    deny_cond: ActionSet = 0  # under conditions


_PROBES = (
    "arn:{p}:iam::123456789012:role/probe",
    "arn:{p}:s3:::probe-bucket/key",
    "arn:{p}:ec2:us-east-1:123456789012:instance/i-0probe",
)


@lru_cache(maxsize=4096)
def covers_all(pattern: str) -> bool:
    """A resource pattern that matches every resource (``*``, ``arn:aws:*:*:*:*``, ``arn:*``)."""
    if pattern == "*":
        return True
    parts = pattern.split(":")
    if len(parts) < 2 or parts[0].lower() != "arn":
        return False
    partition = parts[1] if parts[1] and "*" not in parts[1] else "aws"
    glob = _resource_glob(pattern)
    return all(glob.fullmatch(p.format(p=partition)) for p in _PROBES)


@lru_cache(maxsize=8192)
def _resource_glob(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def resource_matches(pattern: str, resource: str, username: str | None = None) -> bool:
    """IAM resource matching (case-sensitive ARNs, ``*``/``?``; ``${aws:username}`` resolved)."""
    if "${" in pattern:
        if username is None or "${aws:username}" not in pattern:
            return False
        pattern = pattern.replace("${aws:username}", username)
    return _resource_glob(pattern).fullmatch(resource) is not None


def _action_set(index: ActionIndex, st: Statement) -> ActionSet:
    found = index.expand_all(st.actions if st.actions is not None else st.not_actions or ())
    return found if st.actions is not None else index.everything & ~found


def fold(document: JSON, index: ActionIndex | None = None) -> DocGrants:
    """Fold a document into bit sets; raises ``PolicyDocumentError`` if unreadable."""
    return fold_statements(statements(document), index)


def fold_statements(items: Sequence[Statement], index: ActionIndex | None = None) -> DocGrants:
    """Fold statements into bit sets (identity-policy statements need Action and Resource)."""
    index = index or action_index()
    m: dict[str, int] = dict.fromkeys(DocGrants._fields, 0)
    for st in items:
        if (st.actions is None) == (st.not_actions is None):
            raise PolicyDocumentError("statement needs exactly one of Action/NotAction")
        if (st.resources is None) == (st.not_resources is None):
            raise PolicyDocumentError("statement needs exactly one of Resource/NotResource")
        actions = _action_set(index, st)
        if st.resources is not None:
            everywhere = any(covers_all(r) for r in st.resources)
            self_only = bool(st.resources) and all("${aws:username}" in r for r in st.resources)
            anywhere = bool(st.resources)
        else:  # NotResource: everything but the listed resources
            everywhere = not st.not_resources
            self_only = False
            anywhere = True
        if not st.allows:
            key = "deny_cond" if st.has_condition else "deny_all" if everywhere else "deny_part"
            m[key] |= actions
            continue
        suffix = "_cond" if st.has_condition else ""
        if everywhere:
            m["allow_all" + suffix] |= actions
        if anywhere:
            m["allow_some" + suffix] |= actions
            if not self_only:
                m["allow_others" + suffix] |= actions
    return DocGrants(**m)


@dataclass(frozen=True)
class Effective:
    """A principal's combined grant over action sets (after Deny and the boundary cap)."""

    full_all: ActionSet
    cond_all: ActionSet
    full_some: ActionSet
    cond_some: ActionSet
    full_others: ActionSet
    cond_others: ActionSet

    def grant(self, actions: ActionSet, scope: str = "all") -> Grant:
        """Whether every action of ``actions`` is allowed, on every resource (``all``), some
        resource (``some``) or some resource other than the principal itself (``others``)."""
        if scope == "all":
            full, cond = self.full_all, self.cond_all
        elif scope == "some":
            full, cond = self.full_some, self.cond_some
        else:
            full, cond = self.full_others, self.cond_others
        if not actions:
            return Grant.NONE
        if actions & full == actions:
            return Grant.ALLOWED
        if actions & (full | cond) == actions:
            return Grant.CONDITIONAL
        return Grant.NONE

    def restrict(self, actions: ActionSet) -> Effective:
        """The same grant limited to ``actions`` (smaller sets are faster to test)."""
        return Effective(
            self.full_all & actions,
            self.cond_all & actions,
            self.full_some & actions,
            self.cond_some & actions,
            self.full_others & actions,
            self.cond_others & actions,
        )

    def possible(self) -> ActionSet:
        """Every action allowed on some resource, even if only under conditions."""
        return self.full_some | self.cond_some


def combine(grants: Sequence[DocGrants], boundary: Sequence[DocGrants] | None) -> Effective:
    """The union of identity grants minus Deny, capped by the boundary's own grant."""
    eff = union(grants)
    if boundary is None:
        return eff
    return cap_by(eff, union(boundary))


def union(grants: Sequence[DocGrants]) -> Effective:
    """The grant of documents together: any allows, minus what any denies."""
    u = [0] * len(DocGrants._fields)
    for g in grants:
        u = [a | b for a, b in zip(u, g, strict=True)]
    f = DocGrants(*u)
    out: list[int] = []
    for full, cond, demote in (
        # a partial Deny leaves "every resource" only under conditions; a conditional Deny
        # leaves any grant only under conditions
        (f.allow_all, f.allow_all_cond, f.deny_part | f.deny_cond),
        (f.allow_some, f.allow_some_cond, f.deny_cond),
        (f.allow_others, f.allow_others_cond, f.deny_cond),
    ):
        strict = full & ~f.deny_all & ~demote
        out += [strict, (full | cond) & ~f.deny_all & ~strict]
    return Effective(*out)


def cap_by(eff: Effective, cap: Effective) -> Effective:
    """``eff`` limited to what ``cap`` also allows (a boundary, a level of SCPs)."""
    pairs = (
        (eff.full_all, eff.cond_all, cap.full_all, cap.cond_all),
        (eff.full_some, eff.cond_some, cap.full_some, cap.cond_some),
        (eff.full_others, eff.cond_others, cap.full_others, cap.cond_others),
    )
    out: list[int] = []
    for f1, c1, f2, c2 in pairs:
        full = f1 & f2
        out += [full, (f1 | c1) & (f2 | c2) & ~full]
    return Effective(*out)


# Condition keys this evaluator can decide from the request it is asked about.
KNOWN_KEYS = frozenset({"iam:passedtoservice"})
_OPERATORS = {"stringequals", "stringlike", "stringequalsignorecase"}


def _condition(condition: Mapping[str, JSON] | None, context: Mapping[str, str]) -> bool | None:
    """True/False when every condition is on a known key present in ``context``; else None."""
    if not condition:
        return True
    for operator, block in condition.items():
        if operator.lower().removeprefix("foranyvalue:") not in _OPERATORS:
            return None
        if not isinstance(block, dict):
            return None
        for key, expected in block.items():
            value = context.get(key.lower())
            if key.lower() not in KNOWN_KEYS or value is None:
                return None
            wanted = expected if isinstance(expected, list) else [expected]
            if not any(isinstance(w, str) and action_matches(w, value) for w in wanted):
                return False
    return True


def _applies(st: Statement, action: str, resource: str, username: str | None) -> bool:
    if not st.matches_action(action):
        return False
    if st.resources is not None:
        return any(resource_matches(r, resource, username) for r in st.resources)
    return not any(resource_matches(r, resource, username) for r in st.not_resources or ())


Verdict = tuple[bool, bool, bool, bool]
"""One document's answer to a request: (allowed, allowed under conditions, denied, denied under
conditions)."""


def decide_one(
    document: Sequence[Statement],
    action: str,
    resource: str,
    context: Mapping[str, str],
    username: str | None = None,
) -> Verdict:
    """What one document's statements say about ``action`` on ``resource``."""
    allowed = conditional = denied = soft_deny = False
    for st in document:
        if not _applies(st, action, resource, username):
            continue
        met = _condition(st.condition, context)
        if not st.allows:
            denied = denied or met is True
            soft_deny = soft_deny or met is None
        elif met is True:
            allowed = True
        elif met is None:
            conditional = True
    return allowed, conditional, denied, soft_deny


def merge(verdicts: Sequence[Verdict]) -> Grant:
    """The grant of several documents' verdicts together (explicit Deny wins)."""
    if any(v[2] for v in verdicts):
        return Grant.NONE
    allowed = any(v[0] for v in verdicts)
    if allowed and not any(v[3] for v in verdicts):
        return Grant.ALLOWED
    return Grant.CONDITIONAL if allowed or any(v[1] for v in verdicts) else Grant.NONE


def decide(
    documents: Sequence[Sequence[Statement]],
    action: str,
    resource: str,
    context: Mapping[str, str] | None = None,
    username: str | None = None,
) -> Grant:
    """Whether the documents' statements together allow ``action`` on ``resource`` for a
    request with ``context`` (lower-case keys); conditions on other keys make it CONDITIONAL."""
    ctx = context or {}
    return merge([decide_one(d, action, resource, ctx, username) for d in documents])


def full_admin_scope(document: JSON) -> str | None:
    """``"*"`` or ``"iam:*"`` when the document alone allows every action, or all of IAM, on
    every resource (conditions do not excuse it; its own unconditional Deny does); else None."""
    index = action_index()
    folded = fold(document, index)
    allowed = (folded.allow_all | folded.allow_all_cond) & ~folded.deny_all
    for scope, wanted in (("*", index.everything), ("iam:*", index.service("iam"))):
        if allowed & wanted == wanted:
            return scope
    return None
