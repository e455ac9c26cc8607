"""The demo's access review: the previous quarter's workbook, filled in as a reviewer would.

A script stands in for the reviewer: it removes the least recently used user, who is still
there next quarter (the finding the follow-up must show), and a user who left before the next
quarter when there is one; changes users with AdministratorAccess attached; keeps everyone else.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from reportgen.evaluate.review import Decision, Review
from reportgen.pipeline.review import export_review, import_review
from reportgen.render import fmt
from reportgen.render.i18n import Ui
from reportgen.snapshot.model import Snapshot, User

REVIEWER = "情報システム部 山田 花子"
REVIEW_AFTER = timedelta(days=14)
FISCAL_YEAR_START = 4
"""The sandbox company's fiscal year starts in April: file names and every report use it."""


@dataclass(frozen=True)
class DemoReview:
    """The exported workbook, the filled one and the imported review."""

    label: str
    exported: bytes
    csv: bytes
    filled: bytes
    review: Review


def quarter_name(moment: datetime) -> str:
    """``FY2026-Q3``: the fiscal quarter (April start, JST) for file names."""
    year, quarter = fmt.fiscal_quarter(moment, FISCAL_YEAR_START, fmt.zone(None, "ja"))
    return f"FY{year}-Q{quarter}"


def demo_review(reviewed: Snapshot, later: Snapshot, source: str) -> DemoReview:
    """Export ``reviewed``'s workbook, fill it, import it (validated like any workbook)."""
    exported = export_review(reviewed, "ja", source=source)
    decisions = plan(reviewed, later)
    on = (reviewed.collected_at + REVIEW_AFTER).date()
    filled = fill(exported.xlsx, decisions, REVIEWER, on)
    review = import_review(filled, source, reviewed)
    label = quarter_name(reviewed.collected_at)
    return DemoReview(label, exported.xlsx, exported.csv, filled, review)


def plan(reviewed: Snapshot, later: Snapshot) -> dict[str, tuple[Decision, str]]:
    """The decisions by ARN (everyone not named is kept)."""
    still_there = {u.arn for u in later.users} | {r.arn for r in later.roles}
    users = sorted(reviewed.users, key=lambda u: u.name)
    decisions: dict[str, tuple[Decision, str]] = {}
    gone = [u for u in users if u.arn not in still_there]
    if gone:
        decisions[gone[0].arn] = (Decision.REMOVE, "退職済み")
    staying = [u for u in users if u.arn in still_there]
    idle = sorted(staying, key=lambda u: (_last_used(u) or datetime.min.date(), u.name))
    if idle:
        decisions[idle[0].arn] = (Decision.REMOVE, "長期間使われておらず、利用部門で不要と確認")
    for user in staying:
        if user.arn not in decisions and any(
            p.name == "AdministratorAccess" for p in user.attached_policies
        ):
            decisions[user.arn] = (Decision.CHANGE, "管理者権限を職務に必要な範囲へ縮小する")
    return decisions


def _last_used(user: User) -> date | None:
    row = user.credentials
    if row is None:
        return None
    stamps = [row.password_last_used, *(k.last_used_date for k in row.access_keys)]
    used = [s.date() for s in stamps if isinstance(s, datetime)]
    return max(used) if used else None


def fill(
    workbook: bytes, decisions: Mapping[str, tuple[Decision, str]], reviewer: str, on: date
) -> bytes:
    """The workbook with every row decided, a reason, the reviewer and the date."""
    book = load_workbook(io.BytesIO(workbook))
    meta = {str(k): str(v) for k, v in book["reportgen"].iter_rows(values_only=True) if k}
    keys = meta["columns"].split(",")
    head = int(meta["header_row"])
    column = {key: index for index, key in enumerate(keys, start=1)}
    ui = Ui(("ja",))
    sheet = book.worksheets[0]
    for row in range(head + 1, sheet.max_row + 1):
        arn = sheet.cell(row, column["arn"]).value
        if not arn:
            continue
        decision, reason = decisions.get(str(arn), (Decision.KEEP, "業務で使用中"))
        sheet.cell(row, column["decision"]).value = ui.one(
            "ja", f"review.decision.{decision.value}"
        )
        sheet.cell(row, column["reason"]).value = reason
        sheet.cell(row, column["reviewer"]).value = reviewer
        sheet.cell(row, column["reviewed_on"]).value = on
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The demo's responses: the owners of the most severe failing checks (docs/review.md).
RESPONSES = (
    ("root_mfa_enabled", "*", "情報システム部 鈴木", 30, "ルートユーザーに MFA を設定する", "open"),
    (
        "console_user_mfa",
        "*",
        "情報システム部 佐藤",
        -14,
        "コンソールを使う全員に MFA を必須にする",
        "in_progress",
    ),
)


def demo_responses(as_of: datetime) -> str:
    """A responses file (YAML) for the demo; one due date lies before ``as_of`` (overdue)."""
    lines = []
    for check, resource, owner, days, response, state in RESPONSES:
        due = (as_of + timedelta(days=days)).date().isoformat()
        lines += [
            f"- check: {check}",
            f'  resource: "{resource}"',
            f"  owner: {owner}",
            f"  due: {due}",
            f"  response: {response}",
            f"  state: {state}",
        ]
    return "\n".join(lines) + "\n"
