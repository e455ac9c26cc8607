"""Handouts: lessons, a workbook and a facilitator guide as HTML and archival PDF."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from reportgen.errors import InputError
from reportgen.lang import text
from reportgen.render.fmt import day
from reportgen.render.html import jinja_environment
from reportgen.resources import data_dir
from reportgen.training.labspec import command_in
from reportgen.training.lessons import Lesson, Step, lessons_dir
from reportgen.yamldoc import read_yaml

FORMATS = ("html", "pdf")


@functools.cache
def _markdown() -> MarkdownIt:
    # Raw HTML is off: lesson text can only produce the elements Markdown itself makes.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


COMMAND_WIDTH = 74  # display columns of a printed command line (a CJK character is two)
_SHELL = re.compile(r"^(aws|reportgen|export|unset|AWS_[A-Z_]+=)\b")
_FENCE_LINE = re.compile(r"^(```|~~~)")
# A word of a command: placeholders <...> and quoted strings stay whole even with spaces.
_WORD = re.compile(r"""(?:<[^>]*>|'[^']*'|"[^"]*"|[^\s<'"])+""")


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pieces(word: str, width: int) -> list[str]:
    """A word too long for a line: a single-quoted JSON document splits after its commas
    (a line break inside the quotes is only whitespace to JSON); anything else stays whole."""
    if _columns(word) <= width or not word.startswith("'"):
        return [word]
    return [p for p in re.findall(r"[^,]*,?", word) if p]


def wrap_command(command: str, width: int = COMMAND_WIDTH) -> str:
    """A long shell command split between words with `` \\`` continuations (or after a comma
    inside a quoted JSON document), never inside a word: the printed lines can be typed or
    pasted as they are."""
    if _columns(command) <= width or command.rstrip().endswith("\\"):
        return command
    out = ""
    current = ""
    for word in _WORD.findall(command):
        pieces = _pieces(word, width - 8)
        for index, piece in enumerate(pieces):
            glue = "" if index else " "
            candidate = f"{current}{glue}{piece}" if current else piece
            if current and _columns(candidate) + 2 > width:
                out += current + ("\n" if index else " \\\n")
                current = "    " + piece
            else:
                current = candidate
    return out + current


def _wrap_fenced_commands(source: str) -> str:
    out: list[str] = []
    in_fence = False
    for line in source.split("\n"):
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        elif in_fence and _SHELL.match(line):
            line = wrap_command(line)
        out.append(line)
    return "\n".join(out)


def markdown_block(source: str) -> Markup:
    """Markdown to HTML with raw HTML disabled (escaped, never passed through); long commands
    in code blocks are split between words."""
    return Markup(_markdown().render(_wrap_fenced_commands(source)))


def markdown_inline(source: str) -> Markup:
    """One line of Markdown (code spans, emphasis) without a surrounding paragraph."""
    return Markup(_markdown().renderInline(source))


@dataclass(frozen=True)
class Goal:
    """A lab goal as the facilitator sees it: its title and the command that meets it."""

    title: str
    commands: tuple[str, ...]


@dataclass(frozen=True)
class LessonView:
    """One lesson in one language, ready for the template."""

    lang: str
    anchor: str
    label: str
    title: str
    duration: str
    objectives: tuple[Markup, ...]
    body: Markup
    questions: tuple[tuple[Markup, Markup], ...]
    checks: tuple[tuple[str, str], ...]
    timing: tuple[Step, ...]
    total: str
    mistakes: tuple[Markup, ...]
    goals: tuple[Goal, ...]


class Tr:
    """Looks up a UI text of the ``training`` catalogue in one language."""

    def __call__(self, key: str, lang: str, **values: object) -> str:
        return text("training", lang, key, **values)


def check_titles(check_ids: Sequence[str], lang: str) -> tuple[tuple[str, str], ...]:
    """(id, title) for each check; the id stands in when the catalogue has no spec yet."""
    folder = data_dir("checks")
    out = []
    for check_id in check_ids:
        path = folder / f"{check_id}.yaml"
        title = check_id
        if path.is_file():
            spec = read_yaml(path, InputError).data
            if isinstance(spec, dict) and isinstance(spec.get("title"), dict):
                title = str(spec["title"].get(lang, check_id))
        out.append((check_id, title))
    return tuple(out)


def lab_goals(lesson: Lesson, lang: str) -> tuple[Goal, ...]:
    """The lab's goals with their final hint (the command), for the facilitator guide."""
    if not lesson.lab_file.is_file():
        return ()
    lab: Any = read_yaml(lesson.lab_file, InputError).data
    goals = lab.get("goals", []) if isinstance(lab, dict) else []
    return tuple(
        Goal(
            str(goal["title"][lang]),
            tuple(wrap_command(command_in(str(c), (lang,))) for c in goal.get("command", ())),
        )
        for goal in goals
    )


