"""Collection with a bounded pool, and the short retry budget of optional sources."""

from __future__ import annotations

import time
from dataclasses import replace

import boto3
import pytest

from reportgen.collect.account import collect
from reportgen.collect.aws import OPTIONAL_ATTEMPTS, OPTIONAL_CAP_SECONDS
from reportgen.evaluate.findings import Status
from reportgen.evaluate.run import evaluate
from reportgen.snapshot import document as snapshot_document
from tests.collect.test_faults import (
    OPTIONS,
    Faults,
    account,  # noqa: F401  (fixture)
    inject,
    instant_retries,  # noqa: F401  (fixture)
    without_collected_at,
)

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")


def test_concurrent_collection_gives_the_sequential_snapshot(account: None) -> None:  # noqa: F811
    """Reading the sources with a pool of 4 yields the same document as one at a time."""
    many = replace(OPTIONS, regions=("ap-northeast-1", "us-east-1", "eu-west-1"))
    sequential = collect(boto3.Session(), replace(many, workers=1))
    concurrent = collect(boto3.Session(), replace(many, workers=4))
    assert without_collected_at(concurrent) == without_collected_at(sequential)
    assert list(concurrent["sources"]) == list(sequential["sources"])


def test_a_failing_optional_source_is_unknown_within_its_budget(
    account: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Access Analyzer failing on every attempt costs a few attempts, not eight retries; its
    source records the error and its check is UNKNOWN; the run completes."""
    operation = "accessanalyzer.ListAnalyzers"
    faults = Faults("ServiceUnavailable", 503, every=1, only=operation)
    inject(monkeypatch, faults)
    start = time.monotonic()
    document = collect(boto3.Session(), OPTIONS)
    assert time.monotonic() - start < OPTIONAL_CAP_SECONDS
    assert faults.injected[operation] == OPTIONAL_ATTEMPTS
    source = document["sources"]["access_analyzer"]
    assert source["status"] == "error"
    assert f"{OPTIONAL_ATTEMPTS} attempts" in (source["message"] or "")
    others = {k: v["status"] for k, v in document["sources"].items() if k != "access_analyzer"}
    assert set(others.values()) == {"ok"}
    loaded = snapshot_document.loads(snapshot_document.dumps(document))
    findings = [f for f in evaluate(loaded).findings if f.check_id == "access_analyzer_enabled"]
    assert findings and all(f.status is Status.UNKNOWN for f in findings)
