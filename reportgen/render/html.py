"""The HTML report: Jinja templates (autoescaped, strict) over the view model, one file."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from reportgen.dates import DATE_TEXT
from reportgen.errors import RenderError
from reportgen.render.fonts import Font
from reportgen.render.i18n import Ui
from reportgen.render.review import review_assets
from reportgen.render.views import ReportContext
from reportgen.resources import data_dir

TEMPLATE = "report.html.j2"
SCREEN_FONTS = (
    '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP", '
    '"Yu Gothic", "Meiryo", system-ui, sans-serif'
)
SAFE_FAMILY = re.compile(r"^[\w .\-]+$")
# WeasyPrint lays out word-break: break-all in time quadratic in the text's length (a
# 2,000-character name takes seconds per occurrence); the PDF gets break points instead.
BREAK_EVERY = 24
# A piece of a name up to this long is never broken (it fits the narrowest name column,
# the inventory's 16 %); a longer one breaks after a hyphen or a dot, or every BREAK_EVERY.
WHOLE_UP_TO = 14
ASCII_RUN = re.compile(r"[!-~]+")
# A name or ARN may break after these (docs: glossary, "tokens are never broken inside").
SEGMENT = re.compile(r"[^/:#,]*[/:#,]|[^/:#,]+")
# Characters at which the line breaker would otherwise split a name ("svc-" | "backup").
INNER_BREAK = re.compile(r"[-?!%&|}\])]")
# Where a long piece may break: after - . _ or between a lower-case letter and a capital.
WORD_PART = re.compile(r".+?(?:[-._]|(?<=[a-z0-9])(?=[A-Z])|$)")
# A date in either language (2026年9月18日, 18 September 2026): never broken across lines.
DATE = re.compile(DATE_TEXT)
# In a date cell, what must stay on one line: a date in either language and 「以前」 (the
# comparison's "at or before"); the line may break only between them.
DATE_CELL_WHOLE = re.compile(DATE_TEXT + "|以前")
ZWSP = "\u200b"
# WORD JOINER: no line break on either side of it (UAX #14 class WJ); invisible, and left out
# of the text that PDF readers extract. It keeps a name or a date whole where a
# ``white-space: nowrap`` span did, without an inline box per name for WeasyPrint to lay out
# (1,567 spans in the demo's Japanese PDF, a quarter of its elements; docs/performance.md).
WJ = "\u2060"
# Where Pango may break a run of ASCII without spaces: after one of these characters (checked
# for every pair of printable ASCII characters; tests/render/test_breaks.py).
BREAK_AFTER = re.compile(r"([!$%)+,\-./:;?\\\]|}])(?=.)", re.S)
# Beside a Japanese character a line may break too (年|3, 以|前).
BESIDE_WIDE = re.compile(r"(?<=[^\x00-\x7f\u2060])(?=.)|(?<=.)(?=[^\x00-\x7f\u2060])", re.S)


def _unbroken(text: str) -> str:
    """``text`` never broken across lines: a word joiner wherever a line could break inside it
    (a text with spaces, an English date, keeps a ``white-space: nowrap`` span instead)."""
    if " " in text:
        return f'<span class="nobr">{escape(text)}</span>'
    return str(escape(BESIDE_WIDE.sub(WJ, BREAK_AFTER.sub(r"\1" + WJ, text))))


def _segment(segment: str) -> str:
    """One piece of a name between break points: kept whole up to ``WHOLE_UP_TO``
    characters; longer, broken after a hyphen or a dot where possible, else every
    ``BREAK_EVERY`` characters (nothing else fits a column)."""
    if len(segment.rstrip("/:#,")) <= WHOLE_UP_TO:
        return _unbroken(segment) if INNER_BREAK.search(segment) else str(escape(segment))
    chunks: list[str] = []
    for part in WORD_PART.findall(segment):
        if chunks and len(chunks[-1]) + len(part) <= WHOLE_UP_TO:
            chunks[-1] += part
        else:
            chunks += [part[i : i + BREAK_EVERY] for i in range(0, len(part), BREAK_EVERY)]
    return ZWSP.join(
        _unbroken(chunk) if INNER_BREAK.search(chunk) else str(escape(chunk)) for chunk in chunks
    )


def _name(run: str) -> str:
    """A run of ASCII without spaces (a name, an ARN, a URL): break points after ``/``,
    ``:``, ``#`` and ``,`` only; each piece between them kept whole (see ``_segment``)."""
    if len(run) <= WHOLE_UP_TO and not INNER_BREAK.search(run):
        return str(escape(run))
    return ZWSP.join(_segment(piece) for piece in SEGMENT.findall(run))


