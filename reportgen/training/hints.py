"""The hint ladder: a rung up only when the work changed, at the pace the trainer sets.

State per lab in ``<lesson>.hints.json``: the rung each failing goal is on, how many checks
it has failed, and at the last check a fingerprint of what each goal is about
(:mod:`reportgen.training.footprint`) and one of the whole account.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.atomic import write_atomic
from reportgen.errors import InputError
from reportgen.sandbox.spec import AccountSpec
from reportgen.snapshot.model import Snapshot
from reportgen.training.grading import GoalResult
from reportgen.training.labspec import Goal, LabSpec

PACE_VARIABLE = "REPORTGEN_LAB_HINT_PACE"
_VOLATILE = frozenset({"collected_at", "GeneratedTime", "generated_time", "sha256"})


@dataclass(frozen=True)
class HintPace:
    """How far the ladder may go: ``commands`` off keeps the exact commands from trainees;
    ``command_after`` failed checks of a goal are needed before its command is shown."""

    commands: bool = True
    command_after: int = 0

    @classmethod
    def parse(cls, value: str | None) -> HintPace:
        """``""``, ``commands=off`` or ``commands-after=N`` (comma-separated)."""
        pace = cls()
        for part in filter(None, (p.strip() for p in (value or "").split(","))):
            name, _, setting = part.partition("=")
            if name == "commands" and setting in ("off", "on"):
                pace = HintPace(setting == "on", pace.command_after)
            elif name == "commands-after" and setting.isdigit():
                pace = HintPace(pace.commands, int(setting))
            else:
                raise InputError.keyed("hint_pace", variable=PACE_VARIABLE, value=value)
        return pace

    @classmethod
    def from_environment(cls) -> HintPace:
        return cls.parse(os.environ.get(PACE_VARIABLE))

    def top(self, goal: Goal, checks: int) -> int:
        """The highest rung this goal may show after ``checks`` failed checks."""
        if self.commands and checks > self.command_after:
            return len(goal.hints) + 1
        return len(goal.hints)

    def is_last(self, goal: Goal, level: int) -> bool:
        """No further check can show more for this goal."""
        return level >= (len(goal.hints) + 1 if self.commands else len(goal.hints))


class NextCheck(enum.Enum):
    """What checking again can bring: the line that closes ``lab check`` says it."""

    MORE = "more"  # a goal not met can climb to a more specific hint
    LAST = "last"  # every goal that can still move shows its last rung
    RESET = "reset"  # every goal not met is about a resource that is gone: no hint helps
    REPAIR = "repair"  # every goal is met, only a condition the lab keeps is broken


def next_check(
    results: Sequence[GoalResult],
    levels: Mapping[str, int],
    missing: Mapping[str, Sequence[str]],
    pace: HintPace,
) -> NextCheck:
    """What another check can show, from the goals not met yet, the rung each is on and the
    resources gone (a goal about one shows no hint at all)."""
    open_goals = [r.goal for r in results if not r.passed]
    if not open_goals:
        return NextCheck.REPAIR
    movable = [g for g in open_goals if not missing.get(g.id)]
    if not movable:
        return NextCheck.RESET
    if all(pace.is_last(g, levels.get(g.id, 0)) for g in movable):
        return NextCheck.LAST
    return NextCheck.MORE


def _stable(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _stable(v) for k, v in node.items() if k not in _VOLATILE}
    if isinstance(node, list):
        return [_stable(v) for v in node]
    return node


def fingerprint(snapshot_bytes: bytes) -> str:
    """What the account looks like, without the times that change on every collection."""
    document = _stable(json.loads(snapshot_bytes.decode("utf-8")))
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def hints_path(home: Path, lesson_id: str) -> Path:
    return home / f"{lesson_id}.hints.json"


def advance_hints(
    home: Path,
    lab: LabSpec,
    results: Sequence[GoalResult],
    account: str | None = None,
    pace: HintPace = HintPace(),
    goals: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """The rung of each failing goal: one up per check, but only when what the goal is about
    changed since the last check, never past the pace.

    ``goals`` holds each goal's fingerprint (``footprint.goal_fingerprints``); a goal left
    out is compared by the whole ``account`` (None: treat as changed).
    """
    path = hints_path(home, lab.lesson_id)
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        levels_seen: dict[str, int] = dict(state.get("levels", {}))
        checks_seen: dict[str, int] = dict(state.get("checks", {}))
        account_seen = state.get("fingerprint")
        # A state file written before goals had their own fingerprint has none: those goals
        # are compared by the account once more, as they were when it was written.
        prints_seen = state.get("goal_fingerprints", {})
        prints_seen = prints_seen if isinstance(prints_seen, dict) else {}
    except (OSError, ValueError, TypeError, AttributeError):
        levels_seen, checks_seen, account_seen, prints_seen = {}, {}, None, {}
    prints = {r.goal.id: (goals or {}).get(r.goal.id, account) for r in results}
    levels: dict[str, int] = {}
    for result in results:
        goal = result.goal
        if result.passed:
            levels_seen.pop(goal.id, None)
            checks_seen.pop(goal.id, None)
            continue
        if goal.id in prints_seen:
            changed = prints[goal.id] is None or prints[goal.id] != prints_seen[goal.id]
        else:
            changed = account is None or account != account_seen
        checks = checks_seen.get(goal.id, 0) + 1
        previous = levels_seen.get(goal.id, 0)
        wanted = previous + 1 if (changed or previous == 0) else previous
        levels[goal.id] = max(1, min(wanted, pace.top(goal, checks)))
        levels_seen[goal.id], checks_seen[goal.id] = levels[goal.id], checks
    kept = {"fingerprint": account, "goal_fingerprints": prints}
    write_atomic(path, json.dumps({**kept, "levels": levels_seen, "checks": checks_seen}).encode())
    return levels


def gone(goal: Goal, snapshot: Snapshot, seeded: Collection[str]) -> tuple[str, ...]:
    """Resources a failing goal talks about that no longer exist (deleted or renamed): only
    those in ``seeded`` (there when the lab started) can be gone; one the trainee is asked to
    create and has not created yet is simply not there yet."""
    names: list[str] = []
    if goal.assertion is not None and goal.assertion.kind not in ("user_absent", "signed_by"):
        args: Mapping[str, Any] = goal.assertion.args
        names += [str(args[k]) for k in ("user", "group", "role") if k in args]
        names += [str(u) for u in args.get("users", ())]
    if goal.check is not None and not goal.check.absent_ok:
        names += list(goal.check.resources)
    known = {u.name for u in snapshot.users} | {g.name for g in snapshot.groups}
    known |= {r.name for r in snapshot.roles} | {p.name for p in snapshot.policies}
    return tuple(n for n in dict.fromkeys(names) if n not in known and n in seeded)


def seeded_names(account: AccountSpec) -> frozenset[str]:
    """Names of the users, groups, roles and policies a lab account starts with."""
    kinds = (account.users, account.groups, account.roles, account.policies)
    return frozenset(item.name for items in kinds for item in items)
