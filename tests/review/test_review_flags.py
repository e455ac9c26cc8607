"""The review's privilege column says what the least-privilege checks found, per principal."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from reportgen.pipeline.review import COLUMNS, review_sheet
from reportgen.snapshot.model import AttachedPolicy, InlinePolicy
from tests.factories import allow, make_snapshot, make_user

ADMIN = [name for name, _, _ in COLUMNS].index("admin")


def _column(lang: str) -> dict[str, str]:
    users = (
        make_user("plain"),
        make_user("root-like", inline=(InlinePolicy("all", allow("*")),)),
        make_user("climber", inline=(InlinePolicy("tools", allow("iam:CreatePolicyVersion")),)),
        make_user(
            "orphan", policies=(AttachedPolicy("Gone", "arn:aws:iam::123456789012:policy/Gone"),)
        ),
    )
    sheet = review_sheet(make_snapshot(users=users), lang, ZoneInfo("Asia/Tokyo"), "s.json")
    return {str(row[1]): str(row[ADMIN]) for row in sheet.rows}


def test_privilege_column_in_japanese() -> None:
    """Administrator with its scope, escalation by method, unknown when a policy is missing."""
    column = _column("ja")
    assert column["plain"] == "なし"
    assert column["root-like"] == "管理者相当（*）"
    assert column["climber"] == "権限昇格が可能：iam-create-policy-version"
    assert column["orphan"] == "判定不能"


def test_privilege_column_in_english() -> None:
    column = _column("en")
    assert column["root-like"] == "Administrator-equivalent (*)"
    assert column["climber"] == "Can escalate: iam-create-policy-version"
