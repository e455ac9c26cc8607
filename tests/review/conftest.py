"""A small account in moto, collected twice (two quarters) into snapshot files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.snapshot import document as snapshot

Q3 = datetime(2026, 9, 30, 9, 0, tzinfo=UTC)
Q4 = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _seed() -> None:
    """Three people, a group and a role; sato holds an inline policy allowing everything."""
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_account_alias(AccountAlias="sakura-prod")
    iam.create_group(GroupName="Developers")
    for name in ("tanaka", "suzuki", "sato"):
        iam.create_user(UserName=name)
    iam.add_user_to_group(GroupName="Developers", UserName="tanaka")
    iam.create_login_profile(UserName="tanaka", Password="Aa1!aaaaaaaaaaaa")
    iam.create_access_key(UserName="suzuki")
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    iam.put_user_policy(UserName="sato", PolicyName="everything", PolicyDocument=document)
    iam.create_role(RoleName="batch", AssumeRolePolicyDocument=json.dumps(TRUST))


def _collect(path: Path, when: datetime, remove: tuple[str, ...] = ()) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    for name in remove:
        iam.delete_user_policy(UserName=name, PolicyName="everything")
        iam.delete_user(UserName=name)
    options = CollectOptions(region="us-east-1", clock=lambda: when, sleep=lambda _s: None)
    snapshot.save(collect(options=options), path)


@pytest.fixture(scope="session")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The account at Q3 and at Q4 (unchanged but for the time: sato still exists)."""
    folder = tmp_path_factory.mktemp("review-snapshots")
    with mock_aws():
        _seed()
        _collect(folder / "q3.json", Q3)
        _collect(folder / "q4.json", Q4)
    yield folder / "q3.json", folder / "q4.json"
