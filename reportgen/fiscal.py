"""The reader's calendar: time zone and fiscal-year quarters (「2026年度 第3四半期」).

Japanese readers see JST and fiscal years starting in April by default; English readers UTC
and calendar years. Both are configurable; the snapshot always keeps UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportgen.errors import InputError

DEFAULT_ZONE = {"ja": "Asia/Tokyo", "en": "UTC"}
DEFAULT_FISCAL_START = {"ja": 4, "en": 1}


def zone(name: str | None, lang: str) -> ZoneInfo:
    """The time zone ``name`` (IANA, e.g. ``Asia/Tokyo``), or the default of ``lang``."""
    key = name or DEFAULT_ZONE.get(lang.split("+")[0], "UTC")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError.keyed("unknown_time_zone", zone=key) from None


def fiscal_quarter(value: datetime, first_month: int, tz: ZoneInfo) -> tuple[int, int]:
    """(fiscal year, quarter 1–4) of ``value`` in ``tz``; the year is named by its start."""
    if not 1 <= first_month <= 12:
        raise InputError(f"the fiscal year's first month must be 1–12, not {first_month}")
    local = value.astimezone(tz)
    year = local.year if local.month >= first_month else local.year - 1
    return year, (local.month - first_month) % 12 // 3 + 1


def quarter_of(
    value: datetime, lang: str, first_month: int | None = None, tz_name: str | None = None
) -> tuple[int, int]:
    """The fiscal quarter of ``value`` as a reader of ``lang`` counts it (defaults per language)."""
    first = lang.split("+")[0]
    start = first_month or DEFAULT_FISCAL_START.get(first, 1)
    return fiscal_quarter(value, start, zone(tz_name, first))


@dataclass(frozen=True)
class Calendar:
    """How the reader counts quarters: the fiscal year's first month and the time zone
    (``None``: the defaults of the reader's language). One per report or diff, so that the
    cover, the comparison, the trend and the diff heading name every quarter alike."""

    first_month: int | None = None
    timezone: str | None = None

    def quarter(self, value: datetime, lang: str) -> tuple[int, int]:
        """(fiscal year, quarter) of ``value`` for a reader of ``lang``."""
        return quarter_of(value, lang, self.first_month, self.timezone)


READERS_DEFAULT = Calendar()
"""The calendar of each language's reader (no option given)."""
