"""The fidelity patches make moto's credential report, root and certificates look like AWS."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.iam.models import AccessKeyLastUsed, iam_backends

from reportgen.sandbox import fidelity
from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID, seed, self_signed_certificate
from reportgen.sandbox.spec import DEFAULT_REGIONS, AccountSpec, ContactSpec
from tests.sandbox.conftest import TODAY, report_rows

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
)


@contextmanager
def mock_account(account_id: str) -> Iterator[None]:
    """In-process moto answers as ``account_id`` (MOTO_ACCOUNT_ID) inside the block."""
    before = os.environ.get("MOTO_ACCOUNT_ID")
    os.environ["MOTO_ACCOUNT_ID"] = account_id
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MOTO_ACCOUNT_ID", None)
        else:
            os.environ["MOTO_ACCOUNT_ID"] = before


@pytest.fixture
def backend(iam: Any) -> Any:
    fidelity.install()
    return iam_backends[DEFAULT_ACCOUNT_ID]["aws"]


def test_header_and_root_row_come_first(iam: Any, backend: Any) -> None:
    """The report starts with AWS's 22-column header, then the <root_account> row."""
    iam.create_user(UserName="alice")
    iam.generate_credential_report()
    lines = iam.get_credential_report()["Content"].decode().split("\n")
    assert lines[0] == HEADER
    assert lines[1].startswith("<root_account>,arn:aws:iam::123456789012:root,")
    assert lines[2].startswith("alice,")
    assert all(len(line.split(",")) == 22 for line in lines)


def test_report_has_no_trailing_newline(iam: Any, backend: Any) -> None:
    """Like the reports AWS hands out, the CSV ends without a final newline."""
    iam.generate_credential_report()
    assert not iam.get_credential_report()["Content"].decode().endswith("\n")


@pytest.mark.parametrize(
    ("password", "key", "expected"),
    [
        (
            False,
            False,
            {
                "password_last_used": "N/A",
                "password_last_changed": "N/A",
                "access_key_1_last_rotated": "N/A",
                "access_key_1_last_used_date": "N/A",
            },
        ),
        (True, False, {"password_last_used": "no_information", "password_next_rotation": "N/A"}),
        (
            False,
            True,
            {
                "access_key_1_active": "true",
                "access_key_1_last_used_date": "N/A",
                "access_key_1_last_used_region": "N/A",
                "access_key_1_last_used_service": "N/A",
            },
        ),
    ],
)
def test_special_values_follow_aws(
    iam: Any, backend: Any, password: bool, key: bool, expected: dict[str, str]
) -> None:
    """N/A means "no such credential", no_information means "has a password, never used"."""
    iam.create_user(UserName="u")
    if password:
        iam.create_login_profile(UserName="u", Password="Passw0rd!x")
    if key:
        iam.create_access_key(UserName="u")
    row = report_rows(iam)["u"]
    assert {k: row[k] for k in expected} == expected


def test_key_last_use_shows_region_and_service(iam: Any, backend: Any) -> None:
    """The key's last-used region and service are reported, not moto's placeholders."""
    iam.create_user(UserName="u")
    iam.create_access_key(UserName="u")
    used = datetime(2026, 9, 1, 12, 0)
    backend.users["u"].access_keys[0].last_used = AccessKeyLastUsed(used, "ec2", "ap-northeast-1")
    row = report_rows(iam)["u"]
    assert row["access_key_1_last_used_date"] == "2026-09-01T12:00:00+00:00"
    assert (row["access_key_1_last_used_region"], row["access_key_1_last_used_service"]) == (
        "ap-northeast-1",
        "ec2",
    )


def test_next_rotation_follows_the_password_policy(iam: Any, backend: Any) -> None:
    """With MaxPasswordAge 90, password_next_rotation is the last change plus 90 days."""
    iam.update_account_password_policy(MaxPasswordAge=90)
    with freeze_time("2026-01-10 08:00:00"):
        iam.create_user(UserName="u")
        iam.create_login_profile(UserName="u", Password="Passw0rd!x")
    row = report_rows(iam)["u"]
    assert row["password_last_changed"] == "2026-01-10T08:00:00+00:00"
    assert row["password_next_rotation"] == "2026-04-10T08:00:00+00:00"


