"""Findings as a terminal table (rich), in the chosen language: what needs attention."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Status, blocked_checks, missing_sources
from reportgen.formats.common import label, languages, message, printable
from reportgen.formats.wrap import wrap
from reportgen.lang import text as lang_text

WIDTH = 160
RESOURCE_WIDTH = 40
HIDDEN = frozenset({Status.PASS, Status.NOT_APPLICABLE})


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """Score line, then one row per finding to act on, most severe first (plain text).

    PASS and NOT_APPLICABLE rows are left out: the table lists what needs attention.
    """
    code = lang.split("+")[0]
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False)
    console.print(Text(_score_line(assessment, lang)))
    _print_partial(console, assessment, catalogue, lang)
    rows = sorted(
        (f for f in assessment.findings if f.status not in HIDDEN),
        key=lambda f: (f.severity.rank, _status_rank(f.status), f.check_id, f.resource_name),
    )
    if not rows:
        console.print(label("no_findings", lang))
        return out.getvalue()
    cells = [
        (
            catalogue.label("status", f.status.value, code),
            catalogue.label("severity", f.severity.value, code),
            f.check_id,
            printable(f.resource_name),
            printable(message(catalogue, f, lang, sep="\n")),
        )
        for f in rows
    ]
    headers = [label(key, lang) for key in ("status", "severity", "check", "resource", "message")]
    fixed = [max(cell_len(row[i]) for row in [*cells, headers]) for i in range(3)]
    resource = min(RESOURCE_WIDTH, max(cell_len(row[3]) for row in [*cells, headers]))
    # Borders and padding: three cells per column plus the last border.
    text_width = WIDTH - sum(fixed) - resource - 3 * len(headers) - 1
    table = Table(show_lines=False)
    for header, width in zip(headers, [*fixed, resource, text_width], strict=True):
        table.add_column(header, no_wrap=True, min_width=width, max_width=width)
    for status, severity, check, name, text in cells:
        # Rich would read "[...]" in account data as markup: plain Text cells only. Lines are
        # broken here, not by rich, so that no word, number, id or ARN is cut in two.
        table.add_row(
            status, severity, check, Text(wrap(name, resource)), Text(wrap(text, text_width))
        )
    console.print(table)
    return out.getvalue()


def _status_rank(status: Status) -> int:
    """FAIL first, then the other statuses in their declared order."""
    return 0 if status is Status.FAIL else 1 + list(Status).index(status)


def summary(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """Score line, then the score and grade of each article section, and counts by status.

    Every status has its column, UNKNOWN included, so that a gap in the data is seen at once.
    """
    codes = languages(lang)
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False)
    console.print(Text(_score_line(assessment, lang)))
    _print_partial(console, assessment, catalogue, lang)
    table = Table(show_lines=False)
    table.add_column(label("section", lang), no_wrap=True)
    table.add_column(label("section_score", lang), justify="right")
    table.add_column(label("grade", lang), justify="center")
    table.add_column(label("coverage", lang), justify="right")
    for status in Status:
        header = " / ".join(catalogue.label("status", status.value, code) for code in codes)
        table.add_column(header, justify="right")
    for section, spec in catalogue.sections.items():
        score = assessment.sections.get(section)
        number = score.value if score else None
        coverage = score.coverage if score else None
        counts = [
            sum(1 for f in assessment.findings if f.section is section and f.status is s)
            for s in Status
        ]
        table.add_row(
            "\n".join(spec.title[code] for code in codes),  # ja+en: one line per language
            "-" if number is None else f"{number:.1f}",
            (score.grade if score else None) or "-",
            "-" if coverage is None else f"{coverage:.0f}%",
            *(str(c) for c in counts),
        )
    console.print(table)
    return out.getvalue()


def _print_partial(
    console: Console, assessment: Assessment, catalogue: Catalogue, lang: str
) -> None:
    """The partial-data notice under the score when sources are missing (an import)."""
    names = missing_sources(assessment)
    if not names:
        return
    count = blocked_checks(assessment)
    for code in languages(lang):
        sources = ("、" if code == "ja" else ", ").join(
            catalogue.label("source", n, code) for n in names
        )
        notice = lang_text("labels", code, "partial_data", sources=sources, count=count)
        console.print(Text(printable(notice)))


def _score_line(assessment: Assessment, lang: str) -> str:
    """Account, profile, the score with its grade, the raw score when exceptions changed it,
    and the coverage: a score is never shown without the other two."""
    overall = assessment.overall
    shown = "-" if overall.value is None else f"{overall.value:.1f}"
    codes = languages(lang)
    line = (
        f"{label('account', lang)}: {assessment.account_id}  "
        f"{label('profile', lang)}: {' / '.join(assessment.profile_name(c) for c in codes)}  "
        f"{label('score', lang)}: {shown} ({label('grade', lang)}: {overall.grade or '-'})"
    )
    if overall.raw != overall.value or overall.raw_grade != overall.grade:
        raw = "-" if overall.raw is None else f"{overall.raw:.1f}"
        line += f"  {label('raw_score', lang)}: {raw} ({overall.raw_grade or '-'})"
    if overall.coverage is not None:
        line += f"  {label('coverage', lang)}: {overall.coverage:.1f}%"
    return printable(line)
