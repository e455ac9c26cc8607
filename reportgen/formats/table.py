"""Findings as a terminal table (rich), in the chosen language: what needs attention."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Status, blocked_checks, missing_sources
from reportgen.evaluate.messages import reader_format
from reportgen.formats.common import label, languages, message, printable
from reportgen.formats.wrap import wrap
from reportgen.lang import listed
from reportgen.lang import text as lang_text

DEFAULT_WIDTH = 160
"""Columns when no terminal width is known (piped output, a file): the table as it always was."""
MIN_WIDTH = 40
RESOURCE_WIDTH = 40
# The layout is the widest one whose message column keeps this many cells: five columns,
# then three (status over severity, check over resource), then one block per finding.
WIDE_TEXT = 60
MERGED_TEXT = 50
SECTION_WIDTH = 20
"""The narrowest section column of the summary table; narrower, one block per section."""
HIDDEN = frozenset({Status.PASS, Status.NOT_APPLICABLE})
INDENT = "  "

Row = tuple[str, str, str, str, str]
"""Status, severity, check id, resource name, message: the plain texts of one finding."""


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    """The table at :data:`DEFAULT_WIDTH` columns (the format renderer's contract)."""
    return fitted(assessment, catalogue, lang, DEFAULT_WIDTH)


def fitted(assessment: Assessment, catalogue: Catalogue, lang: str, width: int) -> str:
    """Score line, then one row per finding to act on, most severe first (plain text), in
    at most ``width`` columns (the command line passes the terminal's).

    PASS and NOT_APPLICABLE rows are left out: the table lists what needs attention.
    """
    width = max(MIN_WIDTH, width)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    _print_fields(console, _score_line(assessment, lang), width)
    _print_partial(console, assessment, catalogue, lang, width)
    rows = _rows(assessment, catalogue, lang)
    if not rows:
        _print_lines(console, label("no_findings", lang), width)
        return out.getvalue()
    headers = [label(key, lang) for key in ("status", "severity", "check", "resource", "message")]
    fixed = [max(cell_len(row[i]) for row in [*rows, headers]) for i in range(3)]
    resource = min(RESOURCE_WIDTH, max(cell_len(row[3]) for row in [*rows, headers]))
    # Borders and padding: three cells per column plus the last border.
    wide_text = width - sum(fixed) - resource - 3 * len(headers) - 1
    merged = [max(fixed[:2]), max(fixed[2], resource)]
    merged_text = width - sum(merged) - 3 * 3 - 1
    if wide_text >= WIDE_TEXT:
        console.print(_table(headers, rows, [*fixed, resource, wide_text]))
    elif merged_text >= MERGED_TEXT:
        console.print(_merged_table(headers, rows, [*merged, merged_text]))
    else:
        _print_blocks(console, headers, rows, width)
    return out.getvalue()


def _rows(assessment: Assessment, catalogue: Catalogue, lang: str) -> list[Row]:
    """The findings to act on, most severe first, FAIL before the other statuses."""
    code = lang.split("+")[0]
    findings = sorted(
        (f for f in assessment.findings if f.status not in HIDDEN),
        key=lambda f: (f.severity.rank, _status_rank(f.status), f.check_id, f.resource_name),
    )
    return [
        (
            catalogue.label("status", f.status.value, code),
            catalogue.label("severity", f.severity.value, code),
            f.check_id,
            printable(f.resource_name),
            # Dates in words as in the report (2026年11月28日); findings.json keeps ISO.
            printable(message(catalogue, f, lang, sep="\n", fmt=reader_format)),
        )
        for f in findings
    ]


def _table(headers: list[str], rows: list[Row], widths: list[int]) -> Table:
    """Five columns: status, severity, check, resource and message."""
    table = Table(show_lines=False)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, no_wrap=True, min_width=width, max_width=width)
    resource, text = widths[3], widths[4]
    for status, severity, check, name, body in rows:
        # Rich would read "[...]" in account data as markup: plain Text cells only. Lines are
        # broken here, not by rich, so that no word, number, id or ARN is cut in two.
        table.add_row(status, severity, check, Text(wrap(name, resource)), Text(wrap(body, text)))
    return table


def _merged_table(headers: list[str], rows: list[Row], widths: list[int]) -> Table:
    """Three columns for a narrower terminal: status over severity, check over resource."""
    table = Table(show_lines=False)
    merged = ["\n".join(headers[:2]), "\n".join(headers[2:4]), headers[4]]
    for header, width in zip(merged, widths, strict=True):
        table.add_column(header, no_wrap=True, min_width=width, max_width=width)
    for status, severity, check, name, body in rows:
        table.add_row(
            Text(f"{status}\n{severity}"),
            Text(f"{check}\n{wrap(name, widths[1])}"),
            Text(wrap(body, widths[2])),
        )
    return table


def _print_blocks(console: Console, headers: list[str], rows: list[Row], width: int) -> None:
    """One block per finding for a narrow terminal: status | severity | check | resource on
    one line, the message under it, indented; a legend of the same shape first."""
    text = width - len(INDENT)
    for status, severity, check, name, body in [tuple(headers), *rows]:
        console.print()
        _print_lines(console, " | ".join((status, severity, check, name)), width)
        lines = wrap(body, text).splitlines()
        console.print(Text("\n".join(INDENT + line if line else line for line in lines)))


