"""A lesson's ``lab.yaml``: the account to seed, the trainee's identity, the goals and hints."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.lang import LANGS
from reportgen.sandbox.spec import AccountSpec, spec_from_mapping
from reportgen.training.invariants import KINDS
from reportgen.training.lessons import Lesson
from reportgen.yamldoc import read_yaml

LangText = Mapping[str, str]
ASSERTION_KINDS = frozenset(
    {
        "user_exists",
        "user_absent",
        "user_in_group",
        "group_has_policy",
        "user_has_policy",
        "user_lacks_policy",
        "no_active_keys",
        "signed_by",
        "old_versions_safe",
        "escalated_by",
        *KINDS,
    }
)
PLACEHOLDER = re.compile(r"<([^<>]*?) / ([^<>]*?)>")
"""A value the trainee fills in, named in both languages: ``<古いキー ID / old key id>``."""
NOTE = re.compile(r"（([^（）]+) / ([^（）]+)）")
"""A note between the commands, in both languages: ``（bob も同じ手順 / the same for bob）``."""


@dataclass(frozen=True)
class CheckGoal:
    """Findings of ``check_id`` must pass for the named resources (all resources if none).

    ``absent_ok``: a named resource that no longer exists (deleted user or policy) also counts.
    ``na_ok``: NOT_APPLICABLE counts as met (off by default: deleting a user's password must
    not satisfy "the user has MFA").
    """

    check_id: str
    resources: tuple[str, ...]
    absent_ok: bool
    na_ok: bool = False


@dataclass(frozen=True)
class Assertion:
    """A lesson-specific condition (e.g. ``user_in_group``) with its arguments."""

    kind: str
    args: Mapping[str, Any]


@dataclass(frozen=True)
class Goal:
    """One graded goal with its hint ladder: hints from general to specific, then the command."""

    id: str
    title: LangText
    hints: tuple[LangText, ...]
    command: tuple[str, ...]
    check: CheckGoal | None
    assertion: Assertion | None

    def commands(self, langs: Sequence[str]) -> tuple[str, ...]:
        """The command rung for a reader of ``langs`` (:func:`command_in`)."""
        return tuple(command_in(line, langs) for line in self.command)


def command_in(line: str, langs: Sequence[str]) -> str:
    """A command whose ``<日本語 / English>`` placeholders and ``（日本語 / English）`` notes
    are in the reader's one language; for ja+en they stay as written, both halves."""
    if len(langs) != 1:
        return line
    half = LANGS.index(langs[0]) + 1
    line = PLACEHOLDER.sub(lambda found: f"<{found.group(half)}>", line)
    ja = langs[0] == "ja"
    return NOTE.sub(lambda found: ("（{}）" if ja else "({})").format(found.group(half)), line)


@dataclass(frozen=True)
class Invariant:
    """What must still hold after the trainee's work; ``why`` says what broke, with
    ``{placeholders}`` filled by the check (e.g. ``{principals}``)."""

    id: str
    title: LangText
    why: LangText
    check: CheckGoal | None
    assertion: Assertion | None


@dataclass(frozen=True)
class LabSpec:
    """Everything ``lab start`` and ``lab check`` need for one lesson."""

    lesson_id: str
    account: AccountSpec
    account_id: str
    trainee_user: str | None
    aws_policies: tuple[str, ...]
    task: LangText
    goals: tuple[Goal, ...]
    invariants: tuple[Invariant, ...] = ()


def _lang_text(value: Any, where: str) -> LangText:
    if not (isinstance(value, dict) and all(isinstance(value.get(x), str) for x in LANGS)):
        raise InputError.keyed("lab_needs_both_languages", where=where)
    return {lang: value[lang] for lang in LANGS}


