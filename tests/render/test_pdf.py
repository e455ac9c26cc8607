"""The archival PDF, read back: pages, Japanese text, fonts, PDF/A, attachments, fetcher."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen.errors import RenderError
from reportgen.render import ReportOptions, render_report
from reportgen.render.machine import findings_json
from reportgen.render.pdf import PdfAttachment, allowed_roots, is_allowed, render_pdf
from reportgen.resources import data_dir
from tests.render.fixtures import AS_OF, small_case, waivers_file

SNAPSHOT_BYTES = b'{"schema": "reportgen.snapshot/1", "note": "fixed test bytes"}'


@pytest.fixture(scope="module")
def rendered() -> tuple[bytes, bytes]:
    """The small case as a Japanese PDF, with the findings JSON it should carry."""
    assessment, snapshot, catalogue = small_case()
    options = ReportOptions(
        machine_outputs=False, snapshot_bytes=SNAPSHOT_BYTES, rule_files=waivers_file(assessment)
    )
    files = render_report(assessment, snapshot, catalogue, "ja", ["pdf"], options)
    return files["report.ja.pdf"], findings_json(assessment, catalogue, "ja")


@pytest.fixture(scope="module")
def reader(rendered: tuple[bytes, bytes]) -> PdfReader:
    return PdfReader(io.BytesIO(rendered[0]))


def _text(reader: PdfReader) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


@pytest.mark.slow
def test_more_pages_than_cover_and_summary(reader: PdfReader) -> None:
    """The PDF goes beyond the cover and the summary (chapters, registers, appendices)."""
    assert len(reader.pages) > 4


@pytest.mark.slow
def test_japanese_titles_are_text(reader: PdfReader) -> None:
    """Section and check titles in Japanese can be found and copied as text."""
    text = _text(reader)
    for title in (
        "エグゼクティブサマリー",
        "ルートユーザーでMFAが有効であること",
        "コンソールを使うユーザーにMFAがあること",
        "付録Aユーザー一覧",
        "2026年11月28日",
    ):
        assert title in text


@pytest.mark.slow
def test_every_font_is_embedded(rendered: tuple[bytes, bytes], tmp_path: Path) -> None:
    """pdffonts lists every font as embedded and subset (no tofu on another machine)."""
    if shutil.which("pdffonts") is None:
        pytest.fail("poppler-utils (pdffonts) is required for this test")
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered[0])
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line
    assert any("Noto-Sans-CJK-JP" in line for line in lines)


@pytest.mark.slow
def test_pdfa_identification_and_metadata(reader: PdfReader) -> None:
    """The XMP says PDF/A-3A (tagged); title, language and author describe the report."""
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)
    assert reader.xmp_metadata is not None and reader.xmp_metadata.dc_language == ["ja"]
    info = reader.metadata
    assert info is not None
    assert "IAM コンプライアンス四半期報告書" in (info.title or "")
    assert info.author == "reportgen"
    assert reader.trailer["/Root"]["/Lang"] == "ja"


@pytest.mark.slow
def test_attachments_are_the_snapshot_and_the_findings(
    reader: PdfReader, rendered: tuple[bytes, bytes]
) -> None:
    """The snapshot file's bytes and the findings JSON travel inside the PDF, unchanged."""
    attached = reader.attachments
    assert attached["snapshot.json"] == [SNAPSHOT_BYTES]
    assert attached["findings.json"] == [rendered[1]]


@pytest.mark.slow
def test_each_attachment_is_listed_once_as_associated_file(reader: PdfReader) -> None:
    """PDF/A-3: every embedded file is in the catalogue's /AF exactly once (WeasyPrint 70
    lists them twice unless told otherwise), with its relationship to the document."""
    root = reader.trailer["/Root"]
    listed = [item.get_object() for item in root["/AF"]]
    names = [spec["/F"] for spec in listed]
    assert len(names) == len(set(names)) == len(reader.attachments)
    assert set(names) == set(reader.attachments)
    assert {spec["/AFRelationship"] for spec in listed} == {"/Source"}


