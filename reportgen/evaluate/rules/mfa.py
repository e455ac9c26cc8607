"""Rules for multi-factor authentication of IAM users."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import Ev, has_password, missing_row, report_users, unknown
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
