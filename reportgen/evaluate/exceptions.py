"""Exceptions: approved, expiring waivers of findings, read from a YAML list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import (
    AppliedException,
    ExceptionReport,
    ExceptionState,
    Finding,
    Status,
)
from reportgen.resources import package_file
from reportgen.snapshot.schema_errors import schema_detail
from reportgen.yamldoc import YamlDoc, read_yaml

EXPIRING_WITHIN_DAYS = 30
MAX_DAYS = 365
"""Longest an exception may run: its expiry at most this many days after its approval (or,
without ``approved``, after the assessment's as_of). A profile's ``exception_max_days``
changes it (the profile travels with the report's evidence, so verify applies the same)."""
REQUIRED = ("check", "resource", "reason", "approver", "expires")
OPTIONAL = ("ticket", "approved")
# Checks whose one finding is the account (or its root user): a bare * names exactly it.
ACCOUNT_LEVEL = frozenset({"account", "root"})


@dataclass(frozen=True)
class ExceptionEntry:
    """One entry: a check id, a resource ARN or glob, who approved it and until when.

    ``expires`` is the last day on which it still suppresses (UTC date of as_of).
    """

    check_id: str
    resource: str
    reason: str
    approver: str
    expires: date
    ticket: str | None = None
    line: int | None = None
    approved: date | None = None
    max_days: int = MAX_DAYS

    def matches(self, finding: Finding) -> bool:
        return finding.check_id == self.check_id and resource_matches(
            self.resource, finding.resource_id
        )

    def expired(self, as_of: datetime) -> bool:
        return self.expires < as_of.date()

    def problem(self, resource_type: str | None, as_of: datetime) -> str | None:
        """Why the entry may not be applied (``None``: it may). ``resource_type`` is that of
        the check's findings (``None``: unknown, judged as a resource-level check)."""
        if not self.approver.strip() or not self.reason.strip():
            return "unapproved"
        start = self.approved or as_of.date()
        if (self.expires - start).days > self.max_days:
            return "too_long"
        if _names_nothing(self.resource) and resource_type not in ACCOUNT_LEVEL:
            return "over_broad"
        return None

    def applied(self) -> AppliedException:
        return AppliedException(
            self.check_id, self.resource, self.reason, self.approver, self.expires, self.ticket
        )


MIN_NAMED = 3
"""Literal characters the name of a resource-level pattern must begin with (``goto.*``)."""


def _names_nothing(pattern: str) -> bool:
    """A pattern that does not name its resources: the last part of the name (after the
    last ``/`` or ``:``, before an access key's ``#access_key_N``) must begin with at least
    :data:`MIN_NAMED` literal characters. ``*``, ``…:user/*``, ``arn:*``, ``…:user/*e*``,
    ``…:user/?[a-z]*`` or ``…:user/a*`` waive whole populations instead of naming them."""
    name = pattern.split("#", 1)[0].replace(":", "/").rsplit("/", 1)[-1]
    literal = re.match(r"[^*?\[]*", name)
    return literal is None or len(literal.group(0)) < MIN_NAMED


def resource_matches(pattern: str, resource_id: str) -> bool:
    """Whether ``resource_id`` matches the shell-style ``pattern``: ``*`` and ``?`` stand for
    characters other than ``/`` (as in a shell, so ``user/ci-*`` does not reach into the
    path ``user/ci-x/…``), ``[…]`` for one of a set; case-sensitive."""
    return _compiled(pattern).fullmatch(resource_id) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        end = pattern.find("]", i + 2) if char == "[" else -1
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif end != -1:
            body = pattern[i + 1 : end]
            negated = body.startswith("!")
            body = re.escape(body[1:] if negated else body).replace("\\-", "-")
            parts.append(f"[^/{body}]" if negated else f"[{body}]")
            i = end
        else:
            parts.append(re.escape(char))
        i += 1
    return re.compile("".join(parts))


def load_exceptions(path: Path, catalogue: Catalogue | None = None) -> tuple[ExceptionEntry, ...]:
    """Read and validate an exceptions file; errors name the file and line."""
    doc = read_yaml(Path(path))
    raw = doc.data
    if raw is None:
        return ()
    _validate(doc)
    if not isinstance(raw, list):
        raise CatalogueError.keyed("exceptions_not_list", where=doc.where())
    entries = []
    for index, item in enumerate(raw):
        where = doc.where(index)
        if not isinstance(item, dict):
            raise CatalogueError.keyed("exception_not_mapping", where=where)
        missing = [k for k in REQUIRED if item.get(k) in (None, "")]
        if missing:
            raise CatalogueError.keyed("exception_missing", where=where, keys=", ".join(missing))
        extra = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
        if extra:
            raise CatalogueError.keyed(
                "exception_unknown_key", where=doc.where(index, extra[0]), name=extra[0]
            )
        check_id = str(item["check"])
        if catalogue is not None and check_id not in catalogue.checks:
            raise CatalogueError.keyed(
                "exception_unknown_check", where=doc.where(index, "check"), check=check_id
            )
        expires = _date(item["expires"])
        if expires is None:
            raise CatalogueError.keyed("exception_bad_date", where=doc.where(index, "expires"))
        ticket = item.get("ticket")
        approved = _date(item["approved"]) if item.get("approved") is not None else None
        if item.get("approved") is not None and approved is None:
            raise CatalogueError.keyed("exception_bad_approved", where=doc.where(index, "approved"))
        entries.append(
            ExceptionEntry(
                check_id=check_id,
                resource=str(item["resource"]),
                reason=str(item["reason"]),
                approver=str(item["approver"]),
                expires=expires,
                ticket=str(ticket) if ticket is not None else None,
                line=doc.line(index),
                approved=approved,
            )
        )
    return tuple(entries)


SCHEMA = ("evaluate", "data", "exceptions-1.schema.json")
# Keys people write by mistake, with the one the file wants (docs/exceptions.md).
DID_YOU_MEAN = {
    "check_id": "check",
    "arn": "resource",
    "expiry": "expires",
    "expires_on": "expires",
}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(package_file(*SCHEMA).read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _plain(value: Any) -> Any:
    """YAML values as JSON sees them: a date written YYYY-MM-DD becomes that string."""
    if isinstance(value, date):  # a datetime too: its day is what counts
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _validate(doc: YamlDoc) -> None:
    """Check the file against the shipped JSON Schema; the first problem in file order
    becomes one CatalogueError naming the file and line."""
    errors = list(_validator().iter_errors(_plain(doc.data)))
    if not errors:
        return
    # File order; on one entry an unknown key first (a misspelt key also looks "missing").
    first = min(
        errors,
        key=lambda e: (
            [str(p).zfill(9) for p in e.absolute_path],
            e.validator != "additionalProperties",
        ),
    )
    path = list(first.absolute_path)
    if not path:
        raise CatalogueError.keyed("exceptions_not_list", where=doc.where())
    index = path[0]
    if len(path) == 1 and first.validator == "type":
        raise CatalogueError.keyed("exception_not_mapping", where=doc.where(index))
    if len(path) == 1 and first.validator == "required":
        item = doc.data[index]
        missing = [k for k in REQUIRED if item.get(k) in (None, "")]
        raise CatalogueError.keyed(
            "exception_missing", where=doc.where(index), keys=", ".join(missing)
        )
    if len(path) == 1 and first.validator == "additionalProperties":
        extra = sorted(set(doc.data[index]) - set(REQUIRED) - set(OPTIONAL))
        where = doc.where(index, extra[0])
        if extra[0] in DID_YOU_MEAN:
            raise CatalogueError.keyed(
                "exception_key_misspelt", where=where, name=extra[0], wanted=DID_YOU_MEAN[extra[0]]
            )
        raise CatalogueError.keyed("exception_unknown_key", where=where, name=extra[0])
    key = str(path[1])
    where = doc.where(index, key)
    if first.validator == "minLength" and key in REQUIRED:
        raise CatalogueError.keyed("exception_missing", where=doc.where(index), keys=key)
    if key == "expires":
        raise CatalogueError.keyed("exception_bad_date", where=where)
    if key == "approved":
        raise CatalogueError.keyed("exception_bad_approved", where=where)
    detail = schema_detail(first, str)
    raise CatalogueError.keyed("exception_invalid", where=where, field=key, detail=detail)


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def apply_exceptions(
    findings: Iterable[Finding], entries: Sequence[ExceptionEntry], as_of: datetime
) -> tuple[tuple[Finding, ...], tuple[ExceptionReport, ...]]:
    """Suppress FAIL findings covered by a valid exception; report every entry's state.

    Only FAIL is waived: a PASS needs no waiver and an UNKNOWN is a data gap, not a risk
    someone accepted. An invalid entry (over-broad, longer than allowed, without approver or
    reason) is never applied and is listed with its problem. The first matching valid entry
    (file order) is the one recorded.
    """
    items = tuple(findings)
    levels: dict[str, str] = {}
    for finding in items:
        levels.setdefault(finding.check_id, finding.resource_type)
    problems = [e.problem(levels.get(e.check_id), as_of) for e in entries]
    out: list[Finding] = []
    matched = [0] * len(entries)
    for finding in items:
        applied: ExceptionEntry | None = None
        if finding.status is Status.FAIL:
            for index, entry in enumerate(entries):
                if entry.matches(finding):
                    matched[index] += 1
                    usable = problems[index] is None and not entry.expired(as_of)
                    if applied is None and usable:
                        applied = entry
        if applied is not None:
            finding = replace(finding, status=Status.SUPPRESSED, suppressed_by=applied.applied())
        out.append(finding)
    reports = tuple(
        ExceptionReport(
            e.check_id,
            e.resource,
            e.reason,
            e.approver,
            e.expires,
            e.ticket,
            ExceptionState.INVALID if problem else _state(e, count, as_of),
            count,
            problem,
            e.approved,
        )
        for e, count, problem in zip(entries, matched, problems, strict=True)
    )
    return tuple(out), reports


def _state(entry: ExceptionEntry, matched: int, as_of: datetime) -> ExceptionState:
    if entry.expired(as_of):
        return ExceptionState.EXPIRED
    if matched == 0:
        return ExceptionState.STALE
    if (entry.expires - as_of.date()).days <= EXPIRING_WITHIN_DAYS:
        return ExceptionState.EXPIRING
    return ExceptionState.ACTIVE
