"""The sandbox organisation: a management account and members on the emulator, collected
with the real organisation collector (assume a role in each account, one snapshot each).

Each account is the sandbox company with its own seed, so the accounts differ the way a
real organisation's do; the organisation manages the members' root credentials centrally (their
roots have none), and the members sit in a Workloads OU whose guardrail SCP denies creating IAM
users and their credentials. ``reportgen demo --organization`` then writes the organisation
report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The member accounts' names, after the management account (the sandbox company itself).
MEMBERS = ("production", "development", "analytics")
ROLE = "ReportgenAuditRole"
# The members' OU and its guardrail (AWS attaches FullAWSAccess to the root, the OU and each
# account; the emulator does too).
WORKLOADS = "Workloads"
GUARDRAIL = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyIamUserCredentials",
            "Effect": "Deny",
            "Action": ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"],
            "Resource": "*",
        }
    ],
}


def _guardrails(orgs: Any, members: Sequence[str]) -> None:
    """Enable SCPs, move the members into the Workloads OU and attach its guardrail."""
    root = orgs.list_roots()["Roots"][0]["Id"]
    orgs.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ou = orgs.create_organizational_unit(ParentId=root, Name=WORKLOADS)["OrganizationalUnit"]["Id"]
    for account_id in members:
        orgs.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ou)
    policy = orgs.create_policy(
        Content=json.dumps(GUARDRAIL),
        Description="Members create no IAM users or user credentials",
        Name="DenyIamUserCredentials",
        Type="SERVICE_CONTROL_POLICY",
    )
    orgs.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=ou)


def collect_sandbox_organization(
    folder: Path,
    size: int = 20,
    seed: int = 7,
    today: datetime | None = None,
    members: int = 2,
    progress: Callable[[str], None] = lambda _msg: None,
    overwrite: bool = False,
) -> Path:
    """Seed an organisation of ``members`` + 1 accounts and collect it into ``folder``;
    returns the manifest's path. ``progress`` is told each account id as it is seeded."""
    import boto3
    from freezegun import freeze_time
    from moto.moto_api._internal.models import moto_api_backend

    from reportgen.collect.account import CollectOptions
    from reportgen.collect.organization import OrgOptions, collect_organization
    from reportgen.sandbox.company import company
    from reportgen.sandbox.seed import seed as seed_account
    from reportgen.sandbox.server import sandbox_server
    from reportgen.sandbox.spec import TOKYO, RootSpec

    today = (today or datetime.now(UTC)).replace(microsecond=0)
    with sandbox_server() as server:
        moto_api_backend.reset()
        with freeze_time(today, tick=True):
            # moto's default credentials; moto's AssumeRole accepts the role in every account.
            session = boto3.Session(
                aws_access_key_id="testing", aws_secret_access_key="testing", region_name=TOKYO
            )
            orgs = session.client("organizations", endpoint_url=server.endpoint_url)
            organization = orgs.create_organization(FeatureSet="ALL")["Organization"]
            accounts = [str(organization["MasterAccountId"])]
            for name in MEMBERS[: max(0, min(members, len(MEMBERS)))]:
                created = orgs.create_account(AccountName=name, Email=f"aws-{name}@example.co.jp")
                accounts.append(str(created["CreateAccountStatus"]["AccountId"]))
            _guardrails(orgs, accounts[1:])
            # The members' root credentials are managed centrally from the management account
            # (trusted access for IAM, then the two features), and the members' roots have none.
            orgs.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
            iam = session.client("iam", endpoint_url=server.endpoint_url)
            iam.enable_organizations_root_credentials_management()
            iam.enable_organizations_root_sessions()
            for index, account_id in enumerate(accounts):
                progress(account_id)
                spec = company(size=size, seed=seed + index, today=today)
                label = "management" if index == 0 else MEMBERS[index - 1]
                spec = replace(
                    spec,
                    # S3 bucket names are global: each account's trail needs its own bucket.
                    trails=tuple(
                        replace(t, bucket=f"{t.bucket}-{account_id}") for t in spec.trails
                    ),
                    aliases=tuple(f"{alias}-{label}" for alias in spec.aliases) or (label,),
                    root=spec.root if index == 0 else RootSpec(spec.root.age_days, password=False),
                )
                seed_account(spec, today, account_id)
            result = collect_organization(
                session,
                OrgOptions(
                    role_name=ROLE,
                    output_dir=folder,
                    overwrite=overwrite,
                    collect=CollectOptions(
                        region=TOKYO,
                        endpoint_url=server.endpoint_url,
                        clock=lambda: today,
                    ),
                ),
            )
    return result.manifest
