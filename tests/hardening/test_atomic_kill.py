"""Atomic snapshot writes under interruption: the old file survives, no half file appears."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reportgen.snapshot import document as snapshot

CORPUS = Path(__file__).parent / "corpus" / "snapshots"
OLD = CORPUS / "ok_minimal.json"
NEW = CORPUS / "ok_unknown_fields.json"

# A child process that saves NEW over the target and dies hard (no cleanup, no finally)
# at the chosen moment: after the data is written and synced, or just before the rename.
CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from reportgen.snapshot import document as snapshot

    source, target, point, overwrite = sys.argv[1:5]
    real = {"fsync": os.fsync, "replace": os.replace, "link": os.link}[point]

    def die(*args, **kwargs):
        if point == "fsync":
            real(*args, **kwargs)  # the temp file is complete on disk
        os._exit(1)

    setattr(os, point, die)
    snapshot.save(json.loads(Path(source).read_text()), Path(target), overwrite=overwrite == "1")
    sys.exit(0)
    """
)


def kill_while_saving(target: Path, point: str, overwrite: bool) -> int:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(NEW), str(target), point, "1" if overwrite else "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("point", ["fsync", "replace"])
def test_a_kill_before_the_rename_keeps_the_old_snapshot(point: str, tmp_path: Path) -> None:
    """Killed after writing (fsync) or at the rename: the old file is byte-identical and loads."""
    target = tmp_path / "snapshot.json"
    target.write_bytes(OLD.read_bytes())
    assert kill_while_saving(target, point, overwrite=True) == 1
    assert target.read_bytes() == OLD.read_bytes()
    assert snapshot.load(target).account.id == "123456789012"
    assert visible(tmp_path) == ["snapshot.json"]  # no half-written file under another name


def test_a_kill_before_linking_a_new_file_leaves_no_target(tmp_path: Path) -> None:
    """Without --force the file is linked into place last; killed before that, none exists."""
    target = tmp_path / "snapshot.json"
    assert kill_while_saving(target, "link", overwrite=False) == 1
    assert not target.exists()
    assert visible(tmp_path) == []


def test_an_interrupt_while_writing_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in the middle of a save: the old file stays and no temporary file is left."""
    target = tmp_path / "snapshot.json"
    target.write_bytes(OLD.read_bytes())

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        snapshot.save(json.loads(NEW.read_text()), target, overwrite=True)
    assert target.read_bytes() == OLD.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot.json"]


def test_the_next_save_sweeps_what_a_killed_writer_left(tmp_path: Path) -> None:
    """After a hard kill, the next save of the same file leaves no temporary file behind."""
    target = tmp_path / "snapshot.json"
    target.write_bytes(OLD.read_bytes())
    kill_while_saving(target, "fsync", overwrite=True)
    snapshot.save(json.loads(NEW.read_text()), target, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot.json"]
