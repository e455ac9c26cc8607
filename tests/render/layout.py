"""Read a PDF's layout back (poppler's ``pdftotext -bbox-layout``) and find what an auditor
would object to on paper: a token broken across two lines, text outside the page's body,
a page left almost empty.

Used by tests/render/test_layout.py on the demo's PDFs and on a stress snapshot; can also be
run by hand: ``python -m tests.render.layout report.ja.pdf [NAMES_FILE]``.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
# The report's @page margins (templates/report/report.css): 20 mm top, 16 mm sides, 18 mm bottom.
MARGIN_SIDE = 16 * MM
MARGIN_TOP = 20 * MM
MARGIN_BOTTOM = 18 * MM
TOLERANCE = 1.5  # points: glyph side bearings, rounding

# Tokens that must never be broken across lines (breaking at "/" or ":" is allowed).
TOKEN_KINDS: dict[str, re.Pattern[str]] = {
    "date (ja)": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    "date (ja, at or before)": re.compile(r"以前"),  # 「2026年3月6日 以前」
    "date (ISO)": re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?"),
    "account id": re.compile(r"(?<!\d)\d{12}(?!\d)"),
    "access key id": re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    "control id": re.compile(
        r"\b(?:IAM|CloudTrail|Config|EC2|S3|KMS|Account|AccessAnalyzer)\.\d{1,3}\b"
    ),
    "CIS id": re.compile(r"\bCIS \d{1,2}\.\d{1,2}\b"),
    "URL": re.compile(r"https?://[^\s)）]+"),
}
ALLOWED_BREAK_AFTER = ("/", ":", "#", ",")
# An English date (28 May 2025) is three words: a break between them splits it too.
MONTHS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


def english_date_split(tail: str, head: str) -> bool:
    """``28 May | 2025`` or ``28 | May 2025``: the line ends inside an English date."""
    day_then_month = re.fullmatch(r"\d{1,2}", tail) is not None and head in MONTHS
    month_then_year = tail in MONTHS and re.fullmatch(r"\d{4}\W?", head) is not None
    return day_then_month or month_then_year


# A piece of a name longer than this may break after - . _ or before a capital
# (reportgen.render.html.WHOLE_UP_TO).
LONGEST_WHOLE = 14


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]  # in poppler's reading order

    @property
    def body_lines(self) -> list[tuple[Word, ...]]:
        """Lines inside the body (not the running header or footer)."""
        top, bottom = MARGIN_TOP - TOLERANCE, self.height - MARGIN_BOTTOM + TOLERANCE
        return [ln for ln in self.lines if ln and ln[0].y_min >= top and ln[-1].y_max <= bottom]


@dataclass(frozen=True)
class Problem:
    page: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.detail}"


def read_pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes, as poppler lays them out."""
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    )
    xml = re.sub(rb"<!DOCTYPE[^>]*>", b"", done.stdout)
    root = ET.fromstring(xml)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages: list[Page] = []
    for number, node in enumerate(root.iterfind(".//x:page", ns), start=1):
        lines: list[tuple[Word, ...]] = []
        for line in node.iterfind(".//x:line", ns):
            words = tuple(
                Word(
                    w.text or "",
                    float(w.get("xMin", 0)),
                    float(w.get("yMin", 0)),
                    float(w.get("xMax", 0)),
                    float(w.get("yMax", 0)),
                )
                for w in line.iterfind("x:word", ns)
            )
            words = tuple(w for w in words if w.y_max - w.y_min >= 3)  # not hidden markers
            if words:
                lines.append(words)
        pages.append(
            Page(
                number,
                float(node.get("width", 0)),
                float(node.get("height", 0)),
                tuple(lines),
            )
        )
    return pages


def continuations(page: Page) -> list[tuple[tuple[Word, ...], tuple[Word, ...]]]:
    """Pairs (line, the line that continues it): the next line down starting at the same
    left edge, no more than half a line height below. Found from positions, not from
    poppler's blocks, which often put each line of a table cell in a block of its own."""
    pairs = []
    lines = sorted(page.lines, key=lambda ln: (ln[0].y_min, ln[0].x_min))
    for i, line in enumerate(lines):
        height = line[0].y_max - line[0].y_min
        for below in lines[i + 1 :]:
            gap = below[0].y_min - line[0].y_max
            if gap > height * 0.5:
                break
            if gap > -height * 0.3 and abs(below[0].x_min - line[0].x_min) < 2:
                pairs.append((line, below))
                break
    return pairs


