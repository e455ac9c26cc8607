"""Account-wide rules: password policy, CloudTrail, credential report freshness, certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reportgen.evaluate.findings import Status
from tests.evaluate.conftest import only, run, statuses
from tests.factories import (
    NOW,
    ago,
    make_certificate,
    make_password_policy,
    make_snapshot,
    make_trail,
)


@pytest.mark.parametrize(
    ("policy", "check", "expected"),
    [
        (make_password_policy(), "password_policy_present", Status.PASS),
        (None, "password_policy_present", Status.FAIL),
        (make_password_policy(minimum_length=14), "password_min_length", Status.PASS),
        (make_password_policy(minimum_length=13), "password_min_length", Status.FAIL),
        (None, "password_min_length", Status.FAIL),
        (make_password_policy(reuse_prevention=24), "password_reuse_prevention", Status.PASS),
        (make_password_policy(reuse_prevention=23), "password_reuse_prevention", Status.FAIL),
        (make_password_policy(reuse_prevention=None), "password_reuse_prevention", Status.FAIL),
        (None, "password_reuse_prevention", Status.FAIL),
    ],
)
def test_password_policy_rules(policy, check: str, expected: Status) -> None:
    """Length >= 14 and 24 remembered pass; without a policy every password check fails."""
    assert only(run(check, make_snapshot(password_policy=policy))).status is expected


@pytest.mark.parametrize(
    ("trails", "expected"),
    [
        ((make_trail(),), Status.PASS),
        ((), Status.FAIL),
        ((make_trail(is_multi_region=False),), Status.FAIL),
        ((make_trail(is_logging=False),), Status.FAIL),
        ((make_trail(management_events_all=False),), Status.FAIL),
        ((make_trail(is_logging=None),), Status.UNKNOWN),
        ((make_trail("a", is_logging=None), make_trail("b")), Status.PASS),
    ],
)
def test_cloudtrail_multi_region_logging(trails: tuple, expected: Status) -> None:
    """A logging multi-region trail with all management events passes; unreadable is UNKNOWN."""
    assert (
        only(run("cloudtrail_multi_region_logging", make_snapshot(trails=trails))).status
        is expected
    )


def test_cloudtrail_log_validation_per_trail() -> None:
    """Each trail is judged on its own log file validation."""
    snap = make_snapshot(trails=(make_trail("a"), make_trail("b", log_file_validation=False)))
    assert statuses(run("cloudtrail_log_validation", snap)) == [Status.PASS, Status.FAIL]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, Status.PASS), (4, Status.PASS), (4.5, Status.FAIL)],
)
def test_credential_report_fresh(hours: float, expected: Status) -> None:
    """A report generated more than 4 hours before collection fails."""
    snap = make_snapshot(generated=NOW - timedelta(hours=hours))
    result = only(run("credential_report_fresh", snap, as_of=NOW + timedelta(days=400)))
    assert (result.status, result.evidence["hours"]) == (expected, hours)


def test_expired_server_certificate() -> None:
    """A certificate that expired before as_of fails; a valid one passes; none gives nothing."""
    snap = make_snapshot(
        server_certificates=(make_certificate("old", ago(1)), make_certificate("new"))
    )
    found = {r.resource_name: r.status for r in run("expired_server_certificate", snap)}
    assert found == {"old": Status.FAIL, "new": Status.PASS}
    assert run("expired_server_certificate", make_snapshot()) == []
