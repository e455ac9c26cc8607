"""The diff output formats and their texts, on comparisons built from factories."""

from __future__ import annotations

import csv
import io
import json
import string

import pytest

from reportgen.cli.diff_cmd import gate_message
from reportgen.compare.diff import Comparison, compare
from reportgen.errors import LanguageError
from reportgen.evaluate.findings import Severity, Status
from reportgen.formats.diff import FORMATS, render
from reportgen.formats.diff.csv import safe
from reportgen.formats.diff.markdown import cell, code
from reportgen.formats.diff.table import columns, width
from reportgen.formats.diff.texts import Texts
from reportgen.lang import LANGS as LANGUAGES
from tests.compare.factories import Q1, Q2, assessment, finding

P, F, U, S = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED


def every_kind() -> Comparison:
    """A comparison with each kind of change, a check added and one not assessed now."""
    account = {"resource_type": "account", "resource_id": "123456789012"}
    old = assessment(
        [
            finding(resource="alice"),
            finding(resource="bob"),
            finding(resource="carol"),
            finding("user_in_group", "dave"),
        ],
        Q1,
        check_ids=["console_user_mfa", "user_in_group", "root_mfa_enabled"],
    )
    new = assessment(
        [
            finding(resource="alice"),
            finding(resource="bob", status=P),
            finding(resource="carol", status=S),
            finding(resource="=HYPERLINK|x"),
            finding("user_in_group", status=U, **account),
            finding("access_key_rotated", "erin"),
        ],
        Q2,
        check_ids=["console_user_mfa", "user_in_group", "root_mfa_enabled", "access_key_rotated"],
    )
    return compare(old, new)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_unknown_language_is_refused() -> None:
    """Only ja and en exist for the diff texts."""
    with pytest.raises(LanguageError):
        Texts("fr")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_kind(fmt: str, lang: str) -> None:
    """Each format renders a comparison holding every kind of change, in both languages,
    and gives the same text twice (deterministic)."""
    comparison = every_kind()
    first = render(fmt, comparison, Texts(lang))
    assert first == render(fmt, comparison, Texts(lang))
    assert "alice" in first and "carol" in first


def test_japanese_text_has_no_english_frame() -> None:
    """In Japanese the frame is Japanese (kinds, statuses, headings), the codes stay codes."""
    text = render("table", every_kind(), Texts("ja"))
    for word in ("新規", "解消", "状態の変化", "継続", "例外承認済み", "比較から除いたチェック"):
        assert word in text
    for word in ("New", "Resolved", "Persisting", "Fail"):
        assert word not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("abc", 3), ("新規", 4), ("ＡＢ", 4), ("ｱｲ", 2), ("a新b", 4), ("", 0)],
)
def test_display_width(text: str, expected: int) -> None:
    """Wide and full-width characters take two terminal columns, half-width kana one."""
    assert width(text) == expected


def test_table_columns_line_up_with_japanese() -> None:
    """Each column starts at the same terminal column on every line."""
    lines = columns(["区分", "リソース"], [["新規", "alice"], ["状態の変化", "bob"]])
    rule_start = lines[1].index(" -") + 1
    starts = {
        width(line[: line.index(last)])
        for line, last in zip(
            (lines[0], lines[2], lines[3]), ("リソース", "alice", "bob"), strict=True
        )
    }
    assert starts == {rule_start} == {12}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("alice", "alice"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_run_formulas(text: str, expected: str) -> None:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    assert safe(text) == expected


def test_csv_has_bom_header_and_a_row_per_change() -> None:
    """CSV starts with a BOM, has a header row, then one row per change in listing order."""
    comparison = every_kind()
    text = render("csv", comparison, Texts("en"))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Kind", "Severity", "Section"]
    assert len(rows) == 1 + len(comparison.changes)
    assert "'=HYPERLINK|x" in {row[6] for row in rows}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a|b", "a\\|b"), ("a\\b", "a\\\\b"), ("two\nlines", "two lines")],
)
def test_markdown_cells_cannot_break_the_table(text: str, expected: str) -> None:
    """Pipes, backslashes and line breaks in a cell are escaped or flattened."""
    assert cell(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<root_account>", "`<root_account>`"), ("a`b", "``a`b``"), ("", "")],
)
def test_markdown_resource_names_are_code(text: str, expected: str) -> None:
    """Resource names are code spans, so ``<root_account>`` is not taken for HTML."""
    assert code(text) == expected


def test_markdown_groups_by_kind() -> None:
    """Markdown has one heading per kind present, with its count."""
    text = render("markdown", every_kind(), Texts("en"))
    for heading in (
        "### New (1)",
        "### Resolved (1)",
        "### Status changed (1)",
        "### Persisting (1)",
    ):
        assert heading in text
    assert "| `=HYPERLINK\\|x` |" in text


def test_json_document() -> None:
    """JSON holds codes only: kinds, statuses, ISO times, null for what is absent."""
    document = json.loads(render("json", every_kind(), Texts("ja")))
    assert document["schema"] == "reportgen.diff/1"
    assert document["counts"] == {"new": 1, "resolved": 1, "changed": 1, "persisting": 1}
    assert document["same_checks"] is False
    assert document["checks"] == [
        {"check_id": "access_key_rotated", "note": "added", "failing": 1},
        {"check_id": "user_in_group", "note": "not_assessed_now", "failing": 1},
    ]
    new = document["changes"][0]
    assert (new["change"], new["old_status"], new["new_status"]) == ("new", None, "FAIL")
    assert new["open_since"] == "2026-06-30T09:00:00Z"
    assert set(document["scores"]["sections"]) == {
        "root",
        "least_privilege",
        "mfa",
        "groups",
        "access_keys",
        "unused",
        "logging",
        "password_policy",
    }


def test_no_changes_says_so() -> None:
    """Two assessments without failures give the "no changes" line."""
    one = assessment([finding(status=P)])
    assert "No finding changed" in render("table", compare(one, one), Texts("en"))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "reportgen: gate: 重要度「高」以上の新規の不適合が2件あります。"),
        ("en", "reportgen: gate: New failing findings at severity High or above: 2."),
        ("ja+en", "reportgen: gate: 重要度「高」以上の新規の不適合が2件あります。"),
    ],
)
def test_gate_message(lang: str, expected: str) -> None:
    """The gate line names the count and the severity in the language (ja+en: Japanese)."""
    assert gate_message(2, Severity.HIGH, lang) == expected


def test_markdown_code_spans_hold_any_name() -> None:
    """Backticks (one or two) and carriage returns in a name cannot escape its code span."""
    from markdown_it import MarkdownIt

    from reportgen.formats.diff.markdown import cell, code

    for name in ("dev``ops", "`lead", "a`b``c", "x\ry", "x\r\ny|z"):
        tokens = MarkdownIt("commonmark").parseInline(code(name))[0].children or []
        spans = [t.content for t in tokens if t.type == "code_inline"]
        expected = name.replace("\r\n", " ").replace("\r", " ")
        assert spans == [expected] or spans == [expected.strip()], (name, code(name))
    assert "\r" not in cell("a\rb") and "\n" not in cell("a\r\nb")
