"""Atomic file writes: a temporary file in the same folder, fsync, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportgen.errors import OutputExistsError


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A crash leaves either the old file or the new one, never a half-written file.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExistsError(f"{path} already exists (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            Path(tmp).replace(path)
        else:
            # link() refuses an existing target, so a file that appeared meanwhile is kept.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputExistsError(
                    f"{path} already exists (use --force to replace it)"
                ) from None
            Path(tmp).unlink()
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
