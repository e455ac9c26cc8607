"""Handouts: HTML per lesson, workbook and facilitator guide; archival PDFs that read back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from reportgen.errors import RenderError
from reportgen.training.handouts import (
    build_handouts,
    html_to_pdf,
    markdown_block,
    markdown_inline,
    wrap_command,
)
from reportgen.training.lessons import load_lessons

EDITION = date(2026, 11, 28)
LESSONS = load_lessons()


@pytest.fixture(scope="module")
def html_both() -> dict[str, str]:
    files = build_handouts(LESSONS, ("ja", "en"), ("html",), EDITION, trainer=True)
    return {name: data.decode("utf-8") for name, data in files.items()}


def test_one_file_per_lesson_plus_workbook_and_facilitator_guide(html_both: dict[str, str]) -> None:
    """The build makes each lesson, the workbook and the facilitator guide, named by language."""
    expected = {f"{lesson.id}.ja+en.html" for lesson in LESSONS}
    expected |= {"workbook.ja+en.html", "facilitator-guide.ja+en.html"}
    assert set(html_both) == expected


def test_lesson_handout_has_both_languages_questions_and_check_links(
    html_both: dict[str, str],
) -> None:
    """A lesson page shows the body, questions, answers and linked checks in both languages."""
    page = html_both["01-root-user.ja+en.html"]
    for text in (
        "日常の作業でルートユーザーを使わない",
        "Keep the root user out of daily work",
        "理解度チェック",
        "Check your understanding",
        "関連するチェック",
        "<code>root_no_access_key</code>",
    ):
        assert text in page
    assert "<script" not in page


def test_trainee_material_holds_no_answers(html_both: dict[str, str]) -> None:
    """Lessons and the workbook show the questions but neither model answers nor lab commands;
    the trainer guide is built only on request."""
    lesson = LESSONS[0]
    answer = lesson.text("ja").questions[0].answer
    for name in (f"{lesson.id}.ja+en.html", "workbook.ja+en.html"):
        page = html_both[name]
        assert "解答例" not in page and "Model answers" not in page
        assert answer[:20] not in page
        assert "模範解答のコマンド" not in page
    assert answer[:20] in html_both["facilitator-guide.ja+en.html"]
    default = build_handouts(LESSONS[:1], ("ja",), ("html",), EDITION)
    assert not any(name.startswith("facilitator-guide") for name in default)


def test_trainer_guide_has_the_setup_page_and_session_plans(html_both: dict[str, str]) -> None:
    """The trainer guide explains a session of ten and plans for 2 hours and half a day."""
    page = html_both["facilitator-guide.ja+en.html"]
    for text in ("受講者10人", "Setting up a session for ten", "2時間", "Half a day"):
        assert text in page


@pytest.mark.parametrize(
    "command",
    [
        "aws iam update-access-key --user-name bootstrap --access-key-id <キー ID / key id> "
        "--status Inactive",
        "aws iam create-policy-version --policy-arn "
        "arn:aws:iam::123456789012:policy/LegacyFullAccess --policy-document "
        "file://ops-read.json --set-as-default",
    ],
)
def test_long_commands_split_between_words(command: str) -> None:
    """A printed command is cut only between words, with a continuation, never inside one."""
    wrapped = wrap_command(command)
    lines = wrapped.split("\n")
    assert len(lines) > 1 and all(line.endswith(" \\") for line in lines[:-1])
    assert " ".join(line.removesuffix(" \\").strip() for line in lines) == command


def test_workbook_lists_every_lesson_in_the_contents(html_both: dict[str, str]) -> None:
    """The workbook's contents link to every lesson in each language."""
    page = html_both["workbook.ja+en.html"]
    for lesson in LESSONS:
        assert f'href="#{lesson.id}-ja"' in page and f'id="{lesson.id}-en"' in page


def test_facilitator_guide_has_timings_answers_mistakes_and_lab_commands(
    html_both: dict[str, str],
) -> None:
    """The facilitator guide carries the timetable, model answers, mistakes and lab commands."""
    page = html_both["facilitator-guide.ja+en.html"]
    lesson = LESSONS[0]
    assert lesson.text("ja").questions[0].answer.split("。")[0] in page
    assert "よくあるつまずき" in page and "Common mistakes" in page
    assert "時間配分" in page and "合計 45分" in page
    assert "aws iam create-user --user-name daily-admin" in page


@pytest.mark.parametrize(
    "source",
    ["<script>alert(1)</script>", '<img src="http://example.com/x.png">', "<b>raw</b>"],
)
def test_raw_html_in_lesson_markdown_is_escaped(source: str) -> None:
    """markdown-it runs with raw HTML disabled: tags in a lesson come out as text."""
    assert "<" + source[1:4] not in markdown_block(source)
    assert "<" + source[1:4] not in markdown_inline(source)


def test_pdf_renderer_refuses_remote_and_local_files() -> None:
    """The handout PDF may load only data: URLs and package files, never the network."""
    with pytest.raises(RenderError, match="refused"):
        html_to_pdf('<p>x</p><img src="https://example.com/x.png">', EDITION)
    with pytest.raises(RenderError, match="refused"):
        html_to_pdf('<p>x</p><img src="file:///etc/hostname">', EDITION)


@pytest.mark.slow
def test_lesson_and_guide_pdfs_read_back_in_japanese_with_embedded_fonts() -> None:
    """The PDFs are PDF/A-3a (tagged), their Japanese text extracts, and every font is embedded."""
    files = build_handouts(LESSONS[:1], ("ja", "en"), ("pdf",), EDITION, trainer=True)
    for name in ("01-root-user.ja+en.pdf", "facilitator-guide.ja+en.pdf"):
        data = files[name]
        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "ルートユーザー" in text and "root user" in text
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert b"pdfaid:part" in xmp  # PDF/A identification in the XMP metadata
        assert reader.xmp_metadata is not None
        assert reader.xmp_metadata.dc_language == ["ja", "en"]
        fonts = _fonts(reader)
        assert fonts and all(embedded for _, embedded in fonts), fonts


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on any page, descendants included."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            targets = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(target.get("/BaseFont"))] = embedded
    return sorted(found.items())


def test_a_long_json_argument_splits_after_commas_and_stays_valid() -> None:
    """A quoted JSON document too long for a line breaks after a comma; the document the shell
    passes on is still the same JSON."""
    import json
    import shlex

    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:Get*"], "Resource": "*"}
        ],
    }
    command = f"echo '{json.dumps(document, separators=(',', ':'))}' > tools.json"
    wrapped = wrap_command(command)
    assert len(wrapped.split("\n")) > 1
    assert all(len(line) <= 76 for line in wrapped.split("\n"))
    assert json.loads(shlex.split(wrapped)[1]) == document
