"""The HTML report: Jinja templates (autoescaped, strict) over the view model, one file."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

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
UNBROKEN_RUN = re.compile(rf"[!-~]{{{BREAK_EVERY}}}(?=[!-~])")


def template_dir() -> Path:
    return data_dir("templates") / "report"


@jinja2.pass_context
def breakable(context: jinja2.runtime.Context, value: object) -> object:
    """In the PDF, a zero-width space after every ``BREAK_EVERY`` characters of unbroken ASCII
    (names, ARNs), so that long tokens wrap inside their cell; the HTML is left as it is."""
    if context.get("medium") != "pdf" or isinstance(value, Markup):
        return value
    return UNBROKEN_RUN.sub(lambda match: match.group(0) + "\u200b", str(value))


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
    return env


def stylesheet() -> str:
    """The report's CSS (screen and print), inlined into the page."""
    return (template_dir() / "report.css").read_text(encoding="utf-8")


def font_stack(font: Font | None) -> str:
    """The CSS font-family list: the one fontconfig found for a PDF, common ones on screen."""
    if font is not None:
        if not SAFE_FAMILY.match(font.family):
            raise RenderError(f"unusable font family name {font.family!r}")
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
