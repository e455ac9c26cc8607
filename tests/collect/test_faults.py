"""The collector under throttling, 5xx errors and a network cut: complete snapshots or none."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ConnectionClosedError
from botocore.retries import adaptive, standard
from moto import mock_aws
from moto.cloudtrail import models as cloudtrail_models
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.iam import models as iam_models

from reportgen.cli import main
from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import MAX_RETRIES, request_counter
from reportgen.sandbox import fidelity
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import (
    AccountSpec,
    AnalyzerSpec,
    GroupSpec,
    KeySpec,
    PasswordPolicySpec,
    TrailSpec,
    UserSpec,
)

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
# One request at a time: "every third request fails" is then the same requests on every run
# (with the pool, a retry can land on the next failing slot under load). Concurrent and
# sequential collection give the same snapshot: tests/collect/test_concurrency.py.
OPTIONS = CollectOptions(
    workers=1,
    region="ap-northeast-1",
    regions=("ap-northeast-1",),
    sleep=lambda _s: None,
    clock=lambda: TODAY,
)
SPEC = AccountSpec(
    users=tuple(
        UserSpec(
            name=f"user{n:02d}",
            age_days=400 - n,
            password=n % 2 == 0,
            password_last_used_days=n if n % 4 == 0 else None,
            mfa_days=100 if n % 3 == 0 else None,
            keys=(KeySpec(age_days=200 + n, last_used_days=n),) if n % 2 else (),
            groups=("developers",),
        )
        for n in range(12)
    ),
    groups=(GroupSpec("developers", managed_policies=("ReadOnlyAccess",)),),
    password_policy=PasswordPolicySpec(minimum_length=14, max_age_days=90),
    trails=(TrailSpec("org-trail", "trail-bucket"),),
    analyzers=(AnalyzerSpec("ap-northeast-1"),),
    aliases=("faults-test",),
)


class InjectedFault(ServiceException):
    """An AWS error moto serialises with the calling service's protocol (code set per use)."""


@dataclass
class Faults:
    """Every ``every``-th request (counted over all operations, or only ``only``) fails with
    ``code`` and ``status``; with ``every`` > 1 a retry is never the next failure."""

    code: str
    status: int
    every: int = 3
    only: str | None = None
    calls: Counter[str] = field(default_factory=Counter)
    injected: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fails(self, operation: str) -> bool:
        if self.only is not None and operation != self.only:
            return False
        with self.lock:
            self.calls[operation] += 1
            hit = self.calls.total() % self.every == 0
            if hit:
                self.injected[operation] += 1
        return hit


