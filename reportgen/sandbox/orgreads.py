"""AWS Organizations' structure and policy reads answer, as on AWS, only the organization's
management account or a member account that is a delegated administrator
(https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html,
https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html).

Stock moto 5.2 answers ``ListRoots`` to any member and the other reads from the member's own,
empty, backend (``AccountNotFoundException`` or nothing). Here a member is refused with AWS's
``AccessDeniedException``, and a delegated administrator (for any service) reads the management
account's organization. An account in no organization gets ``AWSOrganizationsNotInUseException``.
AWS's own policies (FullAWSAccess) carry AWS's ARN, ``arn:aws:organizations::aws:policy/
service_control_policy/p-FullAWSAccess``, not one in the organization as stock moto gives them
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.organizations import models as org_models
from moto.organizations.exceptions import (
    AWSOrganizationsNotInUseException,
    OrganizationsClientError,
)
from moto.utilities.utils import get_partition

# The reads of an account's SCP chain (collect/scp.py) that AWS keeps from ordinary members.
OPERATIONS = (
    "list_roots",
    "list_parents",
    "list_policies_for_target",
    "describe_policy",
    "describe_organizational_unit",
    "describe_account",
)
_MARK = "_reportgen_orgreads"


class _AccessDenied(OrganizationsClientError):
    """AWS's answer to a member account that is not a delegated administrator."""

    def __init__(self) -> None:
        super().__init__(
            "AccessDeniedException", "You don't have permissions to access this resource."
        )


def _management_only(original: Callable[..., Any]) -> Callable[..., Any]:
    def read(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.org is not None:
            return original(self, *args, **kwargs)
        backends = org_models.organizations_backends
        found = backends.master_accounts.get(self.account_id)
        if found is None:
            raise AWSOrganizationsNotInUseException
        management = backends[found[0]][found[1]]
        if management.org is None:
            raise AWSOrganizationsNotInUseException
        if not any(admin.account.id == self.account_id for admin in management.admins):
            raise _AccessDenied
        return original(management, *args, **kwargs)

    return read


def _aws_arn(original: property) -> property:
    def arn(self: Any) -> str:
        if self.aws_managed:
            partition = get_partition(self.region)
            return f"arn:{partition}:organizations::aws:policy/{self.type.lower()}/{self.id}"
        found: str = original.fget(self)  # type: ignore[misc]
        return found

    return property(arn)


def install() -> None:
    """Guard the reads in moto's Organizations backend, give AWS's policies AWS's ARN
    (idempotent)."""
    backend_cls: Any = org_models.OrganizationsBackend
    if getattr(backend_cls, _MARK, False):
        return
    for name in OPERATIONS:
        setattr(backend_cls, name, _management_only(getattr(backend_cls, name)))
    policy_cls: Any = org_models.FakePolicy
    policy_cls.arn = _aws_arn(policy_cls.arn)
    setattr(backend_cls, _MARK, True)
