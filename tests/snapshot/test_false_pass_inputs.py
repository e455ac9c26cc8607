"""Inputs that used to give a false PASS, refused or marked at import and load (issue 13).

Built from the real export formats (tests/exports.py): the credential report CSV as AWS
writes it, ``aws iam get-credential-report`` JSON, ``get-account-authorization-details`` JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import InputError, SnapshotError
from reportgen.evaluate.findings import Status
from reportgen.evaluate.run import evaluate
from reportgen.snapshot import document as snapshot_doc
from reportgen.snapshot.model import SourceStatus, Src
from tests.exports import (
    COLLECTED,
    detail_group,
    detail_policy,
    detail_user,
    details,
    imported,
    report_csv,
    report_json,
    root_row,
    user_row,
)
from tests.snapshot.test_snapshot import document

OTHER = "210987654321"


def statuses(snapshot: Any, check_id: str) -> dict[str, Status]:
    """Resource id → status of one check's findings."""
    found = evaluate(snapshot).findings
    return {f.resource_id: f.status for f in found if f.check_id == check_id}


# Case 1: rows of another account ------------------------------------------------------------


def test_case1_rows_of_another_account_are_refused_with_the_line(tmp_path: Path) -> None:
    """A report merging two accounts' rows is refused, naming the first foreign line."""
    text = report_csv(root_row(), user_row("alice"), user_row("mallory", OTHER))
    with pytest.raises(InputError, match=r"line 4: arn:aws:iam::210987654321:user/mallory"):
        imported(tmp_path, text)


def test_case1_another_partition_is_refused(tmp_path: Path) -> None:
    """A row of the same account id in another partition is another account too."""
    row = user_row("bob").replace("arn:aws:", "arn:aws-cn:")
    with pytest.raises(InputError, match="line 3"):
        imported(tmp_path, report_csv(root_row(), row))


def test_case1_a_crafted_snapshot_with_a_foreign_row_is_invalid(tmp_path: Path) -> None:
    """A snapshot file whose embedded report holds another account's row does not load."""
    content = report_csv(root_row(), user_row("mallory", OTHER))
    doc = document(credential_report={"generated_time": None, "content": content})
    with pytest.raises(SnapshotError, match="line 3"):
        snapshot_doc.loads(json.dumps(doc).encode())


def test_case1_duplicate_rows_are_still_refused(tmp_path: Path) -> None:
    """Duplicate rows stay refused (kept from before)."""
    with pytest.raises(InputError, match="appears twice"):
        imported(tmp_path, report_csv(root_row(), user_row("alice"), user_row("alice")))


# Case 3: sources that do not agree ----------------------------------------------------------


def test_case3_user_missing_from_details_is_unknown_not_pass(tmp_path: Path) -> None:
    """A user in the report but not in the authorization details has unknown policies."""
    snap = imported(
        tmp_path,
        report_csv(root_row(), user_row("alice"), user_row("bob")),
        authorization_details=details([detail_user("alice")], [detail_group("developers")]),
    )
    bob = f"arn:aws:iam::{snap.account.id}:user/bob"
    assert snap.principal_gaps == {bob: "user_not_in_details"}
    for check in ("user_no_direct_policies", "user_in_group", "no_privileged_policy_on_user"):
        found = statuses(snap, check)
        assert found[bob] is Status.UNKNOWN, check
        assert found[bob.replace("bob", "alice")] is Status.PASS, check


def test_case3_truncated_details_are_refused(tmp_path: Path) -> None:
    """``IsTruncated: true`` (a page missing) is refused at import."""
    text = details([detail_user("alice")], IsTruncated=True, Marker="abc")
    with pytest.raises(InputError, match="truncated"):
        imported(tmp_path, report_csv(root_row(), user_row("alice")), authorization_details=text)


