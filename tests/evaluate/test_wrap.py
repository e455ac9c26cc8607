"""Terminal line breaking: never inside a Latin token or number, Japanese kinsoku kept."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rich.cells import cell_len

from reportgen.formats.wrap import NO_END, NO_START, wrap

LATIN = re.compile(r"[!-~]")
WORDS = st.sampled_from(
    [
        "AdministratorAccess",
        "90日",
        "基準：90日以内",
        "ルートユーザー",
        "が",
        "、",
        "。",
        "（",
        "）",
        " ",
        "IAM.8",
        "2026-11-28",
        "arn:aws:iam::123456789012:user/dev/tanaka",
        "AKIAIOSFODNN7EXAMPLE",
    ]
)


@given(st.lists(WORDS, max_size=40), st.integers(min_value=20, max_value=80))
def test_lines_fit_and_keep_every_character(words: list[str], width: int) -> None:
    """Each line fits the width; only spaces at breaks disappear."""
    text = "".join(words)
    lines = wrap(text, width).split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.lists(WORDS, max_size=40), st.integers(min_value=25, max_value=80))
def test_no_token_is_cut_and_kinsoku_holds(words: list[str], width: int) -> None:
    """Words, numbers, dates, ids stay whole; no line starts with 。） or ends with （."""
    text = "".join(words)
    # A token that cannot fit with the punctuation glued to it has to be cut: not tested here,
    # and neither are runs of punctuation that leave no allowed break at all.
    glued = re.findall(r"(?:（ *)*[!-~]+(?: *[、。）])*", text)
    assume(all(cell_len(run) <= width for run in glued))
    assume(not re.search("[、。）] *[、。）]|（ *（", text))
    lines = [line for line in wrap(text, width).split("\n") if line]
    position = 0
    for before, after in itertools.pairwise(lines):
        position = text.index(before, position) + len(before)
        at_space = text[position] == " "
        inside = bool(LATIN.match(text[position - 1]) and LATIN.match(text[position]))
        assert at_space or not inside or before[-1] in "/:", (before, after)
        assert after[0] not in NO_START and before[-1] not in NO_END, (before, after)


@given(st.lists(WORDS, max_size=40), st.integers(min_value=25, max_value=80))
def test_a_number_keeps_its_counter(words: list[str], width: int) -> None:
    """No line ends with a number whose counter (日) starts the next line."""
    text = "".join(words)
    lines = [line for line in wrap(text, width).split("\n") if line]
    for before, after in itertools.pairwise(lines):
        assert not (before[-1].isdigit() and after[0] == "日"), (before, after)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("ポリシー AdministratorAccess を確認", 20, "ポリシー\nAdministratorAccess\nを確認"),
        (
            "arn:aws:iam::123456789012:user/dev/tanaka",
            20,
            "arn:aws:iam::\n123456789012:user/\ndev/tanaka",
        ),
        ("（基準：90日以内）。", 8, "（基準：\n90日以\n内）。"),
        # A number keeps its counter: not "基準：90" over "日以内" (the evaluate table did).
        ("基準：90日以内", 8, "基準：\n90日以内"),
    ],
)
def test_examples(text: str, width: int, expected: str) -> None:
    """Breaks at spaces, after ':' or '/' in an ARN, and never before closing punctuation."""
    assert wrap(text, width) == expected
