"""Sandbox accounts with distinctive names, collected into snapshot documents (for redaction)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import (
    AccountSpec,
    AnalyzerSpec,
    ContactSpec,
    GroupSpec,
    InlinePolicySpec,
    KeySpec,
    PasswordPolicySpec,
    PolicySpec,
    RoleSpec,
    RootSpec,
    ServerCertificateSpec,
    TrailSpec,
    UserSpec,
)
from reportgen.snapshot import document as snapshot

ACCOUNT_ID = "123456789012"
PARTNER_ACCOUNT = "210987654321"
TOKYO = "ap-northeast-1"
Q1 = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
Q2 = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)

# Every name the company would not want to leave the building (checked in the redacted bytes).
SECRET_NAMES = (
    "tanaka.hiroshi",
    "suzuki.yuko",
    "ci-deployer",
    "Keiri-Finance",
    "PayrollBatchRole",
    "AcmePayrollBucketRead",
    "tanaka-extra",
    "acme-payroll-2026",
    "acme-org-trail",
    "acme-cloudtrail-logs",
    "acme-www-cert",
    "acme-analyzer",
    "acme-corp-prod",
    "acme-secret-ext",
    "Keiri-Dept",
    "payroll team read",
    "Yamada Taro",
    "acme-csirt@acme-corp.example",
    "acme-corp.example",
    "Acme CSIRT Lead",
    "+81-3-5555-0123",
    "Keiri Hanako",
    "AcmeOkta",
)

_PAYROLL_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadPayroll",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::acme-payroll-2026", "arn:aws:s3:::acme-payroll-2026/*"],
        }
    ],
}
_SELF_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "iam:ChangePassword",
            "Resource": f"arn:aws:iam::{ACCOUNT_ID}:user/tanaka.hiroshi",
            "Condition": {"StringEquals": {"aws:username": "tanaka.hiroshi"}},
        }
    ],
}
_PARTNER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "acme-secret-ext"}},
        }
    ],
}


def company(extra_user: bool = False) -> AccountSpec:
    """A small company account with a bit of everything the redactor must touch."""
    users = [
        UserSpec(
            "tanaka.hiroshi",
            age_days=700,
            path="/keiri/",
            password=True,
            password_last_used_days=3,
            mfa_days=600,
            keys=(KeySpec(age_days=400, last_used_days=2),),
            groups=("Keiri-Finance",),
            inline_policies=(InlinePolicySpec("tanaka-extra", _SELF_ONLY),),
            tags=(("Department", "Keiri-Dept"), ("Owner", "tanaka.hiroshi")),
        ),
        UserSpec(
            "suzuki.yuko",
            age_days=300,
            password=True,
            password_last_used_days=200,
            managed_policies=("AdministratorAccess",),
        ),
        UserSpec("ci-deployer", age_days=900, keys=(KeySpec(age_days=800, last_used_days=None),)),
    ]
    if extra_user:
        users.append(UserSpec("sato.kenji", age_days=10, password=True, groups=("Keiri-Finance",)))
    return AccountSpec(
        users=tuple(users),
        groups=(
            GroupSpec(
                "Keiri-Finance", managed_policies=("AcmePayrollBucketRead", "ReadOnlyAccess")
            ),
        ),
        policies=(
            PolicySpec("AcmePayrollBucketRead", _PAYROLL_READ, description="payroll team read"),
        ),
        roles=(
            RoleSpec(
                "PayrollBatchRole", _PARTNER_TRUST, managed_policies=("AcmePayrollBucketRead",)
            ),
        ),
        root=RootSpec(mfa=True, password_last_used_days=100),
        password_policy=PasswordPolicySpec(minimum_length=14, reuse_prevention=24),
        trails=(TrailSpec("acme-org-trail", "acme-cloudtrail-logs", region=TOKYO),),
        analyzers=(AnalyzerSpec(TOKYO, name="acme-analyzer"),),
        server_certificates=(
            ServerCertificateSpec("acme-www-cert", age_days=400, expires_in_days=-5),
        ),
        aliases=("acme-corp-prod",),
        contacts=(
            ContactSpec(
                "SECURITY",
                "Yamada Taro",
                "acme-csirt@acme-corp.example",
                "Acme CSIRT Lead",
                "+81-3-5555-0123",
            ),
            ContactSpec("BILLING", "Keiri Hanako", "keiri@acme-corp.example"),
        ),
        saml_providers=("AcmeOkta",),
        identity_center=True,
    )


def collected(spec: AccountSpec, today: datetime) -> dict[str, Any]:
    """Seed ``spec`` into a fresh moto account and collect it, as a JSON-ready document."""
    with mock_aws():
        seed(spec, today, ACCOUNT_ID)
        options = CollectOptions(
            region=TOKYO,
            regions=(TOKYO,),
            clock=lambda: today,
            sleep=lambda _s: None,
        )
        document = collect(boto3.Session(region_name=TOKYO), options)
    loaded: dict[str, Any] = json.loads(snapshot.dumps(document))
    return loaded
