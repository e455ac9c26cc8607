"""The service control policies that cap an account: its chain from the organization's root
down through its OUs to the account itself, each level with the SCPs attached to it.

Only the management account or a delegated administrator may read the chain
(https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html):
an organization collection reads every member's chain with the organization's credentials, an
account collected alone asks with its own (a member is refused: ``denied``). Roots, parents, OU
names, attachments and policies are read once per run, so requests grow with accounts and OU
depth, never with users. A chain is recorded whole or not at all: a partial chain could make
the evaluator cap permissions wrongly.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from botocore.exceptions import ClientError

from reportgen.collect.aws import SourceFailed, attempt, reason
from reportgen.snapshot.model import Src

SCP = "SERVICE_CONTROL_POLICY"
NOT_IN_USE = "AWSOrganizationsNotInUseException"
# AWS allows five levels of OUs below the root; a longer walk means something is wrong.
MAX_STEPS = 10
ROOT, OU, ACCOUNT = "ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"

T = TypeVar("T")


class _Memo(Generic[T]):
    """Values read once per run and shared between threads: the first caller of a key reads
    it, the others wait for its answer (or its error)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[str, Future[T]] = {}

    def get(self, key: str, read: Callable[[str], T]) -> T:
        with self._lock:
            future = self._found.get(key)
            mine = future is None
            if future is None:
                future = self._found[key] = Future()
        if mine:
            try:
                future.set_result(read(key))
            except BaseException as exc:
                future.set_exception(exc)  # the waiting threads get the same error
                raise
        return future.result()


def not_applying(organization: Mapping[str, Any] | None, why: str) -> dict[str, Any]:
    """No SCP restricts the account, and why (no chain is read)."""
    return {
        "organization_id": organization.get("Id") if organization else None,
        "management_account_id": organization.get("MasterAccountId") if organization else None,
        "applies": False,
        "reason": why,
        "levels": [],
    }


def policy_document(content: Any) -> tuple[dict[str, Any] | None, str | None]:
    """An SCP's content decoded, or None and a short reason when it is not a JSON object."""
    try:
        document = json.loads(content)
    except (TypeError, ValueError) as exc:
        return None, f"not JSON: {reason(exc)}"[:200]
    if not isinstance(document, dict):
        return None, f"not a JSON object: {type(document).__name__}"
    return document, None


