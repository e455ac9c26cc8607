"""The exceptions file has a shipped JSON Schema; the documented example is valid, and a
wrong key is named with its line and the key the file wants."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.exceptions import SCHEMA, load_exceptions
from reportgen.resources import package_file

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "docs" / "samples" / "exceptions.yaml"


def test_the_schema_is_valid_json_schema() -> None:
    """The shipped file is a valid Draft 2020-12 schema."""
    schema = json.loads(package_file(*SCHEMA).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_sample_loads_against_the_real_catalogue() -> None:
    """docs/samples/exceptions.yaml passes the schema and names existing checks."""
    entries = load_exceptions(SAMPLE, load_catalogue())
    assert [e.check_id for e in entries] == ["access_key_rotated", "console_user_mfa"]


@pytest.mark.parametrize("doc", ["exceptions.md", "exceptions.ja.md"])
def test_the_documented_example_is_the_sample(doc: str) -> None:
    """Both pages show the sample file's entries as they are."""
    text = (ROOT / "docs" / doc).read_text("utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    entries = "".join(line + "\n" for line in SAMPLE.read_text("utf-8").splitlines()[2:])
    assert block.group(1) == entries


def test_check_id_is_refused_with_the_right_key(tmp_path: Path) -> None:
    """`check_id` (the findings.json name) is an unknown key here: the line and 'check'."""
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "- check: console_user_mfa\n  resource: a\n  reason: r\n  approver: x\n"
        "  expires: 2026-12-31\n"
        "- check_id: console_user_mfa\n  resource: b\n  reason: r\n  approver: x\n"
        "  expires: 2026-12-31\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CatalogueError, match=rf"{path}:6: unknown key 'check_id' \(did you mean 'check'\?\)"
    ):
        load_exceptions(path)


@pytest.mark.parametrize(
    ("entry", "message", "line"),
    [
        ("  reason: ''\n", "missing reason", 1),
        ("  ticket: [1]\n", "ticket:", 6),
        ("  expires: 31/12/2026\n", "expires must be a date", 5),
    ],
)
def test_schema_errors_name_the_line(tmp_path: Path, entry: str, message: str, line: int) -> None:
    """Empty required values, wrong types and bad dates: the file and the line."""
    lines = {
        "reason": "  reason: r\n",
        "expires": "  expires: 2026-12-31\n",
    }
    key = entry.split(":")[0].strip()
    text = (
        "- check: console_user_mfa\n  resource: a\n" + lines.get("reason", "") + "  approver: x\n"
    )
    text += lines["expires"]
    if key in lines:
        text = text.replace(lines[key], entry)
    else:
        text += entry
    path = tmp_path / "exceptions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_exceptions(path)
    assert message in str(caught.value) and f"{path}:{line}" in str(caught.value)


def test_a_wrong_type_is_explained_in_the_readers_language(tmp_path: Path) -> None:
    """The schema's detail is keyed like the snapshot's: Japanese under ja, jsonschema's own
    English under en, with the line of the entry."""
    from reportgen.cli import i18n

    path = tmp_path / "exceptions.yaml"
    path.write_text(
        "- check: console_user_mfa\n  resource: x\n  reason: [1, 2]\n"
        "  approver: a\n  expires: 2026-12-31\n",
        encoding="utf-8",
    )
    for lang, ending in (
        ("en", ":3: reason: [1, 2] is not of type 'string'"),
        ("ja", ":3：reason：[1, 2] は 'string' 型ではありません"),
    ):
        with pytest.raises(CatalogueError) as caught:
            load_exceptions(path, load_catalogue())
        assert i18n.error_text(caught.value, lang).endswith(ending)