def test_generated_time_is_the_generation_time(iam: Any, backend: Any) -> None:
    """GeneratedTime is when the report was generated, not moto's fixed 2015 date."""
    with freeze_time("2026-10-01 09:30:00"):
        iam.generate_credential_report()
    with freeze_time("2026-10-01 11:00:00"):
        generated = iam.get_credential_report()["GeneratedTime"]
    assert generated == datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def test_report_is_a_snapshot_taken_at_generation(iam: Any, backend: Any) -> None:
    """A user created after generation appears only once the report is generated again."""
    iam.generate_credential_report()
    iam.create_user(UserName="late")
    content = iam.get_credential_report()["Content"].decode()
    assert "late," not in content
    assert "late" in report_rows(iam)


def test_report_not_present_before_generation(iam: Any, backend: Any) -> None:
    """Before any generation, GetCredentialReport fails with ReportNotPresent."""
    with pytest.raises(iam.exceptions.CredentialReportNotPresentException):
        iam.get_credential_report()


def test_set_root_drives_report_and_account_summary(iam: Any, backend: Any) -> None:
    """set_root fills the root row and the AccountMFAEnabled/AccountAccessKeysPresent flags."""
    key = fidelity.RootKey(datetime(2024, 1, 1), datetime(2026, 9, 20), "us-east-1", "s3")
    fidelity.set_root(backend, datetime(2020, 5, 1), datetime(2026, 9, 28), mfa=False, keys=[key])
    root = report_rows(iam)["<root_account>"]
    assert root["user_creation_time"] == "2020-05-01T00:00:00+00:00"
    assert root["password_enabled"] == "not_supported"
    assert root["password_last_used"] == "2026-09-28T00:00:00+00:00"
    assert (root["mfa_active"], root["access_key_1_active"]) == ("false", "true")
    assert root["access_key_1_last_used_service"] == "s3"
    assert root["access_key_2_active"] == "false"
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["AccountMFAEnabled"], summary["AccountAccessKeysPresent"]) == (0, 1)


@pytest.mark.parametrize(("hardware", "devices"), [(False, 1), (True, 0)])
def test_root_virtual_mfa_device_is_assigned_to_root(
    iam: Any, backend: Any, hardware: bool, devices: int
) -> None:
    """A virtual root MFA shows as root-account-mfa-device owned by root; hardware shows none."""
    fidelity.set_root(backend, datetime(2020, 5, 1), mfa=True, hardware_mfa=hardware)
    listed = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert len(listed) == devices
    if listed:
        assert listed[0]["SerialNumber"].endswith(":mfa/root-account-mfa-device")
        assert listed[0]["User"]["Arn"] == "arn:aws:iam::123456789012:root"
    assert iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1
    assert report_rows(iam)["<root_account>"]["mfa_active"] == "true"


def test_root_may_have_several_virtual_devices_and_no_password(iam: Any, backend: Any) -> None:
    """Root with two virtual MFA devices lists both as root's; a root without password (a
    member account whose root credentials were deleted centrally) reads false in the report."""
    fidelity.set_root(backend, datetime(2020, 5, 1), mfa=True, virtual_devices=2)
    listed = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [d["User"]["Arn"] for d in listed] == ["arn:aws:iam::123456789012:root"] * 2
    fidelity.set_root(backend, datetime(2020, 5, 1), password_enabled=False)
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []
    row = report_rows(iam)["<root_account>"]
    assert (row["password_enabled"], row["mfa_active"]) == ("false", "false")


def test_install_is_idempotent(iam: Any, backend: Any) -> None:
    """Installing twice does not wrap the patches twice."""
    fidelity.install()
    fidelity.install()
    with freeze_time("2026-02-01 00:00:00"):
        iam.create_user(UserName="u")
        iam.create_login_profile(UserName="u", Password="Passw0rd!x")
    assert report_rows(iam)["u"]["password_last_changed"] == "2026-02-01T00:00:00+00:00"


def test_unset_password_policy_fields_are_omitted(iam: Any, backend: Any) -> None:
    """As on AWS, MaxPasswordAge and PasswordReusePrevention are absent when not set."""
    iam.update_account_password_policy(MinimumPasswordLength=8)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert "MaxPasswordAge" not in policy
    assert "PasswordReusePrevention" not in policy
    assert policy["ExpirePasswords"] is False


