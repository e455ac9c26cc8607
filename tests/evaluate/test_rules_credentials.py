"""Credential rules (MFA, keys, unused, dormant): boundaries at exactly N days and sentinels."""

from __future__ import annotations

import pytest

from reportgen.evaluate.findings import Status
from tests.evaluate.conftest import only, run, statuses
from tests.factories import (
    NA,
    NO_INFO,
    NOT_SUPPORTED,
    ago,
    make_key,
    make_row,
    make_snapshot,
    make_user,
)


def snap_of(**row: object) -> object:
    return make_snapshot(users=[make_user("alice", credentials=make_row("alice", **row))])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"password_enabled": True, "mfa_active": True}, Status.PASS),
        ({"password_enabled": True, "mfa_active": False}, Status.FAIL),
        ({"password_enabled": False, "mfa_active": False}, Status.NOT_APPLICABLE),
        ({"password_enabled": NOT_SUPPORTED, "mfa_active": False}, Status.UNKNOWN),
    ],
)
def test_console_user_mfa(row: dict, expected: Status) -> None:
    """Console users need MFA; users without a password are out of scope."""
    assert only(run("console_user_mfa", snap_of(**row))).status is expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"password_enabled": True, "mfa_active": True}, Status.PASS),
        ({"password_enabled": True, "mfa_active": False}, Status.FAIL),
        ({"password_enabled": False, "mfa_active": True}, Status.PASS),
        ({"password_enabled": False, "mfa_active": False}, Status.FAIL),
        ({"password_enabled": NOT_SUPPORTED, "mfa_active": False}, Status.FAIL),
        ({"password_enabled": NOT_SUPPORTED, "mfa_active": True}, Status.PASS),
        ({"password_enabled": False, "mfa_active": NOT_SUPPORTED}, Status.UNKNOWN),
        ({"password_enabled": True, "mfa_active": NA}, Status.UNKNOWN),
    ],
)
def test_all_users_mfa(row: dict, expected: Status) -> None:
    """Security Hub IAM.19: every user needs MFA, console or not (never NOT_APPLICABLE); an
    MFA value the report does not state as true/false is UNKNOWN, never PASS."""
    result = only(run("all_users_mfa", snap_of(**row)))
    assert result.status is expected
    if expected is Status.UNKNOWN:
        assert result.evidence["reason"] == "value_not_available"


def test_all_users_mfa_judges_a_key_only_user_that_console_user_mfa_skips() -> None:
    """A user with access keys and no password fails IAM.19 while CIS's console check is N/A."""
    snap = snap_of(password_enabled=False, mfa_active=False, keys=[make_key(1)])
    assert only(run("console_user_mfa", snap)).status is Status.NOT_APPLICABLE
    result = only(run("all_users_mfa", snap))
    assert (result.status, result.evidence["password_enabled"]) == (Status.FAIL, False)


@pytest.mark.parametrize(
    ("age", "expected"),
    [(1, Status.PASS), (89, Status.PASS), (90, Status.PASS), (91, Status.FAIL)],
)
def test_access_key_rotated_boundary(age: int, expected: Status) -> None:
    """A key exactly 90 days old passes; 91 days fails (rotated within N days: FAIL at > N)."""
    result = only(run("access_key_rotated", snap_of(keys=[make_key(1, last_rotated=ago(age))])))
    assert (result.status, result.evidence["age_days"]) == (expected, age)
    assert result.resource_id.endswith("user/alice#access_key_1")
    assert result.evidence["key_id"] == "access_key_1"


def test_access_key_rotated_ignores_inactive_and_reports_each_active_key() -> None:
    """Only active keys are judged, each on its own."""
    keys = [make_key(1, last_rotated=ago(200)), make_key(2, active=False, last_rotated=ago(500))]
    assert statuses(run("access_key_rotated", snap_of(keys=keys))) == [Status.FAIL]
    assert run("access_key_rotated", snap_of(keys=[])) == []


def test_access_key_rotated_sentinel_rotation_is_unknown() -> None:
    """An active key without a rotation date is UNKNOWN, not PASS."""
    result = only(run("access_key_rotated", snap_of(keys=[make_key(1, last_rotated=NA)])))
    assert result.status is Status.UNKNOWN


@pytest.mark.parametrize(
    ("last_used", "last_changed", "expected", "age"),
    [
        (ago(89), ago(300), Status.PASS, 89),
        (ago(90), ago(300), Status.FAIL, 90),  # unused for N days or more: FAIL at >= N
        (ago(91), ago(300), Status.FAIL, 91),
        (NO_INFO, ago(10), Status.PASS, 10),  # never used: counted from the last change
        (NO_INFO, ago(90), Status.FAIL, 90),
        (NO_INFO, NA, Status.UNKNOWN, None),
    ],
)
def test_console_password_unused(last_used, last_changed, expected: Status, age) -> None:
    """Unused passwords fail at >= 90 days; no_information falls back to password_last_changed."""
    result = only(
        run(
            "console_password_unused",
            snap_of(password_last_used=last_used, password_last_changed=last_changed),
        )
    )
    assert result.status is expected
    assert result.evidence.get("age_days") == age


