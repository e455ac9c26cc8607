"""Issue 13 acceptance gaps found by the point-by-point audit, each as a regression test.

Case 4 through the real ``aws iam get-account-authorization-details`` JSON (tests/exports.py),
the exception patterns that name no resource in disguise, a missing control scoring no higher
than a weak one, and the issue's own example of dilution (one administrator without MFA among
a hundred users).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.exceptions import ExceptionEntry
from reportgen.evaluate.findings import ExceptionState, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from tests.exports import (
    ACCOUNT,
    detail_group,
    detail_policy,
    detail_user,
    details,
    imported,
    report_csv,
    root_row,
    user_row,
)
from tests.factories import (
    allow,
    attached,
    make_password_policy,
    make_policy,
    make_row,
    make_snapshot,
    make_user,
)

# Case 4: policy matching with IAM's own semantics, from the authorization-details export ---


def _statement(**fields: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": {"Effect": "Allow", **fields}}


ADMIN_IN_DISGUISE = {
    "not_action": _statement(NotAction="s3:*", Resource="*"),
    "upper_case_iam": _statement(Action="IAM:*", Resource="*"),
    "every_arn": _statement(Action="*", Resource="arn:aws:*:*:*:*"),
    "bare_strings": _statement(Action="*", Resource="*"),
    "wildcard_service": _statement(Action=["s3:GetObject", "*:*"], Resource=["arn:*"]),
}


@pytest.mark.parametrize("name", sorted(ADMIN_IN_DISGUISE))
def test_case4_admin_in_disguise_fails_through_the_real_export(tmp_path: Path, name: str) -> None:
    """A customer managed policy granting everything in a shape a string match would miss
    (NotAction, ``IAM:*``, ``arn:aws:*:*:*:*``, a bare string, ``*:*``), attached to a user in
    the authorization-details JSON, fails the full-admin and administrator-equivalence checks."""
    arn = f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    snap = imported(
        tmp_path,
        report_csv(root_row(), user_row("alice")),
        authorization_details=details(
            [detail_user("alice", policies=[arn])],
            [detail_group("developers")],
            [detail_policy(arn, ADMIN_IN_DISGUISE[name])],
        ),
    )
    found = evaluate(snap, all_checks(load_catalogue())).findings
    by = {(f.check_id, f.resource_id): f.status for f in found}
    alice = f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert by[("no_full_admin_policy", arn)] is Status.FAIL
    assert by[("admin_equivalent_principal", alice)] is Status.FAIL


def test_case4_a_narrow_policy_still_passes(tmp_path: Path) -> None:
    """The control: ``iam:Get*`` on ``*`` through the same export is not full admin."""
    arn = f"arn:aws:iam::{ACCOUNT}:policy/reader"
    snap = imported(
        tmp_path,
        report_csv(root_row(), user_row("alice")),
        authorization_details=details(
            [detail_user("alice", policies=[arn])],
            [detail_group("developers")],
            [detail_policy(arn, _statement(Action="iam:Get*", Resource="*"))],
        ),
    )
    found = evaluate(snap, all_checks(load_catalogue())).findings
    by = {(f.check_id, f.resource_id): f.status for f in found}
    assert by[("no_full_admin_policy", arn)] is Status.PASS


# Exceptions: a pattern that names no resource, in disguise ------------------------------------

BOB = f"arn:aws:iam::{ACCOUNT}:user/bob"


@pytest.mark.parametrize(
    "pattern",
    [
        f"arn:aws:iam::{ACCOUNT}:user/*[!/]",  # any name: a class of one character
        f"arn:aws:iam::{ACCOUNT}:user/[a-z]*",
        f"arn:aws:iam::{ACCOUNT}:user/?*",
        "*[!~]",
        f"arn:aws:iam::{ACCOUNT}:user/*e*",  # a letter somewhere: still every user but a few
        f"arn:aws:iam::{ACCOUNT}:user/*b",
        f"arn:aws:iam::{ACCOUNT}:user/b*",  # fewer than three named characters
        f"arn:aws:iam::{ACCOUNT}:user/*#access_key_1",
    ],
)
def test_a_character_class_does_not_make_a_pattern_name_a_resource(pattern: str) -> None:
    """``user/*[!/]`` waives every user as surely as ``user/*``: over-broad, not applied, so
    the raw and the adjusted scores stay equal."""
    users = [make_user("alice"), make_user("bob", credentials=make_row("bob", mfa_active=False))]
    waiver = ExceptionEntry("console_user_mfa", pattern, "r", "CISO", date(2026, 12, 31))
    catalogue = load_catalogue()
    assessment = evaluate(
        make_snapshot(users=users), all_checks(catalogue), [waiver], catalogue=catalogue
    )
    bob = next(
        f for f in assessment.findings if f.check_id == "console_user_mfa" and f.resource_id == BOB
    )
    assert bob.status is Status.FAIL
    (report,) = assessment.exceptions
    assert (report.state, report.problem) == (ExceptionState.INVALID, "over_broad")
    assert assessment.overall.raw == assessment.overall.value


def test_a_named_prefix_is_still_a_valid_exception() -> None:
    """The control: ``user/bob*`` names a resource prefix and is applied."""
    users = [make_user("alice"), make_user("bob", credentials=make_row("bob", mfa_active=False))]
    waiver = ExceptionEntry(
        "console_user_mfa", f"arn:aws:iam::{ACCOUNT}:user/bob*", "r", "CISO", date(2026, 12, 31)
    )
    catalogue = load_catalogue()
    assessment = evaluate(
        make_snapshot(users=users), all_checks(catalogue), [waiver], catalogue=catalogue
    )
    assert assessment.exceptions[0].state is ExceptionState.ACTIVE


def test_a_wildcard_does_not_reach_into_a_path() -> None:
    """``*`` stands for characters other than ``/``, as in a shell: ``user/bob*`` names the
    users whose names begin with "bob", not every user under a path ``/bob…/``."""
    from reportgen.evaluate.exceptions import resource_matches

    prefix = f"arn:aws:iam::{ACCOUNT}:user/"
    assert resource_matches(prefix + "bob*", prefix + "bobby")
    assert not resource_matches(prefix + "bob*", prefix + "bob-team/alice")
    assert resource_matches(prefix + "bob#access_key_?", prefix + "bob#access_key_2")
    assert resource_matches("arn:aws:iam::*:user/tanaka", prefix + "tanaka")
    assert not resource_matches(prefix + "[!a]ob", prefix + "/ob")


# Scores: monotonic end to end ----------------------------------------------------------------


def test_no_password_policy_scores_no_higher_than_a_weak_one() -> None:
    """The issue's first score example: a missing policy fails every check that needs it, so
    it never scores above a weak policy."""
    weak = make_password_policy(
        minimum_length=6,
        reuse_prevention=None,
        require_uppercase=False,
        require_lowercase=False,
        require_symbols=False,
        require_numbers=False,
        max_password_age=None,
    )
    none = evaluate(make_snapshot(password_policy=None)).overall
    poor = evaluate(make_snapshot(password_policy=weak)).overall
    assert none.value is not None and poor.value is not None
    assert none.value <= poor.value


# Scores: undilutable, the issue's own example ------------------------------------------------


def test_one_administrator_without_mfa_among_a_hundred_users_is_not_a_or_b() -> None:
    """The issue's second score example and docs/scoring.md §5's own sentence: one
    administrator without MFA among a hundred healthy users cannot grade A or B (the
    critical check admin_user_mfa fails, and a critical FAIL caps the grade at C)."""
    admin = make_policy("AdministratorAccess", allow("*", "*"), aws=True)
    users = [make_user(f"u{i}") for i in range(100)]
    users.append(
        make_user(
            "boss",
            policies=[attached("AdministratorAccess")],
            credentials=make_row("boss", mfa_active=False),
        )
    )
    overall = evaluate(make_snapshot(users=users, policies=(admin,))).overall
    assert overall.grade not in ("A", "B")
    assert overall.raw_grade not in ("A", "B")


# Coverage: a section with nothing evaluable shows "—", never 0.0 -----------------------------


def test_a_section_with_nothing_evaluable_shows_a_dash_not_zero() -> None:
    """Only UNKNOWN findings: no score, coverage 0, and the report writes "—" (while a section
    where nothing applied writes "N/A")."""
    from reportgen.evaluate.findings import Finding, Section, Severity
    from reportgen.evaluate.scoring import score
    from reportgen.render.chapters import no_score
    from reportgen.render.i18n import Ui

    unknown = Finding("c", Section.ROOT, Severity.HIGH, Status.UNKNOWN, "user", "r", "r", {})
    gap = score([unknown])
    assert (gap.value, gap.coverage, gap.grade) == (None, 0.0, None)
    assert no_score(gap, Ui(("en",))).first == "—"
    assert no_score(score([]), Ui(("en",))).first != "—"
