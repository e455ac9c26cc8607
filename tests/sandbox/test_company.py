"""The fictional company: deterministic, every misconfiguration at every size, honest manifest."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from reportgen.errors import InputError
from reportgen.evaluate.findings import Status
from reportgen.resources import data_dir
from reportgen.sandbox.company import build_company, company
from reportgen.sandbox.expect import ResourceRef
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import DEFAULT_REGIONS
from tests.sandbox.conftest import TODAY, report_rows

# Not about the account itself: report freshness depends on when the collector runs, the review
# follow-up on the access review file given with the report.
NOT_SEEDED = {"credential_report_fresh", "review_decisions_carried_out"}


def catalogue_ids() -> set[str]:
    table = (data_dir("checks") / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| ([a-z][a-z0-9_]+) \|", table, flags=re.MULTILINE)) - {"id"}


def test_same_seed_same_company() -> None:
    """The same size, seed and today always give the same spec."""
    assert company(200, seed=7, today=TODAY) == company(200, seed=7, today=TODAY)
    assert company(200, seed=7, today=TODAY) != company(200, seed=8, today=TODAY)


@pytest.mark.parametrize("size", [10, 40, 1000])
def test_size_is_the_number_of_users_today(size: int) -> None:
    """size counts the users that exist today, all with unique names."""
    users = company(size, today=TODAY).users
    assert len(users) == size == len({u.name for u in users})


@pytest.mark.parametrize("size", [10, 1000])
def test_every_check_has_a_failure_at_every_size(size: int) -> None:
    """Each catalogue check (bar report freshness) finds at least one failure today."""
    expected = build_company(size, 7, TODAY).expected
    assert set(expected.results) == catalogue_ids() - NOT_SEEDED
    assert {c for c in expected.results if not expected.failing(c)} == {
        "password_policy_present",
        "password_requires_uppercase",  # the policy requires upper, lower case and numbers
        "password_requires_lowercase",
        "password_requires_numbers",
        "support_role_exists",
        "role_trust_not_public",  # no role open to anyone is planted (see the evaluate corpus)
        "security_contact_registered",  # the CSIRT's shared address is registered
        "ec2_instance_roles",  # never fails: the batch server without a role needs review
    }


def test_good_practice_is_there_too() -> None:
    """Things done right are expected to pass: the support role, MFA users, fresh keys."""
    expected = build_company(40, 7, TODAY).expected
    assert [r.name for r in expected.passing("support_role_exists")] == ["123456789012"]
    assert "tanaka.hiroshi" in {r.name for r in expected.passing("console_user_mfa")}
    tanaka_key = ResourceRef(
        "access_key", "tanaka.hiroshi", "arn:aws:iam::123456789012:user/tanaka.hiroshi", 1
    )
    assert expected.results["access_key_rotated"][tanaka_key] is Status.PASS
    account = ResourceRef("account", "123456789012", "123456789012")
    assert expected.results["security_contact_registered"][account] is Status.PASS
    # ...but people sign in as IAM users with passwords: no identity provider, no Identity Center
    assert expected.results["central_identity"][account] is Status.FAIL


@pytest.mark.parametrize(
    ("check", "names"),
    [
        ("root_no_access_key", {"<root_account>"}),
        ("no_privileged_policy_on_user", {"sato.kenji"}),
        ("no_full_admin_policy", {"AdministratorAccess", "legacy-full-access"}),
        ("no_service_wildcard_policy", {"dev-s3-full", "legacy-full-access"}),
        ("cloudshell_full_access_not_attached", {"AWSCloudShellFullAccess"}),
        ("expired_server_certificate", {"www-sakura-shoji-2024"}),
        # every enabled region without an analyzer: Osaka, where the company works, and the
        # other default regions it does not use (AWS enables them all: regions.py)
        ("access_analyzer_enabled", set(DEFAULT_REGIONS) - {"ap-northeast-1", "us-east-1"}),
        ("cloudtrail_log_validation", {"audit-trail"}),
        ("single_active_access_key", {"suzuki.yuki"}),
        ("no_unused_setup_key", {"ito.naoki"}),
    ],
)
def test_named_misconfigurations_at_size_ten(check: str, names: set[str]) -> None:
    """The named cast carries the lessons' misconfigurations, even in the smallest company."""
    assert {r.name for r in build_company(10, 7, TODAY).expected.failing(check)} == names


def _age(row_value: str) -> int | None:
    if row_value in ("N/A", "no_information", "not_supported"):
        return None
    return (TODAY - datetime.fromisoformat(row_value)).days


def test_manifest_agrees_with_the_seeded_report(iam: Any) -> None:
    """Recomputing a few checks from the seeded credential report gives the manifest's answer."""
    built = build_company(300, 7, TODAY)
    seed(built.spec, TODAY)
    rows = report_rows(iam)
    users = {name: row for name, row in rows.items() if name != "<root_account>"}
    assert set(users) == {u.name for u in built.spec.users}
    mfa_fail = {
        n
        for n, r in users.items()
        if r["password_enabled"] == "true" and r["mfa_active"] == "false"
    }
    assert mfa_fail == {r.name for r in built.expected.failing("console_user_mfa")}
    old_keys = {
        (n, slot)
        for n, r in users.items()
        for slot in (1, 2)
        if r[f"access_key_{slot}_active"] == "true"
        and (_age(r[f"access_key_{slot}_last_rotated"]) or 0) > 90
    }
    assert old_keys == {(r.name, r.slot) for r in built.expected.failing("access_key_rotated")}
    two_keys = {
        n
        for n, r in users.items()
        if r["access_key_1_active"] == r["access_key_2_active"] == "true"
    }
    assert two_keys == {r.name for r in built.expected.failing("single_active_access_key")}
    assert rows["<root_account>"]["access_key_1_active"] == "true"


def test_sizes_out_of_range_are_refused() -> None:
    """Below the named cast or above 5,000 users there is no company."""
    with pytest.raises(InputError):
        company(9, today=TODAY)
    with pytest.raises(InputError):
        company(5001, today=TODAY)


def test_a_naive_today_is_refused() -> None:
    """today must be an aware datetime."""
    with pytest.raises(InputError):
        company(10, today=datetime(2026, 10, 1))


def test_a_thousand_users_seed_into_the_report(iam: Any) -> None:
    """1,000 users are seeded (backend-direct; timings in docs/performance.md) and reported."""
    seed(company(1000, today=TODAY), TODAY)
    assert len(report_rows(iam)) == 1001