def split_tokens(pages: Sequence[Page], names: Iterable[str] = ()) -> list[Problem]:
    """Tokens (dates, ids, URLs, and the given resource names) broken across two lines.

    For each line and the line that continues it, the end of the first and the start of
    the second are joined; a token found across the join is broken, unless the break
    falls right after ``/``, ``:``, ``#`` or ``,``. A name is checked piece by piece
    (split at those characters); pieces under 4 or over ``LONGEST_WHOLE`` characters
    are not checked.
    """
    pieces = {piece for name in names for piece in re.split(r"[/:#,]", name)}
    wanted = sorted({p for p in pieces if 4 <= len(p) <= LONGEST_WHOLE}, key=len, reverse=True)
    problems: list[Problem] = []
    for page in pages:
        for line, below in continuations(page):
            tail, head = line[-1].text, below[0].text
            if english_date_split(tail, head):
                problems.append(Problem(page.number, "date (en) split", f"{tail} | {head}"))
            if tail.endswith(ALLOWED_BREAK_AFTER):
                continue
            joined = tail + head
            cut = len(tail)
            piece = re.split(r"[/:#,]", tail)[-1] + re.split(r"[/:#,]", head)[0]
            camel = (tail[-1].islower() or tail[-1].isdigit()) and head[0].isupper()
            if len(piece) > LONGEST_WHOLE and (tail.endswith(("-", ".", "_")) or camel):
                continue  # too long for a column: breaks after - . _ or before a capital
            for kind, pattern in TOKEN_KINDS.items():
                if kind == "URL" and tail[-1].isalnum() and head[0].isupper():
                    continue  # a URL at the end of a sentence, the next one starting below
                for match in pattern.finditer(joined):
                    if match.start() < cut < match.end():
                        problems.append(Problem(page.number, f"{kind} split", f"{tail} | {head}"))
            for name in wanted:
                at = joined.find(name, max(0, cut - len(name) + 1))
                if 0 <= at < cut < at + len(name):
                    problems.append(Problem(page.number, "name split", f"{tail} | {head}"))
                    break
    return problems


def split_labels(pages: Sequence[Page], labels: Iterable[str]) -> list[Problem]:
    """Short labels (a table header such as コンソール) cut across two lines: a line that
    holds only the start of a label, continued below by its rest (コンソー | ル). Running
    Japanese text may break between any two characters; a one-word header may not."""
    wanted = sorted({label.replace(" ", "") for label in labels}, key=len, reverse=True)
    problems: list[Problem] = []
    for page in pages:
        for line, below in continuations(page):
            text = "".join(word.text for word in line)
            rest = "".join(word.text for word in below)
            for label in wanted:
                if len(text) < len(label) and (text + rest).startswith(label):
                    problems.append(Problem(page.number, "label split", f"{text} | {rest}"))
                    break
    return problems


def outside_body(pages: Sequence[Page]) -> list[Problem]:
    """Words beyond the side margins or off the page (a table wider than the page)."""
    problems: list[Problem] = []
    for page in pages:
        left, right = MARGIN_SIDE - TOLERANCE, page.width - MARGIN_SIDE + TOLERANCE
        for line in page.lines:
            for word in line:
                off_page = word.y_max > page.height or word.y_min < 0
                if word.x_min < left or word.x_max > right or off_page:
                    problems.append(
                        Problem(page.number, "outside the page body", repr(word.text[:40]))
                    )
    return problems


def overlapping(pages: Sequence[Page]) -> list[Problem]:
    """Words printed over one another (a name too wide for its column running into the next
    cell): two words on the same baseline band whose boxes intersect by more than 1 pt."""
    problems: list[Problem] = []
    for page in pages:
        bands: dict[int, list[Word]] = {}
        for line in page.lines:
            for word in line:
                bands.setdefault(round(word.y_max / 3), []).append(word)
        for band, words in bands.items():
            near = sorted(words + bands.get(band + 1, []), key=lambda w: w.x_min)
            for left, right in itertools.pairwise(near):
                same_row = min(left.y_max, right.y_max) - max(left.y_min, right.y_min) > (
                    0.5 * (left.y_max - left.y_min)
                )
                if same_row and left.x_max - right.x_min > 1.0:
                    problems.append(
                        Problem(page.number, "overlapping text", f"{left.text} / {right.text}")
                    )
    return problems


def fill(page: Page) -> float:
    """How far down the body the page's text reaches (0: empty, 1: full)."""
    lines = page.body_lines
    if not lines:
        return 0.0
    body = page.height - MARGIN_TOP - MARGIN_BOTTOM
    lowest = max(word.y_max for line in lines for word in line)
    return max(0.0, min(1.0, (lowest - MARGIN_TOP) / body))


def nearly_empty(pages: Sequence[Page], minimum: float, skip: Iterable[int] = ()) -> list[Problem]:
    """Pages whose text covers less than ``minimum`` of the body height, except the last
    page and the pages in ``skip`` (1-based: the cover, pages meant to stand alone)."""
    exempt = {*skip, len(pages)}
    return [
        Problem(page.number, "nearly empty page", f"{fill(page):.0%} of the body used")
        for page in pages
        if page.number not in exempt and fill(page) < minimum
    ]


def main(argv: Sequence[str]) -> int:
    pdf = Path(argv[0])
    names = Path(argv[1]).read_text(encoding="utf-8").split() if len(argv) > 1 else []
    pages = read_pages(pdf)
    found = split_tokens(pages, names) + outside_body(pages) + overlapping(pages)
    found += nearly_empty(pages, 0.2, (1,))
    for problem in found:
        print(problem)
    print(f"{len(pages)} pages, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
