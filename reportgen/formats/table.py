"""Findings as a terminal table (rich), in the chosen language; PASS rows are left out."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Status
from reportgen.evaluate.scoring import grade
from reportgen.formats.common import label, message, printable

WIDTH = 160


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """Score line, then one row per finding that is not PASS (plain text, no colour codes)."""
    code = lang.split("+")[0]
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False)
    console.print(Text(_score_line(assessment, lang)))
    rows = [f for f in assessment.findings if f.status is not Status.PASS]
    if not rows:
        console.print(label("no_findings", lang))
        return out.getvalue()
    table = Table(show_lines=False)
    for key in ("status", "severity", "check", "resource", "message"):
        table.add_column(label(key, lang), overflow="fold")
    for f in rows:
        table.add_row(
            catalogue.label("status", f.status.value, code),
            catalogue.label("severity", f.severity.value, code),
            f.check_id,
            # Rich would read "[...]" in account data as markup: plain Text cells only.
            Text(printable(f.resource_name)),
            Text(printable(message(catalogue, f, lang, sep="\n"))),
        )
    console.print(table)
    return out.getvalue()


def summary(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """Score line, then the score and grade of each article section, and counts by status."""
    code = lang.split("+")[0]
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False)
    console.print(Text(_score_line(assessment, lang)))
    table = Table(show_lines=False)
    table.add_column(label("section", lang))
    table.add_column(label("score", lang), justify="right")
    table.add_column(label("grade", lang), justify="center")
    statuses = [s for s in Status if any(f.status is s for f in assessment.findings)]
    for status in statuses:
        table.add_column(catalogue.label("status", status.value, code), justify="right")
    for section, spec in catalogue.sections.items():
        score = assessment.sections.get(section)
        number = score.value if score else None
        counts = [
            sum(1 for f in assessment.findings if f.section is section and f.status is s)
            for s in statuses
        ]
        table.add_row(
            spec.title[code],
            "-" if number is None else f"{number:.1f}",
            grade(number) or "-",
            *(str(c) for c in counts),
        )
    console.print(table)
    return out.getvalue()


def _score_line(assessment: Assessment, lang: str) -> str:
    value = assessment.overall.value
    shown = "-" if value is None else f"{value:.1f}"
    return printable(
        f"{label('account', lang)}: {assessment.account_id}  "
        f"{label('profile', lang)}: {assessment.profile}  "
        f"{label('score', lang)}: {shown} ({label('grade', lang)}: {grade(value) or '-'})"
    )
