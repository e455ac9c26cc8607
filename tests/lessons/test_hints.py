"""The hint ladder climbs only when the work changed, at the trainer's pace, and says when a
resource the goal needs is gone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.training.grading import GoalResult
from reportgen.training.hints import (
    HintPace,
    NextCheck,
    advance_hints,
    gone,
    next_check,
    seeded_names,
)
from reportgen.training.labspec import load_lab
from reportgen.training.lessons import find_lesson, load_lessons
from tests.factories import make_snapshot, make_user

LAB = load_lab(find_lesson("04", load_lessons()))
FAILING = tuple(GoalResult(goal, False) for goal in LAB.goals)
FIRST = LAB.goals[0].id


def test_ladder_climbs_to_the_command_and_stops(tmp_path: Path) -> None:
    """Each check after a change shows the next rung, then the command, and stays there."""
    seen = [advance_hints(tmp_path, LAB, FAILING, f"state-{i}")[FIRST] for i in range(4)]
    assert seen == [1, 2, 3, 3]
    passing = (replace(FAILING[0], passed=True), *FAILING[1:])
    assert FIRST not in advance_hints(tmp_path, LAB, passing, "state-9")


def test_checking_again_without_changes_does_not_climb(tmp_path: Path) -> None:
    """Three checks in a row on the same account stay on the first rung."""
    assert [advance_hints(tmp_path, LAB, FAILING, "same")[FIRST] for _ in range(3)] == [1, 1, 1]


def test_trainer_pace_holds_back_or_hides_the_command(tmp_path: Path) -> None:
    """commands=off never shows the command; commands-after=N needs N failed checks first."""
    off = HintPace.parse("commands=off")
    levels = [advance_hints(tmp_path, LAB, FAILING, f"a{i}", off)[FIRST] for i in range(5)]
    assert max(levels) == len(LAB.goals[0].hints) and off.is_last(LAB.goals[0], levels[-1])
    slow = HintPace.parse("commands-after=4")
    other = tmp_path / "b"
    other.mkdir()
    levels = [advance_hints(other, LAB, FAILING, f"b{i}", slow)[FIRST] for i in range(5)]
    assert levels == [1, 2, 2, 2, 3]
    with pytest.raises(InputError, match="commands=off"):
        HintPace.parse("fast")


def test_a_deleted_user_is_named() -> None:
    """A failing goal about users that no longer exist names them."""
    goal = LAB.goals[0]  # MFA for alice and bob
    seeded = {"alice", "bob"}
    assert gone(goal, make_snapshot(users=(make_user("alice"),)), seeded) == ("bob",)


def test_a_user_not_created_yet_is_not_gone() -> None:
    """A user the trainee is asked to create is not "deleted" before it was ever there."""
    goal = LAB.goals[0]
    assert gone(goal, make_snapshot(users=(make_user("alice"),)), {"alice"}) == ()


def test_lab_one_at_start_names_nothing_as_gone() -> None:
    """Lesson 01 at its start: daily-admin is still to be created, so no goal calls it gone."""
    from reportgen.training.lessons import find_lesson, load_lessons

    lab = load_lab(find_lesson("01", load_lessons()))
    seeded = seeded_names(lab.account)
    assert "daily-admin" not in seeded and "bootstrap" in seeded
    empty = make_snapshot(users=())
    assert all("daily-admin" not in gone(goal, empty, seeded) for goal in lab.goals)


LAB06 = load_lab(find_lesson("06", load_lessons()))
DEPLOY, ETL_ONE, ETL_NEW = (g.id for g in LAB06.goals)
LAST = len(LAB06.goals[0].hints) + 1  # the command rung


@pytest.mark.parametrize(
    ("failing", "levels", "missing", "pace", "expected"),
    [
        ({DEPLOY, ETL_ONE}, {DEPLOY: 1, ETL_ONE: LAST}, {}, "", NextCheck.MORE),
        ({DEPLOY, ETL_ONE}, {DEPLOY: LAST, ETL_ONE: LAST}, {}, "", NextCheck.LAST),
        ({DEPLOY}, {DEPLOY: 2}, {}, "commands=off", NextCheck.LAST),
        ({DEPLOY}, {DEPLOY: 2}, {}, "commands-after=5", NextCheck.MORE),
        ({ETL_ONE, ETL_NEW}, {ETL_ONE: 1, ETL_NEW: 1}, {ETL_ONE: ("etl-job",)}, "", NextCheck.MORE),
        (
            {ETL_ONE, ETL_NEW},
            {ETL_ONE: 1, ETL_NEW: 2},
            {ETL_ONE: ("etl-job",), ETL_NEW: ("etl-job",)},
            "",
            NextCheck.RESET,
        ),
        (
            {DEPLOY, ETL_NEW},
            {DEPLOY: LAST, ETL_NEW: 1},
            {ETL_NEW: ("etl-job",)},
            "",
            NextCheck.LAST,
        ),
        (set(), {}, {}, "", NextCheck.REPAIR),
    ],
)
def test_what_checking_again_can_bring(
    failing: set[str],
    levels: dict[str, int],
    missing: dict[str, tuple[str, ...]],
    pace: str,
    expected: NextCheck,
) -> None:
    """More hints while a goal can climb; the last rung once every movable goal is on it; a
    reset when only goals about a deleted or renamed resource are left; a repair when only a
    broken condition is."""
    results = tuple(GoalResult(g, g.id not in failing) for g in LAB06.goals)
    assert next_check(results, levels, missing, HintPace.parse(pace)) is expected
