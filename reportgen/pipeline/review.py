"""The access review (アクセス権の棚卸し): export a listing of every principal, import decisions.

Export: one row per IAM user and role of a snapshot, as an XLSX workbook to fill and a CSV.
Import: the filled workbook, checked against the snapshot it names, becomes a
:class:`~reportgen.evaluate.review.Review` (docs/review.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reportgen.errors import InputError
from reportgen.evaluate.escalation import PrincipalFlags, principal_flags
from reportgen.evaluate.review import Decision, Review, ReviewDecision
from reportgen.formats import review_csv, review_xlsx
from reportgen.formats.review_xlsx import Cell, Column, FilledRow, ReviewSheet
from reportgen.render import fmt
from reportgen.render.i18n import Ui
from reportgen.snapshot.model import (
    AccessKeyCredential,
    Role,
    Snapshot,
    Stamp,
    User,
)

# (key, width, to fill in)
COLUMNS = (
    ("type", 12, False),
    ("name", 22, False),
    ("arn", 40, False),
    ("created", 12, False),
    ("groups", 20, False),
    ("attached", 28, False),
    ("inline", 18, False),
    ("admin", 10, False),
    ("console", 10, False),
    ("mfa", 8, False),
    ("password_last_used", 14, False),
    ("keys", 34, False),
    ("role_last_used", 14, False),
    ("decision", 14, True),
    ("reason", 28, True),
    ("reviewer", 16, True),
    ("reviewed_on", 12, True),
    ("ticket", 14, True),
)
DECISION_KEY = "decision"
DATE_KEY = "reviewed_on"


@dataclass(frozen=True)
class ReviewExport:
    """The exported files: the workbook to fill and the same listing as CSV."""

    xlsx: bytes
    csv: bytes


def export_review(
    snapshot: Snapshot, lang: str = "ja", tz: ZoneInfo | None = None, source: str = ""
) -> ReviewExport:
    """The listing of every IAM user and role of ``snapshot`` in ``lang`` (``ja`` or ``en``)."""
    sheet = review_sheet(snapshot, lang, tz or fmt.zone(None, lang), source)
    return ReviewExport(review_xlsx.render(sheet), review_csv.render(sheet).encode("utf-8"))


def review_sheet(snapshot: Snapshot, lang: str, tz: ZoneInfo, source: str) -> ReviewSheet:
    ui = Ui((lang,))
    text = ui.one
    flags = principal_flags(snapshot)
    rows: list[tuple[Cell, ...]] = []
    for user in sorted(snapshot.users, key=lambda u: u.name):
        rows.append(_user_row(user, flags.get(user.arn), lang, tz, ui))
    for role in sorted(snapshot.roles, key=lambda r: r.name):
        rows.append(_role_row(role, flags.get(role.arn), lang, tz, ui))
    report_users = (
        sum(1 for r in snapshot.credential_report.rows if not r.is_root)
        if snapshot.credential_report
        else 0
    )
    collected = fmt.local_stamp(snapshot.collected_at, (lang,), tz).first
    alias = f" ({', '.join(snapshot.account.aliases)})" if snapshot.account.aliases else ""
    header = (
        (text(lang, "review.head.account"), f"{snapshot.account.id}{alias}"),
        (
            text(lang, "review.head.population"),
            text(
                lang,
                "review.population",
                users=len(snapshot.users),
                report_users=report_users,
                roles=len(snapshot.roles),
            ),
        ),
        (text(lang, "review.head.collected_at"), collected),
        (text(lang, "review.head.collected_by"), snapshot.collector.caller_arn or "—"),
        (text(lang, "review.head.snapshot"), snapshot.sha256),
        (text(lang, "review.head.instructions"), text(lang, "review.instructions")),
    )
    return ReviewSheet(
        sheet_title=text(lang, "review.sheet"),
        title=text(lang, "review.title"),
        header=header,
        columns=tuple(
            Column(key, text(lang, f"review.col.{key}"), width, fill)
            for key, width, fill in COLUMNS
        ),
        rows=tuple(rows),
        choices=tuple(text(lang, f"review.decision.{d.value}") for d in Decision),
        choice_error=(text(lang, "review.choice_error.title"), text(lang, "review.choice_error")),
        decision_key=DECISION_KEY,
        date_key=DATE_KEY,
        meta={
            "snapshot_sha256": snapshot.sha256,
            "account_id": snapshot.account.id,
            "collected_at": snapshot.collected_at.isoformat(),
            "snapshot_file": source,
            "lang": lang,
        },
    )


def _user_row(
    user: User, flags: PrincipalFlags | None, lang: str, tz: ZoneInfo, ui: Ui
) -> tuple[Cell, ...]:
    cred = user.credentials
    console = cred.password_enabled if cred else None
    keys = [_key(k, lang, tz, ui) for k in cred.active_keys] if cred else []
    return (
        ui.one(lang, "review.type.user"),
        user.name,
        user.arn,
        _day(user.create_date, tz),
        "\n".join(user.groups),
        "\n".join(p.name for p in user.attached_policies),
        "\n".join(p.name for p in user.inline_policies),
        _privilege(flags, lang, ui),
        _flag(console if isinstance(console, bool) else None, lang, ui),
        _flag(cred.mfa_active, lang, ui) if cred else ui.one(lang, "review.unknown"),
        _stamp(cred.password_last_used, lang, tz, ui) if cred else ui.one(lang, "review.unknown"),
        "\n".join(keys) or ui.one(lang, "review.none"),
        ui.one(lang, "review.none"),
        None,
        None,
        None,
        None,
        None,
    )


def _role_row(
    role: Role, flags: PrincipalFlags | None, lang: str, tz: ZoneInfo, ui: Ui
) -> tuple[Cell, ...]:
    none = ui.one(lang, "review.none")
    return (
        ui.one(lang, "review.type.role"),
        role.name,
        role.arn,
        _day(role.create_date, tz),
        none,
        "\n".join(p.name for p in role.attached_policies),
        "\n".join(p.name for p in role.inline_policies),
        _privilege(flags, lang, ui),
        none,
        none,
        none,
        none,
        _day(role.last_used, tz) or ui.one(lang, "review.never"),
        None,
        None,
        None,
        None,
        None,
    )


def _privilege(flags: PrincipalFlags | None, lang: str, ui: Ui) -> str:
    """Administrator-equivalence and escalation, as the least-privilege checks judge them.

    Administrator-equivalent (with its scope, ``*`` or ``iam:*``, and whether only under
    conditions); otherwise one line for the escalation methods that work and one for those to
    review; "unknown" when a policy of the principal is missing from the snapshot, never "none".
    """
    if flags is None or not flags.complete:
        return ui.one(lang, "review.unknown")
    if flags.admin:  # what an administrator could escalate to, it already has
        key = "review.admin.conditional" if flags.admin_conditional else "review.admin.full"
        return ui.one(lang, key, scope=flags.admin)
    lines = []
    if flags.escalation:
        lines.append(ui.one(lang, "review.admin.escalation", methods=", ".join(flags.escalation)))
    if flags.review:
        lines.append(ui.one(lang, "review.admin.review", methods=", ".join(flags.review)))
    return "\n".join(lines) or ui.one(lang, "review.no")


def _day(value: datetime | None, tz: ZoneInfo) -> date | None:
    return fmt.local_date(value, tz) if value else None


def _stamp(value: Stamp, lang: str, tz: ZoneInfo, ui: Ui) -> str:
    if isinstance(value, datetime):
        return fmt.local_date(value, tz).isoformat()
    return ui.one(lang, "review.never" if value.name == "NOT_APPLICABLE" else "review.unknown")


def _key(key: AccessKeyCredential, lang: str, tz: ZoneInfo, ui: Ui) -> str:
    return ui.one(
        lang,
        "review.key",
        slot=key.slot,
        rotated=_stamp(key.last_rotated, lang, tz, ui),
        used=_stamp(key.last_used_date, lang, tz, ui),
    )


def _flag(value: bool | None, lang: str, ui: Ui) -> str:
    if value is None:
        return ui.one(lang, "review.unknown")
    return ui.one(lang, "review.yes" if value else "review.no")


def import_review(data: bytes, name: str, snapshot: Snapshot) -> Review:
    """The decisions of a filled workbook, checked against ``snapshot``; the first problem
    raises :class:`InputError` naming the file and row."""
    filled = review_xlsx.read(data, name)
    meta = filled.meta
    if meta.get("snapshot_sha256") != snapshot.sha256:
        raise InputError.keyed(
            "review_other_snapshot",
            name=name,
            sha256=meta.get("snapshot_sha256", "?")[:12],
            account=meta.get("account_id", "?"),
            collected=meta.get("collected_at", "?"),
            given=snapshot.sha256[:12],
        )
    principals = {u.arn: (u.name, "user") for u in snapshot.users}
    principals.update({r.arn: (r.name, "role") for r in snapshot.roles})
    choices = _choices()
    listed = snapshot.collected_at.date()
    decisions: dict[str, ReviewDecision] = {}
    for row in filled.rows:
        decision = _decision(row, name, principals, choices, listed)
        if decision.arn in decisions:
            raise InputError.keyed("review_row_twice", name=name, row=row.number, arn=decision.arn)
        decisions[decision.arn] = decision
    missing = [principals[arn][0] for arn in sorted(principals) if arn not in decisions]
    if missing:
        shown = {"name": name, "count": len(missing), "names": ", ".join(missing[:5])}
        if len(missing) > 5:
            raise InputError.keyed("review_missing_rows_more", **shown, more=len(missing) - 5)
        raise InputError.keyed("review_missing_rows", **shown)
    return Review(
        snapshot_sha256=snapshot.sha256,
        account_id=snapshot.account.id,
        collected_at=snapshot.collected_at,
        decisions=tuple(decisions[arn] for arn in sorted(decisions)),
    )


def _choices() -> Mapping[str, Decision]:
    """Every accepted spelling of a decision: both languages' words and the enum values."""
    found: dict[str, Decision] = {}
    ui = Ui(("ja", "en"))
    for decision in Decision:
        found[decision.value] = decision
        for lang in ui.langs:
            found[ui.one(lang, f"review.decision.{decision.value}").casefold()] = decision
    return found