def _plain(text: str) -> str:
    out: list[str] = []
    end = 0
    for match in ASCII_RUN.finditer(text):
        out += [str(escape(text[end : match.start()])), _name(match.group(0))]
        end = match.end()
    out.append(str(escape(text[end:])))
    return "".join(out)


def printable_breaks(text: str) -> Markup:
    """``text`` as PDF markup in which no date, id or name is broken across two lines except
    at ``/``, ``:``, ``#`` or ``,`` (and, in a piece longer than ``WHOLE_UP_TO``
    characters, after - . _ or before a capital), while long names still wrap in their
    cell. Dates (``2026年9月18日``, ``18 September 2026``) are kept on one line."""
    out: list[str] = []
    end = 0
    for match in DATE.finditer(text):
        out += [_plain(text[end : match.start()]), _unbroken(match.group(0))]
        end = match.end()
    out.append(_plain(text[end:]))
    return Markup("".join(out))


def printable_date_cell(text: str) -> Markup:
    """A short cell holding a date (``2026年3月6日 以前``, ``at or before 6 March 2026``) as
    PDF markup: the date and 「以前」 each kept on one line, a break allowed between words."""
    out: list[str] = []
    end = 0
    for match in DATE_CELL_WHOLE.finditer(text):
        out += [str(escape(text[end : match.start()])), _unbroken(match.group(0))]
        end = match.end()
    out.append(str(escape(text[end:])))
    return Markup("".join(out))


def template_dir() -> Path:
    return data_dir("templates") / "report"


@jinja2.pass_context
def breakable(context: jinja2.runtime.Context, value: object) -> object:
    """In the PDF, ``value`` with the break points of ``printable_breaks``; the HTML is
    left as it is."""
    if context.get("medium") != "pdf" or isinstance(value, Markup):
        return value
    return printable_breaks(str(value))


@jinja2.pass_context
def name_list(context: jinja2.runtime.Context, values: Iterable[object]) -> object:
    """Names joined by commas. In the PDF a line breaks after a comma, never inside a name,
    unless the name is too long for a line (it then breaks at its separators)."""
    names = [str(value) for value in values]
    if context.get("medium") != "pdf":
        return ", ".join(names)
    whole = (Markup(_unbroken(n)) if len(n) <= 40 else printable_breaks(n) for n in names)
    return Markup(", ").join(whole)


@jinja2.pass_context
def date_cell(context: jinja2.runtime.Context, value: object) -> object:
    """In the PDF, ``value`` with the break points of ``printable_date_cell``."""
    if context.get("medium") != "pdf" or isinstance(value, Markup):
        return value
    return printable_date_cell(str(value))


def jinja_environment(folder: Path) -> jinja2.Environment:
    """The house settings for every template folder (reports, handouts).

    Autoescape everywhere and fail on any undefined name: a typo must not print nothing.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def environment() -> jinja2.Environment:
    """The report templates' environment, with the PDF's ``breakable`` filter."""
    env = jinja_environment(template_dir())
    env.filters["breakable"] = breakable
    env.filters["date_cell"] = date_cell
    env.filters["name_list"] = name_list
    return env


def stylesheet() -> str:
    """The report's CSS (screen and print), inlined into the page."""
    return (template_dir() / "report.css").read_text(encoding="utf-8")


def font_stack(font: Font | None) -> str:
    """The CSS font-family list: the one fontconfig found for a PDF, common ones on screen."""
    if font is not None:
        if not SAFE_FAMILY.match(font.family):
            raise RenderError.keyed("font_unusable_family", family=font.family)
        return f'"{font.family}", sans-serif'
    return SCREEN_FONTS


def render_html(context: ReportContext, medium: str, font: Font | None, created: datetime) -> str:
    """The report as one HTML document; ``medium`` is ``html`` or ``pdf`` (print layout)."""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_page(TEMPLATE, context, context.langs, medium, font, stamp)


def render_page(
    name: str,
    context: object,
    langs: tuple[str, ...],
    medium: str,
    font: Font | None,
    created: str,
) -> str:
    """Render report template ``name`` with the stylesheet inlined (reports, org summary)."""
    fonts = font_stack(font)
    # The stylesheet is the package's own file, not report data: it is inserted unescaped.
    css = Markup(stylesheet().replace("__FONT_STACK__", fonts))
    # The review toolbar (filters, search, sorting) is for the screen only: never in a PDF.
    review = review_assets(css) if medium == "html" else None
    return (
        environment()
        .get_template(name)
        .render(
            report=context,
            medium=medium,
            ui=Ui(langs),
            css=css,
            font_stack=fonts,
            created=created,
            review=review,
        )
    )
