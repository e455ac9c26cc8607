"""The lessons as content: both languages in step, links to real checks, labs that load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.lang import LANGS
from reportgen.resources import data_dir
from reportgen.training.labspec import load_lab
from reportgen.training.lessons import (
    find_lesson,
    headings,
    load_lesson,
    load_lessons,
)

LESSONS = load_lessons()
IDS = [lesson.id for lesson in LESSONS]
README_ROW = re.compile(r"^\| ([a-z][a-z0-9_]+) \|", re.MULTILINE)


def catalogue_ids() -> set[str]:
    readme = (data_dir("checks") / "README.md").read_text(encoding="utf-8")
    table = readme.split("## The catalogue", 1)[1]
    return set(README_ROW.findall(table)) - {"id"}


def test_the_nine_lessons_of_the_issue_exist_in_order() -> None:
    """Lessons 1–9 exist, numbered without gaps, each with ja.md, en.md and lab.yaml."""
    assert [lesson.number for lesson in LESSONS] == list(range(1, len(LESSONS) + 1))
    assert len(LESSONS) >= 9
    for lesson in LESSONS:
        assert lesson.lab_file.is_file(), lesson.id


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_both_languages_have_the_same_heading_structure(lesson) -> None:  # type: ignore[no-untyped-def]
    """ja.md and en.md have the same sequence of heading levels (the same sections)."""
    levels = {lang: [lvl for lvl, _ in headings(lesson.text(lang).body)] for lang in LANGS}
    assert levels["ja"] == levels["en"]
    assert levels["ja"].count(2) >= 5


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_both_languages_have_the_same_questions_timing_and_mistakes(lesson) -> None:  # type: ignore[no-untyped-def]
    """Question, timetable and common-mistake counts match; every question has an answer."""
    ja, en = lesson.text("ja"), lesson.text("en")
    assert len(ja.questions) == len(en.questions) >= 3
    assert all(q.answer.strip() for q in ja.questions + en.questions)
    assert [s.minutes for s in ja.timing] == [s.minutes for s in en.timing]
    assert len(ja.mistakes) == len(en.mistakes) >= 2
    assert len(ja.objectives) == len(en.objectives)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_timetable_adds_up_to_the_duration(lesson) -> None:  # type: ignore[no-untyped-def]
    """The facilitator's timetable fills exactly the lesson's stated duration."""
    assert sum(step.minutes for step in lesson.text("ja").timing) == lesson.duration


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_linked_checks_exist_in_the_catalogue_table(lesson) -> None:  # type: ignore[no-untyped-def]
    """Every check a lesson links to is a row of checks/README.md's catalogue table."""
    assert lesson.checks
    assert set(lesson.checks) <= catalogue_ids()


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_lesson_has_a_current_guidance_note_and_a_lab_section(lesson) -> None:  # type: ignore[no-untyped-def]
    """Each lesson has a note on current AWS practice and points to its own lab command."""
    ja = [text for _, text in headings(lesson.text("ja").body)]
    en = [text for _, text in headings(lesson.text("en").body)]
    assert "現在の AWS の推奨" in ja and "Current AWS guidance" in en
    assert "演習" in ja and "Lab" in en
    for lang in LANGS:
        assert f"reportgen lab start {lesson.number:02d}" in lesson.text(lang).body


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_japanese_text_is_written_in_desu_masu_style(lesson) -> None:  # type: ignore[no-untyped-def]
    """The Japanese body teaches in です・ます with Japanese punctuation, not translation-ese."""
    body = lesson.text("ja").body
    assert body.count("ます。") + body.count("です。") >= 8
    prose = [
        line for line in body.splitlines() if line and not line.startswith(("```", "aws ", "    "))
    ]
    assert not any(line.rstrip().endswith(".") for line in prose if re.search(r"[ぁ-ん]", line))


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lab_goals_use_the_lessons_own_checks(lesson) -> None:  # type: ignore[no-untyped-def]
    """A lab graded by a check names one of the lesson's linked checks; hints are bilingual."""
    lab = load_lab(lesson)
    for goal in lab.goals:
        if goal.check is not None:
            assert goal.check.check_id in lesson.checks, goal.id
        assert len(goal.hints) >= 2 and goal.command
        assert all(set(hint) == set(LANGS) for hint in goal.hints)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("1", "01-root-user"),
        ("01", "01-root-user"),
        ("groups", "05-groups"),
        ("09-capstone", "09-capstone"),
    ],
)
def test_find_lesson_accepts_number_slug_or_id(ref: str, expected: str) -> None:
    """A lesson can be named by its number, its slug or its full id."""
    assert find_lesson(ref, LESSONS).id == expected


def test_find_lesson_names_the_known_lessons_when_unknown() -> None:
    """An unknown lesson is an input error listing what exists."""
    with pytest.raises(InputError, match="01-root-user"):
        find_lesson("42", LESSONS)


GOOD = """---
id: 01-demo
title: T
duration: 10
objectives: [o]
checks: [root_mfa_enabled]
questions: [{q: "Q?", a: "A."}]
timing: [{minutes: 10, activity: x}]
mistakes: [m]
---

## H
"""


@pytest.mark.parametrize(
    ("en_text", "message"),
    [
        (GOOD.replace("duration: 10", "duration: 20"), "differ between languages"),
        (GOOD.replace("[root_mfa_enabled]", "[console_user_mfa]"), "differ between languages"),
        (GOOD.replace('a: "A."', 'x: "A."'), "has no answer"),
        (GOOD.replace("---\n", "", 1), "no YAML front matter"),
        (GOOD.replace("title: T\n", ""), "'title' is missing"),
    ],
)
def test_malformed_lessons_are_rejected_with_the_file_named(
    tmp_path: Path, en_text: str, message: str
) -> None:
    """A lesson whose languages disagree or whose front matter is broken fails to load."""
    folder = tmp_path / "01-demo"
    folder.mkdir()
    (folder / "ja.md").write_text(GOOD, encoding="utf-8")
    (folder / "en.md").write_text(en_text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_lesson(folder)
