"""Every known way to game a lab fails, naming the broken invariant (or refused like AWS)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from reportgen.training import runner as labs
from reportgen.training.lessons import load_lessons
from tests.lessons.cheats import CHEATS
from tests.lessons.solutions import Trainee

LESSONS = {lesson.id: lesson for lesson in load_lessons()}


def now() -> datetime:
    return datetime.now(UTC)


def test_every_lab_has_cheats_beyond_the_issue() -> None:
    """Each lab is tried with at least one cheat besides those the issue lists."""
    assert set(CHEATS) <= set(LESSONS)
    for lesson_id in sorted(set(LESSONS) & {k for k in LESSONS if k[:2] <= "09"}):
        assert any(not c.from_issue for c in CHEATS[lesson_id]), lesson_id


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", sorted(CHEATS))
def test_cheats_fail_with_the_broken_invariant_named(lesson_id: str, tmp_path: Path) -> None:
    """One lab server per lab: reset, cheat, check; never complete, and the report names
    what the cheat broke (in both languages)."""
    lesson = LESSONS[lesson_id]
    server, _ = labs.start_lab(lesson, tmp_path, now, port=0)
    try:
        for cheat in CHEATS[lesson_id]:
            labs.reset_lab(tmp_path, lesson.id)
            trainee = Trainee(labs.read_state(tmp_path, lesson.id))
            if cheat.refused is not None:
                with pytest.raises(ClientError) as caught:
                    cheat.apply(trainee)
                assert caught.value.response["Error"]["Code"] == cheat.refused, cheat.name
                continue
            cheat.apply(trainee)
            outcome = labs.check_lab(lesson, tmp_path, now, "cheater", tmp_path / "records")
            assert not outcome.complete, cheat.name
            named = {b.invariant.id for b in outcome.broken}
            named |= {r.goal.id for r in outcome.results if not r.passed}
            assert cheat.broken <= named, (cheat.name, named)
            for item in (*outcome.broken, *(r for r in outcome.results if not r.passed)):
                assert item.reason["ja"] and item.reason["en"], (cheat.name, item)
    finally:
        labs.stop_lab(server, tmp_path, lesson.id)
