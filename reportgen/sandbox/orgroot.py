"""Centralized root access for member accounts in moto (moto 5.2 has none of its IAM APIs).

IAM's ``ListOrganizationsFeatures``, ``EnableOrganizationsRootCredentialsManagement``,
``EnableOrganizationsRootSessions`` and their ``Disable`` counterparts answer, as on AWS, only
in the organization's management account or IAM's delegated administrator, only for an
organization with all features, and only once trusted access for IAM is enabled
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html). Stock moto
also refuses ``iam.amazonaws.com`` as a trusted service and as a delegated-administrator
service; both are allowed here
(https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-iam.html).
The enabled features live on the organization, so a reset of moto clears them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.iam import responses as iam_responses
from moto.iam.exceptions import IAMException
from moto.organizations import models as org_models

SERVICE = "iam.amazonaws.com"
FEATURES = ("RootCredentialsManagement", "RootSessions")
_FEATURES = "reportgen_root_features"
_MARK = "_reportgen_orgroot"


class _Refused(IAMException):
    """One of AWS's refusals, by its error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def _organization(account_id: str) -> tuple[Any, Any] | None:
    """(the management account's organizations backend, the organization) of an account."""
    backends = org_models.organizations_backends
    own = backends[account_id]["aws"]
    if own.org is not None:
        return own, own.org
    management = backends.master_accounts.get(account_id)
    if management is None:
        return None
    backend = backends[management[0]][management[1]]
    return (backend, backend.org) if backend.org is not None else None


def organization_features(account_id: str, *, management_only: bool = False) -> Any:
    """The organization's feature set as IAM sees it from ``account_id``; raises AWS's error."""
    found = _organization(account_id)
    if found is None:
        raise _Refused(
            "OrganizationNotFoundException", "No organization is associated with your account."
        )
    backend, organization = found
    is_management = organization.master_account_id == account_id
    delegated = any(
        admin.account.id == account_id and SERVICE in admin.services for admin in backend.admins
    )
    if management_only and not is_management:
        raise _Refused(
            "CallerIsNotManagementAccountException",
            "Only the management account can enable this feature.",
        )
    if not (is_management or delegated):
        raise _Refused(
            "AccountNotManagementOrDelegatedAdministratorException",
            "The request was rejected because the account making the request is not the "
            "management account or delegated administrator account for centralized root access.",
        )
    if organization.feature_set != "ALL":
        raise _Refused(
            "OrganizationNotInAllFeaturesModeException",
            "The organization does not have all features enabled.",
        )
    if not any(s.get("ServicePrincipal") == SERVICE for s in backend.services):
        raise _Refused(
            "ServiceAccessNotEnabledException",
            "Trusted access is not enabled for IAM in AWS Organizations.",
        )
    return organization


def enabled_features(organization: Any) -> list[str]:
    found: set[str] = getattr(organization, _FEATURES, set())
    return [f for f in FEATURES if f in found]


def _answer(organization: Any) -> ActionResult:
    return ActionResult(
        {"OrganizationId": organization.id, "EnabledFeatures": enabled_features(organization)}
    )


def _list(self: Any) -> ActionResult:
    return _answer(organization_features(self.current_account))


def _switch(feature: str, on: bool) -> Callable[[Any], ActionResult]:
    def respond(self: Any) -> ActionResult:
        organization = organization_features(self.current_account, management_only=on)
        found: set[str] = set(getattr(organization, _FEATURES, set()))
        if on:
            found.add(feature)
        else:
            found.discard(feature)
        setattr(organization, _FEATURES, found)
        return _answer(organization)

    return respond


def install() -> None:
    """Add the five IAM operations and IAM as a trusted service (idempotent)."""
    response_cls: Any = iam_responses.IamResponse
    if getattr(response_cls, _MARK, False):
        return
    response_cls.list_organizations_features = _list
    for feature in FEATURES:
        name = "root_credentials_management" if feature == FEATURES[0] else "root_sessions"
        setattr(response_cls, f"enable_organizations_{name}", _switch(feature, True))
        setattr(response_cls, f"disable_organizations_{name}", _switch(feature, False))
    access: Any = org_models.FakeServiceAccess
    if SERVICE not in access.TRUSTED_SERVICES:
        access.TRUSTED_SERVICES.append(SERVICE)
    admins: Any = org_models.FakeDelegatedAdministrator
    if SERVICE not in admins.SUPPORTED_SERVICES:
        admins.SUPPORTED_SERVICES.append(SERVICE)
    setattr(response_cls, _MARK, True)
