"""Rules for multi-factor authentication of IAM users, administrators above all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.effective import analysis_for
from reportgen.evaluate.findings import Status
from reportgen.evaluate.permissions import Grant
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import (
    Ev,
    has_password,
    missing_row,
    report_users,
    unknown,
    unknown_if_incomplete,
)
from reportgen.evaluate.rules.privilege import AUTH, admin_verdict
from reportgen.snapshot.model import Snapshot


@rule("console_user_mfa", evidence=("user", "arn", "password_enabled", "mfa_active"))
def console_user_mfa(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every user with a console password has an MFA device; users without one are N/A."""
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        password = has_password(user.row)
        if password is None:
            ids: Ev = {"user": user.name, "arn": user.arn}
            yield unknown(user.arn, user.name, "value_not_available", evidence=ids)
            continue
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "password_enabled": password,
            "mfa_active": user.row.mfa_active,
        }
        if not password:
            status = Status.NOT_APPLICABLE
        else:
            status = Status.PASS if user.row.mfa_active else Status.FAIL
        yield Result(status, user.arn, user.name, evidence)


@rule(
    "admin_user_mfa",
    evidence=("user", "arn", "password_enabled", "mfa_active", "scope"),
)
def admin_user_mfa(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every administrator-equivalent user with a console password has an MFA device.

    Critical, so that one such user caps the grade however many others pass (docs/scoring.md
    §4). Users that are not administrator-equivalent, or have no console password, are N/A;
    a user whose policies cannot all be read is UNKNOWN unless it has MFA anyway.
    """
    analysis = analysis_for(snapshot)
    principals = {who.arn: who for who in analysis.principals if who.kind == "user"}
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        password = has_password(user.row)
        ids: Ev = {"user": user.name, "arn": user.arn}
        if password is None:
            yield unknown(user.arn, user.name, "value_not_available", evidence=ids)
            continue
        who = principals.get(user.arn)
        verdict = None if who is None else admin_verdict(who, analysis)
        grant = None if verdict is None else verdict.grant
        evidence: Ev = {
            **ids,
            "password_enabled": password,
            "mfa_active": user.row.mfa_active,
            "scope": None if verdict is None else verdict.scope,
        }
        if not password or grant is Grant.NONE:
            yield Result(Status.NOT_APPLICABLE, user.arn, user.name, evidence)
        elif user.row.mfa_active:
            yield Result(Status.PASS, user.arn, user.name, evidence)
        elif grant is None:
            yield unknown_if_incomplete(snapshot, user.arn, user.name, "user", evidence) or unknown(
                user.arn, user.name, "principal_policies_missing", AUTH, "user", evidence
            )
        elif grant is Grant.CONDITIONAL:
            reason = "needs_review_conditional"
            yield unknown(user.arn, user.name, reason, AUTH, "user", evidence)
        else:
            yield Result(Status.FAIL, user.arn, user.name, evidence)


@rule("all_users_mfa", evidence=("user", "arn", "password_enabled", "mfa_active"))
def all_users_mfa(snapshot: Snapshot, params: Params, as_of: datetime) -> Iterator[Result]:
    """Every IAM user has an MFA device, with or without a console password (Security Hub
    IAM.19); a user missing from the report, or an unreadable MFA value, is UNKNOWN."""
    for user in report_users(snapshot):
        if user.row is None:
            yield missing_row(user)
            continue
        mfa = user.row.mfa_active
        evidence: Ev = {
            "user": user.name,
            "arn": user.arn,
            "password_enabled": has_password(user.row),
            "mfa_active": mfa if isinstance(mfa, bool) else None,
        }
        if not isinstance(mfa, bool):
            yield unknown(user.arn, user.name, "value_not_available", evidence=evidence)
            continue
        yield Result(Status.PASS if mfa else Status.FAIL, user.arn, user.name, evidence)
