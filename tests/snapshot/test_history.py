"""An account's history folder: its snapshots found, sorted and checked before loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.errors import InputError, SnapshotError
from reportgen.snapshot.history import load_history

ACCOUNT = "123456789012"


def write(folder: Path, name: str, account: str, when: str, **extra: object) -> Path:
    """A minimal snapshot-shaped file (load_history reads only these fields)."""
    path = folder / name
    document = {
        "schema": "reportgen.snapshot/1",
        "collected_at": when,
        "account": {"id": account},
        **extra,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_load_history_finds_the_account_oldest_first(tmp_path: Path) -> None:
    """Snapshots of the account, sorted by collected_at; other accounts, other JSON, other
    files and exact copies are left out."""
    newest = write(tmp_path, "a.json", ACCOUNT, "2026-09-30T09:00:00Z")
    oldest = write(tmp_path, "b.json", ACCOUNT, "2026-03-31T09:00:00Z")
    middle = write(tmp_path, "c.json", ACCOUNT, "2026-06-30T09:00:00+00:00")
    (tmp_path / "copy.json").write_bytes(oldest.read_bytes())
    write(tmp_path, "other.json", "210987654321", "2026-05-01T00:00:00Z")
    (tmp_path / "findings.json").write_text('{"schema": "reportgen.findings/1"}')
    (tmp_path / "notes.txt").write_text("not json")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "deep.json", ACCOUNT, "2026-01-01T00:00:00Z")
    assert load_history(tmp_path, ACCOUNT) == [oldest, middle, newest]


def test_load_history_errors(tmp_path: Path) -> None:
    """A missing folder is an input error; a broken JSON file or a snapshot without its
    account is a snapshot error naming the file."""
    with pytest.raises(InputError):
        load_history(tmp_path / "missing", ACCOUNT)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"broken\.json"):
        load_history(tmp_path, ACCOUNT)
    (tmp_path / "broken.json").unlink()
    (tmp_path / "odd.json").write_text('{"schema": "reportgen.snapshot/1"}', encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"odd\.json"):
        load_history(tmp_path, ACCOUNT)


@pytest.mark.parametrize(
    "document",
    [
        {"schema": "reportgen.snapshot/1", "account": "123456789012", "collected_at": "x"},
        {"schema": "reportgen.snapshot/1", "account": {"id": 12}, "collected_at": "2026-01-01"},
        {"schema": "reportgen.snapshot/1", "account": {"id": ACCOUNT}, "collected_at": 5},
        {"schema": "reportgen.snapshot/1", "account": {"id": ACCOUNT}, "collected_at": "soon"},
    ],
)
def test_a_damaged_snapshot_in_the_history_is_named(tmp_path: Path, document: object) -> None:
    """A snapshot whose account or time is of the wrong type is a named error, not a crash."""
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"bad\.json: snapshot without account id"):
        load_history(tmp_path, ACCOUNT)


def test_history_errors_read_in_japanese(tmp_path: Path) -> None:
    """The history's errors carry their key, so the command line shows them in Japanese."""
    from reportgen.cli.i18n import say

    with pytest.raises(InputError) as caught:
        load_history(tmp_path / "missing", ACCOUNT)
    assert caught.value.key == "history_not_folder"
    assert "スナップショットのフォルダーではありません" in say(
        "ja", "error.history_not_folder", **caught.value.values
    )
