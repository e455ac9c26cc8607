"""End to end on sandbox histories: the comparison finds what the sandbox manifest says changed."""

from __future__ import annotations

import pytest

from reportgen.compare.diff import Change, compare
from reportgen.compare.trend import trend
from reportgen.evaluate.findings import Status
from reportgen.sandbox.expect import Expectations, Key, ResourceRef
from reportgen.snapshot.history import load_history
from tests.compare.conftest import Collected

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

KINDS = {"new": Change.NEW, "resolved": Change.RESOLVED, "persisting": Change.PERSISTING}


def resource_id(ref: ResourceRef) -> str:
    """The finding's resource id for a manifest reference (access keys are per slot)."""
    return f"{ref.arn}#access_key_{ref.slot}" if ref.slot is not None else ref.arn


def keys(manifest: frozenset[Key]) -> set[tuple[str, str]]:
    return {(check, resource_id(ref)) for check, ref in manifest}


def judged(expected: Expectations) -> set[tuple[str, str]]:
    """Every (check, resource) the manifest states an outcome for (it leaves out what the
    catalogue leaves open, so the comparison is held to the manifest only there)."""
    return {(check, resource_id(ref)) for check, found in expected.results.items() for ref in found}


@pytest.mark.slow
@pytest.mark.parametrize("step", [0, 1, 2])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_changes_match_the_manifest(collected: Collected, step: int, kind: str) -> None:
    """Between consecutive quarters, new/resolved/persisting failures are exactly the
    manifest's, among the (check, resource) pairs the manifest judges."""
    old, new = collected.assessments[step], collected.assessments[step + 1]
    before, after = (q.expected for q in collected.history.quarters[step : step + 2])
    scope = judged(before) | judged(after)
    found = {c.key for c in compare(old, new).of(KINDS[kind])}
    ran = set(new.check_ids)  # the manifest also covers checks outside the default profile
    expected = {k for k in keys(getattr(collected.history.changes[step], kind)) if k[0] in ran}
    assert found & scope == expected


@pytest.mark.slow
def test_open_since_over_four_quarters(collected: Collected) -> None:
    """With the whole history, each persisting failure is open since the first quarter of its
    unbroken run of failures in the manifest."""
    quarters = collected.history.quarters
    statuses = [
        {
            (check, resource_id(ref)): status
            for check, found in q.expected.results.items()
            for ref, status in found.items()
        }
        for q in quarters
    ]
    result = compare(
        collected.assessments[2], collected.assessments[3], history=collected.assessments
    )
    checked = 0
    for item in result.of(Change.PERSISTING):
        run = [i for i in range(4) if statuses[i].get(item.key) is Status.FAIL]
        start = 3
        while start - 1 in run:
            start -= 1
        before = statuses[start - 1].get(item.key) if start else None
        if start and before is not Status.PASS:
            continue  # the manifest does not say what happened before the run
        assert item.open_since == collected.assessments[start].collected_at, item.key
        checked += 1
    assert checked >= 3


@pytest.mark.slow
def test_history_folder_and_trend(collected: Collected) -> None:
    """load_history finds the four snapshots oldest first; the trend has one point each and
    counts the same new and resolved failures as the comparisons."""
    account = collected.assessments[0].account_id
    paths = load_history(collected.paths[0].parent, account)
    assert paths == list(collected.paths)
    assert load_history(collected.paths[0].parent, "000000000000") == []
    points = trend(reversed(collected.assessments)).points
    assert [p.collected_at for p in points] == [q.as_of for q in collected.history.quarters]
    for step in range(3):
        counts = compare(collected.assessments[step], collected.assessments[step + 1]).counts
        assert (points[step + 1].new, points[step + 1].resolved) == (
            counts[Change.NEW],
            counts[Change.RESOLVED],
        )
