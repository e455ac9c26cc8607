"""The SCP chain on moto: read by the organization for each member (root → OUs → account, each
OU and policy read once per run), what an account collected alone can read of its own, and why
no SCP applies when none does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, EndpointConnectionError
from moto import mock_aws
from moto.core import enable_iam_authentication

from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import request_counter
from reportgen.collect.organization import AccountStatus, OrgOptions, collect_organization
from reportgen.collect.scp import MAX_STEPS, policy_document
from reportgen.pipeline.demo_org import GUARDRAIL
from reportgen.resources import package_file
from reportgen.snapshot import document as snapshots
from reportgen.snapshot.model import Src
from tests.sandbox.test_fidelity import mock_account

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
ROLE = "ReportgenAuditRole"
SCP = "SERVICE_CONTROL_POLICY"
SOURCE = Src.SERVICE_CONTROL_POLICIES.value
# Only the SCP source is read: these tests are about the chain, not the account's IAM.
OPTIONS = CollectOptions(
    region="us-east-1",
    regions=("us-east-1",),
    clock=lambda: TODAY,
    sleep=lambda _s: None,
    sources=frozenset({Src.SERVICE_CONTROL_POLICIES}),
)
FULL_ACCESS_ARN = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
REGIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "NotAction": ["iam:*", "sts:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1"]}},
        }
    ],
}
NO_LEAVING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}],
}


@dataclass(frozen=True)
class Org:
    """Root → Workloads → Production; prod-a and prod-b in Production, dev in Workloads."""

    id: str
    root: str
    management: str
    workloads: str
    production: str
    prod_a: str
    prod_b: str
    dev: str
    policies: dict[str, str]  # name → id of the customer SCPs

    @property
    def members(self) -> tuple[str, ...]:
        return (self.prod_a, self.prod_b, self.dev)


def scp(orgs: Any, name: str, content: str, *targets: str) -> str:
    policy = orgs.create_policy(Content=content, Description=name, Name=name, Type=SCP)
    policy_id: str = policy["Policy"]["PolicySummary"]["Id"]
    for target in targets:
        orgs.attach_policy(PolicyId=policy_id, TargetId=target)
    return policy_id


def build(feature_set: str = "ALL", *, enable: bool = True) -> Org:
    """The organization in the current moto mock (FullAWSAccess at every level, as on AWS)."""
    orgs = boto3.client("organizations", region_name="us-east-1")
    organization = orgs.create_organization(FeatureSet=feature_set)["Organization"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    if enable:
        orgs.enable_policy_type(RootId=root, PolicyType=SCP)

    def ou(parent: str, name: str) -> str:
        unit = orgs.create_organizational_unit(ParentId=parent, Name=name)
        return str(unit["OrganizationalUnit"]["Id"])

    def account(name: str, parent: str) -> str:
        created = orgs.create_account(AccountName=name, Email=f"{name}@example.co.jp")
        account_id = str(created["CreateAccountStatus"]["AccountId"])
        orgs.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    workloads = ou(root, "Workloads")
    production = ou(workloads, "Production")
    prod_a, prod_b = account("prod-a", production), account("prod-b", production)
    dev = account("dev", workloads)
    policies = {
        "DenyIamUserCredentials": scp(
            orgs, "DenyIamUserCredentials", json.dumps(GUARDRAIL), workloads
        ),
        "RegionLock": scp(orgs, "RegionLock", json.dumps(REGIONS), production),
        "NoLeaving": scp(orgs, "NoLeaving", json.dumps(NO_LEAVING), prod_a, prod_b),
    }
    return Org(
        organization["Id"],
        root,
        organization["MasterAccountId"],
        workloads,
        production,
        prod_a,
        prod_b,
        dev,
        policies,
    )


@pytest.fixture
def org() -> Iterator[Org]:
    with mock_aws():
        yield build()


def collect_org(
    out: Path, session: boto3.Session | None = None, options: CollectOptions = OPTIONS
) -> dict[str, dict[str, Any]]:
    """Every account's snapshot document (each saved, so schema-valid), by account id."""
    result = collect_organization(
        session or boto3.Session(region_name="us-east-1"),
        OrgOptions(role_name=ROLE, output_dir=out, collect=options),
    )
    return {
        a.id: json.loads((out / f"{a.id}.json").read_text("utf-8"))
        for a in result.accounts
        if a.status is AccountStatus.OK
    }


