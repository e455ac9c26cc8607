"""Cells shared by the human-readable diff formats: scores, dates, and one row per change."""

from __future__ import annotations

from datetime import UTC, datetime

from reportgen.compare.diff import Comparison, FindingChange
from reportgen.evaluate.findings import Section
from reportgen.formats.diff.texts import Texts

SHA_CHARS = 12


def day(moment: datetime | None) -> str:
    """An ISO calendar date in UTC (sorts and reads the same in both languages)."""
    return moment.astimezone(UTC).date().isoformat() if moment else ""


def first_detected(item: FindingChange, texts: Texts) -> str:
    """When a failing finding was first detected: the date, or "at or before" the date when
    the oldest assessment at hand already had it (no history to look further back)."""
    if item.open_since is None:
        return ""
    if item.open_since_known:
        return day(item.open_since)
    return texts("open_since.at_or_before", date=day(item.open_since))


def score(value: float | None, texts: Texts) -> str:
    return f"{value:.1f}" if value is not None else texts("scores.none")


def delta(value: float | None, texts: Texts) -> str:
    return f"{value:+.1f}" if value is not None else texts("scores.none")


def heading_lines(comparison: Comparison, texts: Texts) -> list[str]:
    """Account, period and counts: the lines every human format opens with."""
    old, new = comparison.old, comparison.new
    counts = {kind.value: count for kind, count in comparison.counts.items()}
    names = ", ".join(new.account_aliases)
    account = f"{new.account_id} ({names})" if names else new.account_id
    lines = [
        texts("account", account=account),
        texts.each(
            "period",
            {"old": old.collected_at, "new": new.collected_at},
            old=day(old.collected_at),
            old_sha=old.snapshot_sha256[:SHA_CHARS],
            new=day(new.collected_at),
            new_sha=new.snapshot_sha256[:SHA_CHARS],
        ),
        texts("summary", **counts),
    ]
    if not comparison.same_checks:
        lines.append(texts("scope_differs"))
    return lines


def score_rows(comparison: Comparison, texts: Texts) -> list[list[str]]:
    """Overall, then each section that has a score on either side."""
    rows = [
        [
            texts("scores.overall"),
            score(comparison.overall.old, texts),
            score(comparison.overall.new, texts),
            delta(comparison.overall.delta, texts),
        ]
    ]
    for section in Section:
        found = comparison.sections[section]
        if found.old is None and found.new is None:
            continue
        rows.append(
            [
                texts.section(section),
                score(found.old, texts),
                score(found.new, texts),
                delta(found.delta, texts),
            ]
        )
    return rows


def score_header(texts: Texts) -> list[str]:
    return [texts("col.section"), texts("col.before"), texts("col.after"), texts("col.delta")]


def change_header(texts: Texts) -> list[str]:
    return [
        texts("col.change"),
        texts("col.severity"),
        texts("col.check"),
        texts("col.resource"),
        texts("col.old_status"),
        texts("col.new_status"),
        texts("col.open_since"),
    ]


def change_row(item: FindingChange, texts: Texts) -> list[str]:
    return [
        texts(f"change.{item.change.value}"),
        texts.severity(item.severity),
        texts.title(item.check_id),
        item.finding.resource_name,
        texts.status(item.old_status),
        texts.status(item.new_status),
        first_detected(item, texts),
    ]


def note_rows(comparison: Comparison, texts: Texts) -> list[list[str]]:
    return [
        [texts.title(c.check_id), texts(f"note.{c.note.value}", failing=c.failing)]
        for c in comparison.checks
    ]
