"""admin_user_mfa: administrator-equivalent console users without MFA fail a critical check."""

from __future__ import annotations

import pytest

from reportgen.evaluate.findings import Severity, Status
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import InlinePolicy, Sentinel
from tests.evaluate.conftest import only, run
from tests.factories import (
    allow,
    attached,
    make_group,
    make_policy,
    make_row,
    make_snapshot,
    make_user,
)

ADMIN = make_policy("AdministratorAccess", allow("*", "*"), aws=True)
IAM_FULL = make_policy("IAMFullAccess", allow("iam:*", "*"), aws=True)
ADMINS = make_group("Admins", (attached("AdministratorAccess"),))


def _snap(user, *, groups=(ADMINS,), policies=(ADMIN, IAM_FULL), **kw):
    return make_snapshot(users=[user], groups=(make_group(), *groups), policies=policies, **kw)


def _status(user, **kw) -> Status:
    return only(run("admin_user_mfa", _snap(user, **kw))).status


def _boss(mfa: bool = False, password: object = True, **kw) -> object:
    row = make_row("boss", mfa_active=mfa, password_enabled=password)
    return make_user("boss", credentials=row, **kw)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        # Administrator through a group, or through iam:* alone, with a password and no MFA.
        (_boss(groups=("Admins",)), Status.FAIL),
        (_boss(groups=(), policies=[attached("IAMFullAccess")]), Status.FAIL),
        (_boss(inline=[InlinePolicy("all", allow(["*"], ["*"]))]), Status.FAIL),
        # Case variants and a bare string grant the same.
        (_boss(inline=[InlinePolicy("all", allow("IAM:*", "*"))]), Status.FAIL),
        (_boss(mfa=True, groups=("Admins",)), Status.PASS),
        # Not an administrator: console_user_mfa judges the missing MFA, not this check.
        (_boss(), Status.NOT_APPLICABLE),
        # No console password: MFA does not protect the sign-in that does not exist.
        (_boss(password=False, groups=("Admins",)), Status.NOT_APPLICABLE),
    ],
)
def test_admin_user_mfa(user, expected: Status) -> None:
    assert _status(user) is expected


def test_a_deny_on_everything_makes_the_user_no_administrator() -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    user = _boss(groups=("Admins",), inline=[InlinePolicy("stop", deny)])
    assert _status(user) is Status.NOT_APPLICABLE


def test_administrator_only_under_a_condition_is_unknown_not_pass() -> None:
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    user = _boss(
        groups=(), inline=[InlinePolicy("mfa-admin", allow("*", "*", Condition=condition))]
    )
    finding = only(run("admin_user_mfa", _snap(user)))
    assert finding.status is Status.UNKNOWN
    assert finding.evidence["reason"] == "needs_review_conditional"


def test_a_group_missing_from_the_snapshot_is_unknown_not_pass_or_not_applicable() -> None:
    """The user's group is referenced but absent: its policies could make it administrator."""
    finding = only(run("admin_user_mfa", _snap(_boss(groups=("Admins",)), groups=())))
    assert finding.status is Status.UNKNOWN


def test_with_mfa_the_verdict_stands_even_if_the_policies_cannot_all_be_read() -> None:
    assert _status(_boss(mfa=True, groups=("Admins",)), groups=()) is Status.PASS


def test_a_password_the_report_cannot_state_is_unknown() -> None:
    user = _boss(password=Sentinel("not_supported"), groups=("Admins",))
    assert _status(user) is Status.UNKNOWN


def test_without_the_authorization_details_the_check_is_unknown() -> None:
    snap = _snap(_boss(groups=("Admins",)), source_status={"authorization_details": "denied"})
    (finding,) = [f for f in evaluate(snap).findings if f.check_id == "admin_user_mfa"]
    assert (finding.status, finding.resource_type) == (Status.UNKNOWN, "account")


def test_the_check_is_critical_and_its_failure_caps_the_grade_at_c() -> None:
    healthy = [make_user(f"u{i:03}") for i in range(200)]
    snap = make_snapshot(
        users=[*healthy, _boss(groups=("Admins",))],
        groups=(make_group(), ADMINS),
        policies=(ADMIN,),
    )
    result = evaluate(snap)
    failed = [
        f for f in result.findings if f.check_id == "admin_user_mfa" and f.status is Status.FAIL
    ]
    assert [(f.resource_name, f.severity) for f in failed] == [("boss", Severity.CRITICAL)]
    assert result.overall.grade == "C"
    assert result.overall.cap == "critical_fail"
