"""Helpers shared by the output formats: languages, texts of a finding, labels, timestamps."""

from __future__ import annotations

import re
from datetime import datetime

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Finding
from reportgen.evaluate.messages import ValueFormatter
from reportgen.isotime import utc_text
from reportgen.lang import joined, parse_langs


def languages(lang: str) -> tuple[str, ...]:
    """``ja``, ``en`` or ``ja+en`` as a tuple of language codes."""
    return parse_langs(lang)


def label(key: str, lang: str, sep: str = " / ") -> str:
    """A header or short label of the ``labels`` catalogue in ``lang`` (``ja+en`` joins both)."""
    return joined("labels", key, parse_langs(lang), sep)


def message(
    catalogue: Catalogue,
    finding: Finding,
    lang: str,
    sep: str = " / ",
    fmt: ValueFormatter | None = None,
) -> str:
    """The finding's message, both languages joined for ``ja+en`` (``fmt`` writes evidence
    values; the default keeps ISO dates, as machine outputs need)."""
    return sep.join(catalogue.message(finding, code, fmt) for code in languages(lang))


def title(catalogue: Catalogue, check_id: str, lang: str, sep: str = " / ") -> str:
    spec = catalogue[check_id]
    return sep.join(spec.text("title", code) for code in languages(lang))


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``."""
    return utc_text(moment)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without control characters (terminal escapes, XML-illegal characters).

    Snapshot data is the account owner's, not ours: a user name may carry ESC sequences.
    """
    return _CONTROL.sub("\ufffd", text)
