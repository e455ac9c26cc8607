"""Responses: per finding an owner, a due date, the response and its state (a YAML list).

Validated like the exceptions file; a response attaches to the FAIL findings it matches
(check id and resource ARN or glob), so it carries over from quarter to quarter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.exceptions import _date, resource_matches
from reportgen.evaluate.findings import Finding, Response, ResponseState, Status
from reportgen.yamldoc import read_yaml

REQUIRED = ("check", "resource", "response", "state")
OPTIONAL = ("owner", "due", "ticket")
EVERY_RESOURCE = "*"
"""``resource: "*"`` alone: the response covers every failing resource of the check. A response
waives nothing, so it may be that broad; in a longer pattern ``*`` stops at ``/``, as in an
exception."""


@dataclass(frozen=True)
class ResponseEntry:
    """One entry of the responses file; ``resource`` is an ARN, a glob or ``*`` (all)."""

    check_id: str
    resource: str
    response: Response
    line: int | None = None

    def matches(self, finding: Finding) -> bool:
        if finding.check_id != self.check_id:
            return False
        return self.resource == EVERY_RESOURCE or resource_matches(
            self.resource, finding.resource_id
        )


def load_responses(path: Path, catalogue: Catalogue | None = None) -> tuple[ResponseEntry, ...]:
    """Read and validate a responses file; errors name the file and line."""
    doc = read_yaml(Path(path))
    raw = doc.data
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogueError.keyed("responses_not_list", where=doc.where())
    states = {s.value: s for s in ResponseState}
    entries = []
    for index, item in enumerate(raw):
        where = doc.where(index)
        if not isinstance(item, dict):
            raise CatalogueError.keyed("response_not_mapping", where=where)
        missing = [k for k in REQUIRED if item.get(k) in (None, "")]
        if missing:
            raise CatalogueError.keyed("response_missing", where=where, keys=", ".join(missing))
        extra = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
        if extra:
            raise CatalogueError.keyed(
                "response_unknown_key", where=doc.where(index, extra[0]), name=extra[0]
            )
        check_id = str(item["check"])
        if catalogue is not None and check_id not in catalogue.checks:
            raise CatalogueError.keyed(
                "response_unknown_check", where=doc.where(index, "check"), check=check_id
            )
        state = states.get(str(item["state"]))
        if state is None:
            raise CatalogueError.keyed(
                "response_bad_state", where=doc.where(index, "state"), states=", ".join(states)
            )
        due = None
        if item.get("due") not in (None, ""):
            due = _date(item["due"])
            if due is None:
                raise CatalogueError.keyed("response_bad_due", where=doc.where(index, "due"))
        owner, ticket = item.get("owner"), item.get("ticket")
        response = Response(
            response=str(item["response"]),
            state=state,
            owner=str(owner) if owner not in (None, "") else None,
            due=due,
            ticket=str(ticket) if ticket not in (None, "") else None,
        )
        entries.append(ResponseEntry(check_id, str(item["resource"]), response, doc.line(index)))
    return tuple(entries)


def apply_responses(
    findings: Iterable[Finding], entries: Sequence[ResponseEntry]
) -> tuple[Finding, ...]:
    """Attach to each FAIL finding the first matching response (file order)."""
    out = []
    for finding in findings:
        if finding.status is Status.FAIL:
            entry = next((e for e in entries if e.matches(finding)), None)
            if entry is not None:
                finding = replace(finding, response=entry.response)
        out.append(finding)
    return tuple(out)