def chain_of(document: dict[str, Any]) -> dict[str, Any]:
    assert document["sources"][SOURCE] == {"status": "ok", "message": None}
    found: dict[str, Any] = document["data"][SOURCE]
    return found


def summary(chain: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (level["type"], level["name"], [p["name"] for p in level["policies"]])
        for level in chain["levels"]
    ]


def test_each_member_gets_its_chain_from_the_root_down_to_itself(org: Org, tmp_path: Path) -> None:
    """A member two OUs deep: root, Workloads, Production, the account, each level with the
    SCPs attached to it (FullAWSAccess everywhere, as AWS attaches it), documents decoded."""
    documents = collect_org(tmp_path)
    chain = chain_of(documents[org.prod_a])
    assert {k: v for k, v in chain.items() if k != "levels"} == {
        "organization_id": org.id,
        "management_account_id": org.management,
        "applies": True,
        "reason": None,
    }
    assert summary(chain) == [
        ("ROOT", "Root", ["FullAWSAccess"]),
        ("ORGANIZATIONAL_UNIT", "Workloads", ["FullAWSAccess", "DenyIamUserCredentials"]),
        ("ORGANIZATIONAL_UNIT", "Production", ["FullAWSAccess", "RegionLock"]),
        ("ACCOUNT", "prod-a", ["FullAWSAccess", "NoLeaving"]),
    ]
    assert [level["id"] for level in chain["levels"]] == [
        org.root,
        org.workloads,
        org.production,
        org.prod_a,
    ]
    full, guardrail = chain["levels"][1]["policies"]
    assert full == {
        "id": "p-FullAWSAccess",
        "name": "FullAWSAccess",
        "arn": FULL_ACCESS_ARN,
        "aws_managed": True,
        "document": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
        "error": None,
    }
    assert guardrail["id"] == org.policies["DenyIamUserCredentials"]
    assert guardrail["aws_managed"] is False and guardrail["error"] is None
    assert guardrail["document"] == GUARDRAIL
    assert summary(chain_of(documents[org.dev])) == [
        ("ROOT", "Root", ["FullAWSAccess"]),
        ("ORGANIZATIONAL_UNIT", "Workloads", ["FullAWSAccess", "DenyIamUserCredentials"]),
        ("ACCOUNT", "dev", ["FullAWSAccess"]),
    ]


def test_the_snapshot_model_holds_the_chain(org: Org, tmp_path: Path) -> None:
    """The saved document loads, and the model keeps every level and the Deny's document."""
    document = collect_org(tmp_path)[org.prod_b]
    loaded = snapshots.loads(snapshots.dumps(document)).service_control_policies
    assert loaded is not None and loaded.applies and loaded.reason is None
    assert [level.type for level in loaded.levels] == [
        "ROOT",
        "ORGANIZATIONAL_UNIT",
        "ORGANIZATIONAL_UNIT",
        "ACCOUNT",
    ]
    assert loaded.levels[1].policies[1].document == GUARDRAIL


