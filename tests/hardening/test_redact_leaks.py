"""Redaction leaks nothing: identifying strings planted in every kind of field do not survive."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.snapshot.redact import redact_document

MINIMAL = Path(__file__).parent / "corpus" / "snapshots" / "ok_minimal.json"
BASE = json.loads(MINIMAL.read_text())
KEY = b"k" * 32

# Person-like names (taro.yamada), company domains, IDs: none is an AWS word.
people = st.from_regex(r"zq[a-z]{3,8}\.[a-z]{3,8}", fullmatch=True)
domains = st.from_regex(r"zq[a-z]{3,8}\.example\.co\.jp", fullmatch=True)
unique_ids = st.from_regex(r"(AIDA|AROA)[A-Z0-9]{16}", fullmatch=True)
ips = st.ip_addresses(v=4).map(str).filter(lambda ip: not ip.startswith("198.1"))
accounts = st.integers(min_value=10**11, max_value=10**12 - 1)


def planted(person: str, domain: str, uid: str, ip: str, account: int) -> dict[str, Any]:
    """The minimal snapshot with the planted values in every field the issue names."""
    doc = copy.deepcopy(BASE)
    doc["account"]["id"] = f"{account:012d}"
    doc["collector"]["endpoint"] = f"https://iam.{domain}"
    doc["sources"]["password_policy"] = {
        "status": "denied",
        "message": f"User {person} is not authorized to perform iam:GetAccountPasswordPolicy",
    }
    details = doc["data"]["authorization_details"]
    user = details["UserDetailList"][0]
    user["Tags"] = [{"Key": "Owner", "Value": person}, {"Key": "Mail", "Value": f"a@{domain}"}]
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{domain}/home/{person}@{domain}/${{aws:username}}/*",
        "Principal": {"AWS": [uid, account]},
        "Condition": {
            "StringLike": {"aws:Referer": f"https://intranet.{domain}/${{aws:username}}"},
            "IpAddress": {"aws:SourceIp": [ip, f"{ip}/32"]},
            "StringEquals": {"aws:PrincipalAccount": account},
        },
    }
    policy = details["Policies"][0]["PolicyVersionList"][0]["Document"]
    policy["Statement"].append(statement)
    details["RoleDetailList"].append(
        {
            "RoleName": f"AWSServiceRoleForElasticBeanstalk_{person.replace('.', '')}",
            "Arn": f"arn:aws:iam::{account:012d}:role/aws-service-role/"
            f"elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk_"
            f"{person.replace('.', '')}",
            "Path": "/aws-service-role/elasticbeanstalk.amazonaws.com/",
            "RoleId": uid.replace("AIDA", "AROA"),
            "CreateDate": "2024-01-01T00:00:00Z",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
            "RolePolicyList": [],
            "AttachedManagedPolicies": [],
            "Tags": [{"Key": "Contact", "Value": person}],
            "Description": f"made by {person}",
        }
    )
    _plant_identity(doc, person, domain, account)
    _plant_instances(doc, person, account)
    doc["sources"]["organization_features"] = {"status": "ok", "message": None}
    doc["data"]["organization_features"] = {
        "OrganizationId": f"o-{person.replace('.', '')}",
        "EnabledFeatures": ["RootCredentialsManagement"],
        "answered_by": f"{account:012d}",
        "management_account_id": f"{account:012d}",
    }
    _plant_scps(doc, person, domain, account)
    return doc


def _plant_scps(doc: dict[str, Any], person: str, domain: str, account: int) -> None:
    """The SCP chain: organization, OU and account ids and names, a customer SCP whose name,
    id, ARN and conditions name the company, one that claims to be AWS's (it is not: its ARN
    says so), and AWS's own FullAWSAccess."""
    org = f"o-{person.replace('.', '')}"
    mine = {
        "id": f"p-{person.replace('.', '')}",
        "name": f"{person}-guardrail",
        "arn": f"arn:aws:organizations::{account:012d}:policy/{org}/service_control_policy/"
        f"p-{person.replace('.', '')}",
        "aws_managed": True,  # a crafted flag: the ARN is the customer's
        "document": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Action": "iam:*",
                    "Resource": "*",
                    "Condition": {"StringNotLike": {"aws:PrincipalArn": f"*{person}*"}},
                }
            ],
        },
        "error": None,
    }
    full = {
        "id": "p-FullAWSAccess",
        "name": "FullAWSAccess",
        "arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "aws_managed": True,
        "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    }
    doc["sources"]["service_control_policies"] = {"status": "ok", "message": None}
    doc["data"]["service_control_policies"] = {
        "organization_id": org,
        "management_account_id": f"{account:012d}",
        "applies": True,
        "reason": None,
        "levels": [
            {"type": "ROOT", "id": f"r-{person[2:6]}", "name": "Root", "policies": [full]},
            {
                "type": "ORGANIZATIONAL_UNIT",
                "id": f"ou-{person[2:6]}-{domain[2:10]}",
                "name": f"{domain}-workloads",
                "policies": [full, mine],
            },
            {
                "type": "ACCOUNT",
                "id": f"{account:012d}",
                "name": f"{person}-prod",
                "policies": [full, {**mine, "document": None, "error": f"bad JSON by {person}"}],
            },
        ],
    }


def _plant_instances(doc: dict[str, Any], person: str, account: int) -> None:
    """EC2 instances: an instance id, a Name tag and an instance profile named after people,
    the profile also in a role's InstanceProfileList, and AWS's error text for a region."""
    profile = f"arn:aws:iam::{account:012d}:instance-profile/{person}-profile"
    doc["sources"]["ec2_instances"] = {"status": "ok", "message": None}
    doc["data"]["ec2_instances"] = {
        "regions": {
            "ap-northeast-1": [
                {
                    "InstanceId": f"i-{account:017d}",
                    "State": "running",
                    "IamInstanceProfile": profile,
                    "LaunchTime": "2026-01-01T00:00:00Z",
                    "Name": f"{person}-desktop",
                }
            ]
        },
        "errors": {"eu-west-1": f"DescribeInstances: UnauthorizedOperation: {person} denied"},
        "enabled_regions": ["ap-northeast-1", "eu-west-1"],
    }
    role = doc["data"]["authorization_details"]["RoleDetailList"][-1]
    role["InstanceProfileList"] = [{"Arn": profile, "InstanceProfileName": f"{person}-profile"}]


def _plant_identity(doc: dict[str, Any], person: str, domain: str, account: int) -> None:
    """Alternate contacts (names, titles, addresses, phone numbers, an error text), identity
    providers named after the company and an Identity Center instance with its store id."""
    ok = {"status": "ok", "message": None}
    for source in ("alternate_contacts", "identity_providers", "identity_center"):
        doc["sources"][source] = dict(ok)

    def contact(kind: str) -> dict[str, str]:
        return {
            "AlternateContactType": kind,
            "Name": person,
            "Title": f"{person} CSIRT",
            "EmailAddress": f"{person}@{domain}",
            "PhoneNumber": f"+81-3-{account % 10**4:04d}-{account // 10**8:04d}",
        }

    doc["data"]["alternate_contacts"] = {
        "contacts": {"SECURITY": contact("SECURITY"), "BILLING": contact("BILLING")},
        "errors": {"OPERATIONS": f"GetAlternateContact: AccessDenied: {person} may not read"},
    }
    doc["data"]["identity_providers"] = {
        "saml": [{"Arn": f"arn:aws:iam::{account:012d}:saml-provider/{person}"}],
        "oidc": [{"Arn": f"arn:aws:iam::{account:012d}:oidc-provider/login.{domain}"}],
    }
    doc["data"]["identity_center"] = {
        "region": "ap-northeast-1",
        "instances": [
            {
                "InstanceArn": f"arn:aws:sso:::instance/ssoins-{account:016d}",
                "IdentityStoreId": f"d-{account:010d}"[:12],
                "Name": person,
                "Status": "ACTIVE",
            }
        ],
    }


@settings(max_examples=40, deadline=None)
@given(people, domains, unique_ids, ips, accounts)
def test_no_planted_identifier_survives(
    person: str, domain: str, uid: str, ip: str, account: int
) -> None:
    """Names, domains, unique ids, IPs and account ids (strings or numbers) are all replaced."""
    redacted = json.dumps(redact_document(planted(person, domain, uid, ip, account), KEY))
    for secret in (
        person,
        person.replace(".", ""),
        person.split(".")[0],
        domain,
        uid,
        uid.replace("AIDA", "AROA"),
        f"{account:012d}",
        str(account),
        f"+81-3-{account % 10**4:04d}-{account // 10**8:04d}",  # a contact's phone number
        f"d-{account:010d}"[:12],  # the Identity Center store id (the access portal's host)
        f"ssoins-{account:016d}",
        f"i-{account:017d}",  # an EC2 instance id
        f"o-{person.replace('.', '')}",  # the organization id
        f"p-{person.replace('.', '')}",  # a customer SCP's id
        f"ou-{person[2:6]}-{domain[2:10]}",  # an OU id
    ):
        assert secret not in redacted, secret
    assert f'"{ip}"' not in redacted and f'"{ip}/32"' not in redacted
    assert "${aws:username}" in redacted  # the policy variable itself is AWS's, kept


def test_the_public_parts_are_kept() -> None:
    """AWS service names, the service-linked role prefix and condition keys stay readable."""
    text = json.dumps(
        redact_document(
            planted(
                "zqtaro.yamada",
                "zqco.example.co.jp",
                "AIDA" + "A" * 16,
                "203.0.113.7",
                210987654321,
            ),
            KEY,
        )
    )
    for public in (
        "AWSServiceRoleForElasticBeanstalk_",
        "elasticbeanstalk.amazonaws.com",
        "aws:SourceIp",
        "s3:GetObject",
        "denied",
        "p-FullAWSAccess",  # AWS's own SCP
        "ORGANIZATIONAL_UNIT",
    ):
        assert public in text, public