def test_server_certificates_report_their_real_dates(iam: Any, backend: Any) -> None:
    """ListServerCertificates gives the upload date and the certificate's own notAfter."""
    not_after = datetime(2026, 9, 1, 0, 0)
    body, key = self_signed_certificate(
        "www.example.jp", not_after - timedelta(days=365), not_after
    )
    with freeze_time("2025-09-05 10:00:00"):
        iam.upload_server_certificate(
            ServerCertificateName="www", CertificateBody=body, PrivateKey=key
        )
    (listed,) = iam.list_server_certificates()["ServerCertificateMetadataList"]
    assert listed["Expiration"] == not_after.replace(tzinfo=UTC)
    assert listed["UploadDate"] == datetime(2025, 9, 5, 10, 0, tzinfo=UTC)
    got = iam.get_server_certificate(ServerCertificateName="www")["ServerCertificate"]
    assert got["ServerCertificateMetadata"]["Expiration"] == listed["Expiration"]


def test_access_analyzer_answers_per_region(aws: None) -> None:
    """The Access Analyzer emulation creates, lists per region, gets and deletes analyzers."""
    fidelity.install()
    tokyo = boto3.client("accessanalyzer", region_name="ap-northeast-1")
    osaka = boto3.client("accessanalyzer", region_name="ap-northeast-3")
    arn = tokyo.create_analyzer(analyzerName="main", type="ACCOUNT")["arn"]
    assert arn == "arn:aws:access-analyzer:ap-northeast-1:123456789012:analyzer/main"
    assert [a["name"] for a in tokyo.list_analyzers()["analyzers"]] == ["main"]
    assert osaka.list_analyzers()["analyzers"] == []
    assert tokyo.get_analyzer(analyzerName="main")["analyzer"]["status"] == "ACTIVE"
    tokyo.delete_analyzer(analyzerName="main")
    with pytest.raises(tokyo.exceptions.ResourceNotFoundException):
        tokyo.get_analyzer(analyzerName="main")


def test_an_account_has_no_identity_center_instance_until_the_spec_asks(aws: None) -> None:
    """AWS lists no IAM Identity Center instance until Identity Center is enabled, and then one,
    in one region (https://docs.aws.amazon.com/singlesignon/latest/userguide/enable-identity-center.html);
    stock moto answers every account and region with an instance of its own. After the seed:
    none, or one in Tokyo when the spec asks for it."""
    seed(AccountSpec(), TODAY)
    tokyo = boto3.client("sso-admin", region_name="ap-northeast-1")
    virginia = boto3.client("sso-admin", region_name="us-east-1")
    assert tokyo.list_instances()["Instances"] == []
    assert virginia.list_instances()["Instances"] == []


def test_contacts_providers_and_identity_center_are_seeded(aws: None) -> None:
    """The spec's alternate contacts, SAML and OIDC providers and Identity Center instance."""
    spec = AccountSpec(
        contacts=(ContactSpec("SECURITY", "CSIRT", "csirt@example.co.jp", "Lead"),),
        saml_providers=("Okta",),
        oidc_providers=("token.actions.githubusercontent.com",),
        identity_center=True,
    )
    seed(spec, TODAY)
    account = boto3.client("account", region_name="ap-northeast-1")
    got = account.get_alternate_contact(AlternateContactType="SECURITY")["AlternateContact"]
    assert (got["Name"], got["EmailAddress"], got["Title"]) == (
        "CSIRT",
        "csirt@example.co.jp",
        "Lead",
    )
    with pytest.raises(account.exceptions.ResourceNotFoundException):
        account.get_alternate_contact(AlternateContactType="BILLING")
    iam = boto3.client("iam", region_name="us-east-1")
    assert [p["Arn"].rsplit("/", 1)[-1] for p in iam.list_saml_providers()["SAMLProviderList"]] == [
        "Okta"
    ]
    oidc = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert [p["Arn"].split("/", 1)[-1] for p in oidc] == ["token.actions.githubusercontent.com"]
    tokyo = boto3.client("sso-admin", region_name="ap-northeast-1")
    assert [i["Status"] for i in tokyo.list_instances()["Instances"]] == ["ACTIVE"]
    virginia = boto3.client("sso-admin", region_name="us-east-1")
    assert virginia.list_instances()["Instances"] == []


