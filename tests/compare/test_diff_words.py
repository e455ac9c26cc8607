"""``diff`` speaks the report's words: ``--lang ja+en``, section titles from the catalogue
(the same as the report's chapters) and the profile by its title."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli.diff_cmd import section_titles
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Section
from reportgen.formats.diff import render
from reportgen.formats.diff.texts import Texts
from tests.compare.test_formats import every_kind
from tests.runcli import run

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"


def test_both_languages_join_each_text() -> None:
    """ja+en gives each frame text and status in Japanese then English."""
    words = Texts("ja+en")
    assert (
        words("status.absent") == f"{Texts('ja')('status.absent')} / {Texts('en')('status.absent')}"
    )
    text = render("table", every_kind(), words)
    assert "新規" in text and "New" in text


def test_section_titles_are_the_reports() -> None:
    """With the catalogue at hand, a section is named as the report's chapter names it."""
    catalogue = load_catalogue()
    words = Texts("ja", section_titles=section_titles(catalogue, "ja"))
    assert words.section(Section.ROOT) == catalogue.sections[Section.ROOT].title["ja"]
    both = section_titles(catalogue, "ja+en")[Section.ROOT.value]
    assert both == "ルートユーザーの保護 / Protecting the root user"


@pytest.mark.parametrize("lang", ["ja", "ja+en"])
def test_diff_command_takes_ja_plus_en_and_uses_section_titles(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """reportgen diff --lang ja+en runs; its score table names sections as the report does."""
    code, out, err = run(capsys, "diff", SNAPSHOT, SNAPSHOT, "--lang", lang)
    assert code == 0, err
    catalogue = load_catalogue()
    present = [s for s in catalogue.sections.values() if s.title["ja"] in out]
    assert present, out
    if lang == "ja+en":
        assert any(s.title["en"] in out for s in present)
