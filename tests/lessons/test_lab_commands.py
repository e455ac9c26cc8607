"""A lab's command rung names the values to fill in (<古いキー ID / old key id>) in the reader's
language: one half for ja or en, both for ja+en; in the terminal and in the facilitator guide."""

from __future__ import annotations

import re
from datetime import date

import pytest

from reportgen.training.handouts import build_handouts
from reportgen.training.labspec import NOTE, PLACEHOLDER, command_in, load_lab
from reportgen.training.lessons import find_lesson, load_lessons

LESSONS = load_lessons()
LABS = [load_lab(lesson) for lesson in LESSONS if lesson.lab_file.is_file()]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
COMMANDS = [line for lab in LABS for goal in lab.goals for line in goal.command]


def test_lab_06_shows_one_language_at_a_time() -> None:
    """Lab 06's old key is <old key id> in English and <古いキー ID> in Japanese."""
    goal = next(g for g in load_lab(find_lesson("06", LESSONS)).goals if g.id == "etl_single_key")
    key = "aws iam delete-access-key --user-name etl-job --access-key-id "
    assert goal.commands(("en",))[1] == key + "<old key id>"
    assert goal.commands(("ja",))[1] == key + "<古いキー ID>"
    assert goal.commands(("ja", "en"))[1] == key + "<古いキー ID / old key id>"


def test_a_note_between_commands_reads_in_one_language() -> None:
    """Lab 04's "（bob も同じ手順 / the same for bob）" is one language at a time."""
    note = "（bob も同じ手順 / the same for bob）"
    assert command_in(note, ("en",)) == "(the same for bob)"
    assert command_in(note, ("ja",)) == "（bob も同じ手順）"


@pytest.mark.parametrize("line", COMMANDS)
def test_every_shipped_command_reads_in_one_language(line: str) -> None:
    """A placeholder or note is Japanese / English, or has no Japanese (<ACCESS-KEY-ID>)."""
    for japanese, english in PLACEHOLDER.findall(line) + NOTE.findall(line):
        assert JAPANESE.search(japanese) and not JAPANESE.search(english), line
    assert not JAPANESE.search(command_in(line, ("en",))), line
    assert " / " not in "".join(re.findall(r"<[^<>]*>", command_in(line, ("ja",)))), line


def test_commands_without_placeholders_are_unchanged() -> None:
    """Slashes elsewhere in a command (paths, ARNs, JSON) are left alone."""
    line = "aws iam get-policy --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess > out / x"
    assert command_in(line, ("en",)) == line


def test_the_english_facilitator_guide_has_no_japanese_placeholder() -> None:
    """The trainer guide in English prints <old key id>, in Japanese <古いキー ID>."""
    edition = date(2026, 11, 28)
    lesson = [find_lesson("06", LESSONS)]
    files = build_handouts(lesson, ("en",), ("html",), edition, trainer=True)
    guide = files["facilitator-guide.en.html"].decode("utf-8")
    assert "&lt;old key id&gt;" in guide and "古いキー" not in guide
    files = build_handouts(lesson, ("ja",), ("html",), edition, trainer=True)
    guide = files["facilitator-guide.ja.html"].decode("utf-8")
    assert "&lt;古いキー ID&gt;" in guide and "old key id" not in guide
