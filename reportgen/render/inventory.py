"""Appendix A: every IAM user with groups, console/MFA, keys, last activity and findings."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from reportgen.evaluate.findings import Assessment, Status
from reportgen.render import fmt
from reportgen.render.i18n import Text, Ui
from reportgen.render.views import Badge, Field, InventoryView, KeyView, UserRow
from reportgen.snapshot.model import AccessKeyCredential, Sentinel, Snapshot, Stamp, User

PDF_INVENTORY_MAX = 1000
"""Up to this many IAM users the PDF lists every one in appendix A (docs/evidence.md); beyond,
it lists those with the most findings and attaches ``inventory.csv`` with everyone."""


def _stamp(value: Stamp, ui: Ui) -> Text:
    if isinstance(value, datetime):
        return fmt.day(value, ui.langs)
    return ui(f"sentinel.{value.name.lower()}")


def _key(key: AccessKeyCredential, as_of: datetime, ui: Ui) -> KeyView:
    if isinstance(key.last_rotated, datetime):
        days = fmt.days_between(key.last_rotated, as_of)
        age = ui("inventory.one_day") if days == 1 else ui("inventory.days", days=days)
    else:
        age = _stamp(key.last_rotated, ui)
    # N/A as a key's last use means "not used" (docs/evidence.md), not "not applicable":
    # "never used", not "last used: never".
    never = key.last_used_date is Sentinel.NOT_APPLICABLE
    if never:
        used = ui("inventory.never_used")
    else:
        used = ui("inventory.last_used", date=_stamp(key.last_used_date, ui))
    return KeyView(key.slot, key.active, age, used)


def _last_activity(user: User) -> datetime | None:
    row = user.credentials
    if row is None:
        return None
    stamps = [row.password_last_used, *(k.last_used_date for k in row.access_keys)]
    used = [s for s in stamps if isinstance(s, datetime)]
    return max(used) if used else None


def _flag(value: bool | Sentinel | None, ui: Ui, good_when: bool) -> Badge:
    if not isinstance(value, bool):
        return Badge("unknown", ui("value.unknown"))
    return Badge("pass" if value is good_when else "fail", ui("value.yes" if value else "value.no"))


def findings_per_user(assessment: Assessment, snapshot: Snapshot) -> Counter[str]:
    """FAIL findings per user name: the user itself, or one of its keys (``user`` evidence)."""
    by_arn = {u.arn: u.name for u in snapshot.users}
    counts: Counter[str] = Counter()
    for finding in assessment.findings:
        if finding.status is not Status.FAIL:
            continue
        name = by_arn.get(finding.resource_id) or finding.evidence.get("user")
        if isinstance(name, str):
            counts[name] += 1
    return counts


def user_row(user: User, as_of: datetime, findings: int, ui: Ui) -> UserRow:
    row = user.credentials
    last = _last_activity(user)
    console = row.password_enabled if row else None
    return UserRow(
        name=user.name,
        arn=user.arn,
        groups=user.groups,
        console=_console_badge(console, ui),
        mfa=_flag(row.mfa_active, ui, True) if row and console is True else _none(ui),
        keys=tuple(_key(k, as_of, ui) for k in row.access_keys if k.active) if row else (),
        last_activity=fmt.day(last, ui.langs) if last else ui("inventory.never"),
        findings=findings,
        console_enabled=console is True,
        mfa_missing=console is True and row is not None and not row.mfa_active,
        last_activity_iso=last.astimezone(UTC).date().isoformat() if last else "",
    )


def _console_badge(value: bool | Sentinel | None, ui: Ui) -> Badge:
    if not isinstance(value, bool):
        return Badge("unknown", ui("value.unknown"))
    return Badge("neutral", ui("value.yes" if value else "value.no"))


def _none(ui: Ui) -> Badge:
    return Badge("neutral", ui("value.dash"))


def inventory(
    assessment: Assessment,
    snapshot: Snapshot,
    ui: Ui,
    full: bool,
    summary_limit: int,
    pdf_max: int = PDF_INVENTORY_MAX,
) -> InventoryView:
    """Every user sorted by name; a PDF of more than ``pdf_max`` users (unless ``full``) keeps
    the ``summary_limit`` with the most findings."""
    counts = findings_per_user(assessment, snapshot)
    rows = tuple(
        user_row(u, assessment.as_of, counts[u.name], ui)
        for u in sorted(snapshot.users, key=lambda u: u.name)
    )
    ranked = sorted((r for r in rows if r.findings), key=lambda r: (-r.findings, r.name))
    summary = tuple(sorted(ranked[:summary_limit], key=lambda r: r.name))
    return InventoryView(
        rows=rows,
        summary_rows=summary,
        full=full or len(rows) <= pdf_max,
        facts=_facts(rows, ui),
        pdf_max=pdf_max,
    )


def inventory_csv(view: InventoryView, ui: Ui) -> bytes:
    """Every user of appendix A as CSV for Excel (UTF-8 with BOM, CRLF): attached to a PDF
    whose appendix A lists only some of them."""

    def words(text: Text) -> str:
        return " / ".join(part for _, part in text.parts)

    def cell(value: str) -> str:
        # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
        return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    heads = ("user", "groups", "console", "mfa", "keys", "last_activity", "findings")
    writer.writerow(
        [words(ui(f"table.{h}")) for h in heads[:1]]
        + ["ARN"]
        + [words(ui(f"table.{h}")) for h in heads[1:]]
    )
    for row in view.rows:
        keys = "; ".join(f"#{k.slot} {words(k.age)} · {words(k.last_used)}" for k in row.keys)
        values = [row.name, row.arn, ", ".join(row.groups), words(row.console.label)]
        values += [words(row.mfa.label), keys, words(row.last_activity), str(row.findings)]
        writer.writerow([cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _facts(rows: Sequence[UserRow], ui: Ui) -> tuple[Field, ...]:
    counted = (
        ("inventory.fact.users", len(rows)),
        ("inventory.fact.console", sum(1 for r in rows if r.console_enabled)),
        ("inventory.fact.no_mfa", sum(1 for r in rows if r.mfa_missing)),
        ("inventory.fact.with_keys", sum(1 for r in rows if r.keys)),
        ("inventory.fact.with_findings", sum(1 for r in rows if r.findings)),
    )
    return tuple(Field(ui(label), fmt.number(n, ui.langs)) for label, n in counted)