def test_case3_details_of_another_account_are_refused(tmp_path: Path) -> None:
    """Authorization details of another account are refused, naming the entry."""
    text = details([detail_user("alice", OTHER)])
    with pytest.raises(InputError, match=r"UserDetailList\[0\]"):
        imported(tmp_path, report_csv(root_row(), user_row("alice")), authorization_details=text)


def test_case3_missing_group_or_policy_marks_the_principal(tmp_path: Path) -> None:
    """A group or managed policy referenced but not listed makes the user's checks UNKNOWN."""
    policy = "arn:aws:iam::123456789012:policy/Custom"
    snap = imported(
        tmp_path,
        report_csv(root_row(), user_row("alice"), user_row("bob"), user_row("carol")),
        authorization_details=details(
            [
                detail_user("alice", groups=["ghosts"]),
                detail_user("bob", policies=[policy]),
                detail_user("carol", groups=["developers"]),
            ],
            [detail_group("developers", [policy])],
        ),
    )
    gaps = {arn.rsplit("/", 1)[-1]: why for arn, why in snap.principal_gaps.items()}
    assert gaps == {
        "alice": "group_not_in_details",
        "bob": "policy_not_in_details",
        "carol": "policy_not_in_details",
        "developers": "policy_not_in_details",
    }
    for check in ("user_no_direct_policies", "no_privileged_policy_on_user"):
        found = {k.rsplit("/", 1)[-1]: v for k, v in statuses(snap, check).items()}
        assert found["alice"] is found["carol"] is Status.UNKNOWN, check
        assert found["bob"] is not Status.PASS, check


def test_case3_counts_below_the_account_summary_make_the_source_incomplete() -> None:
    """Fewer users in the details than GetAccountSummary counts: the source is incomplete."""
    doc = document(account_summary={"Users": 5, "Groups": 0, "Roles": 0, "Policies": 1})
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    source = snap.source(Src.AUTHORIZATION_DETAILS)
    assert source.status is SourceStatus.INCOMPLETE
    assert "UserDetailList 1 < GetAccountSummary Users 5" in (source.message or "")
    found = evaluate(snap).findings
    assert all(f.status is Status.UNKNOWN for f in found if f.check_id == "user_no_direct_policies")


# Case 8: collection time invented -----------------------------------------------------------


def test_case8_csv_without_collection_time_is_refused(tmp_path: Path) -> None:
    """Without --collected-at the CSV import stops: the file's mtime is not evidence."""
    with pytest.raises(InputError, match="--collected-at"):
        imported(tmp_path, report_csv(root_row(), user_row("alice")), collected_at=None)


def test_case8_json_generated_time_is_not_the_collection_time(tmp_path: Path) -> None:
    """The CLI JSON's GeneratedTime stays the report's time; the collection time is the user's,
    so a report generated days before the export fails freshness."""
    text = report_json(report_csv(root_row(), user_row("alice")), "2026-11-20T09:00:00Z")
    snap = imported(tmp_path, text, name="report.json")
    assert snap.collected_at == COLLECTED
    assert snap.credential_report is not None
    assert snap.credential_report.generated_time is not None
    assert snap.credential_report.generated_time.day == 20
    assert statuses(snap, "credential_report_fresh") == {snap.account.id: Status.FAIL}
    with pytest.raises(InputError, match="--collected-at"):
        imported(tmp_path, text, name="report.json", collected_at=None)


def test_case8_collection_before_generation_is_refused(tmp_path: Path) -> None:
    """A collection time before the report was generated is refused."""
    text = report_json(report_csv(root_row(), user_row("alice")), "2026-11-28T09:00:00Z")
    with pytest.raises(InputError, match="before the report was generated"):
        imported(tmp_path, text, name="report.json")


# Case 12: a source that says ok without data ------------------------------------------------


def test_case12_ok_without_data_is_an_invalid_snapshot() -> None:
    """``authorization_details: ok`` with no authorization data does not load."""
    doc = document()
    del doc["data"]["authorization_details"]
    with pytest.raises(SnapshotError, match="authorization_details says ok but"):
        snapshot_doc.loads(json.dumps(doc).encode())


