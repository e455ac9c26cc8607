"""Each goal's hint ladder climbs only when what that goal is about changed: its users, groups,
roles and policies, with what decides their permissions; other goals fall back to the account."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from reportgen.snapshot.model import Snapshot, User
from reportgen.training.footprint import goal_fingerprints, goal_names
from reportgen.training.grading import GoalResult
from reportgen.training.hints import advance_hints, hints_path
from reportgen.training.labspec import LabSpec, load_lab
from reportgen.training.lessons import find_lesson, load_lessons
from tests.factories import (
    DAYS_1,
    ago,
    attached,
    make_group,
    make_key,
    make_row,
    make_snapshot,
    make_user,
)

LESSONS = load_lessons()
LAB06 = load_lab(find_lesson("06", LESSONS))
FAILING06 = tuple(GoalResult(goal, False) for goal in LAB06.goals)


def lab(ref: str) -> LabSpec:
    return load_lab(find_lesson(ref, LESSONS))


def key_user(name: str, *ages: int, line: int = 3, active: bool = True) -> User:
    keys = [make_key(i + 1, active, ago(age), DAYS_1) for i, age in enumerate(ages)]
    row = make_row(name, password_enabled=False, keys=keys, line=line)
    return make_user(name, groups=("Automation",), credentials=row)


def lab06(app: User | None = None, etl: User | None = None) -> Snapshot:
    """Lab 06 as seeded: app-deploy with a 200-day key, etl-job with keys of 300 and 20 days."""
    users = (app or key_user("app-deploy", 200), etl or key_user("etl-job", 300, 20, line=4))
    return make_snapshot(users=users, groups=(make_group("Automation"),))


def climb(home: Path, snapshot: Snapshot, account: str) -> dict[str, int]:
    prints = goal_fingerprints(LAB06.goals, snapshot, {})
    return advance_hints(home, LAB06, FAILING06, account, goals=prints)


def test_work_on_one_goal_does_not_climb_another(tmp_path: Path) -> None:
    """A new key for app-deploy climbs app-deploy's ladder; etl-job's goals stay on their rung."""
    assert climb(tmp_path, lab06(), "account-1") == dict.fromkeys(
        ("deploy_rotated", "etl_single_key", "etl_rotated"), 1
    )
    rotated = lab06(app=key_user("app-deploy", 200, 0))
    levels = climb(tmp_path, rotated, "account-2")
    assert levels == {"deploy_rotated": 2, "etl_single_key": 1, "etl_rotated": 1}
    levels = climb(tmp_path, lab06(rotated.users[0], key_user("etl-job", 20, line=4)), "account-3")
    assert levels == {"deploy_rotated": 2, "etl_single_key": 2, "etl_rotated": 2}


def test_checking_again_unchanged_climbs_nothing(tmp_path: Path) -> None:
    """The same account checked twice keeps every goal on its rung, by goal and by account."""
    assert set(climb(tmp_path, lab06(), "same").values()) == {1}
    assert set(climb(tmp_path, lab06(), "same").values()) == {1}


def test_an_old_state_file_still_loads(tmp_path: Path) -> None:
    """A state file from before goal fingerprints (one account fingerprint) keeps its rungs:
    an unchanged account climbs nothing, a changed one climbs as before, and the file is
    rewritten with each goal's fingerprint."""
    old = {"fingerprint": "acct", "levels": {"deploy_rotated": 2}, "checks": {"deploy_rotated": 2}}
    hints_path(tmp_path, LAB06.lesson_id).write_text(json.dumps(old), encoding="utf-8")
    assert climb(tmp_path, lab06(), "acct")["deploy_rotated"] == 2
    state = json.loads(hints_path(tmp_path, LAB06.lesson_id).read_text(encoding="utf-8"))
    assert set(state["goal_fingerprints"]) == {g.id for g in LAB06.goals}
    assert state["fingerprint"] == "acct" and state["checks"]["deploy_rotated"] == 3

    hints_path(tmp_path, LAB06.lesson_id).write_text(json.dumps(old), encoding="utf-8")
    assert climb(tmp_path, lab06(), "changed")["deploy_rotated"] == 3


def test_another_users_report_line_moving_changes_nothing() -> None:
    """etl-job's row moving up in the credential report (a user before it deleted) is no work
    on etl-job."""
    before = goal_fingerprints(LAB06.goals, lab06(), {})
    moved = lab06(etl=key_user("etl-job", 300, 20, line=3))
    after = goal_fingerprints(LAB06.goals, moved, {})
    assert after["etl_rotated"] == before["etl_rotated"]


def test_a_deleted_user_changes_its_goal() -> None:
    """Deleting (or renaming) the user a goal is about is a change for that goal only."""
    before = goal_fingerprints(LAB06.goals, lab06(), {})
    gone = make_snapshot(users=(key_user("app-deploy", 200),), groups=(make_group("Automation"),))
    after = goal_fingerprints(LAB06.goals, gone, {})
    assert after["etl_rotated"] != before["etl_rotated"]
    assert after["deploy_rotated"] == before["deploy_rotated"]


def test_a_group_policy_reaches_its_members_goals() -> None:
    """Lab 05: a policy attached to the users' group changes the goals about those users."""
    lab05 = lab("05")
    users = tuple(make_user(n, groups=("Developers",)) for n in ("dev-a", "dev-b", "dev-c"))
    bare = make_snapshot(users=users, groups=(make_group("Developers"),))
    granted = replace(bare, groups=(make_group("Developers", (attached("ReadOnlyAccess"),)),))
    before, after = (goal_fingerprints(lab05.goals, s, {}) for s in (bare, granted))
    assert all(before[g.id] != after[g.id] for g in lab05.goals if g.id in before)


def test_names_come_from_the_check_the_assertion_and_iam_arns() -> None:
    """A goal's resources: the check's resources, the assertion's user, group, role and policy,
    and IAM users or roles named by ARN (lab 10's trust and assume-role goals)."""
    assert goal_names(LAB06.goals[0]) == ("app-deploy",)
    goals = {g.id: g for g in lab("10").goals}
    assert goal_names(goals["trust_narrowed"]) == ("deploy-role", "ci-runner")
    assert goal_names(goals["ci_can_assume"]) == ("ci-runner", "deploy-role")


def test_goals_without_named_resources_fall_back_to_the_account(tmp_path: Path) -> None:
    """A check over every resource, a whole-account assertion or one graded from the request
    log has no fingerprint of its own: any change in the account climbs it, as before."""
    capstone, lab01 = lab("09"), lab("01")
    assert goal_names(capstone.goals[0]) is None
    assert [g.id for g in lab01.goals if goal_names(g) is None] == ["work_as_admin"]
    assert not goal_fingerprints(capstone.goals[:3], make_snapshot(), {})
    failing = tuple(GoalResult(goal, False) for goal in capstone.goals[:1])
    levels = [advance_hints(tmp_path, capstone, failing, f"a{i}", goals={}) for i in range(2)]
    assert [x[capstone.goals[0].id] for x in levels] == [1, 2]
