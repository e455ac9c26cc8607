"""A sandbox company collected at four quarters: real snapshots, evaluated by the real checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.run import evaluate
from reportgen.sandbox.company import History, history
from reportgen.sandbox.seed import seed
from reportgen.snapshot import document as snapshot

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SIZE, SEED = 12, 7


@dataclass(frozen=True)
class Collected:
    """Four quarters of the company: the manifest, the snapshot files and their assessments."""

    history: History
    paths: tuple[Path, ...]
    assessments: tuple[Assessment, ...]
    catalogue: Catalogue


@pytest.fixture(scope="session")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collected]:
    """Seed each quarter into a fresh moto, collect it as of that quarter, evaluate it."""
    folder = tmp_path_factory.mktemp("history")
    built = history(SIZE, SEED, TODAY)
    catalogue = load_catalogue()
    paths, assessments = [], []
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        env.delenv("AWS_ENDPOINT_URL", raising=False)
        for index, quarter in enumerate(built.quarters):
            with mock_aws():
                seed(quarter.spec, quarter.as_of)
                options = CollectOptions(
                    region="ap-northeast-1",
                    clock=_fixed(quarter.as_of),
                    sleep=lambda _s: None,
                )
                document = collect(boto3.Session(region_name="ap-northeast-1"), options)
            _fill_policy_names(document)
            # Files named out of order on purpose: history is sorted by collected_at.
            path = folder / f"snap-{3 - index}.json"
            snapshot.save(document, path)
            paths.append(path)
            assessments.append(evaluate(snapshot.load(path), catalogue=catalogue))
    yield Collected(built, tuple(paths), tuple(assessments), catalogue)


def _fill_policy_names(document: dict[str, Any]) -> None:
    """moto 5.2 leaves PolicyName (and PolicyId) out of GetAccountAuthorizationDetails'
    Policies, which AWS always returns; fill the name from the ARN so the snapshot validates.
    Reported to the sandbox owner: the fidelity patches are the right home for this."""
    for policy in document["data"]["authorization_details"].get("Policies", []):
        policy.setdefault("PolicyName", policy["Arn"].rsplit("/", 1)[-1])


def _fixed(moment: datetime) -> Callable[[], datetime]:
    """A clock that always says ``moment`` (the quarter's collection time)."""
    return lambda: moment
