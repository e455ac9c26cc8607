"""EC2 instances on moto: read in every enabled region, concurrently, each region on its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.ec2.models import ec2_backends

from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import request_counter
from reportgen.evaluate.findings import Status
from reportgen.evaluate.run import evaluate
from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID, seed
from reportgen.sandbox.spec import (
    DEFAULT_REGIONS,
    TOKYO,
    AccountSpec,
    InstanceSpec,
    RoleSpec,
)
from reportgen.snapshot import document as snapshots

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
OSAKA = "ap-northeast-3"
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
SPEC = AccountSpec(
    roles=(RoleSpec("web-role", EC2_TRUST),),
    instances=(
        InstanceSpec("web-1", TOKYO, role="web-role"),
        InstanceSpec("web-2", TOKYO, role="web-role", state="stopped"),
        InstanceSpec("batch-1", OSAKA),
        InstanceSpec("report-1", OSAKA, profile="empty-profile"),
    ),
)
OPTIONS = CollectOptions(region=TOKYO, clock=lambda: TODAY, sleep=lambda _s: None)


@pytest.fixture
def account() -> Iterator[None]:
    """The spec seeded into a fresh moto (the sandbox's DescribeRegions: 17 default regions)."""
    with mock_aws():
        seed(SPEC, TODAY)
        yield


def verdicts(document: dict[str, Any]) -> dict[str, tuple[Status, str | None]]:
    snap = snapshots.loads(snapshots.dumps(document))
    return {
        f.resource_name: (f.status, f.evidence.get("reason"))
        for f in evaluate(snap).findings
        if f.check_id == "ec2_instance_roles"
    }


def refuse_in(session: boto3.Session, *regions: str) -> None:
    """DescribeInstances refused in ``regions`` (as a region-restricting SCP would)."""

    def refuse(context: dict[str, Any], **_: Any) -> None:
        if context.get("client_region") in regions:
            error = {"Error": {"Code": "UnauthorizedOperation", "Message": "explicit deny in SCP"}}
            raise ClientError(error, "DescribeInstances")

    session.events.register("before-call.ec2.DescribeInstances", refuse)


def test_every_enabled_region_is_read_and_each_instance_judged(account: None) -> None:
    """One DescribeInstances per enabled region; instance id, state, profile ARN and Name tag
    kept; a role through the profile passes, no profile or an empty one needs review."""
    session = boto3.Session(region_name=TOKYO)
    counted = request_counter(session)
    document = collect(session, OPTIONS)
    assert document["sources"]["ec2_instances"] == {"status": "ok", "message": None}
    data = document["data"]["ec2_instances"]
    assert data["enabled_regions"] == sorted(DEFAULT_REGIONS)
    assert sorted(data["regions"]) == sorted(DEFAULT_REGIONS)
    assert "errors" not in data
    assert counted()["ec2.DescribeInstances"] == len(DEFAULT_REGIONS)
    web = {i["Name"]: i for i in data["regions"][TOKYO]}
    assert web["web-1"]["State"] == "running" and web["web-2"]["State"] == "stopped"
    assert web["web-1"]["IamInstanceProfile"].endswith(":instance-profile/web-role")
    assert web["web-1"]["InstanceId"] == SPEC.instances[0].instance_id(DEFAULT_ACCOUNT_ID)
    assert verdicts(document) == {
        "web-1": (Status.PASS, None),
        "web-2": (Status.PASS, None),
        "batch-1": (Status.UNKNOWN, "needs_review_no_instance_role"),
        "report-1": (Status.UNKNOWN, "needs_review_profile_without_role"),
    }


def test_terminated_instances_are_left_out(account: None) -> None:
    """A terminated instance can never use credentials again: it is not collected."""
    tokyo = ec2_backends[DEFAULT_ACCOUNT_ID][TOKYO]
    web_1 = SPEC.instances[0].instance_id(DEFAULT_ACCOUNT_ID)
    tokyo.terminate_instances([web_1])
    document = collect(boto3.Session(region_name=TOKYO), OPTIONS)
    names = {i["Name"] for i in document["data"]["ec2_instances"]["regions"][TOKYO]}
    assert names == {"web-2"}


def test_a_refused_region_is_unknown_on_its_own(account: None) -> None:
    """DescribeInstances refused in Osaka (a region-restricting SCP): the other regions are
    judged, Osaka is UNKNOWN with AWS's error, and its instances are not guessed at."""
    session = boto3.Session(region_name=TOKYO)
    refuse_in(session, OSAKA)
    document = collect(session, OPTIONS)
    data = document["data"]["ec2_instances"]
    assert document["sources"]["ec2_instances"]["status"] == "ok"
    assert OSAKA not in data["regions"]
    assert "UnauthorizedOperation" in data["errors"][OSAKA]
    found = verdicts(document)
    assert found[OSAKA] == (Status.UNKNOWN, "region_read_failed")
    assert found["web-1"] == (Status.PASS, None)
    assert "batch-1" not in found


def test_every_region_refused_denies_the_source(account: None) -> None:
    """Refused everywhere: the source is denied and the check one UNKNOWN for the account."""
    session = boto3.Session(region_name=TOKYO)
    refuse_in(session, *DEFAULT_REGIONS)
    document = collect(session, OPTIONS)
    source = document["sources"]["ec2_instances"]
    assert source["status"] == "denied" and "UnauthorizedOperation" in source["message"]
    assert "ec2_instances" not in document["data"]
    found = verdicts(document)
    assert list(found.values()) == [(Status.UNKNOWN, "source_denied")]


def test_only_region_narrows_and_leaves_the_rest_unknown(account: None) -> None:
    """--only-region ap-northeast-1: only Tokyo is read; every other enabled region is
    UNKNOWN (left out), so Osaka's instance without a role is not passed over silently."""
    session = boto3.Session(region_name=TOKYO)
    counted = request_counter(session)
    document = collect(session, replace(OPTIONS, regions=(TOKYO,)))
    assert counted()["ec2.DescribeInstances"] == 1
    found = verdicts(document)
    left_out = {r for r, v in found.items() if v == (Status.UNKNOWN, "region_left_out")}
    assert left_out == set(DEFAULT_REGIONS) - {TOKYO}
    assert found["web-1"] == (Status.PASS, None)


def test_no_instance_anywhere_is_not_applicable() -> None:
    """An account without instances: every enabled region read, one N/A for the account."""
    with mock_aws():
        seed(AccountSpec(), TODAY)
        document = collect(boto3.Session(region_name=TOKYO), OPTIONS)
    assert list(verdicts(document).values()) == [(Status.NOT_APPLICABLE, None)]


def test_client_classes_are_built_once_per_session() -> None:
    """The collector's sessions build the EC2 client class (about 700 operations) once, not
    once per region; a session that did not opt in is untouched, and another session gets
    classes of its own."""
    from reportgen.collect.aws import share_client_classes, share_service_models

    shared = boto3.Session(region_name=TOKYO)
    share_service_models(shared)
    share_client_classes(shared)
    tokyo, osaka = (shared.client("ec2", region_name=r) for r in (TOKYO, OSAKA))
    assert type(tokyo) is type(osaka)
    assert tokyo.meta.region_name == TOKYO and osaka.meta.region_name == OSAKA
    plain = boto3.Session(region_name=TOKYO)
    assert type(plain.client("ec2")) is not type(plain.client("ec2"))
    other = boto3.Session(region_name=TOKYO)
    share_service_models(other)
    share_client_classes(other)
    assert type(other.client("ec2")) is not type(tokyo)