def _decision(
    row: FilledRow,
    name: str,
    principals: Mapping[str, tuple[str, str]],
    choices: Mapping[str, Decision],
    listed: date,
) -> ReviewDecision:
    cells = row.cells
    arn = _text(cells.get("arn"))
    if not arn:
        raise InputError.keyed("review_no_arn", name=name, row=row.number)
    if arn not in principals:
        raise InputError.keyed("review_unknown_arn", name=name, row=row.number, arn=arn)
    principal, kind = principals[arn]
    where = {"name": name, "row": row.number, "principal": principal}
    decision = choices.get(_text(cells.get(DECISION_KEY)).casefold())
    if decision is None:
        raise InputError.keyed("review_no_decision", **where)
    reviewer = _text(cells.get("reviewer"))
    if not reviewer:
        raise InputError.keyed("review_no_reviewer", **where)
    written = cells.get(DATE_KEY)
    if _text(written) == "":
        raise InputError.keyed("review_no_date", **where)
    reviewed_on = _date(written)
    if reviewed_on is None:
        raise InputError.keyed("review_bad_date", **where, value=_text(written))
    # A review cannot precede the listing it reviews; a day's slack for the reader's zone
    # (the workbook shows dates in it: west of UTC, a day before UTC's date).
    if reviewed_on < listed - timedelta(days=1):
        raise InputError.keyed(
            "review_date_before_listing", **where, date=reviewed_on, collected=listed
        )
    return ReviewDecision(
        arn=arn,
        name=principal,
        kind=kind,
        decision=decision,
        reason=_text(cells.get("reason")),
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        ticket=_text(cells.get("ticket")) or None,
    )


def _text(value: Cell) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Cell) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        # ISO dates, and 2026/09/18 as Japanese Excel shows a date kept as text.
        found = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?", value.strip())
        if found is None:
            return None
        try:
            return date(*(int(part) for part in found.groups()))
        except ValueError:
            return None
    return None
