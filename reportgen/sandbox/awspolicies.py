"""Inject just the AWS managed policies a sandbox uses, with their real ARNs and documents.

moto can load all 1,582 AWS managed policies, which slows every IAM call and fills
GetAccountAuthorizationDetails; we take the few we need from moto's bundled copy.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from moto.iam import models as iam_models

from reportgen.errors import InputError


@functools.cache
def _catalogue() -> dict[str, dict[str, Any]]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data: dict[str, dict[str, Any]] = json.loads(aws_managed_policies_data)
    return data


def is_aws_managed(reference: str) -> bool:
    """Whether ``reference`` (a name like ``ReadOnlyAccess`` or an ARN) is an AWS managed policy."""
    return _name(reference) in _catalogue()


def _name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1] if reference.startswith("arn:") else reference


def aws_policy_arn(reference: str, partition: str = "aws") -> str:
    """The real ARN of an AWS managed policy, path included (``job-function/…``)."""
    name = _name(reference)
    entry = _catalogue().get(name)
    if entry is None:
        raise InputError.keyed("sandbox_unknown_aws_policy", policy=reference)
    return f"arn:{partition}:iam::aws:policy{entry['Path']}{name}"


def ensure(backend: Any, reference: str) -> Any:
    """Return the backend's AWS managed policy ``reference``, adding it first if needed."""
    arn = aws_policy_arn(reference, backend.partition)
    existing = backend.managed_policies.get(arn)
    if existing is not None:
        return existing
    name = _name(reference)
    policy = iam_models.AWSManagedPolicy.from_data(
        name, backend.account_id, backend.region_name, _catalogue()[name]
    )
    backend.aws_managed_policies.append(policy)
    backend.managed_policies[policy.arn] = policy
    return policy


def document(reference: str) -> dict[str, Any]:
    """The default-version document of an AWS managed policy (from moto's bundled copy)."""
    entry = _catalogue().get(_name(reference))
    if entry is None:
        raise InputError.keyed("sandbox_unknown_aws_policy", policy=reference)
    found: dict[str, Any] = entry["Document"]
    return found