def _print_lines(console: Console, line: str, width: int) -> None:
    """A line of text broken where our wrap allows (never inside a word, no 。 at a line start)."""
    console.print(Text(wrap(line, width)))


def _status_rank(status: Status) -> int:
    """FAIL first, then the other statuses in their declared order."""
    return 0 if status is Status.FAIL else 1 + list(Status).index(status)


def summary(
    assessment: Assessment, catalogue: Catalogue, lang: str, width: int = DEFAULT_WIDTH
) -> str:
    """Score line, then the score and grade of each article section, and counts by status.

    Every status has its column, UNKNOWN included, so that a gap in the data is seen at once.
    """
    codes = languages(lang)
    width = max(MIN_WIDTH, width)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    _print_fields(console, _score_line(assessment, lang), width)
    _print_partial(console, assessment, catalogue, lang, width)
    headers = [[label(key, c) for c in codes] for key in ("section_score", "grade", "coverage")]
    headers += [[catalogue.label("status", s.value, c) for c in codes] for s in Status]
    rows: list[tuple[list[str], list[str]]] = []
    for section, spec in catalogue.sections.items():
        score = assessment.sections.get(section)
        number = score.value if score else None
        coverage = score.coverage if score else None
        counts = [
            sum(1 for f in assessment.findings if f.section is section and f.status is s)
            for s in Status
        ]
        values = [
            "-" if number is None else f"{number:.1f}",
            (score.grade if score else None) or "-",
            "-" if coverage is None else f"{coverage:.0f}%",
            *(str(c) for c in counts),
        ]
        rows.append(([spec.title[code] for code in codes], values))
    # Each header one language a line, each number whole: the columns never shrink below
    # their longest word; the section titles take what is left, else one block a section.
    widths = [
        max(cell_len(text) for text in [*header, *(values[i] for _, values in rows)])
        for i, header in enumerate(headers)
    ]
    natural = max(cell_len(t) for titles, _ in rows for t in [*titles, label("section", lang)])
    title_width = min(natural, width - sum(widths) - 3 * (len(widths) + 1) - 1)
    if title_width >= SECTION_WIDTH:
        table = Table(show_lines=False)
        table.add_column(label("section", lang), no_wrap=True, width=title_width)
        for i, (header, column) in enumerate(zip(headers, widths, strict=True)):
            justify: JustifyMethod = "center" if i == 1 else "right"  # the grade
            table.add_column("\n".join(header), justify=justify, no_wrap=True, width=column)
        for titles, values in rows:
            # ja+en: one line per language
            table.add_row(Text("\n".join(wrap(t, title_width) for t in titles)), *values)
        console.print(table)
        return out.getvalue()
    for titles, values in rows:  # too narrow for the table without cutting a word: blocks
        console.print()
        _print_lines(console, "\n".join(titles), width)
        shown = [" / ".join(header) for header in headers]
        fields = [f"{h}: {v}" for h, v in zip(shown, values, strict=True)]
        _print_fields(console, fields[:3], width, INDENT)
        _print_fields(console, fields[3:], width, INDENT)
    return out.getvalue()


def _print_partial(
    console: Console, assessment: Assessment, catalogue: Catalogue, lang: str, width: int
) -> None:
    """The partial-data notice under the score when sources are missing (an import)."""
    names = missing_sources(assessment)
    if not names:
        return
    count = blocked_checks(assessment)
    for code in languages(lang):
        sources = listed([catalogue.label("source", n, code) for n in names], code)
        notice = lang_text("labels", code, "partial_data", sources=sources, count=count)
        _print_lines(console, printable(notice), width)


def _score_line(assessment: Assessment, lang: str) -> list[str]:
    """Account, profile, the score with its grade, the raw score when exceptions changed it,
    and the coverage: a score is never shown without the other two. One text per field."""
    overall = assessment.overall
    shown = "-" if overall.value is None else f"{overall.value:.1f}"
    codes = languages(lang)
    fields = [
        f"{label('account', lang)}: {assessment.account_id}",
        f"{label('profile', lang)}: {' / '.join(assessment.profile_name(c) for c in codes)}",
        f"{label('score', lang)}: {shown} ({label('grade', lang)}: {overall.grade or '-'})",
    ]
    if overall.raw != overall.value or overall.raw_grade != overall.grade:
        raw = "-" if overall.raw is None else f"{overall.raw:.1f}"
        fields.append(f"{label('raw_score', lang)}: {raw} ({overall.raw_grade or '-'})")
    if overall.coverage is not None:
        fields.append(f"{label('coverage', lang)}: {overall.coverage:.1f}%")
    return [printable(field) for field in fields]


def _print_fields(console: Console, fields: list[str], width: int, indent: str = "") -> None:
    """Fields two spaces apart, a line broken between fields rather than inside one."""
    lines: list[str] = []
    joinable = False  # a field broken over lines ends its last line
    for field in fields:
        if joinable and cell_len(lines[-1] + "  " + field) <= width:
            lines[-1] += "  " + field
            continue
        broken = wrap(field, width - len(indent)).splitlines()
        lines.extend(indent + line for line in broken)
        joinable = len(broken) == 1
    console.print(Text("\n".join(lines)))
