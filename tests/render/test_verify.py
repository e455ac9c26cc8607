"""`reportgen verify`: the attached snapshot must match the SHA-256 printed on the cover."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.render import ReportOptions, render_report
from reportgen.render.verify import VerifyError, verify
from tests.render.fixtures import small_case

SNAPSHOT = b'{"schema": "reportgen.snapshot/1", "note": "verify test"}'


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose cover hash is the SHA-256 of the attached snapshot bytes."""
    assessment, snapshot, catalogue = small_case()
    assessment = dataclasses.replace(
        assessment, snapshot_sha256=hashlib.sha256(SNAPSHOT).hexdigest()
    )
    options = ReportOptions(machine_outputs=False, snapshot_bytes=SNAPSHOT)
    files = render_report(assessment, snapshot, catalogue, "en", ["pdf"], options)
    path = tmp_path_factory.mktemp("verify") / "report.en.pdf"
    path.write_bytes(files["report.en.pdf"])
    return path


@pytest.mark.slow
def test_a_genuine_report_verifies_with_its_snapshot(pdf: Path, tmp_path: Path) -> None:
    """Cover hash, attachment and the snapshot file all agree."""
    snapshot_file = tmp_path / "snapshot.json"
    snapshot_file.write_bytes(SNAPSHOT)
    result = verify(pdf, snapshot_file)
    assert result.cover_sha256 == hashlib.sha256(SNAPSHOT).hexdigest()
    assert "snapshot.json" in result.attachments


@pytest.mark.slow
def test_another_snapshot_file_is_a_mismatch(pdf: Path, tmp_path: Path) -> None:
    """A snapshot that is not the report's evidence fails verification (exit 1)."""
    other = tmp_path / "other.json"
    other.write_bytes(SNAPSHOT + b" ")
    with pytest.raises(VerifyError, match="differs") as caught:
        verify(pdf, other)
    assert caught.value.exit_code == 1


@pytest.mark.slow
def test_a_tampered_attachment_is_detected(pdf: Path, tmp_path: Path) -> None:
    """Replacing the attached snapshot breaks the match with the cover."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_attachment("snapshot.json", SNAPSHOT.replace(b"verify", b"forged"))
    forged = tmp_path / "forged.pdf"
    with forged.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(VerifyError):
        verify(forged)


def test_a_file_that_is_not_a_pdf_is_an_input_error(tmp_path: Path) -> None:
    """Verifying an HTML file gives a one-line InputError."""
    html = tmp_path / "report.html"
    html.write_text("<!DOCTYPE html><p>hi</p>")
    with pytest.raises(InputError, match="not a readable PDF"):
        verify(html)