def inject(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> None:
    """Answer chosen requests with an AWS error, serialised by moto for each service's protocol.

    The error is raised at moto's response layer, so botocore parses a real error body
    (XML for IAM and STS, JSON for CloudTrail and Access Analyzer) and applies its own
    retry rules; the HTTP status is forced so that 5xx codes look like AWS's.
    """
    original = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        operation = f"{self.boto3_service_name}.{self._get_action()}"
        if not faults.fails(operation):
            return original(self)
        error = InjectedFault(faults.code, f"injected {faults.code}")
        _status, headers, body = self.serialized(ActionResult(error))
        return faults.status, headers, body

    monkeypatch.setattr(BaseResponse, "call_action", call_action)


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """No waiting: botocore's back-off (up to 20 s a retry) and adaptive mode's pacing after a
    throttle (down to 0.5 requests/s) are skipped; what is retried, and how often, stays real."""
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda _self, _ctx: 0)
    monkeypatch.setattr(adaptive.ClientRateLimiter, "on_sending_request", lambda *_a, **_k: None)


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A seeded sandbox account whose clocks (credential report, trail status) stand still."""
    still = datetime(2026, 10, 1, 8, 0)
    monkeypatch.setattr(fidelity, "utcnow", lambda: still)
    monkeypatch.setattr(cloudtrail_models, "utcnow", lambda: still)
    with mock_aws():
        seed(SPEC, TODAY)
        yield


def without_collected_at(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "collected_at"}


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("Throttling", 400),
        ("ThrottlingException", 400),
        ("ServiceFailure", 500),
        ("ServiceUnavailable", 503),
    ],
)
def test_retries_absorb_intermittent_faults_and_the_snapshot_is_identical(
    account: None, monkeypatch: pytest.MonkeyPatch, code: str, status: int
) -> None:
    """Every 3rd request failing once (a third of all traffic) changes nothing in the snapshot."""
    clean = collect(boto3.Session(), OPTIONS)
    faults = Faults(code, status)
    inject(monkeypatch, faults)
    session = boto3.Session()
    counted = request_counter(session)
    faulty = collect(session, OPTIONS)
    assert sum(faults.injected.values()) >= 3, faults.calls
    assert {info["status"] for info in faulty["sources"].values()} == {"ok"}
    assert without_collected_at(faulty) == without_collected_at(clean)
    # Each injected fault cost exactly one extra request: nothing gave up or looped.
    assert sum(counted().values()) == sum(faults.calls.values())


def test_the_first_call_of_every_operation_failing_is_absorbed(
    account: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A throttle on each operation's very first request (every=1, once) is retried."""
    clean = collect(boto3.Session(), OPTIONS)
    seen: set[str] = set()
    original = BaseResponse.call_action

    def first_fails(self: BaseResponse) -> Any:
        operation = f"{self.boto3_service_name}.{self._get_action()}"
        if operation in seen:
            return original(self)
        seen.add(operation)
        error = InjectedFault("Throttling", "Rate exceeded")
        return self.serialized(ActionResult(error))

    monkeypatch.setattr(BaseResponse, "call_action", first_fails)
    faulty = collect(boto3.Session(), OPTIONS)
    assert len(seen) >= 10
    assert without_collected_at(faulty) == without_collected_at(clean)


def test_throttling_beyond_the_retry_budget_fails_only_that_source(
    account: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operation throttled on every attempt ends as status error; the run completes."""
    operation = "iam.GetAccountAuthorizationDetails"
    faults = Faults("Throttling", 400, every=1, only=operation)
    inject(monkeypatch, faults)
    document = collect(boto3.Session(), OPTIONS)
    # botocore's ``max_attempts`` counts retries: the first attempt plus that many.
    assert faults.injected[operation] == MAX_RETRIES + 1
    source = document["sources"]["authorization_details"]
    assert source["status"] == "error" and "Throttling" in (source["message"] or "")
    others = {k: v["status"] for k, v in document["sources"].items()}
    del others["authorization_details"]
    assert set(others.values()) == {"ok"}


def test_a_network_cut_exits_2_and_leaves_no_file(
    account: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The connection dropping on one operation: exit 2, one line, an empty output folder."""

    def cut(*_args: Any, **_kwargs: Any) -> Any:
        # What botocore raises when the peer closes the socket mid-response.
        raise ConnectionClosedError(endpoint_url="https://iam.amazonaws.com/")

    monkeypatch.setattr(iam_models.IAMBackend, "get_account_authorization_details", cut)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SystemExit) as exit_info:
        main(["collect", "--region", "ap-northeast-1", "-o", str(out / "snapshot.json")])
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("reportgen: error: lost the connection to AWS during")
    assert len(stderr.strip().splitlines()) == 1
    assert list(out.iterdir()) == []  # no snapshot, no temporary file


def test_long_lists_cost_one_request_per_thousand_items() -> None:
    """2,500 virtual MFA devices are read in 3 pages of 1,000 (AWS's maximum), not 25."""
    with mock_aws():
        backend = iam_models.iam_backends["123456789012"]["aws"]
        for n in range(2500):
            backend.create_virtual_mfa_device(f"device{n:04d}", "/")
        session = boto3.Session()
        counted = request_counter(session)
        document = collect(session, OPTIONS)
    assert len(document["data"]["virtual_mfa_devices"]) == 2500
    assert counted()["iam.ListVirtualMFADevices"] == 3