class ChainReader:
    """Reads accounts' SCP chains with one Organizations client (botocore clients are
    thread-safe); every answer is kept for the run, so members share their OUs' requests."""

    def __init__(self, client: Any, organization: Mapping[str, Any]) -> None:
        self.client = client
        self.organization = organization
        self._roots: _Memo[dict[str, Any]] = _Memo()
        self._parents: _Memo[tuple[str, str]] = _Memo()
        self._names: _Memo[str | None] = _Memo()
        self._attached: _Memo[list[dict[str, Any]]] = _Memo()
        self._policies: _Memo[dict[str, Any]] = _Memo()

    def chain(self, account_id: str, name: str | None = None) -> dict[str, Any]:
        """The account's chain (the source's data); ``name`` None asks DescribeAccount. Raises
        ClientError, or SourceFailed when AWS's answers do not make a chain."""
        organization = self.organization
        if account_id == organization.get("MasterAccountId"):
            return not_applying(organization, "management_account")
        if organization.get("FeatureSet") != "ALL":
            return not_applying(organization, "not_all_features")
        root = self._roots.get("", self._root)
        if not root["enabled"]:
            return not_applying(organization, "not_enabled")
        path = self._path(account_id)
        if path[0] != root["id"]:
            raise SourceFailed(
                "error",
                f"ListParents: {account_id} leads to {path[0]}, not to the root {root['id']}",
            )
        levels = [self._level(ROOT, root["id"], root["name"])]
        levels += [self._level(OU, ou, self._names.get(ou, self._ou_name)) for ou in path[1:]]
        if name is None:
            name = str(
                self.client.describe_account(AccountId=account_id)["Account"].get("Name", "")
            )
        levels.append(self._level(ACCOUNT, account_id, name))
        return {
            "organization_id": organization.get("Id"),
            "management_account_id": organization.get("MasterAccountId"),
            "applies": True,
            "reason": None,
            "levels": levels,
        }

    def outcome(self, account_id: str, name: str | None = None) -> tuple[str, Any]:
        """The chain as a source outcome, (status, data or message), for an organization
        collection to hand to the member; a network cut stops that member's collection."""
        source = Src.SERVICE_CONTROL_POLICIES.value
        return attempt(source, lambda: self.chain(account_id, name))

    def _root(self, _key: str) -> dict[str, Any]:
        roots = [
            root
            for page in self.client.get_paginator("list_roots").paginate()
            for root in page.get("Roots", [])
        ]
        if len(roots) != 1:
            raise SourceFailed("error", f"ListRoots: {len(roots)} roots, expected 1")
        (root,) = roots
        enabled = any(
            t.get("Type") == SCP and t.get("Status") == "ENABLED"
            for t in root.get("PolicyTypes", [])
        )
        return {"id": root["Id"], "name": root.get("Name"), "enabled": enabled}

    def _path(self, account_id: str) -> list[str]:
        """The ids from the root down to the account's OU (the account itself left out)."""
        path: list[str] = []
        child = account_id
        for _ in range(MAX_STEPS):
            kind, parent = self._parents.get(child, self._parent)
            path.append(parent)
            if kind == ROOT:
                return path[::-1]
            child = parent
        raise SourceFailed(
            "error", f"ListParents: no root above {account_id} after {MAX_STEPS} levels"
        )

    def _parent(self, child: str) -> tuple[str, str]:
        parents = [
            parent
            for page in self.client.get_paginator("list_parents").paginate(ChildId=child)
            for parent in page.get("Parents", [])
        ]
        if len(parents) != 1:
            raise SourceFailed(
                "error", f"ListParents: {len(parents)} parents of {child}, expected 1"
            )
        kind = parents[0].get("Type")
        if kind not in (ROOT, OU):
            raise SourceFailed("error", f"ListParents: parent of {child} has type {kind}")
        return str(kind), str(parents[0]["Id"])

    def _ou_name(self, ou: str) -> str | None:
        unit = self.client.describe_organizational_unit(OrganizationalUnitId=ou)
        name = unit["OrganizationalUnit"].get("Name")
        return str(name) if name is not None else None

    def _level(self, kind: str, target: str, name: str | None) -> dict[str, Any]:
        attached = self._attached.get(target, self._for_target)
        return {
            "type": kind,
            "id": target,
            "name": name,
            "policies": [
                copy.deepcopy(self._policies.get(p["Id"], self._policy)) for p in attached
            ],
        }

    def _for_target(self, target: str) -> list[dict[str, Any]]:
        pages = self.client.get_paginator("list_policies_for_target").paginate(
            TargetId=target, Filter=SCP
        )
        return [summary for page in pages for summary in page.get("Policies", [])]

    def _policy(self, policy_id: str) -> dict[str, Any]:
        policy = self.client.describe_policy(PolicyId=policy_id)["Policy"]
        summary = policy.get("PolicySummary", {})
        document, error = policy_document(policy.get("Content"))
        return {
            "id": policy_id,
            "name": str(summary.get("Name", "")),
            "arn": summary.get("Arn"),
            "aws_managed": bool(summary.get("AwsManaged", False)),
            "document": document,
            "error": error,
        }


def read_alone(client: Any, account_id: str) -> dict[str, Any]:
    """The chain read with the account's own credentials: DescribeOrganization first (any
    account of an organization may call it), then the chain, which AWS refuses to a member
    that is not a delegated administrator (the ClientError is the source's ``denied``)."""
    try:
        organization = client.describe_organization()["Organization"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == NOT_IN_USE:
            return not_applying(None, "no_organization")
        raise
    return ChainReader(client, organization).chain(account_id)


def given(outcome: tuple[str, Any]) -> dict[str, Any]:
    """The chain an organization collection read for this account, or its failure."""
    status, value = outcome
    if status != "ok":
        raise SourceFailed(status, str(value))
    return dict(value)
