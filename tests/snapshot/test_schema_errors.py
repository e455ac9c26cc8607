"""Schema validation details read in Japanese; the English is jsonschema's message unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import SnapshotError
from reportgen.snapshot.entries import short
from reportgen.snapshot.schema_errors import schema_detail
from tests.runcli import run

CORPUS = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots"
CLOSED = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}


@pytest.mark.parametrize(
    ("schema", "instance", "japanese"),
    [
        ({"required": ["account"]}, {}, "必須の項目 'account' がありません"),
        ({"type": "string"}, 5, "5 は 'string' 型ではありません"),
        ({"type": ["string", "null"]}, 5, "5 は 'string', 'null' 型ではありません"),
        ({"enum": ["ok", "absent"]}, "maybe", "'maybe' は ['ok', 'absent'] のいずれでもありません"),
        ({"pattern": "^[0-9]{12}$"}, "12345", "'12345' は形式 '^[0-9]{12}$' に一致しません"),
        (CLOSED, {"a": 1, "b": 2}, "使用できない項目 'b' があります"),
        (CLOSED, {"b": 1, "c": 2}, "使用できない項目 'b', 'c' があります"),
        ({"minimum": 0}, -1, "-1 は最小値 0 より小さい値です"),
        ({"maximum": 10}, 11, "11 は最大値 10 より大きい値です"),
        ({"maxLength": 3}, "abcd", "'abcd' は長すぎます"),
    ],
)
def test_common_kinds_read_in_japanese(schema: Any, instance: Any, japanese: str) -> None:
    """required, type, enum, pattern, additionalProperties, minimum, maximum, maxLength."""
    (error,) = jsonschema.Draft202012Validator(schema).iter_errors(instance)
    detail = schema_detail(error, short)
    assert isinstance(detail, SnapshotError)
    assert str(detail) == error.message
    assert error_text(detail, "ja") == japanese


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"minLength": 2}, "a"),  # a kind without a Japanese text
        ({"maxLength": 0}, "a"),  # maxLength's other wording ("is expected to be empty")
        (
            {"type": "object", "patternProperties": {"^x": {}}, "additionalProperties": False},
            {"y": 1},
        ),
    ],
)
def test_other_details_stay_as_jsonschema_wrote_them(schema: Any, instance: Any) -> None:
    """A kind or a wording not listed is kept as jsonschema's English text in both languages."""
    (error,) = jsonschema.Draft202012Validator(schema).iter_errors(instance)
    assert schema_detail(error, short) == error.message


def test_a_long_value_is_cut_in_both_languages() -> None:
    """A megabyte value is shown as its first 80 characters, as one line."""
    (error,) = jsonschema.Draft202012Validator({"type": "integer"}).iter_errors("x" * 1_000_000)
    detail = schema_detail(error, short)
    assert isinstance(detail, SnapshotError)
    assert len(str(detail)) < 120 and len(error_text(detail, "ja")) < 120


@pytest.mark.parametrize(
    ("name", "japanese", "english"),
    [
        (
            "bad_missing_account.json",
            "文書全体 の内容が正しくありません（必須の項目 'account' がありません）。",
            "invalid at (top level): 'account' is a required property",
        ),
        (
            "bad_source_status.json",
            "sources/password_policy/status の内容が正しくありません"
            "（'maybe' は ['ok', 'absent', 'denied', 'error'] のいずれでもありません）。",
            "invalid at sources/password_policy/status: "
            "'maybe' is not one of ['ok', 'absent', 'denied', 'error']",
        ),
    ],
)
def test_a_bad_snapshot_reads_in_japanese_with_its_json_path(
    name: str, japanese: str, english: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--lang ja redact BAD: the JSON path and the detail in Japanese; English as before."""
    path = CORPUS / name
    args = ("redact", path, "-o", tmp_path / "r.json")
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert (code, err.splitlines()) == (2, [f"reportgen：エラー：{path}：{japanese}"])
    code, _, err = run(capsys, "--lang", "en", *args)
    assert (code, err.splitlines()) == (2, [f"reportgen: error: {path}: {english}"])
