"""Line breaking for terminal tables: never inside a word, number, id, ARN or date; kinsoku.

Rich folds a cell wherever the column ends, which splits ``AdministratorAccess`` or
``90日`` in two. Here a line may break at a space (not inside a date: ``10 October 2026``),
between two Japanese characters (not between a number and the counter after it: ``90日``,
``1個``, nor inside ``2026年10月10日``), or inside a Latin token only
after ``/`` or ``:`` (ARNs, URLs), and never so that a line starts with closing punctuation
(。、）」…) or ends with opening punctuation (（「…).
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from reportgen.dates import DATE_TEXT

# Japanese line-breaking rules (JIS X 4051 kinsoku, the common subset).
NO_START = set(
    "、。，．・：；？！）」』】〕〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ"
)
NO_END = set("（「『【〔〈《")

# A date in words (2026年10月10日, 10 October 2026), else a Latin run: letters, digits and
# the punctuation of ids, ARNs, ISO dates and URLs.
_WHOLE = re.compile(DATE_TEXT + r"|[!-~]+")


def _units(text: str) -> list[str]:
    """Split into unbreakable units: dates, Latin runs, single other characters, single
    spaces."""
    units: list[str] = []
    position = 0
    for match in _WHOLE.finditer(text):
        units.extend(text[position : match.start()])
        units.append(match.group())
        position = match.end()
    units.extend(text[position:])
    return units


def _counter(unit: str) -> bool:
    """A Japanese character that can follow a number as its counter or unit (日, 件, 個)."""
    return len(unit) == 1 and not unit.isascii() and not unit.isspace() and unit not in NO_END


def _glue(units: list[str]) -> list[str]:
    """Attach closing punctuation to the unit before it and opening punctuation to the next."""
    glued: list[str] = []
    for unit in units:
        previous = glued[-1] if glued else ""
        if len(glued) > 1 and previous == " " and unit[0] in NO_START:
            glued.pop()  # "word 、": the space is no place to break either
            glued[-1] += " " + unit
        elif previous.strip() and previous.rstrip(" ")[-1] in NO_END:
            glued[-1] += unit  # "（word" and "（ word": never break after an opening mark
        elif previous.strip() and unit != " " and unit[0] in NO_START:
            glued[-1] += unit
        elif previous[-1:].isdigit() and previous[-1].isascii() and _counter(unit):
            glued[-1] += unit  # "90日", "1個", "24件": a number keeps its counter
        else:
            glued.append(unit)
    return glued


def _split_long(unit: str, width: int) -> list[str]:
    """A unit wider than a line: break after '/' or ':' where possible, else hard."""
    pieces = [p for p in re.split(r"(?<=[/:])", unit) if p]
    out: list[str] = []
    line = ""
    for piece in pieces:
        if line and cell_len(line + piece) > width:
            out.append(line)
            line = ""
        while cell_len(piece) > width:  # one piece alone longer than a line: no choice left
            cut = width
            while cell_len(piece[:cut]) > width:
                cut -= 1
            out.append(piece[:cut])
            piece = piece[cut:]
        line += piece
    if line:
        out.append(line)
    return out


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` terminal cells, joined by newlines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _glue(_units(paragraph)):
            if unit == " " and not line:
                continue
            if cell_len(line + unit) <= width:
                line += unit
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if unit == " " else unit
            if cell_len(line) > width:
                *full, line = _split_long(line, width)
                lines.extend(full)
        lines.append(line.rstrip())
    return "\n".join(lines)
