"""A completed access review (アクセス権の棚卸し): one decision per principal of one snapshot.

``reportgen review import`` writes it (``reportgen.review/1`` JSON); the next quarter's
evaluation reads it to follow up the decisions (docs/review.md).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

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
        "collected_at": review.collected_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
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


def load_review(path: Path) -> Review:
    """Read a review file written by ``reportgen review import``; errors name the file."""
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read review ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a review file ({exc})") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{path}: not a {SCHEMA} file written by `reportgen review import` ({exc})"
        ) from None


def review_of(path: Path, account_id: str) -> Review:
    """The access review at ``path``, checked to be of ``account_id``."""
    review = load_review(path)
    if review.account_id != account_id:
        raise InputError.keyed(
            "review_other_account", path=path, account=review.account_id, expected=account_id
        )
    return review


def _parse(data: Mapping[str, Any]) -> Review:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f"schema is not {SCHEMA}")
    decisions = tuple(
        ReviewDecision(
            arn=str(item["arn"]),
            name=str(item["name"]),
            kind=str(item["type"]),
            decision=Decision(item["decision"]),
            reason=str(item["reason"]),
            reviewer=str(item["reviewer"]),
            reviewed_on=date.fromisoformat(item["reviewed_on"]),
            ticket=str(item["ticket"]) if item.get("ticket") is not None else None,
        )
        for item in data["decisions"]
    )
    collected = datetime.fromisoformat(str(data["collected_at"]).replace("Z", "+00:00"))
    if collected.tzinfo is None:
        raise ValueError("collected_at has no time zone")
    return Review(
        snapshot_sha256=str(data["snapshot_sha256"]),
        account_id=str(data["account_id"]),
        collected_at=collected,
        decisions=decisions,
    )
