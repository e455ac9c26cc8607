"""The one way times are written and read: ISO 8601 in UTC with a ``Z`` (as the snapshot).

Python 3.11's ``datetime.fromisoformat`` reads the ``Z`` itself; a time without a zone is
taken as UTC, as AWS writes its times.
"""

from __future__ import annotations

from datetime import UTC, datetime

from reportgen.errors import DateRangeError


def utc_text(moment: datetime) -> str:
    """``moment`` in UTC as ISO 8601 with a ``Z`` (a time without a zone is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_utc(value: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime; :class:`ValueError` when it is none (or
    falls outside the years 1-9999 once in UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise DateRangeError.keyed("date_out_of_range", value=value[:40]) from None
