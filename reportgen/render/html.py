"""The HTML report: Jinja templates (autoescaped, strict) over the view model, one file."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from reportgen.render.fonts import Font
from reportgen.render.i18n import Ui
from reportgen.render.views import ReportContext
from reportgen.resources import data_dir

TEMPLATE = "report.html.j2"


def template_dir() -> Path:
    return data_dir("templates") / "report"


@functools.cache
def environment() -> jinja2.Environment:
    """Autoescape everywhere and fail on any undefined name: a typo must not print nothing."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def stylesheet() -> str:
    """The report's CSS (screen and print), inlined into the page."""
    return (template_dir() / "report.css").read_text(encoding="utf-8")


def render_html(context: ReportContext, medium: str, font: Font | None) -> str:
    """The report as one HTML document; ``medium`` is ``html`` or ``pdf`` (print layout)."""
    template = environment().get_template(TEMPLATE)
    return template.render(
        report=context,
        medium=medium,
        ui=Ui(context.langs),
        css=stylesheet(),
        font_family=font.family if font else None,
    )
