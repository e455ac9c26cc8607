"""The ``markdown`` format: headings and pipe tables to paste into a ticket."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportgen.compare.diff import Change, Comparison
from reportgen.compare.followup import follow_up
from reportgen.formats.diff import followup, rows
from reportgen.formats.diff.texts import Texts


def cell(text: str) -> str:
    """A table cell: pipes, backslashes and line breaks (``\\n``, ``\\r``) cannot break it."""
    flat = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def code(text: str) -> str:
    """Inline code, so names such as ``<root_account>`` show as they are.

    The fence is one backtick longer than the longest run inside (CommonMark), with a
    space inside when the text starts or ends with a backtick, so no name escapes it.
    """
    if not text:
        return text
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    return lines


def render(comparison: Comparison, texts: Texts) -> str:
    """The comparison as Markdown: one section per kind of change, largest risk first."""
    out = [f"## {texts('heading')}", ""]
    out += [f"- {line}" for line in rows.heading_lines(comparison, texts)]
    out += ["", f"### {texts('scores.heading')}", ""]
    out += table(rows.score_header(texts), rows.score_rows(comparison, texts))
    if not comparison.changes:
        out += ["", texts("no_changes")]
    for kind in Change:
        items = comparison.of(kind)
        if not items:
            continue
        header = rows.change_header(texts)[1:]
        body = []
        for item in items:
            row = rows.change_row(item, texts)[1:]
            row[2] = code(row[2])
            body.append(row)
        title = texts("group", kind=texts(f"change.{kind.value}"), count=len(items))
        out += ["", f"### {title}", ""]
        out += table(header, body)
    if comparison.checks:
        out += ["", f"### {texts('checks.heading')}", ""]
        out += table([texts("col.check"), texts("col.note")], rows.note_rows(comparison, texts))
    found = follow_up(comparison)
    if found is not None:
        out += ["", f"### {texts('followup.heading')}", "", followup.summary(found, texts)]
        body = followup.rows(found, texts)
        out += ["", *table(followup.header(texts), body)] if body else []
    return "\n".join(out) + "\n"