@pytest.mark.parametrize("value", ["false", "False", False])
def test_case12_is_logging_false_as_a_string_is_false(value: object) -> None:
    """``IsLogging: "false"`` reads as false, so the trail check FAILs."""
    trail = {
        "Name": "main",
        "TrailARN": "arn:aws:cloudtrail:us-east-1:123456789012:trail/main",
        "HomeRegion": "us-east-1",
        "IsMultiRegionTrail": True,
        "LogFileValidationEnabled": "false",
        "Status": {"IsLogging": value},
        "EventSelectors": {
            "EventSelectors": [{"IncludeManagementEvents": True, "ReadWriteType": "All"}]
        },
    }
    doc = document(cloudtrail={"trails": [trail]})
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    assert snap.trails[0].is_logging is False
    assert snap.trails[0].log_file_validation is False
    found = evaluate(snap).findings
    wanted = {"cloudtrail_multi_region_logging", "cloudtrail_log_validation"}
    assert {f.check_id: f.status for f in found if f.check_id in wanted} == {
        "cloudtrail_multi_region_logging": Status.FAIL,
        "cloudtrail_log_validation": Status.FAIL,
    }


def test_case12_a_flag_that_is_not_a_boolean_is_invalid() -> None:
    """``IsLogging: "yes"`` is neither true nor false: the snapshot is invalid."""
    trail = {"Name": "main", "Status": {"IsLogging": "yes"}}
    doc = document(cloudtrail={"trails": [trail]})
    with pytest.raises(SnapshotError, match="cloudtrail/trails/0"):
        snapshot_doc.loads(json.dumps(doc).encode())


# Case 6: one region standing for all --------------------------------------------------------


def test_case6_analyzer_without_enabled_regions_is_unknown() -> None:
    """Access Analyzer read in one region, with no list of enabled regions: UNKNOWN."""
    analyzer = {"name": "a", "arn": "arn:a", "type": "ACCOUNT", "status": "ACTIVE"}
    doc = document(access_analyzer={"regions": {"us-east-1": [analyzer]}})
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    assert snap.source(Src.ACCESS_ANALYZER).status is SourceStatus.INCOMPLETE
    assert set(statuses(snap, "access_analyzer_enabled").values()) == {Status.UNKNOWN}
    doc = document(
        access_analyzer={
            "regions": {"us-east-1": [analyzer]},
            "enabled_regions": ["us-east-1", "eu-west-1"],
        }
    )
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    assert "eu-west-1" in (snap.source(Src.ACCESS_ANALYZER).message or "")
    assert set(statuses(snap, "access_analyzer_enabled").values()) == {Status.UNKNOWN}
    doc["data"]["access_analyzer"]["regions"]["eu-west-1"] = [analyzer]
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    assert set(statuses(snap, "access_analyzer_enabled").values()) == {Status.PASS}


def test_detail_policy_documents_decode() -> None:
    """The URL-encoded policy documents of the export decode (fixture sanity)."""
    entry = detail_policy("arn:aws:iam::123456789012:policy/P", {"Statement": []})
    assert "%7B" in entry["PolicyVersionList"][0]["Document"]


# Trails that record only part of the management events ------------------------------------

