"""Dates and numbers formatted per language with Babel (2026年11月28日 / 28 November 2026)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from reportgen.errors import InputError
from reportgen.render.i18n import Text

# English reports follow British order (day month year), as Japanese readers expect abroad.
BABEL_LOCALE = {"ja": "ja_JP", "en": "en_GB"}

_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def day(value: date | datetime, langs: tuple[str, ...]) -> Text:
    """A calendar date in long form: ``2026年11月28日`` / ``28 November 2026`` (UTC day)."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return Text(
        tuple((lang, format_date(value, "long", locale=BABEL_LOCALE[lang])) for lang in langs)
    )


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


def parse_iso(value: str) -> datetime | date | None:
    """An ISO 8601 date or timestamp found in evidence, or ``None`` if the text is not one."""
    if not _ISO_DATE.match(value):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole days from ``earlier`` to ``later`` (as the checks count ages)."""
    return (later - earlier).days


# The reader's time zone: Japanese readers see JST, the snapshot keeps UTC (glossary, Style).
DEFAULT_ZONE = {"ja": "Asia/Tokyo", "en": "UTC"}


def zone(name: str | None, lang: str) -> ZoneInfo:
    """The time zone ``name`` (IANA, e.g. ``Asia/Tokyo``), or the default of ``lang``."""
    key = name or DEFAULT_ZONE.get(lang.split("+")[0], "UTC")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {key!r} (use an IANA name such as Asia/Tokyo)"
        ) from None


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


# The first month of the fiscal year: April for Japanese readers (年度), January otherwise.
DEFAULT_FISCAL_START = {"ja": 4, "en": 1}


def fiscal_quarter(value: datetime, first_month: int, tz: ZoneInfo) -> tuple[int, int]:
    """(fiscal year, quarter 1–4) of ``value`` in ``tz``; the year is named by its start."""
    if not 1 <= first_month <= 12:
        raise InputError(f"the fiscal year's first month must be 1–12, not {first_month}")
    local = value.astimezone(tz)
    year = local.year if local.month >= first_month else local.year - 1
    return year, (local.month - first_month) % 12 // 3 + 1
