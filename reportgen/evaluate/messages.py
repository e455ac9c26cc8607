"""Messages of findings: placeholders filled from evidence, reason codes turned into text."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping

from reportgen.errors import CatalogueError
from reportgen.evaluate.findings import EvidenceValue
from reportgen.lang import messages

# Evidence fields holding an ISO 8601 date or timestamp, for callers that format dates per locale.
DATE_EVIDENCE = frozenset({"last_used", "last_rotated", "since", "expiration", "generated"})

ValueFormatter = Callable[[str, EvidenceValue, str], str]
"""``(name, value, lang) -> text``: how a caller wants evidence values written."""


def fill(
    template: str,
    evidence: Mapping[str, EvidenceValue],
    lang: str,
    fmt: ValueFormatter | None = None,
) -> str:
    """Fill ``{placeholders}`` from evidence; ``{reason}`` codes become texts in ``lang``."""
    formatter = fmt or default_format
    values: dict[str, str] = {}
    for name in placeholders(template):
        if name not in evidence:
            raise CatalogueError(f"message placeholder {{{name}}} has no evidence value")
        value = evidence[name]
        reasons = messages("reasons", lang)
        if name == "reason" and isinstance(value, str) and value in reasons:
            values[name] = fill(reasons[value], evidence, lang, fmt)
        else:
            values[name] = formatter(name, value, lang)
    return template.format_map(values)


def fill_command(template: str, evidence: Mapping[str, EvidenceValue]) -> str:
    """A remediation command with ``{name}`` replaced where the evidence has a value; anything
    else in braces (JSON in a policy document, unknown names) is left as written."""

    def swap(match: re.Match[str]) -> str:
        value = evidence.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return re.sub(r"\{([a-z_]+)\}", swap, template)


def default_format(name: str, value: EvidenceValue, lang: str) -> str:
    """Evidence as text: ``None`` as ``-``, booleans lower-case, everything else ``str``."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` a message uses."""
    try:
        return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)
    except ValueError as exc:
        raise CatalogueError(f"malformed placeholder in {template!r}: {exc}") from exc
