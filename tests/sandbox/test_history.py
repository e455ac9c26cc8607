"""Four quarters of the same company, with the changes a quarter-over-quarter report should show."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from moto import mock_aws

from reportgen.errors import InputError
from reportgen.sandbox.company import build_company, history, quarter_date
from reportgen.sandbox.expect import Changes, ResourceRef
from reportgen.sandbox.seed import seed
from tests.sandbox.conftest import TODAY, report_rows


def named(keys: frozenset[tuple[str, ResourceRef]]) -> set[tuple[str, str]]:
    return {(check, ref.name) for check, ref in keys}


@pytest.fixture(scope="module")
def changes() -> tuple[Changes, ...]:
    return history(10, 7, TODAY).changes


@pytest.mark.parametrize(
    ("step", "kind", "expected"),
    [
        (
            0,
            "resolved",
            {
                ("root_no_access_key", "<root_account>"),
                ("password_policy_present", "123456789012"),
                ("console_user_mfa", "watanabe.mai"),
                ("access_analyzer_enabled", "ap-northeast-1"),
                ("cloudtrail_multi_region_logging", "123456789012"),
            },
        ),
        (
            0,
            "new",
            {("console_user_mfa", "nakamura.aoi"), ("cloudtrail_log_validation", "audit-trail")},
        ),
        (
            1,
            "resolved",
            {
                ("console_user_mfa", "kato.takeshi"),
                ("no_privileged_policy_on_user", "kato.takeshi"),
                ("console_user_mfa", "nakamura.aoi"),
            },
        ),
        (
            1,
            "new",
            {
                ("root_no_access_key", "<root_account>"),
                ("console_password_unused", "kobayashi.emi"),
                ("cloudtrail_multi_region_logging", "123456789012"),
            },
        ),
        (
            2,
            "new",
            {
                ("console_user_mfa", "yamamoto.sho"),
                ("expired_server_certificate", "www-sakura-shoji-2024"),
                ("access_key_rotated", "nakamura.aoi"),
                ("single_active_access_key", "suzuki.yuki"),
            },
        ),
        (
            2,
            "persisting",
            {
                ("no_privileged_policy_on_user", "sato.kenji"),
                ("root_mfa_enabled", "<root_account>"),
            },
        ),
    ],
)
def test_changes_between_quarters(
    changes: tuple[Changes, ...], step: int, kind: str, expected: set[tuple[str, str]]
) -> None:
    """Fixes, regressions, new hires and a deleted leaver show up in the right quarter."""
    assert expected <= named(getattr(changes[step], kind))


def test_nothing_is_resolved_in_the_last_quarter(changes: tuple[Changes, ...]) -> None:
    """The latest quarter only adds or keeps failures (the audit is still to come)."""
    assert changes[2].resolved == frozenset()


def test_rules_judged_only_with_a_policy_fail_anew(changes: tuple[Changes, ...]) -> None:
    """Length and reuse rules already fail without a policy (a missing control fails every check
    that needs it) and keep failing once a weak one exists."""
    checks = {check for check, _ in changes[0].persisting}
    assert {"password_min_length", "password_reuse_prevention"} <= checks


def test_quarters_are_91_days_apart() -> None:
    """Quarter 3 is today and each earlier quarter 91 days before the next."""
    dates = [q.as_of for q in history(10, 7, TODAY).quarters]
    assert dates == [TODAY - timedelta(days=91 * n) for n in (3, 2, 1, 0)]
    assert quarter_date(TODAY, 1) == dates[1]


def test_history_at_chosen_dates() -> None:
    """Any dates up to today can be asked for, oldest first."""
    dates = [TODAY - timedelta(days=30), TODAY - timedelta(days=400)]
    built = history(10, 7, TODAY, dates=dates)
    assert [q.as_of for q in built.quarters] == sorted(dates)
    assert len(built.changes) == 1
    with pytest.raises(InputError):
        history(10, 7, TODAY, dates=[TODAY + timedelta(days=1)])


def test_seeded_quarters_differ_as_the_manifest_says() -> None:
    """Seeded at quarter 1 the leaver and no root key exist; at quarter 3 the reverse."""
    seen = {}
    for quarter in (1, 3):
        built = build_company(10, 7, TODAY, quarter=quarter)
        with mock_aws():
            seed(built.spec, built.as_of)
            seen[quarter] = report_rows(boto3.client("iam", region_name="us-east-1"))
    assert "kato.takeshi" in seen[1] and "kato.takeshi" not in seen[3]
    assert seen[1]["<root_account>"]["access_key_1_active"] == "false"
    assert seen[3]["<root_account>"]["access_key_1_active"] == "true"
