"""The trend chart as inline SVG: score lines (overall and per section) over failing-count bars.

Pure and deterministic: no scripts, no ids, no external fonts or links; numbers are written
with fixed precision, and colours and dash patterns tell the series apart in print too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from reportgen.compare.trend import Trend, TrendPoint
from reportgen.evaluate.findings import Section
from reportgen.formats.diff.texts import Texts
from reportgen.lang import parse_langs

MIN_WIDTH = 720
LEFT = 44  # room for the 0–100 axis labels
PLOT_RIGHT = 500  # the legend sits to the right of this
TOP = 24
PLOT_HEIGHT = 180
LABEL_ROOM = 70  # x labels under the score panel
BAR_LABEL = 20
BAR_HEIGHT = 56
BOTTOM = 18
MIN_LABEL_STEP = 96  # narrower spacing than this tilts the x labels
OVERALL_COLOUR = "#1a1a1a"
# Okabe–Ito colours (told apart with colour blindness) plus dash patterns for grey print.
PALETTE: dict[Section, tuple[str, str]] = {
    Section.ROOT: ("#D55E00", ""),
    Section.LEAST_PRIVILEGE: ("#0072B2", "6 3"),
    Section.MFA: ("#009E73", "2 2"),
    Section.GROUPS: ("#CC79A7", "8 3 2 3"),
    Section.ACCESS_KEYS: ("#E69F00", "4 4"),
    Section.UNUSED: ("#56B4E9", "1 3"),
    Section.LOGGING: ("#7F3C8D", "10 4"),
    Section.PASSWORD_POLICY: ("#6B6B6B", "3 2 1 2"),
}


def _num(value: float) -> str:
    """A coordinate with one decimal and no ``-0.0``."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _text_width(text: str) -> float:
    """A generous estimate of the text's width at 11 px (wide characters count almost double)."""
    return sum(11.0 if unicodedata.east_asian_width(ch) in "WF" else 6.6 for ch in text)


def _langs(lang: str) -> tuple[Texts, ...]:
    return tuple(Texts(p) for p in parse_langs(lang))


def _say(texts: Sequence[Texts], key: str, **values: object) -> str:
    return " / ".join(t(key, **values) for t in texts)


class _Frame:
    """Where things go: x per point, y per score, the failing-bar panel below."""

    def __init__(self, count: int, label_width: float = 0.0) -> None:
        self.count = count
        inner = PLOT_RIGHT - LEFT - 40
        self.step = inner / (count - 1) if count > 1 else 0.0
        self.tilted = count > 1 and self.step < max(MIN_LABEL_STEP, label_width + 8)
        self.bars_top = TOP + PLOT_HEIGHT + LABEL_ROOM + BAR_LABEL
        self.height = self.bars_top + BAR_HEIGHT + BOTTOM

    def x(self, index: int) -> float:
        if self.count == 1:
            return (LEFT + PLOT_RIGHT) / 2
        return LEFT + 20 + index * self.step

    @staticmethod
    def y(score: float) -> float:
        return TOP + (100.0 - max(0.0, min(score, 100.0))) / 100.0 * PLOT_HEIGHT


