"""The one store of UI texts: gettext catalogues per language and area, and ``--lang`` values."""

from __future__ import annotations

import re

import pytest

from reportgen import lang
from reportgen.errors import LanguageError, TextsError
from reportgen.evaluate.findings import Severity, Status


def test_every_area_has_a_catalogue() -> None:
    """The report, diff, training, labels and reasons texts each have their own catalogue."""
    assert {"report", "diff", "training", "labels", "reasons"} <= set(lang.domains())


@pytest.mark.parametrize("code", lang.LANGS)
def test_every_language_has_every_catalogue(code: str) -> None:
    """Each language folder holds the same catalogue files."""
    folder = lang.locale_dir() / code / "LC_MESSAGES"
    assert {p.stem for p in folder.glob("*.po")} == set(lang.domains())


def test_catalogues_are_complete() -> None:
    """Every key has a non-empty text in both languages with the same {placeholders}."""
    assert lang.problems() == []


def test_no_english_text_hedges_its_plural() -> None:
    """No English text of any catalogue (cli.po included) writes "key(s)": it is worded so that
    any count reads right ("unknown keys: a", "principals without a row: 1")."""
    folder = lang.locale_dir() / "en" / "LC_MESSAGES"
    hedged = [
        f"{path.name}: {line}"
        for path in sorted(folder.glob("*.po"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("msgstr") and re.search(r"\w\((s|es)\)", line)
    ]
    assert hedged == []


def test_the_completeness_check_finds_a_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key missing in one language or with other placeholders is reported."""
    fake = {
        ("x", "ja"): {"a": "あ{n}", "b": "い", "c": "う{n}"},
        ("x", "en"): {"a": "a {n}", "c": "c {m}"},
    }
    monkeypatch.setattr(lang, "messages", lambda domain, code: fake[(domain, code)])
    found = lang.problems(("x",))
    assert len(found) == 2
    assert "'b' has no en text" in found[0] and "'c' placeholders differ" in found[1]


@pytest.mark.parametrize("domain", ["report", "diff", "training", "labels", "reasons"])
def test_japanese_text_uses_japanese_punctuation(domain: str) -> None:
    """Japanese text uses 「、」「。」: no ASCII comma or period right after Japanese."""
    for key, text in lang.messages(domain, "ja").items():
        assert not re.search(r"[ぁ-んァ-ヶ一-龠][.,]", text), (domain, key, text)


def test_status_and_severity_names_are_defined_once() -> None:
    """Each status and severity has one name, in the labels catalogue and nowhere else."""
    for code in lang.LANGS:
        assert all(lang.status_label(s.value, code) for s in Status)
        assert all(lang.severity_label(s.value, code) for s in Severity)
    for domain in set(lang.domains()) - {"labels"}:
        names = [
            key
            for key in lang.messages(domain, "ja")
            if key.startswith(("status.", "severity.")) and key != "status.absent"
        ]
        assert names == [], domain


def test_report_and_labels_share_no_key() -> None:
    """The report reads the report and labels catalogues together: no id means two things."""
    assert set(lang.messages("report", "ja")) & set(lang.messages("labels", "ja")) == set()


def test_texts_fill_placeholders() -> None:
    """A text's {placeholders} are filled per language."""
    assert lang.Texts("training", "ja")("duration", minutes=30) == "所要時間：30分"
    assert lang.text("training", "en", "duration", minutes=30) == "Duration: 30 min"
    assert lang.joined("labels", "score", ("ja", "en")) == "総合スコア / Overall score"


def test_an_unknown_key_is_a_named_error() -> None:
    """Asking for a key no catalogue has is a TextsError naming the key."""
    with pytest.raises(TextsError, match="no-such-key"):
        lang.text("diff", "ja", "no-such-key")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ja", ("ja",)), ("en", ("en",)), ("ja+en", ("ja", "en")), ("en+ja", ("en", "ja"))],
)
def test_languages(value: str, expected: tuple[str, ...]) -> None:
    """``--lang`` values name the languages shown, in order."""
    assert lang.parse_langs(value) == expected


@pytest.mark.parametrize("value", ["fr", "ja+ja", "", "ja+"])
def test_unknown_language_is_an_error(value: str) -> None:
    """An unsupported language is a LanguageError, not a silent fallback."""
    with pytest.raises(LanguageError):
        lang.parse_langs(value)


def test_every_choice_is_a_language() -> None:
    """Each ``--lang`` choice parses."""
    assert [lang.parse_langs(c) for c in lang.LANG_CHOICES] == [("ja",), ("en",), ("ja", "en")]


def test_an_unknown_language_reads_in_japanese() -> None:
    """The refusal of an unknown language is keyed: Japanese for the CLI, English as before."""
    from reportgen.cli.i18n import error_text

    with pytest.raises(LanguageError) as refused:
        lang.parse_langs("fr")
    assert str(refused.value) == "unknown language 'fr' (choose ja, en or ja+en)"
    assert error_text(refused.value, "ja") == (
        "言語 'fr' には対応していません（ja、en、ja+en のいずれかを指定してください）。"
    )
