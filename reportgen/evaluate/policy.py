"""Read IAM policy documents: normalised statements, full-admin and service-wide wildcards.

Only the default version of a managed policy counts (the model keeps only that one), and
inline policies of users, groups and roles are analysed the same way.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from reportgen.snapshot.model import JSON, InlinePolicy, Snapshot


class PolicyDocumentError(ValueError):
    """A policy document that is not a readable IAM policy (the rule reports UNKNOWN)."""


@dataclass(frozen=True)
class Statement:
    """One statement with every list normalised to a tuple (actions lower-cased).

    Exactly one of ``actions``/``not_actions`` is set, likewise ``resources``/``not_resources``.
    """

    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    has_condition: bool
    condition: Mapping[str, JSON] | None = None
    sid: str | None = None

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def matches_action(self, action: str) -> bool:
        """Whether the statement is about ``action``: one of ``actions`` matches it, or none of
        ``not_actions`` does."""
        listed = self._action_pattern.fullmatch(action) is not None
        return listed if self.actions is not None else not listed

    @cached_property
    def _action_pattern(self) -> re.Pattern[str]:
        """``actions`` (or ``not_actions``) as one pattern, compiled once per statement: a
        principal's requests are asked of the same statements thousands of times."""
        return _any_of(self.actions if self.actions is not None else self.not_actions or ())

    @property
    def on_all_resources(self) -> bool:
        """``Resource: "*"`` (a ``NotResource`` never covers everything by itself)."""
        return self.resources is not None and "*" in self.resources


def parse_document(document: JSON) -> JSON:
    """The policy as a dict; accepts the URL-encoded JSON string some API calls return."""
    if isinstance(document, dict):
        return document
    if isinstance(document, str):
        for text in (document, urllib.parse.unquote(document)):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                continue
            if isinstance(parsed, dict):
                return parsed
    raise PolicyDocumentError("policy document is not a JSON object")


def statements(document: JSON) -> tuple[Statement, ...]:
    """The document's statements (``Statement`` may be one object or a list)."""
    raw = parse_document(document).get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else None
    if items is None:
        raise PolicyDocumentError("policy document has no Statement")
    return tuple(_statement(item) for item in items)


def _statement(item: JSON) -> Statement:
    if not isinstance(item, dict) or item.get("Effect") not in ("Allow", "Deny"):
        raise PolicyDocumentError("statement without Effect Allow/Deny")
    return Statement(
        effect=item["Effect"],
        actions=_strings(item, "Action", lower=True),
        not_actions=_strings(item, "NotAction", lower=True),
        resources=_strings(item, "Resource"),
        not_resources=_strings(item, "NotResource"),
        has_condition=bool(item.get("Condition")),
        condition=_condition(item.get("Condition")),
        sid=item["Sid"] if isinstance(item.get("Sid"), str) else None,
    )


def _condition(value: JSON) -> Mapping[str, JSON] | None:
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        raise PolicyDocumentError("Condition must be an object")
    return value


def _strings(item: dict[str, JSON], key: str, lower: bool = False) -> tuple[str, ...] | None:
    if key not in item:
        return None
    value = item[key]
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise PolicyDocumentError(f"{key} must be a string or a list of strings")
    return tuple(v.lower() if lower else v for v in values)


# Every action and resource pattern of an account is compiled once per run: a 10-person
# company already has about 3,000, and a small cache thrashed (diff spent its time compiling).
def _glob(glob: str) -> str:
    """An IAM wildcard pattern (``*``, ``?``) as a regular expression."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)


_NOTHING = re.compile(r"(?!)")


@lru_cache(maxsize=8192)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching what any of ``patterns`` matches (the same list in many documents
    and snapshots is compiled once)."""
    if not patterns:
        return _NOTHING
    return re.compile("|".join(_glob(p) for p in patterns), re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=65536)
def _pattern(glob: str) -> re.Pattern[str]:
    return re.compile(_glob(glob), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: ``*`` and ``?`` wildcards, case-insensitive."""
    return _pattern(pattern).fullmatch(action) is not None


def _is_everything(pattern: str) -> bool:
    """An action pattern that matches every action of every service (``*``, ``*:*``)."""
    return pattern in ("*", "*:*")


def service_wildcards(document: JSON) -> tuple[str, ...]:
    """Allowed actions that cover a whole service (``s3:*``, ``*``) and ``NotAction`` allows.

    Prefix wildcards such as ``s3:Get*`` are fine (Security Hub IAM.21). ``NotAction`` in an
    Allow is reported as ``NotAction``: it grants everything except the listed actions.
    """
    found: list[str] = []
    for st in statements(document):
        if not st.allows:
            continue
        if st.not_actions is not None:
            found.append("NotAction")
        for action in st.actions or ():
            service, _, name = action.partition(":")
            if _is_everything(action) or (service and name == "*"):
                found.append(action)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Principal:
    """A user, group or role that a policy is attached to or embedded in."""

    kind: str  # "user" | "group" | "role"
    name: str
    arn: str


def principals(snapshot: Snapshot) -> Iterator[tuple[Principal, tuple[str, ...]]]:
    """Every principal with the ARNs of the managed policies attached to it."""
    for kind, items in (
        ("user", snapshot.users),
        ("group", snapshot.groups),
        ("role", snapshot.roles),
    ):
        for item in items:
            yield Principal(kind, item.name, item.arn), tuple(p.arn for p in item.attached_policies)


def attached_to(snapshot: Snapshot, policy_arn: str) -> tuple[Principal, ...]:
    """The principals a managed policy is attached to, in (kind, name) order."""
    found = [who for who, arns in principals(snapshot) if policy_arn in arns]
    return tuple(sorted(found, key=lambda p: (p.kind, p.name)))


def attached_by_name(snapshot: Snapshot, policy_name: str) -> tuple[Principal, ...]:
    """The principals an AWS managed policy is attached to, by name (any partition)."""
    suffix = f":iam::aws:policy/{policy_name}"
    found = [who for who, arns in principals(snapshot) if any(a.endswith(suffix) for a in arns)]
    return tuple(sorted(found, key=lambda p: (p.kind, p.name)))


def attached_policy_arns(snapshot: Snapshot) -> tuple[str, ...]:
    """Managed policies in use: attached to some principal or with a non-zero count."""
    arns = {arn for _, attached in principals(snapshot) for arn in attached}
    arns |= {p.arn for p in snapshot.policies if p.attachment_count > 0}
    return tuple(sorted(arns))


def inline_policies(snapshot: Snapshot) -> Iterator[tuple[Principal, InlinePolicy]]:
    """Every inline policy with the principal that embeds it, in ARN/name order."""
    found = []
    for kind, items in (
        ("user", snapshot.users),
        ("group", snapshot.groups),
        ("role", snapshot.roles),
    ):
        for item in items:
            for policy in item.inline_policies:
                found.append((Principal(kind, item.name, item.arn), policy))
    yield from sorted(found, key=lambda pair: (pair[0].arn, pair[1].name))


def inline_id(principal: Principal, policy: InlinePolicy) -> str:
    """The resource id of an inline policy (it has no ARN of its own)."""
    return f"{principal.arn}#{policy.name}"