def test_authorization_details_name_their_policies(iam: Any, backend: Any) -> None:
    """GAAD's Policies carry PolicyName and PolicyId, which stock moto leaves out."""
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    arn = iam.create_policy(PolicyName="p1", PolicyDocument=document)["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    (policy,) = iam.get_account_authorization_details(Filter=["LocalManagedPolicy"])["Policies"]
    assert policy["PolicyName"] == "p1"
    assert policy["PolicyId"]


def test_routers_are_built_once_under_concurrent_first_requests() -> None:
    """Eight threads asking a fresh service router for the same protocol at once get one
    router: moto builds it lazily without a lock, and parallel werkzeug rule compilation
    crashes CPython 3.11 ("AST constructor recursion depth mismatch", seen in CI when the
    collector read Access Analyzer regions concurrently). fidelity.install() serialises it."""
    import threading

    from moto.core.routing import ServiceOperationRouter
    from moto.core.utils import get_service_model

    fidelity.install()
    router = ServiceOperationRouter(get_service_model("accessanalyzer"))
    barrier = threading.Barrier(8)
    built: list[object] = []

    def first_request() -> None:
        barrier.wait()
        built.append(router._get_router("rest-json"))

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 8 and len({id(r) for r in built}) == 1


def test_describe_regions_lists_the_enabled_regions_of_the_account(aws: None) -> None:
    """AWS's DescribeRegions lists the regions enabled for the account unless AllRegions is
    true: the regions launched before 20 March 2019 (enabled by default, cannot be disabled),
    opt-in regions only once enabled, never another partition's regions
    (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html). Stock
    moto lists 38 regions, China and GovCloud included, whatever AllRegions says."""
    seed(AccountSpec(regions=("ap-northeast-1", "ap-east-1")), TODAY)
    ec2 = boto3.client("ec2", region_name="ap-northeast-1")
    enabled = {r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions()["Regions"]}
    assert set(enabled) == set(DEFAULT_REGIONS) | {"ap-east-1"}
    assert len(DEFAULT_REGIONS) == 17
    assert enabled["ap-east-1"] == "opted-in"
    assert {enabled[r] for r in DEFAULT_REGIONS} == {"opt-in-not-required"}
    every = {
        r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions(AllRegions=True)["Regions"]
    }
    assert every["me-south-1"] == every["af-south-1"] == "not-opted-in"
    assert not any(name.startswith(("cn-", "us-gov-")) for name in every)
    named = ec2.describe_regions(RegionNames=["me-south-1"])["Regions"]
    assert [(r["RegionName"], r["OptInStatus"]) for r in named] == [("me-south-1", "not-opted-in")]


def test_centralized_root_access_answers_like_iam(aws: None) -> None:
    """IAM's ListOrganizationsFeatures (moto has none) answers, as on AWS, only for an
    organization with all features and trusted access for IAM, and only in the management
    account or IAM's delegated administrator
    (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html); the
    Enable/Disable operations switch the two features, which belong to the organization."""
    fidelity.install()
    iam = boto3.client("iam", region_name="us-east-1")

    def refused() -> str:
        with pytest.raises(ClientError) as caught:
            iam.list_organizations_features()
        return str(caught.value.response["Error"]["Code"])

    assert refused() == "OrganizationNotFoundException"
    orgs = boto3.client("organizations", region_name="us-east-1")
    organization = orgs.create_organization(FeatureSet="ALL")["Organization"]
    assert refused() == "ServiceAccessNotEnabledException"
    orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    answer = iam.list_organizations_features()
    assert (answer["OrganizationId"], answer["EnabledFeatures"]) == (organization["Id"], [])
    iam.enable_organizations_root_credentials_management()
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]
    assert iam.disable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement"
    ]
    member = orgs.create_account(AccountName="prod", Email="prod@example.co.jp")
    member_id = member["CreateAccountStatus"]["AccountId"]
    with mock_account(member_id):
        member_iam = boto3.client("iam", region_name="us-east-1")
        with pytest.raises(ClientError) as caught:
            member_iam.list_organizations_features()
    code = caught.value.response["Error"]["Code"]
    assert code == "AccountNotManagementOrDelegatedAdministratorException"
    orgs.register_delegated_administrator(AccountId=member_id, ServicePrincipal="iam.amazonaws.com")
    with mock_account(member_id):
        delegated = boto3.client("iam", region_name="us-east-1").list_organizations_features()
    assert delegated["EnabledFeatures"] == ["RootCredentialsManagement"]
