"""The review file (reportgen.review/1) is checked against its schema before it is read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError
from reportgen.evaluate.review import (
    Decision,
    Review,
    ReviewDecision,
    dumps,
    load_review,
    review_of,
)

ACCOUNT = "123456789012"
REVIEW = Review(
    snapshot_sha256="ab" * 32,
    account_id=ACCOUNT,
    collected_at=datetime(2026, 9, 30, 9, 0, tzinfo=UTC),
    decisions=(
        ReviewDecision(
            arn=f"arn:aws:iam::{ACCOUNT}:user/alice",
            name="alice",
            kind="user",
            decision=Decision.REMOVE,
            reason="left the company",
            reviewer="佐藤",
            reviewed_on=date(2026, 10, 2),
            ticket="SEC-12",
        ),
    ),
)


def written(tmp_path: Path, **changes: Any) -> Path:
    document = json.loads(dumps(REVIEW))
    for key, value in changes.items():
        if key.startswith("decision_"):
            document["decisions"][0][key.removeprefix("decision_")] = value
        else:
            document[key] = value
    path = tmp_path / "review.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_written_review_reads_back(tmp_path: Path) -> None:
    assert load_review(written(tmp_path)) == REVIEW
    assert review_of(written(tmp_path), ACCOUNT) == REVIEW


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"decision_reviewed_on": "2026/10/02"}, "decisions/0/reviewed_on"),
        ({"decision_reviewed_on": None}, "decisions/0/reviewed_on"),
        ({"decision_decision": "maybe"}, "decisions/0/decision"),
        ({"decision_type": "group"}, "decisions/0/type"),
        ({"decision_ticket": 12}, "decisions/0/ticket"),
        ({"decision_arn": ""}, "decisions/0/arn"),
        ({"account_id": 123456789012}, "account_id"),
        ({"collected_at": "2026-09-30T09:00:00"}, "collected_at"),
        ({"decisions": {"alice": "remove"}}, "decisions"),
        ({"snapshot_sha256": "abc"}, "snapshot_sha256"),
    ],
)
def test_a_damaged_field_is_named(tmp_path: Path, changes: dict[str, Any], where: str) -> None:
    """Missing or mistyped fields (and a time without its zone) are one named input error."""
    with pytest.raises(InputError) as caught:
        load_review(written(tmp_path, **changes))
    assert caught.value.key == "review_file_invalid"
    assert f"(at {where}:" in str(caught.value)
    assert "reportgen.review/1 のファイルではありません" in error_text(caught.value, "ja")


def test_a_review_of_another_account_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        review_of(written(tmp_path), "210987654321")
    assert str(caught.value).endswith(f"access review of account {ACCOUNT}, not 210987654321")
    assert "のアクセス権の棚卸しです。" in error_text(caught.value, "ja")