def test_console_password_unused_without_password_is_not_applicable() -> None:
    """A user with no console password has nothing to be unused."""
    result = only(run("console_password_unused", snap_of(password_enabled=False)))
    assert result.status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("key", "expected", "age"),
    [
        (make_key(1, last_used_date=ago(44)), Status.PASS, 44),
        (make_key(1, last_used_date=ago(90)), Status.FAIL, 90),
        (make_key(1, last_used_date=NA, last_rotated=ago(100)), Status.FAIL, 100),  # CIS fallback
        (make_key(1, last_used_date=NA, last_rotated=ago(5)), Status.PASS, 5),
        (make_key(1, last_used_date=NA, last_rotated=NA), Status.UNKNOWN, None),
    ],
)
def test_access_key_unused(key, expected: Status, age) -> None:
    """Active keys unused >= 90 days fail; never used (N/A) counts from last_rotated."""
    result = only(run("access_key_unused", snap_of(keys=[key])))
    assert (result.status, result.evidence.get("age_days")) == (expected, age)


def test_access_key_unused_cis_threshold() -> None:
    """The CIS profile's 45 days is a parameter: 45 days unused fails, 44 passes."""
    used_45 = snap_of(keys=[make_key(1, last_used_date=ago(45))])
    used_44 = snap_of(keys=[make_key(1, last_used_date=ago(44))])
    assert only(run("access_key_unused", used_45, max_unused_days=45)).status is Status.FAIL
    assert only(run("access_key_unused", used_44, max_unused_days=45)).status is Status.PASS


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"keys": [make_key(1, last_used_date=ago(3))]}, [Status.PASS]),
        ({"keys": [make_key(1, last_used_date=NA)]}, [Status.FAIL]),
        (
            {"password_enabled": False, "keys": [make_key(1, last_used_date=NA)]},
            [Status.NOT_APPLICABLE],
        ),
        ({"keys": [make_key(1, active=False, last_used_date=NA)]}, []),
    ],
)
def test_no_unused_setup_key(row: dict, expected: list) -> None:
    """A console user's active key never used is a leftover from setup."""
    assert statuses(run("no_unused_setup_key", snap_of(**row))) == expected


@pytest.mark.parametrize(
    ("keys", "expected", "count"),
    [
        ([], Status.PASS, 0),
        ([make_key(1)], Status.PASS, 1),
        ([make_key(1), make_key(2)], Status.FAIL, 2),
        ([make_key(1), make_key(2, active=False)], Status.PASS, 1),
    ],
)
def test_single_active_access_key(keys: list, expected: Status, count: int) -> None:
    """Two active keys fail; one active and one inactive pass."""
    result = only(run("single_active_access_key", snap_of(keys=keys)))
    assert (result.status, result.evidence["count"]) == (expected, count)


@pytest.mark.parametrize(
    ("row", "expected", "age"),
    [
        ({"password_last_used": ago(10)}, Status.PASS, 10),
        ({"password_last_used": ago(90)}, Status.FAIL, 90),
        (
            {"password_last_used": ago(200), "keys": [make_key(1, last_used_date=ago(3))]},
            Status.PASS,
            3,
        ),
        ({"password_enabled": False, "created": ago(100)}, Status.FAIL, 100),
        ({"password_enabled": False, "created": ago(20)}, Status.PASS, 20),
        ({"password_last_used": NO_INFO, "created": ago(95)}, Status.FAIL, 95),
        ({"password_last_used": NO_INFO, "created": NA}, Status.UNKNOWN, None),
    ],
)
def test_dormant_user(row: dict, expected: Status, age) -> None:
    """No credential use for 90 days or more (from creation if never used) marks a dormant user."""
    result = only(run("dormant_user", snap_of(**row)))
    assert (result.status, result.evidence.get("age_days")) == (expected, age)


@pytest.mark.parametrize(
    "check",
    [
        "console_user_mfa",
        "all_users_mfa",
        "single_active_access_key",
        "console_password_unused",
        "dormant_user",
        "access_key_rotated",
        "access_key_unused",
        "no_unused_setup_key",
    ],
)
def test_user_absent_from_report_is_unknown(check: str) -> None:
    """A user in the authorization details but not in the credential report is UNKNOWN."""
    snap = make_snapshot(users=[make_user("alice"), make_user("newbie", credentials=None)])
    results = {r.resource_name: r.status for r in run(check, snap)}
    assert results["newbie"] is Status.UNKNOWN


@pytest.mark.parametrize(
    "check",
    [
        "console_user_mfa",
        "all_users_mfa",
        "single_active_access_key",
        "console_password_unused",
        "dormant_user",
    ],
)
def test_empty_account_has_no_user_findings(check: str) -> None:
    """An account without users yields no per-user findings (and no PASS)."""
    assert run(check, make_snapshot(users=[])) == []


def test_root_row_is_never_judged_as_a_user() -> None:
    """Per-user checks skip the <root_account> row."""
    snap = make_snapshot(users=[])
    assert run("console_user_mfa", snap) == []
