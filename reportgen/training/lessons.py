"""Load the training lessons (``lessons/NN-slug/{ja,en}.md`` + ``lab.yaml``) into frozen data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.lang import LANGS
from reportgen.resources import data_dir
from reportgen.yamldoc import parse_yaml

_DIR_NAME = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9][a-z0-9-]*)$")
_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?\n)---\n(?P<body>.*)\Z", re.DOTALL)
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Question:
    """A check-your-understanding question and its model answer."""

    question: str
    answer: str


@dataclass(frozen=True)
class Step:
    """One block of the facilitator's timetable."""

    minutes: int
    activity: str


@dataclass(frozen=True)
class LessonText:
    """A lesson in one language: front matter plus the Markdown body."""

    lang: str
    title: str
    objectives: tuple[str, ...]
    questions: tuple[Question, ...]
    timing: tuple[Step, ...]
    mistakes: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Lesson:
    """A lesson folder: the same id, duration and check links in every language."""

    id: str
    number: int
    slug: str
    path: Path
    duration: int
    checks: tuple[str, ...]
    texts: Mapping[str, LessonText]

    @property
    def lab_file(self) -> Path:
        return self.path / "lab.yaml"

    def text(self, lang: str) -> LessonText:
        return self.texts[lang]


def lessons_dir() -> Path:
    """The folder that holds the lesson folders (a wheel's copy or the checkout's)."""
    return data_dir("lessons")


def split_front_matter(source: str, where: Path) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML front matter from the Markdown body; :class:`InputError` if malformed."""
    match = _FRONT_MATTER.match(source.replace("\r\n", "\n"))
    if match is None:
        raise InputError.keyed("lesson_no_front_matter", where=where)
    meta = parse_yaml(match["meta"], str(where), InputError, first_line=2)  # after "---"
    if not isinstance(meta, dict):
        raise InputError.keyed("lesson_front_matter_not_mapping", where=where)
    return meta, match["body"]


def headings(markdown: str) -> tuple[tuple[int, str], ...]:
    """The ATX headings of a Markdown body as (level, text), skipping fenced code."""
    found: list[tuple[int, str]] = []
    in_fence = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if match:
            found.append((len(match["marks"]), match["text"]))
    return tuple(found)


def _strings(meta: Mapping[str, Any], key: str, where: Path) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError.keyed("lesson_not_strings", where=where, field=key)
    return tuple(value)


def _questions(meta: Mapping[str, Any], where: Path) -> tuple[Question, ...]:
    raw = meta.get("questions")
    if not isinstance(raw, list) or not raw:
        raise InputError.keyed("lesson_no_questions", where=where)
    out = []
    for item in raw:
        if not (isinstance(item, dict) and isinstance(item.get("q"), str)):
            raise InputError.keyed("lesson_question_shape", where=where)
        if not isinstance(item.get("a"), str):
            raise InputError.keyed("lesson_question_no_answer", where=where, question=item["q"])
        out.append(Question(item["q"], item["a"]))
    return tuple(out)


def _timing(meta: Mapping[str, Any], where: Path) -> tuple[Step, ...]:
    raw = meta.get("timing")
    if not isinstance(raw, list) or not raw:
        raise InputError.keyed("lesson_no_timing", where=where)
    steps = []
    for item in raw:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("minutes"), int)
            and isinstance(item.get("activity"), str)
        ):
            raise InputError.keyed("lesson_timing_shape", where=where)
        steps.append(Step(item["minutes"], item["activity"]))
    return tuple(steps)


def _read_text(path: Path, lang: str) -> tuple[dict[str, Any], LessonText]:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    title = meta.get("title")
    if not isinstance(title, str) or not title:
        raise InputError.keyed("lesson_no_title", where=path)
    text = LessonText(
        lang=lang,
        title=title,
        objectives=_strings(meta, "objectives", path),
        questions=_questions(meta, path),
        timing=_timing(meta, path),
        mistakes=_strings(meta, "mistakes", path),
        body=body,
    )
    return meta, text


def load_lesson(folder: Path) -> Lesson:
    """Read one lesson folder; every language must agree on id, duration and checks."""
    match = _DIR_NAME.match(folder.name)
    if match is None:
        raise InputError.keyed("lesson_folder_name", folder=folder)
    texts: dict[str, LessonText] = {}
    shared: dict[str, tuple[object, object, tuple[str, ...]]] = {}
    for lang in LANGS:
        path = folder / f"{lang}.md"
        if not path.is_file():
            raise InputError.keyed("lesson_missing_text", folder=folder, file=path.name)
        meta, texts[lang] = _read_text(path, lang)
        shared[lang] = (meta.get("id"), meta.get("duration"), _strings(meta, "checks", path))
    lesson_id, duration, checks = shared[LANGS[0]]
    if any(value != shared[LANGS[0]] for value in shared.values()):
        raise InputError.keyed("lesson_languages_differ", folder=folder)
    if lesson_id != folder.name:
        raise InputError.keyed("lesson_id_not_folder", folder=folder, id=lesson_id)
    if not isinstance(duration, int) or duration <= 0:
        raise InputError.keyed("lesson_bad_duration", folder=folder)
    return Lesson(
        id=folder.name,
        number=int(match["number"]),
        slug=match["slug"],
        path=folder,
        duration=duration,
        checks=checks,
        texts=texts,
    )


def load_lessons(root: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson under ``root`` (default: the package's lessons), in number order."""
    base = root if root is not None else lessons_dir()
    folders = sorted(p for p in base.iterdir() if p.is_dir() and _DIR_NAME.match(p.name))
    return tuple(load_lesson(p) for p in folders)


def find_lesson(ref: str, lessons: Sequence[Lesson]) -> Lesson:
    """Resolve ``1``, ``01``, ``root-user`` or ``01-root-user`` to a lesson."""
    wanted = ref.strip().lower()
    for lesson in lessons:
        if wanted in (lesson.id, lesson.slug) or (
            wanted.isdigit() and int(wanted) == lesson.number
        ):
            return lesson
    known = ", ".join(lesson.id for lesson in lessons)
    raise InputError.keyed("lesson_unknown", ref=ref, known=known)
