"""Account-level sources read beside IAM: alternate contacts, identity providers, IAM Identity
Center instances and the organization's centralized root access features. A fixed number of
requests (3 + 2 + pages of 1 + 1), none per user.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from reportgen.collect.aws import SourceFailed, client_error

CONTACT_TYPES = ("SECURITY", "BILLING", "OPERATIONS")
_CONTACT_FIELDS = ("AlternateContactType", "Name", "Title", "EmailAddress", "PhoneNumber")
_INSTANCE_FIELDS = ("InstanceArn", "IdentityStoreId", "Name", "Status", "CreatedDate")


def alternate_contacts(account: Any) -> dict[str, Any]:
    """``account:GetAlternateContact`` for each type, SECURITY first.

    ResourceNotFoundException is AWS's "no contact of this type is registered": the type maps
    to ``None``. Any other failure of SECURITY fails the source (denied or error, so that its
    check is UNKNOWN); a failure of BILLING or OPERATIONS, only evidence, is kept under
    ``errors`` and the type is left out of ``contacts``.
    https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html
    """
    contacts: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for kind in CONTACT_TYPES:
        try:
            found = account.get_alternate_contact(AlternateContactType=kind)["AlternateContact"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                contacts[kind] = None
                continue
            if kind == "SECURITY":
                raise
            errors[kind] = client_error(exc)
            continue
        contacts[kind] = {k: found.get(k) for k in _CONTACT_FIELDS if found.get(k) is not None}
    result: dict[str, Any] = {"contacts": contacts}
    if errors:
        result["errors"] = errors
    return result


def identity_providers(iam: Any) -> dict[str, list[dict[str, Any]]]:
    """The account's SAML and OpenID Connect providers (neither call is paginated).

    IAM Identity Center also creates a SAML provider (``AWSSSO_…_DO_NOT_DELETE``) in every
    account it provisions permission sets to, so member accounts show it here too.
    """
    saml = iam.list_saml_providers().get("SAMLProviderList", [])
    oidc = iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", [])
    return {
        "saml": [
            {k: p.get(k) for k in ("Arn", "ValidUntil", "CreateDate") if p.get(k) is not None}
            for p in saml
        ],
        "oidc": [{"Arn": p["Arn"]} for p in oidc],
    }


def identity_center(sso_admin: Any, region: str) -> dict[str, Any]:
    """``sso:ListInstances`` in ``region`` only: the API is regional and an instance lives in
    one region (the collection region is read; an instance elsewhere is not seen)."""
    instances: list[dict[str, Any]] = []
    for page in sso_admin.get_paginator("list_instances").paginate():
        for item in page.get("Instances", []):
            instances.append({k: item[k] for k in _INSTANCE_FIELDS if item.get(k) is not None})
    return {"region": region, "instances": instances}


# AWS's answers meaning "no centralized root access feature can be on here": no organization,
# an organization without all features, or no trusted access for IAM. The API reference names
# the errors without the "Exception" suffix that botocore's model gives them; both are read.
NO_FEATURES = frozenset(
    {"OrganizationNotFound", "OrganizationNotInAllFeaturesMode", "ServiceAccessNotEnabled"}
)
NOT_MANAGEMENT = "AccountNotManagementOrDelegatedAdministrator"


def organization_features(
    iam: Any, answered_by: str, management_account_id: str | None = None
) -> dict[str, Any]:
    """``iam:ListOrganizationsFeatures``: which centralized root access features
    (RootCredentialsManagement, RootSessions) the account's organization has enabled.

    Only the management account or IAM's delegated administrator gets an answer; a member
    account is refused (``denied``, AWS's text kept): an organization collection reads it once
    from the management account for every member. An error that means no feature can be on is
    recorded with its code and no feature.
    https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html
    """
    try:
        answer = iam.list_organizations_features()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "")).removesuffix("Exception")
        if code in NO_FEATURES:
            return {
                "OrganizationId": None,
                "EnabledFeatures": [],
                "answered_by": answered_by,
                "management_account_id": management_account_id,
                "error_code": code,
            }
        if code == NOT_MANAGEMENT:
            raise SourceFailed("denied", client_error(exc)) from None
        raise
    return {
        "OrganizationId": answer.get("OrganizationId"),
        "EnabledFeatures": sorted(answer.get("EnabledFeatures") or []),
        "answered_by": answered_by,
        "management_account_id": management_account_id,
    }
