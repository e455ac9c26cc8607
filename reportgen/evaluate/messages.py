"""Messages of findings: placeholders filled from evidence, reason codes turned into text."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping

from reportgen.dates import long_date, parse_iso
from reportgen.errors import CatalogueError
from reportgen.evaluate.findings import EvidenceValue
from reportgen.lang import messages, principal_kind_label

# Evidence fields holding an ISO 8601 date or timestamp, for callers that format dates per locale.
DATE_EVIDENCE = frozenset({"last_used", "last_rotated", "since", "expiration", "generated"})

# The collector's and importer's own notes on a source (stored in English in the snapshot, as
# evidence), matched so that a reader sees them in their language: pattern -> reasons.po key.
SOURCE_NOTES = (
    (re.compile(r"not supplied to import"), "source_note.not_imported"),
    (
        re.compile(r"credential report not ready after (?P<seconds>\d+) s"),
        "source_note.report_timeout",
    ),
    (re.compile(r"gave up after (?P<seconds>\d+) s"), "source_note.gave_up"),
    (re.compile(r"DescribeRegions listed no region"), "source_note.no_region_listed"),
    # reportgen/snapshot/crosscheck.py: why an ok source does not stand for the whole account.
    (re.compile(r"enabled regions not read: (?P<regions>.+)"), "source_note.regions_not_read"),
    (
        re.compile(
            r"the enabled regions were not listed \(ec2:DescribeRegions: (?P<why>.+)\); "
            r"regions read: (?P<read>.+)"
        ),
        "source_note.regions_not_listed_because",
    ),
    (
        re.compile(r"the enabled regions were not listed; regions read: (?P<read>.+)"),
        "source_note.regions_not_listed",
    ),
    (
        re.compile(r"IsTruncated: true \(a page of get-account-authorization-details is missing\)"),
        "source_note.details_truncated",
    ),
    (
        re.compile(
            r"(?P<listed>UserDetailList|GroupDetailList|RoleDetailList) (?P<found>\d+) < "
            r"GetAccountSummary (?P<key>Users|Groups|Roles) (?P<expected>\d+)"
        ),
        "source_note.details_short",
    ),
    (
        re.compile(
            r"customer managed policies (?P<found>\d+) < GetAccountSummary (?P<expected>\d+)"
        ),
        "source_note.policies_short",
    ),
    (
        re.compile(r"(?P<detail>.+) \(up to (?P<attempts>\d+) attempts, (?P<seconds>[\d.]+) s\)"),
        "source_note.retried",
    ),
)

ValueFormatter = Callable[[str, EvidenceValue, str], str]
"""``(name, value, lang) -> text``: how a caller wants evidence values written."""


def fill(
    template: str,
    evidence: Mapping[str, EvidenceValue],
    lang: str,
    fmt: ValueFormatter | None = None,
) -> str:
    """Fill ``{placeholders}`` from evidence; ``{reason}`` codes become texts in ``lang``, and
    ``{count:key|keys}`` the form the number asks for (:func:`choose_plurals`)."""
    formatter = fmt or default_format
    template = choose_plurals(template, evidence)
    values: dict[str, str] = {}
    for name in placeholders(template):
        if name not in evidence:
            raise CatalogueError.keyed("message_no_evidence", name=name)
        value = evidence[name]
        reasons = messages("reasons", lang)
        if name == "reason" and isinstance(value, str) and value in reasons:
            values[name] = fill(reasons[value], evidence, lang, fmt)
        elif name == "source_message" and isinstance(value, str):
            values[name] = source_note(value, lang)
        elif name == "kind" and isinstance(value, str):
            values[name] = principal_kind_label(value, lang)
        else:
            values[name] = formatter(name, value, lang)
    return template.format_map(values)


def choose_plurals(template: str, evidence: Mapping[str, EvidenceValue]) -> str:
    """``template`` with each ``{name:singular|plural}`` replaced by the singular when the
    evidence number ``name`` is 1, else by the plural (``{count} {count:key|keys}``). English
    needs it; Japanese has no plural and does not use it."""
    out: list[str] = []
    for literal, name, spec, conversion in _parse(template):
        out.append(_escape(literal))
        if name is None:
            continue
        if spec and "|" in spec:
            if name not in evidence:
                raise CatalogueError.keyed("message_no_evidence", name=name)
            singular, plural = plural_forms(spec, template)
            number = evidence[name]
            one = isinstance(number, int) and not isinstance(number, bool) and number == 1
            out.append(_escape(singular if one else plural))
        else:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + shown + "}")
    return "".join(out)


def plural_forms(spec: str, where: str = "") -> tuple[str, str]:
    """The singular and plural of a ``{name:singular|plural}`` placeholder (both needed)."""
    forms = spec.split("|")
    if len(forms) != 2 or not all(form.strip() for form in forms):
        raise CatalogueError.keyed("message_bad_plural", where=where, spec=spec)
    return forms[0], forms[1]


def bad_plural(template: str) -> str | None:
    """The first malformed ``{name:singular|plural}`` of ``template`` (its spec), if any."""
    for _, name, spec, _ in _parse(template):
        if name is not None and spec and "|" in spec:
            forms = spec.split("|")
            if len(forms) != 2 or not all(form.strip() for form in forms):
                return spec
    return None


def _parse(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(template))
    except ValueError as exc:
        raise CatalogueError.keyed(
            "message_bad_placeholder", template=template, detail=str(exc)
        ) from exc


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def source_note(note: str, lang: str) -> str:
    """A source's note from the snapshot in ``lang`` when it is one of our own (AWS's error
    texts, quoted as evidence, stay as AWS wrote them)."""
    for pattern, key in SOURCE_NOTES:
        found = pattern.fullmatch(note)
        if found:
            values = found.groupdict()
            if "detail" in values:
                values["detail"] = source_note(values["detail"], lang)
            if values.get("read") == "none":
                values["read"] = messages("reasons", lang)["source_note.none"]
            return messages("reasons", lang)[key].format_map(values)
    parts = note.split("; ")
    if len(parts) > 1:  # several shortfalls of the authorization details, one note each
        shown = [source_note(part, lang) for part in parts]
        if shown != parts:
            return messages("reasons", lang)["source_note.separator"].join(shown)
    return note


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


def reader_format(name: str, value: EvidenceValue, lang: str) -> str:
    """Evidence as a reader sees it on the terminal: a date in words as the report writes it
    (2026年11月28日 / 28 November 2026), anything else as :func:`default_format`. Machine
    outputs (findings.json, CSV, JUnit, OCSF) keep the ISO dates of the default."""
    parsed = parse_iso(value) if isinstance(value, str) else None
    if parsed is not None:
        return long_date(parsed, lang)
    return default_format(name, value, lang)


def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` a message uses (``{count:key|keys}`` uses ``count``)."""
    return frozenset(f for _, f, _, _ in _parse(template) if f)