_BASIC = {"IncludeManagementEvents": True, "ReadWriteType": "All"}
_MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        ({"EventSelectors": [_BASIC]}, Status.PASS),
        ({"EventSelectors": [{**_BASIC, "ExcludeManagementEventSources": []}]}, Status.PASS),
        (
            {
                "EventSelectors": [
                    {**_BASIC, "ExcludeManagementEventSources": ["kms.amazonaws.com"]}
                ]
            },
            Status.FAIL,
        ),
        ({"EventSelectors": [{**_BASIC, "ReadWriteType": "WriteOnly"}]}, Status.FAIL),
        ({"AdvancedEventSelectors": [{"FieldSelectors": [_MANAGEMENT]}]}, Status.PASS),
        (
            {
                "AdvancedEventSelectors": [
                    {
                        "FieldSelectors": [
                            _MANAGEMENT,
                            {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]},
                        ]
                    }
                ]
            },
            Status.FAIL,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    {
                        "FieldSelectors": [
                            _MANAGEMENT,
                            {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]},
                        ]
                    }
                ]
            },
            Status.FAIL,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    {"FieldSelectors": [_MANAGEMENT, {"Field": "readOnly", "Equals": ["false"]}]}
                ]
            },
            Status.FAIL,
        ),
    ],
)
def test_a_trail_must_record_every_management_event(
    selectors: dict[str, object], expected: Status
) -> None:
    """Management events narrowed by an excluded source, an event source filter or read-only
    filter are not "all" (AWS Config multi-region-cloudtrail-enabled: NON_COMPLIANT)."""
    trail = {
        "Name": "main",
        "TrailARN": "arn:aws:cloudtrail:us-east-1:123456789012:trail/main",
        "HomeRegion": "us-east-1",
        "IsMultiRegionTrail": True,
        "LogFileValidationEnabled": True,
        "Status": {"IsLogging": True},
        "EventSelectors": selectors,
    }
    snap = snapshot_doc.loads(json.dumps(document(cloudtrail={"trails": [trail]})).encode())
    found = {f.check_id: f.status for f in evaluate(snap).findings}
    assert found["cloudtrail_multi_region_logging"] is expected


# One principal or policy listed twice ---------------------------------------------------------


def test_a_policy_listed_twice_is_refused() -> None:
    """Two entries for one managed policy ARN: whichever won would decide the verdict."""
    doc = document()
    policies = doc["data"]["authorization_details"]["Policies"]
    policies.append({**policies[0]})
    with pytest.raises(
        SnapshotError,
        match="Policies/1: Arn arn:aws:iam::123456789012:policy/Custom is listed twice",
    ):
        snapshot_doc.loads(json.dumps(doc).encode())


def test_a_user_listed_twice_is_refused_on_import(tmp_path: Path) -> None:
    """An authorization dump naming one user twice (an admin copy and a harmless copy) is
    refused at import, naming the second entry."""
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    dump = details(
        [detail_user("alice", policies=[admin]), detail_user("alice")],
        [detail_group("developers")],
        [
            detail_policy(
                admin,
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                },
            )
        ],
    )
    with pytest.raises(InputError, match=r"UserDetailList/1: Arn .*alice is listed twice"):
        imported(tmp_path, report_csv(root_row(), user_row("alice")), authorization_details=dump)


@pytest.mark.parametrize("flags", [(True, True), (False, True), (False, False)])
def test_a_default_version_named_two_ways_must_agree(flags: tuple[bool, bool]) -> None:
    """DefaultVersionId says v1 while IsDefaultVersion marks v2 (or nothing, or both): which
    document applies is not known, so the snapshot is refused rather than v1 trusted."""
    doc = document()
    policy = doc["data"]["authorization_details"]["Policies"][0]
    body = policy["PolicyVersionList"][0]["Document"]
    policy["DefaultVersionId"] = "v1"
    policy["PolicyVersionList"] = [
        {"VersionId": "v1", "IsDefaultVersion": flags[0], "Document": body},
        {"VersionId": "v2", "IsDefaultVersion": flags[1], "Document": body},
    ]
    if flags == (False, False):
        policy["PolicyVersionList"][0].pop("IsDefaultVersion")  # absent: nothing to disagree
        snapshot_doc.loads(json.dumps(doc).encode())
        return
    with pytest.raises(SnapshotError, match="disagrees with the versions' IsDefaultVersion"):
        snapshot_doc.loads(json.dumps(doc).encode())
