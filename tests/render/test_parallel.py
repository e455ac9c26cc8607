"""Several PDFs written side by side in worker processes (render/parallel.py)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reportgen.errors import RenderError
from reportgen.render.parallel import render_pdfs
from reportgen.render.pdf import PdfAttachment
from reportgen.render.report import PdfJob, with_pdf
from tests.render.fixtures import AS_OF

PAGE = '<html lang="{lang}"><head><title>t</title></head><body><p>{text}</p></body></html>'


def job(name: str, text: str, lang: str = "ja", markup: str = "") -> PdfJob:
    html = PAGE.format(lang=lang, text=markup + text)
    return PdfJob(name, html, (PdfAttachment("a.json", b"{}", "a"),), AS_OF, (lang,))


def test_workers_write_the_same_pdfs_as_one_process() -> None:
    """Two jobs in two spawned workers give, in the jobs' order, the very bytes that
    rendering them here gives."""
    jobs = [job("report.ja.pdf", "本文です。"), job("report.en.pdf", "Body text.", "en")]
    here = render_pdfs(jobs, workers=1)
    apart = render_pdfs(jobs, workers=2)
    assert list(apart) == ["report.ja.pdf", "report.en.pdf"]
    assert apart == here
    text = PdfReader(io.BytesIO(apart["report.en.pdf"])).pages[0].extract_text()
    assert "Body text." in text


def test_an_error_in_a_worker_is_the_same_keyed_error_here(no_network: None) -> None:
    """A worker's RenderError (which cannot be pickled as it is) is raised again in the
    caller with its key, so the command line shows it in the user's language."""
    refused = job("report.en.pdf", "x", "en", '<img src="https://example.com/x.png">')
    with pytest.raises(RenderError) as caught:
        render_pdfs([job("report.ja.pdf", "本文"), refused], workers=2)
    assert caught.value.key == "pdf_resource_refused"


def test_the_pdf_takes_its_place_among_the_files() -> None:
    """After the HTML and before the machine outputs, as render_report always returned them."""
    files = {"report.ja.html": b"h", "findings.json": b"j"}
    assert list(with_pdf(files, "report.ja.pdf", b"p")) == [
        "report.ja.html",
        "report.ja.pdf",
        "findings.json",
    ]
    assert list(with_pdf({"findings.json": b"j"}, "report.ja.pdf", b"p")) == [
        "report.ja.pdf",
        "findings.json",
    ]
