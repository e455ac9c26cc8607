"""Read a role's trust policy: who may assume it, and under which conditions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.evaluate.policy import PolicyDocumentError, action_matches, parse_document
from reportgen.snapshot.model import JSON

ACCOUNT_ARN = re.compile(r"^arn:[a-z-]+:iam::(\d{12}):")
ACCOUNT_ID = re.compile(r"^\d{12}$")
ASSUME_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


@dataclass(frozen=True)
class Trustee:
    """One principal an Allow statement of a trust policy names.

    ``kind`` is ``AWS``, ``Service``, ``Federated`` or ``CanonicalUser``; ``value`` is ``*`` for
    "anyone". ``condition_keys`` are the lower-cased condition keys of the statement.
    """

    kind: str
    value: str
    condition_keys: frozenset[str]

    @property
    def account(self) -> str | None:
        """The 12-digit account of an AWS principal (ARN or bare id), if it names one."""
        if self.kind != "AWS":
            return None
        if ACCOUNT_ID.match(self.value):
            return self.value
        found = ACCOUNT_ARN.match(self.value)
        return found.group(1) if found else None


def trustees(document: JSON) -> tuple[Trustee, ...]:
    """Every principal allowed to assume the role (Deny and NotPrincipal statements skipped)."""
    if not document:
        return ()
    raw = parse_document(document).get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else None
    if items is None:
        raise PolicyDocumentError("trust policy has no Statement")
    found: list[Trustee] = []
    for item in items:
        if not isinstance(item, dict) or item.get("Effect") != "Allow":
            continue
        actions = item.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if not any(action_matches(str(p), a) for p in actions for a in ASSUME_ACTIONS):
            continue
        keys = frozenset(
            key.lower()
            for block in (item.get("Condition") or {}).values()
            if isinstance(block, dict)
            for key in block
        )
        principal = item.get("Principal")
        if principal == "*":
            found.append(Trustee("AWS", "*", keys))
            continue
        if not isinstance(principal, dict):
            continue
        for kind, values in principal.items():
            for value in values if isinstance(values, list) else [values]:
                found.append(Trustee(str(kind), str(value), keys))
    return tuple(found)


def trusts_service(document: JSON, service: str) -> bool:
    """The trust policy lets ``service`` (``lambda.amazonaws.com``) assume the role."""
    try:
        return any(t.kind == "Service" and t.value == service for t in trustees(document))
    except PolicyDocumentError:
        return False
