"""Pseudonymise a snapshot's SCP chain (``service_control_policies``; docs/redact.md): the
organization, OU and account ids and names, and the customer's policies. AWS's own policies
(FullAWSAccess) are public and kept; that is decided by the ARN, never by the snapshot's own
``aws_managed`` flag, which a crafted file could set to keep a policy in clear."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from reportgen.snapshot.pseudonyms import Pseudonyms

_AWS_SCP = re.compile(r"arn:aws[a-z-]*:organizations::aws:policy/")

Document = Callable[[Pseudonyms, Any], Any]


def section(names: Pseudonyms, content: Mapping[str, Any], document: Document) -> dict[str, Any]:
    """The section with every identifier replaced; ``document`` redacts a policy document."""
    found = dict(content)
    if isinstance(content.get("organization_id"), str):
        found["organization_id"] = names.name("org", content["organization_id"])
    if isinstance(content.get("management_account_id"), str):
        found["management_account_id"] = names.account(content["management_account_id"])
    levels = content.get("levels")
    if isinstance(levels, list):
        found["levels"] = [_level(names, level, document) for level in levels]
    return found


def _level(names: Pseudonyms, level: Any, document: Document) -> Any:
    if not isinstance(level, dict):
        return names.name("value", str(level))
    found = dict(level)
    account = level.get("type") == "ACCOUNT"
    ident, name = level.get("id"), level.get("name")
    if isinstance(ident, str):
        found["id"] = names.account(ident) if account else names.name("ou", ident)
    if isinstance(name, str):
        found["name"] = names.name("account" if account else "ou", name)
    policies = level.get("policies")
    if isinstance(policies, list):
        found["policies"] = [_policy(names, p, document) for p in policies]
    return found


def _policy(names: Pseudonyms, policy: Any, document: Document) -> Any:
    if not isinstance(policy, dict):
        return names.name("value", str(policy))
    if isinstance(policy.get("arn"), str) and _AWS_SCP.match(policy["arn"]):
        return policy
    found = dict(policy)
    for key, kind in (("id", "scp"), ("name", "policy")):
        if isinstance(policy.get(key), str):
            found[key] = names.name(kind, policy[key])
    if isinstance(policy.get("arn"), str):
        found["arn"] = names.arn(policy["arn"])
    if isinstance(policy.get("error"), str):
        found["error"] = names.name("message", policy["error"])
    found["document"] = document(names, policy.get("document"))
    return found