def _condition(raw: dict[str, Any], where: str) -> tuple[CheckGoal | None, Assertion | None]:
    check = assertion = None
    if "check" in raw:
        spec = raw["check"]
        if not (isinstance(spec, dict) and isinstance(spec.get("id"), str)):
            raise InputError.keyed("lab_check_no_id", where=where)
        check = CheckGoal(
            spec["id"],
            tuple(spec.get("resources", ())),
            bool(spec.get("absent_ok", False)),
            bool(spec.get("na_ok", False)),
        )
    if "assert" in raw:
        spec = raw["assert"]
        if not (isinstance(spec, dict) and spec.get("kind") in ASSERTION_KINDS):
            raise InputError.keyed("lab_assert_kind", where=where, kinds=sorted(ASSERTION_KINDS))
        assertion = Assertion(spec["kind"], {k: v for k, v in spec.items() if k != "kind"})
    if (check is None) == (assertion is None):
        raise InputError.keyed("lab_check_or_assert", where=where)
    return check, assertion


def _invariant(raw: Any, where: str) -> Invariant:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise InputError.keyed("lab_invariant_no_id", where=where)
    where = f"{where} ({raw['id']})"
    check, assertion = _condition(raw, where)
    return Invariant(
        id=raw["id"],
        title=_lang_text(raw.get("title"), f"{where}.title"),
        why=_lang_text(raw.get("why"), f"{where}.why"),
        check=check,
        assertion=assertion,
    )


def _goal(raw: Any, where: str) -> Goal:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise InputError.keyed("lab_goal_no_id", where=where)
    where = f"{where} ({raw['id']})"
    check, assertion = _condition(raw, where)
    hints = raw.get("hints")
    if not isinstance(hints, list) or len(hints) < 2:
        raise InputError.keyed("lab_two_hints", where=where)
    command = raw.get("command")
    if not isinstance(command, list) or not command:
        raise InputError.keyed("lab_no_command", where=where)
    return Goal(
        id=raw["id"],
        title=_lang_text(raw.get("title"), f"{where}.title"),
        hints=tuple(_lang_text(h, f"{where}.hints") for h in hints),
        command=tuple(str(line) for line in command),
        check=check,
        assertion=assertion,
    )


def parse_lab(data: Any, lesson_id: str, where: str) -> LabSpec:
    """Validate a decoded ``lab.yaml``; errors name the file and the goal."""
    if not isinstance(data, dict):
        raise InputError.keyed("lab_not_mapping", where=where)
    goals = data.get("goals")
    if not isinstance(goals, list) or not goals:
        raise InputError.keyed("lab_no_goals", where=where)
    parsed = tuple(_goal(g, f"{where}: goal {i + 1}") for i, g in enumerate(goals))
    if len({g.id for g in parsed}) != len(parsed):
        raise InputError.keyed("lab_goal_ids_twice", where=where)
    raw_invariants = data.get("invariants") or []
    if not isinstance(raw_invariants, list):
        raise InputError.keyed("lab_invariants_not_list", where=where)
    invariants = tuple(
        _invariant(x, f"{where}: invariant {i + 1}") for i, x in enumerate(raw_invariants)
    )
    if len({x.id for x in invariants} | {g.id for g in parsed}) != len(invariants) + len(parsed):
        raise InputError.keyed("lab_ids_twice", where=where)
    trainee = data.get("trainee") or {}
    return LabSpec(
        lesson_id=lesson_id,
        account=spec_from_mapping(data.get("account") or {}),
        account_id=str(data.get("account_id", "123456789012")),
        trainee_user=trainee.get("user"),
        aws_policies=tuple(data.get("aws_policies", ())),
        task=_lang_text(data.get("task"), f"{where}: task"),
        goals=parsed,
        invariants=invariants,
    )


def load_lab(lesson: Lesson) -> LabSpec:
    """Read and validate ``lab.yaml`` of ``lesson``."""
    path: Path = lesson.lab_file
    if not path.is_file():
        raise InputError.keyed("lab_missing", lesson=lesson.id)
    data = read_yaml(path, InputError).data
    return parse_lab(data, lesson.id, str(path))
