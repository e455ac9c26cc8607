"""UI strings, languages and locale formats of the report."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime

import pytest

from reportgen.errors import RenderError
from reportgen.render import fmt
from reportgen.render.html import template_dir
from reportgen.render.i18n import LANGUAGES, Ui, catalog_ids, languages, translations

UI_CALL = re.compile(r"""ui\(\s*"([a-z0-9_.]+)"\s*[,)]""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_ids() -> None:
    """Japanese and English UI catalogs define exactly the same message ids."""
    assert catalog_ids("ja") == catalog_ids("en")
    assert len(catalog_ids("ja")) > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang: str) -> None:
    """No UI string is empty or falls back to its id."""
    catalog = translations(lang)
    for msgid in catalog_ids(lang):
        text = catalog.gettext(msgid)
        assert text and text != msgid, msgid


def test_placeholders_match_between_languages() -> None:
    """A UI string uses the same {placeholders} in both languages."""
    for msgid in catalog_ids("ja"):
        ja, en = translations("ja").gettext(msgid), translations("en").gettext(msgid)
        assert _fields(ja) == _fields(en), msgid


def test_templates_use_only_known_ids() -> None:
    """Every ui("…") id in the templates exists in the catalogs."""
    used = set()
    for path in template_dir().glob("*.j2"):
        used |= set(UI_CALL.findall(path.read_text(encoding="utf-8")))
    known = catalog_ids("ja")
    assert used, "no ui() calls found"
    assert used - known == set()


def test_japanese_text_uses_japanese_punctuation() -> None:
    """Japanese text uses 「、」「。」: no ASCII comma or period right after Japanese."""
    catalog = translations("ja")
    for msgid in catalog_ids("ja"):
        text = catalog.gettext(msgid)
        assert not re.search(r"[ぁ-んァ-ヶ一-龠][.,]", text), (msgid, text)


def test_every_evidence_field_has_a_label() -> None:
    """Each evidence field a rule produces has a label in both languages."""
    from reportgen.evaluate.rules import REGISTRY
    from reportgen.render.chapters import HIDDEN_EVIDENCE

    fields = {name for rule in REGISTRY.values() for name in rule.evidence} - HIDDEN_EVIDENCE
    missing = {name for name in fields if f"evidence.{name}" not in catalog_ids("ja")}
    assert missing == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", ("ja",)),
        ("en", ("en",)),
        ("ja+en", ("ja", "en")),
        ("en+ja", ("en", "ja")),
    ],
)
def test_languages(value: str, expected: tuple[str, ...]) -> None:
    """``--lang`` values name the languages shown, in order."""
    assert languages(value) == expected


@pytest.mark.parametrize("value", ["fr", "ja+ja", "", "ja+"])
def test_unknown_language_is_an_error(value: str) -> None:
    """An unsupported language is a RenderError, not a silent fallback."""
    with pytest.raises(RenderError):
        languages(value)


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
