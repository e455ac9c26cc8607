"""Check a report PDF's evidence: the attached snapshot matches the hash on its cover.

Reads the PDF only (pypdf); no network, nothing written.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError, ReportgenError

_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


class VerifyError(ReportgenError):
    """The PDF's evidence does not match (exit code 1: a failed verification, not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class Verified:
    """What was checked and found equal."""

    cover_sha256: str
    attachments: tuple[str, ...]
    snapshot_file: Path | None


def verify(pdf: Path, snapshot_file: Path | None = None) -> Verified:
    """Compare the cover's SHA-256, the attached snapshot's bytes and, if given, the file."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are not ours to print
    try:
        reader = PdfReader(pdf)
        cover = reader.pages[0].extract_text() if reader.pages else ""
        attachments = {name: contents for name, contents in reader.attachments.items()}
    except (OSError, PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{pdf}: not a readable PDF ({exc})") from None
    found = _HASH.findall(cover)
    if len(found) != 1:
        raise VerifyError(f"{pdf}: no snapshot SHA-256 on the cover; is this a reportgen report?")
    printed = found[0]
    if "snapshot.json" not in attachments:
        raise VerifyError(f"{pdf}: the snapshot is not attached to the PDF")
    copies = attachments["snapshot.json"]
    if len(copies) != 1:
        raise VerifyError(f"{pdf}: {len(copies)} files named snapshot.json are attached")
    if hashlib.sha256(copies[0]).hexdigest() != printed:
        raise VerifyError(f"{pdf}: the attached snapshot does not match the cover's SHA-256")
    if snapshot_file is not None:
        try:
            data = Path(snapshot_file).read_bytes()
        except OSError as exc:
            raise InputError(f"{snapshot_file}: cannot read ({exc.strerror or exc})") from None
        if hashlib.sha256(data).hexdigest() != printed:
            raise VerifyError(
                f"{snapshot_file}: differs from the snapshot the report was made from"
            )
    return Verified(printed, tuple(sorted(attachments)), snapshot_file)