def trend_svg(trend: Trend, lang: str) -> str:
    """The SVG markup of ``trend`` with labels in ``lang`` (``ja``, ``en`` or ``ja+en``)."""
    texts = _langs(lang)
    widest = max(_text_width(x) for p in trend.points for x in _quarter_labels(p, texts))
    frame = _Frame(len(trend.points), widest)
    first, last = trend.points[0], trend.points[-1]
    description = _say(
        texts,
        "trend.description",
        first=first.collected_at.date().isoformat(),
        last=last.collected_at.date().isoformat(),
        count=len(trend.points),
    )
    legend: list[tuple[str, str, str, float]] = [
        (_say(texts, "trend.overall"), OVERALL_COLOUR, "", 3.0)
    ]
    for section in trend.sections:
        colour, dash = PALETTE[section]
        legend.append((_say(texts, f"section.{section.value}"), colour, dash, 1.6))
    width = max(MIN_WIDTH, round(PLOT_RIGHT + 58 + max(_text_width(e[0]) for e in legend)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" '
        f'viewBox="0 0 {width} {frame.height}" width="{width}" height="{frame.height}" '
        f'role="img" aria-label={quoteattr(description)} '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(_say(texts, 'trend.title'))}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    out += _grid()
    out += _x_labels(trend, frame, texts)
    for section in trend.sections:
        colour, dash = PALETTE[section]
        out += _series(trend.series(section), frame, colour, dash, 1.6)
    out += _series(trend.series(None), frame, OVERALL_COLOUR, "", 3.0)
    out += _legend(legend)
    out += _bars(trend, frame, _say(texts, "trend.failing"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _grid() -> list[str]:
    lines = ['<g class="grid" stroke="#d0d0d0" stroke-width="1">']
    labels = ['<g class="axis" fill="#4d4d4d" text-anchor="end">']
    for value in (0, 25, 50, 75, 100):
        y = _num(_Frame.y(value))
        lines.append(f'<line x1="{LEFT}" y1="{y}" x2="{PLOT_RIGHT}" y2="{y}"/>')
        labels.append(f'<text x="{LEFT - 6}" y="{y}" dy="4">{value}</text>')
    return [*lines, "</g>", *labels, "</g>"]


def _x_labels(trend: Trend, frame: _Frame, texts: Sequence[Texts]) -> list[str]:
    out = ['<g class="x-labels" fill="#1a1a1a">']
    base = TOP + PLOT_HEIGHT + 16
    for index, point in enumerate(trend.points):
        lines = [*_quarter_labels(point, texts), point.collected_at.date().isoformat()]
        x = _num(frame.x(index))
        if frame.tilted:
            # Too narrow for the quarter names: the date alone, tilted (the table has both).
            out.append(
                f'<text x="{x}" y="{base}" text-anchor="end" '
                f'transform="rotate(-40 {x} {base})">{escape(lines[-1])}</text>'
            )
            continue
        for i, text in enumerate(lines):
            out.append(
                f'<text x="{x}" y="{base + 13 * i}" text-anchor="middle">{escape(text)}</text>'
            )
    out.append("</g>")
    return out


def _quarter_labels(point: TrendPoint, texts: Sequence[Texts]) -> list[str]:
    """The quarter name under ``point``, in each of the report's languages."""
    year, quarter = point.quarter(texts[0].lang)  # one calendar for every language
    return [t("trend.quarter", year=year, quarter=quarter) for t in texts]


def _series(
    values: Sequence[float | None], frame: _Frame, colour: str, dash: str, width: float
) -> list[str]:
    """A line through the scored points; a point without a score breaks the line."""
    style = f'stroke="{colour}" stroke-width="{width}"' + (
        f' stroke-dasharray="{dash}"' if dash else ""
    )
    out = [f'<g class="series" fill="none" {style}>']
    run: list[str] = []
    for index, value in enumerate((*values, None)):
        if value is not None:
            run.append(f"{_num(frame.x(index))},{_num(frame.y(value))}")
            continue
        if len(run) > 1:
            out.append(f'<polyline points="{" ".join(run)}"/>')
        run = []
    for index, value in enumerate(values):
        if value is not None:
            out.append(
                f'<circle cx="{_num(frame.x(index))}" cy="{_num(frame.y(value))}" r="2.8" '
                f'fill="{colour}" stroke="none"/>'
            )
    out.append("</g>")
    return out


def _legend(entries: Sequence[tuple[str, str, str, float]]) -> list[str]:
    out = ['<g class="legend" fill="#1a1a1a">']
    x = PLOT_RIGHT + 18
    for index, (label, colour, dash, width) in enumerate(entries):
        y = TOP + 6 + index * 18
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" '
            f'stroke-width="{width}"{dashed}/>'
        )
        out.append(f'<text x="{x + 32}" y="{y}" dy="4">{escape(label)}</text>')
    out.append("</g>")
    return out


def _bars(trend: Trend, frame: _Frame, title: str) -> list[str]:
    """Failing findings per point as bars, each with its count above it."""
    top = frame.bars_top
    peak = max(1, *(p.failing for p in trend.points))
    width = max(6.0, min(28.0, frame.step * 0.5 if frame.count > 1 else 28.0))
    out = [
        f'<text class="bars-title" x="{LEFT}" y="{top - BAR_LABEL + 10}" fill="#1a1a1a">'
        f"{escape(title)}</text>",
        f'<line x1="{LEFT}" y1="{top + BAR_HEIGHT}" x2="{PLOT_RIGHT}" y2="{top + BAR_HEIGHT}" '
        f'stroke="#808080" stroke-width="1"/>',
        '<g class="bars" fill="#8c2d04">',
    ]
    room = BAR_HEIGHT - 14
    for index, point in enumerate(trend.points):
        height = room * point.failing / peak
        x = frame.x(index)
        y = top + BAR_HEIGHT - height
        out.append(
            f'<rect x="{_num(x - width / 2)}" y="{_num(y)}" width="{_num(width)}" '
            f'height="{_num(height)}"/>'
        )
        out.append(
            f'<text x="{_num(x)}" y="{_num(y - 3)}" text-anchor="middle" fill="#1a1a1a">'
            f"{point.failing}</text>"
        )
    out.append("</g>")
    return out
