"""In the PDF, names and dates are kept whole by word joiners (U+2060), not by spans."""

from __future__ import annotations

import html
import re
from itertools import product

import pytest
from weasyprint.text.line_break import get_log_attrs

from reportgen.render.html import BREAK_AFTER, WJ, printable_breaks, printable_date_cell

ASCII = [chr(code) for code in range(0x21, 0x7F)]
# printable_breaks breaks a name after these on purpose (docs: glossary).
SEPARATORS = "/:#,"


def breaks(markup: str) -> list[int]:
    """Where WeasyPrint's line breaker (Pango) may break the text of ``markup`` in Japanese."""
    text = html.unescape(markup)
    attrs = get_log_attrs(text, "ja")
    return [index for index in range(1, len(text)) if attrs[index].is_line_break]


def test_pango_breaks_ascii_only_after_the_listed_characters() -> None:
    """Between two printable ASCII characters Pango breaks only after one of BREAK_AFTER's
    characters, so a word joiner after each of them keeps any ASCII name whole."""
    breaking = {
        first
        for first, second in product(ASCII, ASCII)
        for text in (f"x{first}{second}y", f"1{first}{second}2")
        if 2 in breaks(text)
    }
    assert breaking
    assert all(BREAK_AFTER.match(char + "x") for char in breaking)


def test_a_name_with_a_hyphen_has_no_break_but_at_its_separators() -> None:
    """A short name holding a hyphen (once a nowrap span) breaks nowhere inside, whatever two
    characters follow, except after the separators / : # , (break points on purpose)."""
    broken = []
    for pair in product(ASCII, ASCII):
        name = "svc-{}{}x".format(*pair)
        markup = str(printable_breaks(name))
        text = html.unescape(markup)
        assert "<span" not in markup
        assert text.replace(WJ, "").replace("\u200b", "") == name
        allowed = {i + 1 for i, char in enumerate(text) if char in SEPARATORS + "\u200b"}
        if not set(breaks(markup)) <= allowed:
            broken.append(name)
    assert broken == []


@pytest.mark.parametrize(
    ("markup", "whole"),
    [
        (printable_breaks("2026年3月6日"), ["2026年3月6日"]),
        (printable_breaks("評価基準日 2026年9月4日 です"), ["2026年9月4日"]),
        (printable_date_cell("2026年12月14日 以前"), ["2026年12月14日", "以前"]),
    ],
)
def test_a_japanese_date_has_no_break_inside(markup: str, whole: list[str]) -> None:
    """A Japanese date (and 「以前」 in a date cell) is joined character by character: Pango
    breaks around it, as with the span before, never inside."""
    plain = html.unescape(str(markup))
    assert "<span" not in plain
    inside = set()
    for token in whole:
        found = re.search(f"{WJ}?".join(map(re.escape, token)), plain)
        assert found is not None
        inside |= set(range(found.start() + 1, found.end()))
    assert not set(breaks(str(markup))) & inside


def test_an_english_date_keeps_its_span() -> None:
    """An English date has spaces, which a word joiner cannot hold: it stays in a nowrap span."""
    assert str(printable_date_cell("at or before 6 March 2026")) == (
        'at or before <span class="nobr">6 March 2026</span>'
    )
