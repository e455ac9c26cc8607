"""End to end, for every lab: start, fail with the first hint, solve, pass, reset, fail again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.training import runner as labs
from reportgen.training.lessons import Lesson, load_lessons
from tests.lessons.solutions import SOLUTIONS, Trainee

LESSONS = {lesson.id: lesson for lesson in load_lessons()}


def now() -> datetime:
    # The lab server stamps what the trainee does with moto's real clock, so grading uses it too.
    return datetime.now(UTC)


@pytest.fixture
def running(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Lesson, Path]]:
    lesson = LESSONS[request.param]
    server, _ = labs.start_lab(lesson, tmp_path, now, port=0)
    try:
        yield lesson, tmp_path
    finally:
        labs.stop_lab(server, tmp_path, lesson.id)


@pytest.mark.slow
@pytest.mark.parametrize("running", sorted(SOLUTIONS), indirect=True)
def test_lab_fails_then_solution_passes_then_reset_fails(running: tuple[Lesson, Path]) -> None:
    """A fresh lab fails on the first hint rung; the reference solution passes; reset undoes it."""
    lesson, home = running
    records = home / "records"

    first = labs.check_lab(lesson, home, now, "trainee-a", records)
    assert not first.complete
    assert set(first.hint_levels.values()) == {1}

    SOLUTIONS[lesson.id](Trainee(labs.read_state(home, lesson.id)))
    solved = labs.check_lab(lesson, home, now, "trainee-a", records)
    assert solved.complete, [r.goal.id for r in solved.results if not r.passed]
    assert solved.record["complete"] is True

    labs.reset_lab(home, lesson.id)
    after_reset = labs.check_lab(lesson, home, now, "trainee-a", records)
    assert not after_reset.complete
    assert set(after_reset.hint_levels.values()) == {1}, "reset restarts the hint ladder"


def test_every_lesson_has_a_reference_solution() -> None:
    """Each lesson's lab has a reference solution that the end-to-end test applies."""
    assert sorted(SOLUTIONS) == sorted(LESSONS)


@pytest.mark.slow
@pytest.mark.parametrize("running", ["06-key-rotation"], indirect=True)
def test_work_on_app_deploy_leaves_etl_jobs_hints_alone(running: tuple[Lesson, Path]) -> None:
    """Lab 06 on a live server: a new key for app-deploy climbs app-deploy's ladder only;
    etl-job's two goals stay on their first hint until etl-job itself changes."""
    lesson, home = running
    records = home / "records"
    labs.check_lab(lesson, home, now, "trainee-a", records)
    trainee = Trainee(labs.read_state(home, lesson.id))
    trainee.iam.create_access_key(UserName="app-deploy")
    second = labs.check_lab(lesson, home, now, "trainee-a", records)
    assert second.hint_levels == {"deploy_rotated": 2, "etl_single_key": 1, "etl_rotated": 1}
    newer = max(
        trainee.iam.list_access_keys(UserName="etl-job")["AccessKeyMetadata"],
        key=lambda k: k["CreateDate"],
    )
    iam = trainee.iam
    iam.update_access_key(UserName="etl-job", AccessKeyId=newer["AccessKeyId"], Status="Inactive")
    third = labs.check_lab(lesson, home, now, "trainee-a", records)
    assert third.hint_levels == {"deploy_rotated": 2, "etl_rotated": 2}