def test_each_ou_and_policy_is_read_once_per_run(org: Org, tmp_path: Path) -> None:
    """Members read their chains in parallel, sharing the run's answers: one ListRoots, one
    ListParents per account and per OU, one ListPoliciesForTarget per level, one
    DescribeOrganizationalUnit per OU and one DescribePolicy per SCP, however many members
    share it (NoLeaving is on two accounts, FullAWSAccess on every level)."""
    session = boto3.Session(region_name="us-east-1")
    counted = request_counter(session)
    collect_org(tmp_path, session)
    calls = {k: v for k, v in counted().items() if k.startswith("organizations.")}
    assert calls == {
        "organizations.DescribeOrganization": 1,
        "organizations.ListAccounts": 1,
        "organizations.ListRoots": 1,
        "organizations.ListParents": 3 + 2,
        "organizations.ListPoliciesForTarget": 1 + 2 + 3,
        "organizations.DescribeOrganizationalUnit": 2,
        "organizations.DescribePolicy": 1 + 3,
    }


def test_the_management_account_is_never_restricted(org: Org, tmp_path: Path) -> None:
    """SCPs never restrict the management account: no chain, the reason, no request for it."""
    session = boto3.Session(region_name="us-east-1")
    counted = request_counter(session)
    options = OrgOptions(role_name=ROLE, output_dir=tmp_path, collect=OPTIONS)
    collect_organization(session, replace(options, accounts=(org.management,)))
    document = json.loads((tmp_path / f"{org.management}.json").read_text("utf-8"))
    assert chain_of(document) == {
        "organization_id": org.id,
        "management_account_id": org.management,
        "applies": False,
        "reason": "management_account",
        "levels": [],
    }
    assert not {k for k in counted() if k.startswith("organizations.List")} - {
        "organizations.ListAccounts"
    }


@pytest.mark.parametrize(
    ("feature_set", "enable", "reason"),
    [("CONSOLIDATED_BILLING", False, "not_all_features"), ("ALL", False, "not_enabled")],
)
def test_no_scp_applies_without_all_features_or_the_policy_type(
    feature_set: str, enable: bool, reason: str, tmp_path: Path
) -> None:
    """Consolidated billing only, or the SCP policy type not enabled on the root: no SCP
    applies to any member, whatever moto left attached (FullAWSAccess is there regardless)."""
    with mock_aws():
        org = build(feature_set, enable=enable)
        documents = collect_org(tmp_path)
    for member in org.members:
        assert chain_of(documents[member]) == {
            "organization_id": org.id,
            "management_account_id": org.management,
            "applies": False,
            "reason": reason,
            "levels": [],
        }


def test_an_unreadable_policy_is_kept_with_its_error(tmp_path: Path) -> None:
    """A policy whose content is not JSON is recorded (document null, a short error); the
    other levels are whole."""
    with mock_aws():
        org = build()
        orgs = boto3.client("organizations", region_name="us-east-1")
        scp(orgs, "Broken", '{"Version": "2012-10-17", "Statement": [', org.dev)
        chain = chain_of(collect_org(tmp_path)[org.dev])
    broken = chain["levels"][-1]["policies"][-1]
    assert broken["name"] == "Broken" and broken["document"] is None
    assert broken["error"].startswith("not JSON: ") and len(broken["error"]) <= 200
    assert chain["applies"] is True and len(chain["levels"]) == 3


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("[1, 2]", "not a JSON object: list"),
        (None, "not JSON: "),
        ("{" + "x" * 500, "not JSON: "),
    ],
)
def test_policy_content_that_is_not_an_object(content: Any, error: str) -> None:
    """Anything but a JSON object is no document, with a one-line error of at most 200 chars."""
    document, found = policy_document(content)
    assert document is None and found is not None
    assert found.startswith(error) and len(found) <= 200 and "\n" not in found


def refuse_target(session: boto3.Session, target: str, code: str = "AccessDeniedException") -> None:
    """ListPoliciesForTarget refused for one target (the others answer)."""

    def refuse(params: dict[str, Any], **_: Any) -> None:
        if params.get("TargetId") == target:
            error = {"Error": {"Code": code, "Message": "You don't have permissions."}}
            raise ClientError(error, "ListPoliciesForTarget")

    session.events.register("before-parameter-build.organizations.ListPoliciesForTarget", refuse)


