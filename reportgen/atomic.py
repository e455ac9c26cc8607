"""Atomic file writes: a temporary file in the same folder, fsync, then a rename.

``write_atomic`` writes one file; ``staged_outputs`` writes a set of files into a hidden
folder beside the targets and moves them into place only when all are written, under a
lock on the output folder, so a failure leaves the old set and two runs never mix sets.
Files get the mode the user's umask gives, like any other program's output.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from reportgen.errors import InputError, OutputExistsError

__all__ = ["Staging", "check_target", "staged_outputs", "write_atomic"]


def write_atomic(
    path: Path, data: bytes, *, overwrite: bool = True, inputs: Iterable[Path] = ()
) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A crash leaves either the old file or the new one, never a half-written file. Never
    writes over one of ``inputs``, whatever ``overwrite`` says.
    """
    path = Path(path)
    check_target(path, overwrite=overwrite, inputs=inputs)
    _mkdir(path.parent, path)
    _sweep(path)
    prefix = f".{path.name}.{os.getpid()}."  # the writer's PID lets a later write sweep it
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), _file_mode())
            os.fsync(handle.fileno())
        _place(Path(tmp), path, overwrite=overwrite)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _named(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_target(path: Path, *, overwrite: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse ``path`` when it is one of ``inputs``, a folder, or (without overwrite) exists."""
    for source in inputs:
        if _same_file(path, Path(source)):
            raise InputError.keyed("output_is_input", path=path)
    if path.is_dir():
        raise OutputExistsError.keyed("output_is_folder", path=path)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise OutputExistsError.keyed("output_exists", path=path)


class Staging:
    """Files being written into a hidden folder of ``folder``; see ``staged_outputs``."""

    def __init__(self, folder: Path, stage: Path, overwrite: bool, inputs: tuple[Path, ...]):
        self.folder = folder
        self._stage = stage
        self._overwrite = overwrite
        self._inputs = inputs
        self.names: list[str] = []

    def add(self, name: str, data: bytes) -> None:
        """Stage ``data`` as ``folder/name`` (``name`` may hold sub-folders)."""
        target = self.folder / name
        check_target(target, overwrite=self._overwrite, inputs=self._inputs)
        staged = self._stage / "new" / name
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            with staged.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fchmod(handle.fileno(), _file_mode())
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _named(exc, target) from None
        if name not in self.names:
            self.names.append(name)

    def commit(self) -> list[Path]:
        """Move every staged file into place, all or none; return the targets in order."""
        targets = [self.folder / name for name in self.names]
        for target in targets:  # checked again: another run may have written meanwhile
            check_target(target, overwrite=self._overwrite, inputs=self._inputs)
        moved: list[tuple[Path, Path | None]] = []
        try:
            for index, (name, target) in enumerate(zip(self.names, targets, strict=True)):
                backup: Path | None = None
                _mkdir(target.parent, target)
                if target.exists() or target.is_symlink():
                    backup = self._stage / "old" / str(index)
                    backup.parent.mkdir(parents=True, exist_ok=True)
                    target.replace(backup)
                moved.append((target, backup))
                _place(self._stage / "new" / name, target, overwrite=self._overwrite)
        except OSError as exc:
            self._roll_back(moved)
            raise _named(exc, moved[-1][0] if moved else self.folder) from None
        except BaseException:
            self._roll_back(moved)
            raise
        return targets

    def _roll_back(self, moved: list[tuple[Path, Path | None]]) -> None:
        """Put the old files back where the new ones were moved (best effort, last first)."""
        for target, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    backup.replace(target)


@contextlib.contextmanager
def staged_outputs(
    folder: Path, *, overwrite: bool, inputs: Iterable[Path] = ()
) -> Iterator[Staging]:
    """Stage files with ``add`` inside the block; on a clean exit move them all into place.

    Without ``overwrite`` an existing target is refused before anything is written and
    again, under the folder's lock, before anything is moved. On error nothing is moved.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError.keyed("output_not_folder", path=folder)
    _mkdir(folder, folder)
    try:
        _sweep_stages(folder)
        stage = Path(tempfile.mkdtemp(prefix=f".reportgen-staging.{os.getpid()}.", dir=folder))
    except OSError as exc:
        raise _named(exc, folder) from None
    try:
        staging = Staging(folder, stage, overwrite, tuple(Path(p) for p in inputs))
        yield staging
        with _locked(folder):
            staging.commit()
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` itself (flock on its descriptor; waits its turn)."""
    if os.name != "posix":
        yield
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _place(tmp: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        tmp.replace(path)
        return
    # link() refuses an existing target, so a file that appeared meanwhile is kept.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExistsError.keyed("output_exists", path=path) from None
    tmp.unlink()


def _mkdir(folder: Path, target: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _named(exc, target) from None


def _named(exc: OSError, target: Path) -> OutputExistsError | InputError:
    """The OS error as one line naming the file the user asked for, not a temporary one."""
    if isinstance(exc, IsADirectoryError):
        return OutputExistsError.keyed("output_is_folder", path=target)
    return InputError.keyed("cannot_write", path=target, reason=exc)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def _file_mode() -> int:
    """0666 less the process umask (read without changing it where /proc allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sweep(path: Path) -> None:
    """Remove temporary files of ``path`` whose writer was killed (POSIX; decided by PID)."""
    if os.name != "posix":
        return
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = stale.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _sweep_stages(folder: Path) -> None:
    """Remove staging folders whose run was killed (POSIX; decided by PID)."""
    if os.name != "posix":
        return
    for stale in folder.glob(".reportgen-staging.*"):
        pid = stale.name.removeprefix(".reportgen-staging.").split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
