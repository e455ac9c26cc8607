"""`lab check` reads only the sources its lab grades, without weakening the grading."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.collect.aws import request_counter
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Finding
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.sandbox.company import build_company
from reportgen.sandbox.seed import seed
from reportgen.snapshot import document as snapshots
from reportgen.snapshot.model import Src
from reportgen.training import runner as labs
from reportgen.training.grading import check_goal_verdict
from reportgen.training.labspec import ASSERTION_KINDS, CheckGoal, load_lab
from reportgen.training.lessons import Lesson, load_lessons
from reportgen.training.needs import ALWAYS, KIND_SOURCES, lab_sources
from tests.factories import make_snapshot

LESSONS = {lesson.id: lesson for lesson in load_lessons()}
TODAY = datetime(2026, 3, 31, 9, tzinfo=UTC)
REGIONAL = {Src.ACCESS_ANALYZER, Src.EC2_INSTANCES}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_the_check_path_does_not_import_moto() -> None:
    """`lab check` imports neither moto nor the lab server: only `lab start` runs them
    (importing moto's EC2 models cost about 1.3 s of CPU on every check)."""
    code = (
        "import sys; import reportgen.cli.lab_cmd, reportgen.training.runner, "
        "reportgen.training.lessons; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'moto' "
        "or m == 'reportgen.training.server'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"


def test_every_assertion_kind_says_what_it_reads() -> None:
    """Each assertion kind lists the sources it reads beyond those every lab collects."""
    assert set(KIND_SOURCES) == set(ASSERTION_KINDS)


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_a_lab_collects_the_sources_of_every_check_it_grades(
    lesson_id: str, catalogue: Catalogue
) -> None:
    """Every check a goal or invariant names has all its declared sources collected; the
    regional sources (one request per region) are left out, since no lab grades them."""
    lab = load_lab(LESSONS[lesson_id])
    needed = lab_sources(lab, catalogue)
    assert needed is not None
    for item in (*lab.goals, *lab.invariants):
        if item.check is not None:
            assert set(catalogue[item.check.check_id].sources) <= needed, item.id
    assert needed >= ALWAYS
    assert not needed & REGIONAL


def _without(document: dict[str, Any], keep: set[Src]) -> dict[str, Any]:
    """The snapshot document as if only ``keep`` had been collected."""
    trimmed = copy.deepcopy(document)
    for source in Src:
        if source not in keep:
            trimmed["sources"][source.value] = {"status": "absent", "message": "left out"}
            trimmed["data"].pop(source.value, None)
    return trimmed


def _key(findings: Iterator[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (f.check_id, f.resource_id, f.status.value, repr(sorted(f.evidence.items())))
        for f in findings
    )


def test_each_check_is_decided_by_its_declared_sources(catalogue: Catalogue) -> None:
    """On the sandbox company, every check of the catalogue gives the same findings (status
    and evidence) from its declared sources plus those every lab collects as from a full
    collection: a lab that collects less never grades on data the check silently lacked."""
    with mock_aws():
        company = build_company(40, 7, TODAY)
        seed(company.spec, TODAY)
        options = CollectOptions(region="ap-northeast-1", clock=lambda: TODAY, sleep=lambda _s: 0)
        document = collect(boto3.Session(region_name="ap-northeast-1"), options)
    profile = all_checks(catalogue)
    full = evaluate(snapshots.loads(snapshots.dumps(document)), profile, catalogue=catalogue)
    for check_id, spec in catalogue.checks.items():
        keep = set(ALWAYS) | {Src(s) for s in spec.sources}
        snap = snapshots.loads(snapshots.dumps(_without(document, keep)))
        less = evaluate(snap, profile, catalogue=catalogue)
        mine = _key(f for f in less.findings if f.check_id == check_id)
        assert mine == _key(f for f in full.findings if f.check_id == check_id), check_id


@pytest.mark.parametrize(
    "goal",
    [
        CheckGoal("no_full_admin_policy", ("LegacyFullAccess",), absent_ok=True),
        CheckGoal("no_full_admin_policy", ("LegacyFullAccess",), absent_ok=False),
        CheckGoal("no_full_admin_policy", (), absent_ok=True),
        CheckGoal("user_in_group", ("alice",), absent_ok=True, na_ok=True),
    ],
)
@pytest.mark.parametrize("status", ["absent", "denied", "error"])
def test_a_check_that_could_not_run_never_meets_a_goal(
    goal: CheckGoal, status: str, catalogue: Catalogue
) -> None:
    """Without the authorization details the check is UNKNOWN for the account; the goal is
    not met, not even when its resource may be gone (``absent_ok``), and says why."""
    snap = make_snapshot(source_status={Src.AUTHORIZATION_DETAILS.value: status})
    assessment = evaluate(snap, all_checks(catalogue), catalogue=catalogue)
    met, reason = check_goal_verdict(goal, assessment, catalogue)
    assert not met
    assert reason["en"] and reason["ja"]


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def lab02(tmp_path: Path) -> Iterator[tuple[Lesson, Path]]:
    lesson = LESSONS["02-least-privilege"]
    server, _ = labs.start_lab(lesson, tmp_path, _now, port=0)
    try:
        yield lesson, tmp_path
    finally:
        labs.stop_lab(server, tmp_path, lesson.id)


@pytest.mark.slow
def test_lab_check_sends_only_the_requests_its_goals_need(
    lab02: tuple[Lesson, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lab check 02` sends 7 requests besides report polls (IAM and STS only; 20 when every
    source was read);
    `lab report` still collects every source."""
    lesson, home = lab02
    counters = []
    made = labs.lab_session

    def counted(*args: Any, **kwargs: Any) -> boto3.Session:
        session = made(*args, **kwargs)
        counters.append(request_counter(session))
        return session

    monkeypatch.setattr(labs, "lab_session", counted)
    labs.check_lab(lesson, home, _now, "t", home / "records")
    sent = dict(counters[-1]())
    assert {op.split(".")[0] for op in sent} == {"iam", "sts"}
    # A fresh report may take one more GenerateCredentialReport poll.
    assert sent.pop("iam.GenerateCredentialReport") >= 1
    assert sum(sent.values()) == 6, sent
    state = labs.read_state(home, lesson.id)
    snapshot, _ = labs.assess_lab(state, home, _now)
    left_out = {s.name for s in snapshot.sources.values() if s.status.value == "absent"}
    assert not left_out