def test_a_refused_level_fails_the_whole_chain_never_part_of_it(org: Org, tmp_path: Path) -> None:
    """ListPoliciesForTarget refused for one account: that member's source is denied with
    AWS's text and no data (never an ok chain without that level); the others are whole."""
    session = boto3.Session(region_name="us-east-1")
    refuse_target(session, org.prod_a)
    documents = collect_org(tmp_path, session)
    source = documents[org.prod_a]["sources"][SOURCE]
    assert source["status"] == "denied"
    assert source["message"].startswith("ListPoliciesForTarget: AccessDeniedException")
    assert SOURCE not in documents[org.prod_a]["data"]
    assert len(chain_of(documents[org.prod_b])["levels"]) == 4
    assert len(chain_of(documents[org.dev])["levels"]) == 3


def test_a_refused_shared_level_fails_every_member_under_it(org: Org, tmp_path: Path) -> None:
    """A refusal on an OU (read once) fails every member below it, as error when the code is
    not a denial; a member outside it is whole, and the run goes on."""
    session = boto3.Session(region_name="us-east-1")
    refuse_target(session, org.production, code="ServiceException")
    documents = collect_org(tmp_path, session)
    for member in (org.prod_a, org.prod_b):
        assert documents[member]["sources"][SOURCE]["status"] == "error"
    assert len(chain_of(documents[org.dev])["levels"]) == 3


def fake_parents(session: boto3.Session, child: str, parents: list[dict[str, str]]) -> None:
    """ListParents of ``child`` answers ``parents`` (the others ask moto)."""

    def answer(params: dict[str, Any], **_: Any) -> Any:
        if child.encode() in params.get("body", b""):
            return AWSResponse("https://organizations", 200, {}, None), {"Parents": parents}
        return None

    session.events.register("before-call.organizations.ListParents", answer)


@pytest.mark.parametrize(
    ("parents", "message"),
    [
        ([], "ListParents: 0 parents of"),
        ([{"Id": "ou-a", "Type": "ORGANIZATIONAL_UNIT"}] * 2, "ListParents: 2 parents of"),
        ([{"Id": "r-zzzz", "Type": "ROOT"}], "not to the root"),
    ],
)
def test_a_chain_that_does_not_reach_the_root_is_an_error(
    parents: list[dict[str, str]], message: str, org: Org, tmp_path: Path
) -> None:
    """No parent, two parents, or another root: the member's source is an error, not ok."""
    session = boto3.Session(region_name="us-east-1")
    fake_parents(session, org.dev, parents)
    documents = collect_org(tmp_path, session)
    source = documents[org.dev]["sources"][SOURCE]
    assert source["status"] == "error" and message in source["message"]
    assert chain_of(documents[org.prod_a])["applies"] is True


def test_a_walk_longer_than_aws_allows_stops(tmp_path: Path) -> None:
    """AWS allows five OU levels; a walk of more than ten parents stops with an error."""
    with mock_aws():
        org = build()
        orgs = boto3.client("organizations", region_name="us-east-1")
        parent = org.workloads
        for depth in range(MAX_STEPS):
            parent = orgs.create_organizational_unit(ParentId=parent, Name=f"level-{depth}")[
                "OrganizationalUnit"
            ]["Id"]
        orgs.move_account(
            AccountId=org.dev, SourceParentId=org.workloads, DestinationParentId=parent
        )
        documents = collect_org(tmp_path)
    source = documents[org.dev]["sources"][SOURCE]
    assert source["status"] == "error"
    assert f"no root above {org.dev} after {MAX_STEPS} levels" in source["message"]