def lesson_view(lesson: Lesson, lang: str, tr: Tr) -> LessonView:
    """Turn a lesson into what the handout template shows for ``lang``."""
    text = lesson.text(lang)
    return LessonView(
        lang=lang,
        anchor=f"{lesson.id}-{lang}",
        label=tr("lesson_label", lang, number=lesson.number),
        title=text.title,
        duration=tr("duration", lang, minutes=lesson.duration),
        objectives=tuple(markdown_inline(o) for o in text.objectives),
        body=markdown_block(text.body),
        questions=tuple(
            (markdown_inline(q.question), markdown_inline(q.answer)) for q in text.questions
        ),
        checks=check_titles(lesson.checks, lang),
        timing=text.timing,
        total=tr("total_minutes", lang, minutes=sum(s.minutes for s in text.timing)),
        mistakes=tuple(markdown_inline(m) for m in text.mistakes),
        goals=lab_goals(lesson, lang),
    )


def template_dir() -> Path:
    return data_dir("templates") / "lessons"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja_environment(template_dir())


@dataclass(frozen=True)
class Handout:
    """What one handout file shows: its kind, languages and lessons."""

    kind: str  # "lesson" | "workbook" | "facilitator"
    langs: tuple[str, ...]
    lessons: tuple[Lesson, ...]
    edition: date


def render_html(handout: Handout, medium: str, font_family: str | None) -> str:
    """The handout as one self-contained HTML page (``medium``: ``html`` or ``pdf``)."""
    tr = Tr()
    views = [
        {lang: lesson_view(lesson, lang, tr) for lang in handout.langs}
        for lesson in handout.lessons
    ]
    edition = day(handout.edition, handout.langs)
    first = handout.langs[0]
    if handout.kind == "lesson":
        title = views[0][first].title
    else:
        key = "workbook_title" if handout.kind == "workbook" else "facilitator_title"
        title = tr(key, first)
    return (
        _environment()
        .get_template("handout.html.j2")
        .render(
            kind=handout.kind,
            langs=handout.langs,
            lessons=views,
            title=title,
            edition={lang: tr("edition", lang, date=edition.get(lang)) for lang in handout.langs},
            tr=tr,
            md=markdown_inline,
            css=Markup((template_dir() / "handout.css").read_text(encoding="utf-8")),
            medium=medium,
            font_family=font_family,
            setup={lang: trainer_pages(lang) for lang in handout.langs}
            if handout.kind == "facilitator"
            else {},
        )
    )


def trainer_pages(lang: str) -> Markup:
    """The trainer guide's set-up page and session plans (``lessons/trainer.<lang>.md``)."""
    return markdown_block((lessons_dir() / f"trainer.{lang}.md").read_text(encoding="utf-8"))


def html_to_pdf(html: str, edition: date, languages: Sequence[str] = ()) -> bytes:
    """Archival PDF (PDF/A-3a) through the report's renderer: same fetcher, same fonts."""
    from reportgen.render.pdf import render_pdf

    created = datetime(edition.year, edition.month, edition.day, tzinfo=UTC)
    return render_pdf(html, (), created, languages)


def japanese_font_family() -> str:
    """The CJK font family for PDFs, found through fontconfig (shared with the report)."""
    from reportgen.render.fonts import japanese_font

    return japanese_font().family


def build_handouts(
    lessons: Sequence[Lesson],
    langs: tuple[str, ...],
    formats: Sequence[str],
    edition: date,
    trainer: bool = False,
) -> dict[str, bytes]:
    """Every handout file by name: one per lesson and the workbook (no answers in either);
    the trainer guide (answers, timings, set-up) only with ``trainer``."""
    suffix = "+".join(langs)
    jobs = [
        (f"{lesson.id}.{suffix}", Handout("lesson", langs, (lesson,), edition))
        for lesson in lessons
    ]
    jobs.append((f"workbook.{suffix}", Handout("workbook", langs, tuple(lessons), edition)))
    if trainer:
        jobs.append(
            (f"facilitator-guide.{suffix}", Handout("facilitator", langs, tuple(lessons), edition))
        )
    font = japanese_font_family() if "pdf" in formats else None
    files: dict[str, bytes] = {}
    for stem, handout in jobs:
        if "html" in formats:
            files[f"{stem}.html"] = render_html(handout, "html", None).encode("utf-8")
        if "pdf" in formats:
            files[f"{stem}.pdf"] = html_to_pdf(
                render_html(handout, "pdf", font), edition, handout.langs
            )
    return files
