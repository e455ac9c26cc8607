"""End to end: the sandbox company in moto, the real collector and loader, then evaluate.

The sandbox's own, independent reading of the catalogue (``sandbox.expect``) must agree
with every finding it has an opinion on.
"""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.sandbox import expect
from reportgen.sandbox.company import build_company
from reportgen.sandbox.seed import seed
from reportgen.snapshot import document as snapshot

TODAY = datetime(2026, 3, 31, 9, tzinfo=UTC)


def test_findings_agree_with_the_sandbox_expectations() -> None:
    """Every PASS/FAIL the sandbox expects for its company is what evaluate reports."""
    with mock_aws():
        company = build_company(40, 7, TODAY)
        seed(company.spec, TODAY)
        options = CollectOptions(
            region="ap-northeast-1",
            clock=lambda: TODAY,
            sleep=lambda _s: None,
        )
        document = collect(boto3.Session(region_name="ap-northeast-1"), options)
    snap = snapshot.loads(snapshot.dumps(document))
    catalogue = load_catalogue()
    assessment = evaluate(snap, all_checks(catalogue), catalogue=catalogue)
    wanted = expect.expectations(company.spec, TODAY, snap.account.id)
    mismatches = []
    for check_id, refs in wanted.results.items():
        got = {f.resource_id: f.status for f in assessment.findings if f.check_id == check_id}
        for ref, status in refs.items():
            resource = {"account": snap.account.id, "region": ref.name}.get(ref.type, ref.arn)
            if ref.slot:
                resource = f"{ref.arn}#access_key_{ref.slot}"
            if got.get(resource) is not status:
                mismatches.append((check_id, resource, status, got.get(resource)))
    assert mismatches == []
    assert sum(len(r) for r in wanted.results.values()) > 300