def _structure(reader: PdfReader) -> Counter[str]:
    """How many structure elements of each type the tagged PDF holds."""
    kinds: Counter[str] = Counter()
    figures: list[object] = []
    pending = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while pending:
        node = pending.pop()
        if "/S" in node:
            kinds[str(node["/S"])] += 1
            if node["/S"] == "/Figure":
                figures.append(node.get("/Alt"))
        children = node.get("/K")
        for child in children if isinstance(children, list) else [children]:
            child = child.get_object() if hasattr(child, "get_object") else child
            if isinstance(child, dict):
                pending.append(child)
    kinds["Figure without /Alt"] = sum(1 for alt in figures if not alt)
    return kinds


@pytest.mark.slow
def test_the_pdf_is_tagged(reader: PdfReader) -> None:
    """A structure tree a screen reader can follow: headings, tables with header cells,
    lists, and every figure (the score chart) with a text alternative."""
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    kinds = _structure(reader)
    for kind in ("/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"):
        assert kinds[kind] > 0, kind
    assert kinds["Figure without /Alt"] == 0


@pytest.mark.slow
def test_the_pdf_carries_what_reproduces_its_findings(reader: PdfReader) -> None:
    """catalogue.json and reproduce.json are attached; reproduce.json hashes every other file."""
    import hashlib
    import json

    attached = {name: copies[0] for name, copies in reader.attachments.items()}
    assert {"catalogue.json", "reproduce.json"} <= set(attached)
    manifest = json.loads(attached["reproduce.json"])
    assert manifest["schema"] == "reportgen.reproduce/1" and manifest["lang"] == "ja"
    assert set(manifest["files"]) == set(attached) - {"reproduce.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(attached[name]).hexdigest() == digest
    catalogue = json.loads(attached["catalogue.json"])
    assert catalogue["version"] == "test-catalogue-1"  # built in memory: no YAML files


@pytest.mark.slow
def test_bookmarks_and_running_header(reader: PdfReader) -> None:
    """Chapters are PDF bookmarks; inner pages carry the account and a page n / N footer."""
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "エグゼクティブサマリー" in "".join(titles)
    inner = reader.pages[3].extract_text() or ""
    assert "123456789012" in inner
    assert re.search(rf"\b4\s*/\s*{len(reader.pages)}\b", inner)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("http://example.com/logo.png", False),
        ("https://docs.aws.amazon.com/x.css", False),
        ("ftp://example.com/x", False),
        ("file:///etc/passwd", False),
        ("file://evil.example.com/share/x.css", False),
    ],
)
def test_fetcher_allows_only_data_and_package_files(url: str, allowed: bool) -> None:
    """Only data: URLs and files inside the package may be loaded."""
    assert is_allowed(url, allowed_roots()) is allowed


def test_fetcher_allows_the_package_templates() -> None:
    """The report's own template folder is a permitted file: location."""
    css = data_dir("templates") / "report" / "report.css"
    assert is_allowed(css.resolve().as_uri(), allowed_roots())
    outside = (data_dir("templates") / ".." / ".." / "etc").resolve().as_uri()
    assert not is_allowed(outside, allowed_roots())


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="http://127.0.0.1:9/tracker.png">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '<img src="file:///etc/hostname">',
    ],
)
def test_a_refused_resource_fails_the_render(markup: str, no_network: None) -> None:
    """A page that asks for a remote or foreign file is not rendered at all."""
    page = f'<html lang="ja"><head><title>t</title></head><body>{markup}<p>本文</p></body></html>'
    with pytest.raises(RenderError, match="may not"):
        render_pdf(page, [PdfAttachment("a.json", b"{}", "a")], AS_OF)


def test_the_garbage_collector_is_left_as_it_was_after_a_render(no_network: None) -> None:
    """The render paces Python's garbage collector for itself (docs/performance.md) and puts it
    back afterwards, also when the render fails: same thresholds, nothing left frozen."""
    import gc

    before = gc.get_threshold()
    page = '<html lang="ja"><head><title>t</title></head><body><p>本文</p></body></html>'
    assert render_pdf(page, [], AS_OF).startswith(b"%PDF")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    remote = page.replace("<p>", '<p><img src="https://example.com/x.png">')
    with pytest.raises(RenderError):
        render_pdf(remote, [], AS_OF)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
