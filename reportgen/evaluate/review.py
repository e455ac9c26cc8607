"""A completed access review (アクセス権の棚卸し): one decision per principal of one snapshot.

``reportgen review import`` writes it (``reportgen.review/1`` JSON); the next quarter's
evaluation reads it to follow up the decisions (docs/review.md).
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema

from reportgen.errors import InputError
from reportgen.isotime import utc_text
from reportgen.resources import package_file
from reportgen.snapshot.entries import short, timestamp
from reportgen.snapshot.schema_errors import schema_place

SCHEMA = "reportgen.review/1"


class Decision(enum.Enum):
    """What the reviewer decided for one principal: keep, change its access, or remove it."""

    KEEP = "keep"
    CHANGE = "change"
    REMOVE = "remove"


@dataclass(frozen=True)
class ReviewDecision:
    """One principal's row of the completed review."""

    arn: str
    name: str
    kind: str  # "user" | "role"
    decision: Decision
    reason: str
    reviewer: str
    reviewed_on: date
    ticket: str | None = None


@dataclass(frozen=True)
class Review:
    """All decisions of one review, tied to the snapshot that was reviewed (by SHA-256)."""

    snapshot_sha256: str
    account_id: str
    collected_at: datetime
    decisions: tuple[ReviewDecision, ...]

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(sorted({d.reviewer for d in self.decisions}))

    @property
    def completed_on(self) -> date | None:
        """The last review date of any row: when the review was complete."""
        return max((d.reviewed_on for d in self.decisions), default=None)


def review_document(review: Review) -> dict[str, Any]:
    """The JSON document of a review (stable key order, dates as ISO 8601)."""
    return {
        "schema": SCHEMA,
        "snapshot_sha256": review.snapshot_sha256,
        "account_id": review.account_id,
        "collected_at": utc_text(review.collected_at),
        "decisions": [
            {
                "arn": d.arn,
                "name": d.name,
                "type": d.kind,
                "decision": d.decision.value,
                "reason": d.reason,
                "reviewer": d.reviewer,
                "reviewed_on": d.reviewed_on.isoformat(),
                "ticket": d.ticket,
            }
            for d in review.decisions
        ],
    }


def dumps(review: Review) -> bytes:
    return (json.dumps(review_document(review), ensure_ascii=False, indent=1) + "\n").encode()


SCHEMA_FILE = ("evaluate", "data", "review-1.schema.json")


def load_review(path: Path) -> Review:
    """Read a review file written by ``reportgen review import``; errors name the file.

    The document is checked against ``review-1.schema.json`` before it is read, so a field
    missing or of the wrong type is named (``decisions/3/reviewed_on``).
    """
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as exc:
        raise InputError.keyed("review_file_unreadable", path=path, reason=exc) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.keyed("review_file_not_json", path=path, reason=str(exc)) from None
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = schema_place(error)
        raise InputError.keyed(
            "review_file_invalid", path=path, where=where, detail=short(error.message)
        )
    try:
        collected = timestamp(data["collected_at"])
    except ValueError:
        raise InputError.keyed(
            "review_file_invalid", path=path, where="collected_at", detail=data["collected_at"]
        ) from None
    return _parse(data, collected)


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(package_file(*SCHEMA_FILE).read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def review_of(path: Path, account_id: str) -> Review:
    """The access review at ``path``, checked to be of ``account_id``."""
    review = load_review(path)
    if review.account_id != account_id:
        raise InputError.keyed(
            "review_file_other_account", path=path, account=review.account_id, expected=account_id
        )
    return review


def _parse(data: Mapping[str, Any], collected: datetime) -> Review:
    """The review of a schema-valid document (every field present and of its type)."""
    decisions = tuple(
        ReviewDecision(
            arn=item["arn"],
            name=item["name"],
            kind=item["type"],
            decision=Decision(item["decision"]),
            reason=item["reason"],
            reviewer=item["reviewer"],
            reviewed_on=date.fromisoformat(item["reviewed_on"]),
            ticket=item.get("ticket"),
        )
        for item in data["decisions"]
    )
    return Review(
        snapshot_sha256=data["snapshot_sha256"],
        account_id=data["account_id"],
        collected_at=collected,
        decisions=decisions,
    )
