"""Geometry of the inline SVG charts; the SVG markup itself lives in the templates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.render.i18n import Text

BAR_HEIGHT = 18
ROW_GAP = 14
LABEL_WIDTH = 230
BAR_AREA = 300
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a section's score (``None`` = nothing scored, drawn as a gap)."""

    label: Text
    value: float | None
    shown: str
    y: float
    width: float
    tone: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_area: int
    bar_height: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, int], ...]


def tone(score: float | None) -> str:
    """The colour class of a score: good (≥ 80), fair (≥ 60), poor, or none."""
    if score is None:
        return "none"
    if score >= 80:
        return "good"
    return "fair" if score >= 60 else "poor"


def score_bars(rows: Sequence[tuple[Text, float | None]], label_lines: int = 1) -> BarChart:
    """A 0–100 horizontal bar chart, one bar per ``(label, score)`` row."""
    row_height = BAR_HEIGHT + ROW_GAP + 12 * (label_lines - 1)
    top = 20
    bars = tuple(
        Bar(
            label=label,
            value=value,
            shown=f"{math.floor(value * 10) / 10:.1f}" if value is not None else "–",
            y=top + index * row_height,
            width=round(BAR_AREA * max(0.0, min(value, 100.0)) / 100, 1)
            if value is not None
            else 0,
            tone=tone(value),
        )
        for index, (label, value) in enumerate(rows)
    )
    ticks = tuple((LABEL_WIDTH + BAR_AREA * pct / 100, pct) for pct in (0, 25, 50, 75, 100))
    return BarChart(
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=top + len(rows) * row_height,
        label_width=LABEL_WIDTH,
        bar_area=BAR_AREA,
        bar_height=BAR_HEIGHT,
        bars=bars,
        ticks=ticks,
    )