def test_a_network_cut_fails_that_member_only(org: Org, tmp_path: Path) -> None:
    """The endpoint unreachable while one member's chain is read: that member is recorded
    failed (no partial snapshot), the others are collected."""
    session = boto3.Session(region_name="us-east-1")

    def cut(params: dict[str, Any], **_: Any) -> None:
        if params.get("ChildId") == org.dev:
            raise EndpointConnectionError(endpoint_url="https://organizations.us-east-1")

    session.events.register("before-parameter-build.organizations.ListParents", cut)
    result = collect_organization(
        session, OrgOptions(role_name=ROLE, output_dir=tmp_path, collect=OPTIONS)
    )
    failed = {a.id: a.error for a in result.failed}
    assert list(failed) == [org.dev] and SOURCE in str(failed[org.dev])
    assert not (tmp_path / f"{org.dev}.json").exists()
    assert (tmp_path / f"{org.prod_a}.json").exists()


def test_a_collection_without_the_source_reads_no_chain(org: Org, tmp_path: Path) -> None:
    """Left out of ``sources``: absent in every snapshot, and no chain request is sent."""
    session = boto3.Session(region_name="us-east-1")
    counted = request_counter(session)
    options = replace(OPTIONS, sources=frozenset({Src.ACCOUNT_SUMMARY}))
    documents = collect_org(tmp_path, session, options)
    assert {d["sources"][SOURCE]["status"] for d in documents.values()} == {"absent"}
    assert not {"organizations.ListRoots", "organizations.ListParents"} & set(counted())


def alone(account_id: str | None = None) -> dict[str, Any]:
    """The account collected on its own credentials (moto answering as ``account_id``)."""
    if account_id is None:
        return collect(boto3.Session(region_name="us-east-1"), OPTIONS)
    with mock_account(account_id):
        return collect(boto3.Session(region_name="us-east-1"), OPTIONS)


def test_a_member_collected_alone_is_refused(org: Org) -> None:
    """A member may describe its organization but not read its chain (management account or
    delegated administrator only): denied, with AWS's text."""
    source = alone(org.prod_a)["sources"][SOURCE]
    assert source["status"] == "denied"
    assert source["message"] == (
        "ListRoots: AccessDeniedException: You don't have permissions to access this resource."
    )


def test_a_delegated_administrator_collected_alone_reads_its_chain(
    org: Org, tmp_path: Path
) -> None:
    """A delegated administrator reads its own chain, the same as the organization collection
    records (its name from DescribeAccount)."""
    boto3.client("organizations", region_name="us-east-1").register_delegated_administrator(
        AccountId=org.dev, ServicePrincipal="access-analyzer.amazonaws.com"
    )
    expected = chain_of(collect_org(tmp_path)[org.dev])
    assert chain_of(alone(org.dev)) == expected


def test_the_management_account_collected_alone(org: Org) -> None:
    """The management account asks itself: SCPs never restrict it."""
    chain = chain_of(alone())
    assert (chain["applies"], chain["reason"], chain["levels"]) == (
        False,
        "management_account",
        [],
    )
    assert chain["management_account_id"] == org.management


def test_an_account_in_no_organization() -> None:
    """Outside any organization: no SCP applies (DescribeOrganization's NotInUse)."""
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        counted = request_counter(session)
        document = collect(session, OPTIONS)
    assert chain_of(document) == {
        "organization_id": None,
        "management_account_id": None,
        "applies": False,
        "reason": "no_organization",
        "levels": [],
    }
    assert {k for k in counted() if k.startswith("organizations.")} == {
        "organizations.DescribeOrganization"
    }


