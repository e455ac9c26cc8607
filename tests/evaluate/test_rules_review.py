"""The follow-up of the access review: principals marked 削除 must be gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules import REGISTRY
from reportgen.evaluate.rules.base import Inputs
from reportgen.evaluate.run import evaluate
from tests.factories import ACCOUNT, NOW, make_review, make_snapshot, user_arn

CHECK = "review_decisions_carried_out"
SUPPORT = f"arn:aws:iam::{ACCOUNT}:role/Support"


def _run(removed: tuple[str, ...] | None, **review: Any) -> list[tuple[Status, str]]:
    inputs = Inputs(None if removed is None else make_review(removed, **review))
    results = REGISTRY[CHECK](make_snapshot(), {}, NOW, inputs)
    return [(r.status, str(r.evidence.get("reason") or r.resource_name)) for r in results]


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        (None, [(Status.NOT_APPLICABLE, "no_review")]),
        ((), [(Status.NOT_APPLICABLE, "no_removals")]),
        ((SUPPORT,), [(Status.FAIL, "Support")]),
        ((user_arn("gone"),), [(Status.PASS, "gone")]),
        ((user_arn("alice"), user_arn("gone")), [(Status.FAIL, "alice"), (Status.PASS, "gone")]),
    ],
)
def test_each_removal_is_followed_up(
    removed: tuple[str, ...] | None, expected: list[tuple[Status, str]]
) -> None:
    """A removed principal that still exists fails; one that is gone passes; else N/A."""
    assert _run(removed) == expected


def test_a_review_of_another_account_cannot_be_followed_up() -> None:
    """A review of another account is UNKNOWN, never a PASS."""
    review = replace(make_review(), account_id="999999999999")
    results = REGISTRY[CHECK](make_snapshot(), {}, NOW, Inputs(review))
    assert [(r.status, r.evidence["reason"]) for r in results] == [
        (Status.UNKNOWN, "review_other_account")
    ]


def test_a_review_of_a_later_snapshot_cannot_be_followed_up() -> None:
    """A review of a snapshot collected after this one is UNKNOWN."""
    results = _run((SUPPORT,), collected_at=NOW + timedelta(days=1))
    assert results == [(Status.UNKNOWN, "review_is_later")]


def test_the_review_check_runs_when_a_review_is_given() -> None:
    """With --review the follow-up runs though the default profile does not list it."""
    catalogue = load_catalogue()
    without = evaluate(make_snapshot(), catalogue=catalogue)
    assert CHECK not in without.check_ids
    with_review = evaluate(make_snapshot(), catalogue=catalogue, review=make_review())
    found = [f for f in with_review.findings if f.check_id == CHECK]
    assert [f.status for f in found] == [Status.FAIL]
    text = catalogue.message(found[0], "ja")
    assert "山田 花子" in text and "削除" in text and "SEC-101" in text
