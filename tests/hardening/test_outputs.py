"""Outputs never clobber: existing targets need --force, inputs are never replaced, sets are
moved into place together under a lock, and files get the user's umask."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from reportgen.atomic import staged_outputs, write_atomic
from reportgen.errors import InputError, OutputExistsError
from tests.hardening.cli_run import assert_one_line_error, in_process

CORPUS = Path(__file__).parent / "corpus"
SNAPSHOT = CORPUS / "snapshots" / "ok_minimal.json"


def copy_snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "q4.json"
    path.write_bytes(SNAPSHOT.read_bytes())
    return path


def test_evaluate_refuses_an_existing_output_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """evaluate -o onto an existing file: one line naming it, exit 2, the file kept."""
    out = tmp_path / "findings.json"
    out.write_text("keep")
    outcome = in_process(capsys, "evaluate", str(SNAPSHOT), "--format", "json", "-o", str(out))
    assert_one_line_error(outcome, str(out), "--force")
    assert out.read_text() == "keep"
    outcome = in_process(
        capsys, "evaluate", str(SNAPSHOT), "--format", "json", "-o", str(out), "--force"
    )
    assert outcome.code == 0 and out.read_text() != "keep"


def test_evaluate_never_writes_over_its_snapshot_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evaluate q4.json -o q4.json --force` refuses: the snapshot is an input."""
    snap = copy_snapshot(tmp_path)
    outcome = in_process(
        capsys, "evaluate", str(snap), "--format", "json", "-o", str(snap), "--force"
    )
    assert_one_line_error(outcome, str(snap), "input")
    assert snap.read_bytes() == SNAPSHOT.read_bytes()


def test_diff_refuses_its_inputs_and_existing_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """diff -o onto either snapshot refuses even with --force; an existing file needs --force."""
    snap = copy_snapshot(tmp_path)
    outcome = in_process(capsys, "diff", str(SNAPSHOT), str(snap), "-o", str(snap), "--force")
    assert_one_line_error(outcome, str(snap), "input")
    out = tmp_path / "diff.txt"
    out.write_text("keep")
    assert_one_line_error(
        in_process(capsys, "diff", str(SNAPSHOT), str(snap), "-o", str(out)), str(out)
    )
    assert out.read_text() == "keep"


def test_redact_never_replaces_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """redact SNAPSHOT -o SNAPSHOT --force refuses: one line, the original kept."""
    snap = copy_snapshot(tmp_path)
    outcome = in_process(capsys, "redact", str(snap), "-o", str(snap), "--force")
    assert_one_line_error(outcome, str(snap), "input")
    assert snap.read_bytes() == SNAPSHOT.read_bytes()


def test_report_keeps_the_old_set_when_a_target_is_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder named findings.json: exit 2 naming that target; no other output replaced."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.json").mkdir()
    (out / "findings.csv").write_text("old")
    outcome = in_process(
        capsys, "report", str(SNAPSHOT), "--format", "html", "-o", str(out), "--force"
    )
    line = assert_one_line_error(outcome, str(out / "findings.json"))
    assert ".tmp" not in line and "staging" not in line
    assert (out / "findings.csv").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "findings.json"]


def test_a_failed_move_rolls_back_to_the_old_set(tmp_path: Path) -> None:
    """When moving the set in fails half way, the files already moved get their old content."""
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b.txt").write_text("old b")
    expected = pytest.raises(OutputExistsError, match=str(tmp_path / "b.txt"))
    with expected, staged_outputs(tmp_path, overwrite=True) as stage:
        stage.add("a.txt", b"new a")
        stage.add("b.txt", b"new b")
        (tmp_path / "b.txt").unlink()
        (tmp_path / "b.txt").mkdir()  # appears between staging and the move
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_an_error_while_staging_moves_nothing(tmp_path: Path) -> None:
    """An exception inside the block leaves the folder as it was, without the staging folder."""
    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(RuntimeError), staged_outputs(tmp_path, overwrite=True) as stage:
        stage.add("a.txt", b"new")
        raise RuntimeError("render failed")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "old"


def test_two_concurrent_runs_without_force_cannot_both_write(tmp_path: Path) -> None:
    """Two writers of one set into one folder, no --force: exactly one succeeds, sets unmixed."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(tag: str) -> None:
        try:
            with staged_outputs(tmp_path, overwrite=False) as stage:
                stage.add("report.html", tag.encode())
                stage.add("findings.json", tag.encode())
                barrier.wait()
            outcomes.append(tag)
        except OutputExistsError:
            outcomes.append("refused")

    threads = [threading.Thread(target=run, args=(tag,)) for tag in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "refused" or sorted(outcomes)[0] == "refused"
    winner = next(o for o in outcomes if o != "refused")
    assert (tmp_path / "report.html").read_text() == winner
    assert (tmp_path / "findings.json").read_text() == winner


def test_files_are_created_with_the_users_umask(tmp_path: Path) -> None:
    """A written file has mode 0666 less the umask (0644 under 022), not mkstemp's 0600."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "one.json", b"{}")
        with staged_outputs(tmp_path / "set", overwrite=False) as stage:
            stage.add("report.html", b"<html>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "one.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "set" / "report.html").stat().st_mode) == 0o644


def test_write_atomic_refuses_an_input_and_names_the_target(tmp_path: Path) -> None:
    """write_atomic never replaces an input, and a folder in the way is named as the target."""
    source = tmp_path / "in.json"
    source.write_text("in")
    with pytest.raises(InputError, match="also an input"):
        write_atomic(source, b"x", inputs=[tmp_path / "." / "in.json"])
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputExistsError, match=str(tmp_path / "dir")):
        write_atomic(tmp_path / "dir", b"x")


def test_a_move_failing_half_way_restores_the_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the second file cannot be moved in, the first one is put back to its old content."""
    import reportgen.atomic as atomic

    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b.txt").write_text("old b")
    real = atomic._place

    def flaky(tmp: Path, path: Path, *, overwrite: bool) -> None:
        if path.name == "b.txt":
            raise OSError(28, "No space left on device")
        real(tmp, path, overwrite=overwrite)

    monkeypatch.setattr(atomic, "_place", flaky)
    expected = pytest.raises(InputError, match=f"{tmp_path / 'b.txt'}: cannot write")
    with expected, staged_outputs(tmp_path, overwrite=True) as stage:
        stage.add("a.txt", b"new a")
        stage.add("b.txt", b"new b")
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert (tmp_path / "b.txt").read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