def test_the_sandbox_refuses_organizations_reads_to_a_member_as_aws_does(org: Org) -> None:
    """AWS: ListPoliciesForTarget (like ListRoots, ListParents, DescribePolicy, ...) "can be
    called only from the organization's management account or by a member account that is a
    delegated administrator"
    (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html).
    Stock moto answers a member from its own empty backend; the sandbox refuses it with AWS's
    AccessDeniedException and answers a delegated administrator from the organization. AWS's
    own FullAWSAccess has AWS's ARN, not one in the organization as in stock moto
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)."""
    management = boto3.client("organizations", region_name="us-east-1")
    full = management.describe_policy(PolicyId="p-FullAWSAccess")["Policy"]["PolicySummary"]
    assert full["Arn"] == FULL_ACCESS_ARN and full["AwsManaged"] is True
    boto3.client("organizations", region_name="us-east-1").register_delegated_administrator(
        AccountId=org.dev, ServicePrincipal="access-analyzer.amazonaws.com"
    )
    with mock_account(org.prod_a):
        member = boto3.client("organizations", region_name="us-east-1")
        assert member.describe_organization()["Organization"]["Id"] == org.id
        for call in (
            lambda: member.list_roots(),
            lambda: member.list_parents(ChildId=org.prod_a),
            lambda: member.list_policies_for_target(TargetId=org.prod_a, Filter=SCP),
            lambda: member.describe_policy(PolicyId="p-FullAWSAccess"),
            lambda: member.describe_organizational_unit(OrganizationalUnitId=org.production),
            lambda: member.describe_account(AccountId=org.prod_a),
        ):
            with pytest.raises(ClientError) as refused:
                call()
            assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    with mock_account(org.dev):
        admin = boto3.client("organizations", region_name="us-east-1")
        parents = admin.list_parents(ChildId=org.prod_a)["Parents"]
        assert parents == [{"Id": org.production, "Type": "ORGANIZATIONAL_UNIT"}]
    with mock_account("999999999999"):
        outsider = boto3.client("organizations", region_name="us-east-1")
        with pytest.raises(ClientError) as refused:
            outsider.list_roots()
        assert refused.value.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"


# The shipped collector policy's actions that only a collection inside an organization reaches
# (an account in none stops at DescribeOrganization): tested here under moto's enforcement.
CHAIN_ACTIONS = frozenset(
    {
        "organizations:ListRoots",
        "organizations:ListParents",
        "organizations:ListPoliciesForTarget",
        "organizations:DescribePolicy",
        "organizations:DescribeOrganizationalUnit",
        "organizations:DescribeAccount",
    }
)


def collect_as_collector(org: Org, without: str | None) -> dict[str, Any]:
    """The delegated administrator ``dev`` collected alone by a user holding exactly the
    shipped collector policy (less ``without``), moto enforcing IAM permissions."""
    boto3.client("organizations", region_name="us-east-1").register_delegated_administrator(
        AccountId=org.dev, ServicePrincipal="access-analyzer.amazonaws.com"
    )
    policy = json.loads(package_file("collect", "collector-policy.json").read_text("utf-8"))
    if without is not None:
        policy["Statement"][0]["Action"].remove(without)
    with mock_account(org.dev):
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_user(UserName="collector")
        iam.put_user_policy(
            UserName="collector", PolicyName="reportgen", PolicyDocument=json.dumps(policy)
        )
        key = iam.create_access_key(UserName="collector")["AccessKey"]
    session = boto3.Session(
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        region_name="us-east-1",
    )
    with enable_iam_authentication():
        return collect(session, OPTIONS)


def test_the_shipped_policy_reads_a_delegated_administrators_chain(org: Org) -> None:
    """With exactly `reportgen policy`, a delegated administrator reads its whole chain."""
    document = collect_as_collector(org, None)
    assert document["account"]["id"] == org.dev
    assert summary(chain_of(document))[-1] == ("ACCOUNT", "dev", ["FullAWSAccess"])


@pytest.mark.parametrize("action", sorted(CHAIN_ACTIONS | {"organizations:DescribeOrganization"}))
def test_each_chain_action_of_the_shipped_policy_is_needed(org: Org, action: str) -> None:
    """Without any one of them the chain is denied, the operation named, and nothing kept."""
    document = collect_as_collector(org, action)
    source = document["sources"][SOURCE]
    assert source["status"] == "denied" and action.split(":")[1] in source["message"]
    assert SOURCE not in document["data"]
