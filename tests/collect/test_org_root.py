"""Centralized root access on moto: read once from the management account for every member,
and what a single account can read of it on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import request_counter
from reportgen.collect.organization import OrgOptions, collect_organization
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import AccountSpec, KeySpec, RoleSpec, RootSpec
from reportgen.snapshot import document as snapshots
from tests.sandbox.test_fidelity import mock_account

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
ROLE = "ReportgenAuditRole"
OPTIONS = CollectOptions(
    region="us-east-1", regions=("us-east-1",), clock=lambda: TODAY, sleep=lambda _s: None
)
ROOT_CHECKS = (
    "root_no_access_key",
    "root_mfa_enabled",
    "root_hardware_mfa",
    "root_mfa_devices",
    "root_not_used_recently",
)
TRUST = {"Version": "2012-10-17", "Statement": []}


@dataclass(frozen=True)
class Org:
    id: str
    management: str
    bare: str  # a member whose root has no credential
    leftover: str  # a member whose root still has an access key


def spec(root: RootSpec) -> AccountSpec:
    return AccountSpec(root=root, roles=(RoleSpec(ROLE, TRUST),))


@pytest.fixture
def org() -> Iterator[Org]:
    """An organization managing its members' root credentials centrally: one member's root
    has none, another's still has an access key; the management account's root has MFA."""
    with mock_aws():
        orgs = boto3.client("organizations", region_name="us-east-1")
        organization = orgs.create_organization(FeatureSet="ALL")["Organization"]
        members = [
            orgs.create_account(AccountName=n, Email=f"{n}@example.co.jp")["CreateAccountStatus"][
                "AccountId"
            ]
            for n in ("bare", "leftover")
        ]
        management = organization["MasterAccountId"]
        seed(spec(RootSpec(mfa=True, password_last_used_days=200)), TODAY, management)
        seed(spec(RootSpec(password=False)), TODAY, members[0])
        seed(spec(RootSpec(password=False, keys=(KeySpec(300, 200),))), TODAY, members[1])
        orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
        boto3.client(
            "iam", region_name="us-east-1"
        ).enable_organizations_root_credentials_management()
        yield Org(organization["Id"], management, *members)


def verdicts(document: dict[str, Any]) -> dict[str, tuple[Status, Any]]:
    snap = snapshots.loads(snapshots.dumps(document))
    catalogue = load_catalogue()
    return {
        f.check_id: (f.status, f.evidence.get("reason"))
        for f in evaluate(snap, all_checks(catalogue), catalogue=catalogue).findings
        if f.check_id in ROOT_CHECKS
    }


def collect_org(out: Path, session: boto3.Session | None = None) -> dict[str, dict[str, Any]]:
    options = OrgOptions(role_name=ROLE, output_dir=out, collect=OPTIONS)
    result = collect_organization(session or boto3.Session(region_name="us-east-1"), options)
    assert not result.failed
    return {a.id: json.loads((out / f"{a.id}.json").read_text("utf-8")) for a in result.accounts}


def test_the_management_account_reads_the_features_once_for_every_member(
    org: Org, tmp_path: Path
) -> None:
    """One ListOrganizationsFeatures, from the management account; each snapshot records the
    features with the organization's management account, so a member knows it is one."""
    session = boto3.Session(region_name="us-east-1")
    counted = request_counter(session)
    documents = collect_org(tmp_path, session)
    assert counted()["iam.ListOrganizationsFeatures"] == 1
    for account_id, document in documents.items():
        assert document["sources"]["organization_features"]["status"] == "ok", account_id
        assert document["data"]["organization_features"] == {
            "OrganizationId": org.id,
            "EnabledFeatures": ["RootCredentialsManagement"],
            "answered_by": org.management,
            "management_account_id": org.management,
        }


def test_a_member_without_root_credentials_is_not_applicable_never_pass(
    org: Org, tmp_path: Path
) -> None:
    """The bare member's root checks are all N/A with that reason; the member whose root kept
    a key is judged as usual (and the FAIL says to delete it centrally); the management
    account's root is never managed centrally: judged as usual."""
    documents = collect_org(tmp_path)
    central = (Status.NOT_APPLICABLE, "root_centrally_managed")
    assert verdicts(documents[org.bare]) == dict.fromkeys(ROOT_CHECKS, central)
    leftover = verdicts(documents[org.leftover])
    assert leftover["root_no_access_key"] == (Status.FAIL, "root_credentials_remain")
    assert leftover["root_not_used_recently"][0] is Status.PASS
    management = verdicts(documents[org.management])
    assert management["root_mfa_enabled"] == (Status.PASS, None)
    assert management["root_no_access_key"] == (Status.PASS, None)
    assert management["root_mfa_devices"][0] is Status.UNKNOWN  # one virtual device seen


def test_features_refused_to_the_management_session_are_denied_in_every_member(
    org: Org, tmp_path: Path
) -> None:
    """The management session may not read the features: every member's source is denied with
    AWS's text, and the bare member is judged as usual (no N/A from central management)."""
    session = boto3.Session(region_name="us-east-1")

    def refuse(**_: Any) -> None:
        error = {"Error": {"Code": "AccessDenied", "Message": "not allowed"}}
        raise ClientError(error, "ListOrganizationsFeatures")

    session.events.register("before-call.iam.ListOrganizationsFeatures", refuse)
    documents = collect_org(tmp_path, session)
    source = documents[org.bare]["sources"]["organization_features"]
    assert source["status"] == "denied" and "AccessDenied" in source["message"]
    found = verdicts(documents[org.bare])
    assert found["root_mfa_enabled"] == (Status.NOT_APPLICABLE, "root_no_credentials")
    assert found["root_no_access_key"] == (Status.PASS, None)


def test_an_account_collected_alone(org: Org) -> None:
    """Collected on its own, the management account reads the features itself (without knowing
    the management account: judged as usual); a member is refused (denied, AWS's text)."""
    document = collect(boto3.Session(region_name="us-east-1"), OPTIONS)
    features = document["data"]["organization_features"]
    assert features["EnabledFeatures"] == ["RootCredentialsManagement"]
    assert features["management_account_id"] is None
    with mock_account(org.bare):
        member = collect(boto3.Session(region_name="us-east-1"), OPTIONS)
    source = member["sources"]["organization_features"]
    assert source["status"] == "denied"
    assert "AccountNotManagementOrDelegatedAdministrator" in source["message"]
    assert verdicts(member)["root_no_access_key"] == (Status.PASS, None)


def test_outside_an_organization_no_feature_is_on() -> None:
    """An account in no organization: AWS's OrganizationNotFound is recorded, the source is
    ok with no feature, and the root checks judge as usual."""
    with mock_aws():
        seed(AccountSpec(root=RootSpec(mfa=True)), TODAY)
        document = collect(boto3.Session(region_name="us-east-1"), OPTIONS)
    assert document["sources"]["organization_features"]["status"] == "ok"
    assert document["data"]["organization_features"]["error_code"] == "OrganizationNotFound"
    assert document["data"]["organization_features"]["EnabledFeatures"] == []
    assert verdicts(document)["root_mfa_enabled"] == (Status.PASS, None)
