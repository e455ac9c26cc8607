"""Control characters in account data never reach the terminal or break the JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.run import evaluate
from reportgen.formats import FORMATS
from reportgen.formats.common import printable
from tests.factories import make_row, make_snapshot, make_user

NAME = "eve\x1b[31mred\x07\x00"


def test_printable_replaces_control_characters() -> None:
    """ESC, BEL and NUL become U+FFFD; newlines and tabs stay."""
    assert printable("a\x1bb\x00c\nd\te") == "a\ufffdb\ufffdc\nd\te"


def test_terminal_table_and_junit_carry_no_control_characters() -> None:
    """A user name with an ANSI escape prints inert and the JUnit XML still parses."""
    user = make_user(NAME, credentials=make_row(NAME, password_enabled=True, mfa_active=False))
    catalogue = load_catalogue()
    assessment = evaluate(make_snapshot(users=[user]), catalogue=catalogue)
    table = FORMATS["table"](assessment, catalogue, "en")
    assert "eve\ufffd[31mred" in table
    assert "\x1b" not in table and "\x00" not in table and "\x07" not in table
    ET.fromstring(FORMATS["junit"](assessment, catalogue, "en").split("\n", 1)[1])
