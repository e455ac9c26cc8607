"""The security contact and central identity rules, one verdict per row."""

from __future__ import annotations

from typing import Any

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import SourceStatus
from reportgen.snapshot.services import IdentityProvider
from tests.evaluate.conftest import only, run
from tests.factories import (
    ACCOUNT,
    make_contact,
    make_contacts,
    make_instance,
    make_row,
    make_saml_provider,
    make_snapshot,
    make_user,
)


def console(name: str) -> Any:
    return make_user(name, credentials=make_row(name))


def keys_only(name: str) -> Any:
    return make_user(name, credentials=make_row(name, password_enabled=False))


def oidc(issuer: str) -> IdentityProvider:
    return IdentityProvider("oidc", f"arn:aws:iam::{ACCOUNT}:oidc-provider/{issuer}")


@pytest.mark.parametrize(
    ("contacts", "expected", "evidence"),
    [
        (make_contacts(), Status.PASS, ("Security Team", "security@example.co.jp")),
        (make_contacts(security=False), Status.FAIL, (None, None)),
        ({"SECURITY": make_contact(name="")}, Status.PASS, ("CSIRT", "security@example.co.jp")),
        ({"BILLING": make_contact("BILLING")}, Status.UNKNOWN, (None, None)),
        ({}, Status.UNKNOWN, (None, None)),
    ],
)
def test_security_contact(contacts: Any, expected: Status, evidence: tuple[Any, Any]) -> None:
    """Registered SECURITY: PASS naming it (the title when the name is empty); AWS's "none":
    FAIL; SECURITY never read although the source is ok: UNKNOWN, never PASS."""
    result = only(run("security_contact_registered", make_snapshot(alternate_contacts=contacts)))
    assert result.status is expected
    assert (result.evidence["contact"], result.evidence["email"]) == evidence


def test_security_contact_lists_the_registered_and_missing_types() -> None:
    """BILLING registered and OPERATIONS not, as evidence beside SECURITY."""
    result = only(run("security_contact_registered", make_snapshot()))
    assert (result.evidence["registered_contacts"], result.evidence["unregistered_contacts"]) == (
        "BILLING, SECURITY",
        "OPERATIONS",
    )


@pytest.mark.parametrize(
    ("users", "providers", "instances", "expected", "reason"),
    [
        # a central source and nobody signs in with a password
        ([keys_only("ci")], [make_saml_provider()], [], Status.PASS, None),
        ([], [], [make_instance("corp")], Status.PASS, None),
        ([keys_only("ci")], [oidc("login.example.co.jp")], [], Status.PASS, None),
        # passwords without any central source: people are IAM users
        ([console("alice"), keys_only("ci")], [], [], Status.FAIL, None),
        # a central source exists, yet a person still signs in with a password
        ([console("alice")], [make_saml_provider()], [], Status.FAIL, "central_source_exists"),
        ([console("alice")], [], [make_instance()], Status.FAIL, "central_source_exists"),
        # workload OIDC providers (CI, EKS) are no people's identity source
        ([console("alice")], [oidc("token.actions.githubusercontent.com")], [], Status.FAIL, None),
        (
            [keys_only("ci")],
            [oidc("oidc.eks.ap-northeast-1.amazonaws.com/id/ABCDEF0123456789")],
            [],
            Status.NOT_APPLICABLE,
            None,
        ),
        # nobody signs in with a password and no source here: people come from elsewhere
        ([keys_only("ci")], [], [], Status.NOT_APPLICABLE, None),
        ([], [], [], Status.NOT_APPLICABLE, None),
    ],
)
def test_central_identity(
    users: list[Any], providers: list[Any], instances: list[Any], expected: Status, reason: Any
) -> None:
    """Any console password fails (the variant says a central source exists); otherwise a
    central source passes and none is not applicable."""
    snapshot = make_snapshot(
        users=users, identity_providers=tuple(providers), identity_center_instances=tuple(instances)
    )
    result = only(run("central_identity", snapshot))
    assert result.status is expected
    assert result.evidence.get("reason") == reason


def test_central_identity_names_the_users_and_the_sources() -> None:
    """The message's evidence: how many users, the first five names and the rest as a count,
    the central sources with their kind, and the region Identity Center was read in."""
    users = [console(f"user{n}") for n in range(7)]
    snapshot = make_snapshot(
        users=users,
        identity_providers=(make_saml_provider("Okta"),),
        identity_center_instances=(make_instance("corp"),),
    )
    result = only(run("central_identity", snapshot))
    assert result.evidence["count"] == 7
    assert result.evidence["users"] == "user0, user1, user2, user3, user4 (+2)"
    assert result.evidence["providers"] == "SAML: Okta, IAM Identity Center: corp"
    assert result.evidence["region"] == "ap-northeast-1"


def test_a_user_missing_from_the_report_keeps_central_identity_unknown() -> None:
    """No known password but a user the credential report does not list: UNKNOWN, not PASS."""
    late = make_user("late", credentials=None)
    snapshot = make_snapshot(users=[keys_only("ci"), late])
    result = only(run("central_identity", snapshot))
    assert result.status is Status.UNKNOWN
    assert (result.evidence["reason"], result.evidence["users"]) == (
        "console_password_unknown",
        "late",
    )


def test_a_known_password_fails_even_beside_a_user_missing_from_the_report() -> None:
    """One user signing in with a password decides FAIL whatever the others are."""
    snapshot = make_snapshot(users=[console("alice"), make_user("late", credentials=None)])
    assert only(run("central_identity", snapshot)).status is Status.FAIL


@pytest.mark.parametrize(
    ("check", "source"),
    [
        ("security_contact_registered", "alternate_contacts"),
        ("central_identity", "identity_providers"),
        ("central_identity", "identity_center"),
        ("central_identity", "credential_report"),
    ],
)
@pytest.mark.parametrize("status", ["denied", "absent", "error"])
def test_a_missing_source_is_unknown_naming_it(check: str, source: str, status: str) -> None:
    """A source the check needs that is denied, absent (an import) or failed: one UNKNOWN for
    the account with that source and its status as the reason."""
    snapshot = make_snapshot(users=[keys_only("ci")], source_status={source: status})
    catalogue = load_catalogue()
    result = evaluate(snapshot, all_checks(catalogue), catalogue=catalogue)
    (found,) = [f for f in result.findings if f.check_id == check]
    assert found.status is Status.UNKNOWN
    assert (found.evidence["source"], found.evidence["reason"]) == (source, f"source_{status}")
    assert SourceStatus(status) is not SourceStatus.OK
