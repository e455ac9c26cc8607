"""Dates as a reader sees them, per language (Babel): ``2026年11月28日`` / ``28 November 2026``.

Shared by the report (render/) and the terminal (formats/, training/), so that a date reads
the same in both; machine outputs keep ISO 8601 (:mod:`reportgen.isotime`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from babel.dates import format_date

# English reports follow British order (day month year), as Japanese readers expect abroad.
BABEL_LOCALE = {"ja": "ja_JP", "en": "en_GB"}

# A date as long_date writes it (2026年9月18日, 18 September 2026): kept on one line by the
# report (render/html) and the terminal (formats/wrap).
DATE_TEXT = (
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2} (?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December) \d{4}"
)

_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def long_date(value: date | datetime, lang: str) -> str:
    """A calendar date in long form in ``lang`` (``ja`` or ``en``); a time gives its UTC day."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return format_date(value, "long", locale=BABEL_LOCALE[lang])


def parse_iso(value: str) -> datetime | date | None:
    """An ISO 8601 date or timestamp found in evidence, or ``None`` if the text is not one."""
    if not _ISO_DATE.match(value):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
