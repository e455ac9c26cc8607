"""The Japanese report is written in one style, である調 (glossary, Style: "Report body: である調
or 体言止め in tables; lessons and CLI messages: です・ます調. One style per document.").

Its sentences come from report.po, the labels and reasons catalogues, one text of diff.po, and
the check catalogue (titles, rationales, finding messages, console steps, parameters, sections,
profiles). Before #21 the catalogue and the reasons were in です・ます (250 such sentences in the
Japanese report of the corpus snapshot, 471 in the demo's).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reportgen import lang
from reportgen.cli import main
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.profiles import load_profile, profile_names
from tests.render.conftest import CORPUS_SNAPSHOT

ROOT = Path(__file__).parents[2]

POLITE = re.compile(r"ます|ません|ました|ましょう|ください|でした|ござい|です(?!べて)")
"""です・ます forms anywhere in a text (「ですが」「ますが」 too); in 「だけですべて」 it is で +
すべて."""

TERMINAL_ONLY = {
    "labels": {
        # The demo's progress lines, the evaluate table's empty notice and its partial-data
        # notice: printed on the terminal only, where the glossary asks for です・ます.
        "demo_start",
        "demo_org_start",
        "demo_org_seeded",
        "demo_collected",
        "no_findings",
        "partial_data",
    },
}
"""The allow-list: texts of the report's catalogues that the report never prints."""

DIFF_IN_REPORT = {"trend.description"}
"""The one diff.po text the report prints (the trend chart's caption); the rest is the
``reportgen diff`` command's terminal and Markdown output."""


def _unquoted(text: str) -> str:
    """``text`` without 「…」 quotations: a quoted console label keeps AWS's own wording."""
    return re.sub(r"「[^」]*」", "「」", text)


def _catalogue_texts() -> Iterator[tuple[str, str]]:
    catalogue = load_catalogue()
    for spec in catalogue.checks.values():
        yield f"{spec.id}.title", spec.title["ja"]
        yield f"{spec.id}.rationale", spec.rationale["ja"]
        for status, texts in spec.messages.items():
            yield f"{spec.id}.message.{status.value}", texts["ja"]
        for (status, reason), texts in spec.variants.items():
            yield f"{spec.id}.message.{status.value}.{reason}", texts["ja"]
        for n, step in enumerate(spec.console_steps["ja"]):
            yield f"{spec.id}.remediation.{n}", step
        for name, param in spec.parameters.items():
            yield f"{spec.id}.parameters.{name}", param.description["ja"]
    for section, texts in catalogue.sections.items():
        for field in ("title", "summary", "why"):
            yield f"sections.{section.value}.{field}", getattr(texts, field)["ja"]
    yield "sections.unknown", catalogue.unknown["ja"]
    for key, texts in catalogue.labels.items():
        yield f"sections.{key}", texts["ja"]
    for name in profile_names(catalogue):
        profile = load_profile(name, catalogue)
        yield f"profiles.{name}.title", profile.title["ja"]
        yield f"profiles.{name}.description", profile.description["ja"]


def _ui_texts() -> Iterator[tuple[str, str]]:
    for domain in ("report", "labels", "reasons"):
        for key, text in lang.messages(domain, "ja").items():
            if key not in TERMINAL_ONLY.get(domain, set()):
                yield f"{domain}.po {key}", text
    for key in DIFF_IN_REPORT:
        yield f"diff.po {key}", lang.messages("diff", "ja")[key]


@pytest.mark.parametrize("texts", [_catalogue_texts, _ui_texts], ids=["catalogue", "ui"])
def test_every_japanese_report_text_is_in_de_aru_style(
    texts: Callable[[], Iterator[tuple[str, str]]],
) -> None:
    """No Japanese text the report prints has a です・ます form (「掲載しています」、
    「確認します」)."""
    polite = [f"{where}: {text}" for where, text in texts() if POLITE.search(_unquoted(text))]
    assert polite == []


def test_the_terminal_only_texts_are_not_in_the_report() -> None:
    """The allow-listed labels are never named by a report template or the renderer."""
    sources = [
        path.read_text(encoding="utf-8")
        for folder in (ROOT / "templates" / "report", ROOT / "reportgen" / "render")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in {".j2", ".py"}
    ]
    named = {
        key
        for key in TERMINAL_ONLY["labels"]
        if any(re.search(rf"[\"']{re.escape(key)}[\"']", source) for source in sources)
    }
    assert named == set()


def test_the_rendered_japanese_report_has_no_desu_masu_sentence(tmp_path: Path) -> None:
    """Every sentence of the Japanese HTML report of a real snapshot, with the shipped
    catalogue, is in である調: templates and data together."""
    args = ["report", str(CORPUS_SNAPSHOT), "--lang", "ja", "--format", "html"]
    try:
        main([*args, "-o", str(tmp_path)])
    except SystemExit as exc:
        assert exc.code in (0, None)
    page = (tmp_path / "report.ja.html").read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    words = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    sentences = [s.strip() for line in words.splitlines() for s in re.split(r"(?<=。)", line)]
    sentences = [s for s in sentences if s]
    assert len(sentences) > 300
    assert [s for s in sentences if POLITE.search(_unquoted(s))] == []
