"""Seeded, collected and evaluated with the real pipeline, the company yields its manifest."""

from __future__ import annotations

import boto3
import pytest
from freezegun import freeze_time
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.compare.diff import Change
from reportgen.compare.diff import compare as compare_assessments
from reportgen.evaluate.findings import Assessment, Status
from reportgen.evaluate.run import evaluate
from reportgen.sandbox.company import Company, build_company
from reportgen.sandbox.expect import ResourceRef, compare
from reportgen.sandbox.seed import seed
from reportgen.snapshot import document as snapshot
from tests.sandbox.conftest import TODAY

pytestmark = pytest.mark.slow  # the company seeded into moto and collected: seconds each


def assess(built: Company) -> Assessment:
    """Seed ``built`` at its date, collect it as the collector would, evaluate it."""
    with mock_aws(), freeze_time(built.as_of):
        seed(built.spec, built.as_of)
        options = CollectOptions(
            region="ap-northeast-1",
            clock=lambda: built.as_of,
            sleep=lambda _seconds: None,
        )
        document = collect(boto3.Session(region_name="ap-northeast-1"), options)
    assert all(source["status"] == "ok" for source in document["sources"].values())
    return evaluate(snapshot.loads(snapshot.dumps(document)), as_of=built.as_of)


@pytest.mark.parametrize("quarter", [1, 3])
def test_evaluator_agrees_with_the_manifest(quarter: int) -> None:
    """Every expected PASS/FAIL is found, and no FAIL appears that the manifest lacks."""
    built = build_company(40, 7, TODAY, quarter)
    assessment = assess(built)
    found = {(f.check_id, f.resource_id): f.status for f in assessment.findings}
    expected = {
        (check, ref.resource_id): status
        for check, results in built.expected.results.items()
        if check in assessment.check_ids
        for ref, status in results.items()
    }
    assert {key: found.get(key) for key in expected} == expected
    failing = {key for key, status in found.items() if status is Status.FAIL}
    assert failing == {key for key, status in expected.items() if status is Status.FAIL}


def test_quarter_comparison_agrees_with_the_manifest() -> None:
    """The real comparison of two quarters lists the manifest's new, resolved and persisting."""
    before, after = (build_company(10, 7, TODAY, q) for q in (1, 2))
    comparison = compare_assessments(assess(before), assess(after))
    listed: dict[Change, set[tuple[str, str]]] = {kind: set() for kind in Change}
    for change in comparison.changes:
        finding = change.new if change.new is not None else change.old
        assert finding is not None
        listed[change.change].add(finding.key)
    expected = compare(before.expected, after.expected)
    profile = set(comparison.new.check_ids)

    def keys(items: frozenset[tuple[str, ResourceRef]]) -> set[tuple[str, str]]:
        return {(check, ref.resource_id) for check, ref in items if check in profile}

    assert listed[Change.NEW] == keys(expected.new)
    assert listed[Change.RESOLVED] == keys(expected.resolved)
    assert listed[Change.PERSISTING] == keys(expected.persisting)
