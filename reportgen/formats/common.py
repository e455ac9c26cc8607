"""Helpers shared by the output formats: languages, texts of a finding, labels, timestamps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Finding


def languages(lang: str) -> tuple[str, ...]:
    """``ja``, ``en`` or ``ja+en`` as a tuple of language codes."""
    return tuple(lang.split("+"))


@lru_cache(maxsize=1)
def _labels() -> Mapping[str, Mapping[str, str]]:
    data = yaml.safe_load(Path(__file__).with_name("labels.yaml").read_text(encoding="utf-8"))
    return {str(k): dict(v) for k, v in data.items()}


def label(key: str, lang: str, sep: str = " / ") -> str:
    """A header or short label from ``labels.yaml`` in ``lang`` (``ja+en`` joins both)."""
    return sep.join(_labels()[key][code] for code in languages(lang))


def message(catalogue: Catalogue, finding: Finding, lang: str, sep: str = " / ") -> str:
    """The finding's message, both languages joined for ``ja+en``."""
    return sep.join(catalogue.message(finding, code) for code in languages(lang))


def title(catalogue: Catalogue, check_id: str, lang: str, sep: str = " / ") -> str:
    spec = catalogue[check_id]
    return sep.join(spec.text("title", code) for code in languages(lang))


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without control characters (terminal escapes, XML-illegal characters).

    Snapshot data is the account owner's, not ours: a user name may carry ESC sequences.
    """
    return _CONTROL.sub("\ufffd", text)
