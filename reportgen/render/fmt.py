"""Dates and numbers formatted per language with Babel (2026年11月28日 / 28 November 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from reportgen.dates import BABEL_LOCALE, long_date, parse_iso
from reportgen.fiscal import DEFAULT_FISCAL_START, DEFAULT_ZONE, fiscal_quarter, zone
from reportgen.render.i18n import Text

__all__ = [
    "BABEL_LOCALE",
    "DEFAULT_FISCAL_START",
    "DEFAULT_ZONE",
    "day",
    "days_between",
    "fiscal_quarter",
    "local_date",
    "local_stamp",
    "number",
    "parse_iso",
    "stamp",
    "zone",
]


def day(value: date | datetime, langs: tuple[str, ...]) -> Text:
    """A calendar date in long form: ``2026年11月28日`` / ``28 November 2026`` (UTC day)."""
    return Text(tuple((lang, long_date(value, lang)) for lang in langs))


def stamp(value: datetime, langs: tuple[str, ...]) -> Text:
    """A date with the UTC time of day, e.g. ``2026年11月28日 03:04 UTC``."""
    value = value.astimezone(UTC)
    parts = []
    for lang in langs:
        locale = BABEL_LOCALE[lang]
        clock = format_time(value, "HH:mm", locale=locale)
        parts.append((lang, f"{format_date(value.date(), 'long', locale=locale)} {clock} UTC"))
    return Text(tuple(parts))


def number(value: float, langs: tuple[str, ...], digits: int = 0) -> Text:
    """A number with grouping, ``digits`` decimals."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return Text(
        tuple((lang, format_decimal(value, pattern, locale=BABEL_LOCALE[lang])) for lang in langs)
    )


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole days from ``earlier`` to ``later`` (as the checks count ages)."""
    return (later - earlier).days


def local_stamp(value: datetime, langs: tuple[str, ...], tz: ZoneInfo) -> Text:
    """A date and time in ``tz``: ``2026年12月3日 14:05（JST）`` / ``3 December 2026 14:05 JST``."""
    local = value.astimezone(tz)
    abbrev = local.tzname() or str(tz)
    parts = []
    for lang in langs:
        locale = BABEL_LOCALE[lang]
        when = f"{format_date(local.date(), 'long', locale=locale)} {local:%H:%M}"
        parts.append((lang, f"{when}（{abbrev}）" if lang == "ja" else f"{when} {abbrev}"))
    return Text(tuple(parts))


def local_date(value: datetime, tz: ZoneInfo) -> date:
    """The calendar day of ``value`` in ``tz``."""
    return value.astimezone(tz).date()
