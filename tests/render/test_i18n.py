"""UI strings, languages and locale formats of the report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from reportgen.render import fmt
from reportgen.render.html import template_dir
from reportgen.render.i18n import Ui

UI_CALL = re.compile(r"""ui\(\s*"([a-z0-9_.]+)"\s*[,)]""")


def test_templates_use_only_known_ids() -> None:
    """Every ui("…") id in the templates exists in the catalogs."""
    used = set()
    for path in template_dir().glob("*.j2"):
        used |= set(UI_CALL.findall(path.read_text(encoding="utf-8")))
    ui = Ui(("ja", "en"))
    assert used, "no ui() calls found"
    assert {msgid for msgid in used if not ui.has(msgid)} == set()


def test_every_evidence_field_has_a_label() -> None:
    """Each evidence field a rule produces has a label in both languages."""
    from reportgen.evaluate.rules import REGISTRY
    from reportgen.render.chapters import HIDDEN_EVIDENCE

    fields = {name for rule in REGISTRY.values() for name in rule.evidence} - HIDDEN_EVIDENCE
    ui = Ui(("ja", "en"))
    missing = {name for name in fields if not ui.has(f"evidence.{name}")}
    assert missing == set()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja", "2026年11月28日"), ("en", "28 November 2026")],
)
def test_dates_per_locale(lang: str, expected: str) -> None:
    """Dates read 2026年11月28日 in Japanese and 28 November 2026 in English."""
    assert fmt.day(date(2026, 11, 28), (lang,)).first == expected
    moment = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    assert fmt.day(moment, (lang,)).first == expected


def test_ui_fills_placeholders_per_language() -> None:
    """A Text value contributes its own language to each side of a bilingual string."""
    ui = Ui(("ja", "en"))
    day = fmt.day(date(2026, 12, 10), ("ja", "en"))
    text = ui("exception.note", approver="CISO", expires=day, reason="r")
    assert "2026年12月10日" in text.get("ja")
    assert "10 December 2026" in text.get("en")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-28", date(2026, 11, 28)),
        ("2026-11-28T10:00:00Z", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        ("2026-11-28T10:00:00+00:00", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        ("AKIA1234", None),
        ("2026", None),
    ],
)
def test_parse_iso(value: str, expected: object) -> None:
    """Evidence strings that are ISO dates are recognised; anything else is left as text."""
    assert fmt.parse_iso(value) == expected
