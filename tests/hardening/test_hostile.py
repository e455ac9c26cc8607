"""Hostile names in a snapshot stay text: HTML, PDF, terminal table, CSV and lesson handouts."""

from __future__ import annotations

import csv
import io
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest
from pypdf import PdfReader

from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.run import evaluate
from reportgen.formats import csv as csv_format
from reportgen.formats import table
from reportgen.render import ReportOptions, render_report
from reportgen.render import pdf as pdf_module
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import Snapshot
from reportgen.training.handouts import build_handouts
from reportgen.training.lessons import load_lessons
from tests.hardening.hostile import (
    EVIL_HOST,
    FORMULA,
    HOSTILE,
    LONG_TOKEN,
    ORG_NAME,
    RTL,
    TODAY,
    USER_NAMES,
    ZERO_WIDTH,
    as_bytes,
    clean_document,
    made_hostile,
)

URL_ATTRS = frozenset({"href", "src", "action", "data", "formaction", "poster", "xlink:href"})
ALLOWED_URL = re.compile(r"^(#[\w.:-]+|https://docs\.aws\.amazon\.com/[^\s\"'<>]*)$")


@dataclass(frozen=True)
class Case:
    data: bytes
    snapshot: Snapshot
    assessment: Assessment


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    """The same account collected once, as seeded ("clean") and with hostile names."""
    clean = clean_document()
    built = {}
    for name, document in (("clean", clean), ("hostile", made_hostile(clean))):
        data = as_bytes(document)
        loaded = snapshot.loads(data)
        built[name] = Case(data, loaded, evaluate(loaded, as_of=TODAY))
    return built


def _html(case: Case, catalogue: Catalogue, org: str) -> str:
    options = ReportOptions(snapshot_bytes=case.data, org_name=org, machine_outputs=False)
    files = render_report(case.assessment, case.snapshot, catalogue, "ja+en", ("html",), options)
    return files["report.ja+en.html"].decode("utf-8")


@dataclass
class Shape(HTMLParser):
    """What an HTML page is made of: elements, attributes, URLs, and its text."""

    tags: set[str] = field(default_factory=set)
    attrs: set[tuple[str, str]] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    styles: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _in: str = ""

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in = tag
        for name, value in attrs:
            self.attrs.add((tag, name))
            if name in URL_ATTRS and value is not None:
                self.urls.add(value)
            if name == "style" and value is not None:
                self.styles.append(value)

    def handle_data(self, data: str) -> None:
        (self.styles if self._in == "style" else self.text).append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = ""


def _shape(html: str) -> Shape:
    shape = Shape()
    shape.feed(html)
    shape.close()
    return shape


@pytest.fixture(scope="module")
def shapes(cases: dict[str, Case], catalogue: Catalogue) -> dict[str, tuple[str, Shape]]:
    """Both HTML reports (ja+en) and what they are made of."""
    pages = {
        "clean": _html(cases["clean"], catalogue, "Sakura Shoji"),
        "hostile": _html(cases["hostile"], catalogue, ORG_NAME),
    }
    return {name: (html, _shape(html)) for name, html in pages.items()}


def test_hostile_snapshot_is_really_hostile(cases: dict[str, Case]) -> None:
    """The fixture carries the markup into the loaded model (guards against a toothless test)."""
    names = {user.name for user in cases["hostile"].snapshot.users}
    assert set(USER_NAMES) <= names
    assert HOSTILE["hostilezz60"] in cases["hostile"].snapshot.account.aliases


def test_html_has_no_new_elements_or_attributes(shapes: dict[str, tuple[str, Shape]]) -> None:
    """Markup in names adds no element and no attribute to the report."""
    clean, hostile = shapes["clean"][1], shapes["hostile"][1]
    assert hostile.tags == clean.tags
    assert hostile.attrs == clean.attrs
    assert not {"script", "img", "iframe", "object", "link", "style"} & (hostile.tags - clean.tags)
    assert not {"img", "iframe", "object", "link"} & hostile.tags
    # The one script is the report's own review script (templates/report/review.js), as in
    # the clean report; checked byte for byte in test_html_styles_load_nothing.


def test_html_urls_point_only_to_aws_docs_and_anchors(
    shapes: dict[str, tuple[str, Shape]],
) -> None:
    """Every href/src is an in-page anchor or AWS documentation, the same set as a clean report."""
    clean, hostile = shapes["clean"][1], shapes["hostile"][1]
    assert hostile.urls == clean.urls
    assert [url for url in hostile.urls if not ALLOWED_URL.match(url)] == []


def test_html_styles_load_nothing(shapes: dict[str, tuple[str, Shape]]) -> None:
    """The page's CSS (style elements and attributes) has no url() or @import, names or not."""
    for _html_text, shape in shapes.values():
        css = "\n".join(shape.styles)
        assert "url(" not in css and "@import" not in css
    html = shapes["hostile"][0]
    assert EVIL_HOST in html
    assert re.search(r"<(img|iframe|object|link)\b", html) is None
    script = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
    assert re.findall(r"<script\b[^>]*>", html) == ["<script>"]  # one, inline, no src
    assert script.findall(html) == script.findall(shapes["clean"][0])
    # Names are in data-principal for the review search: escaped text, never a URL.
    searchable = re.sub(r'data-principal="[^"<>]*"', 'data-principal=""', html)
    assert re.search(rf"<[^>]*{re.escape(EVIL_HOST)}", searchable) is None


@pytest.mark.parametrize("name", [*USER_NAMES, HOSTILE["hostilezz40"], ORG_NAME])
def test_html_shows_names_as_text(shapes: dict[str, tuple[str, Shape]], name: str) -> None:
    """Each hostile name appears verbatim in the page's text (escaped in the source)."""
    assert name in "".join(shapes["hostile"][1].text)


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sockets refuse to connect and resolve; returns every URL the PDF renderer fetched."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fetched: list[str] = []
    allowed = pdf_module.is_allowed

    def recording(url: str, roots: Any) -> bool:
        fetched.append(url)
        if not allowed(url, roots):
            raise AssertionError(f"the renderer tried to load {url}")
        return True

    monkeypatch.setattr(pdf_module, "is_allowed", recording)
    return fetched


@pytest.fixture(scope="module")
def hostile_pdf(cases: dict[str, Case], catalogue: Catalogue) -> Iterator[bytes]:
    """The hostile report as a Japanese PDF, rendered with the network refused."""
    with pytest.MonkeyPatch.context() as patch:
        fetched = refuse_network(patch)
        case = cases["hostile"]
        options = ReportOptions(snapshot_bytes=case.data, org_name=ORG_NAME, machine_outputs=False)
        files = render_report(case.assessment, case.snapshot, catalogue, "ja", ("pdf",), options)
        assert all(url.startswith(("data:", "file:")) for url in fetched), fetched
    yield files["report.ja.pdf"]


@pytest.fixture(scope="module")
def hostile_pdf_text(hostile_pdf: bytes) -> str:
    """The PDF's text, without white space and the zero-width break points."""
    reader = PdfReader(io.BytesIO(hostile_pdf))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[\s\u200b]+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("name", [*USER_NAMES[:5], USER_NAMES[9], HOSTILE["hostilezz40"]])
def test_pdf_shows_names_as_text(hostile_pdf_text: str, name: str) -> None:
    """The PDF's extracted text holds each hostile name as written (it was not interpreted)."""
    assert re.sub(r"\s+", "", name) in hostile_pdf_text


def _overflowing(html: str) -> list[str]:
    """Text that reaches past the right edge of its page, as laid out by WeasyPrint."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    base = pdf_module.data_dir("templates").joinpath("report").resolve().as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=pdf_module.url_fetcher())
    found = []
    for page in document.render().pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox):
                right = box.position_x + box.margin_width()
                if right > page.width + 0.5:
                    found.append(box.text[:40])
    return found


def _printable(case: Case, catalogue: Catalogue, breaks: bool = True) -> str:
    from reportgen.render import html as html_module
    from reportgen.render.context import build_context
    from reportgen.render.fonts import japanese_font

    options = ReportOptions(snapshot_bytes=case.data, org_name=ORG_NAME, machine_outputs=False)
    context = build_context(case.assessment, case.snapshot, catalogue, ("ja",), options)
    with pytest.MonkeyPatch.context() as patch:
        if not breaks:
            unchanged = jinja2.pass_context(lambda _context, value: value)
            patch.setitem(html_module.environment().filters, "breakable", unchanged)
        return html_module.render_html(context, "pdf", japanese_font(), TODAY)


@pytest.mark.slow
def test_pdf_long_tokens_wrap_inside_the_page(cases: dict[str, Case], catalogue: Catalogue) -> None:
    """A 2,000-character name and a very long ARN wrap: no text runs past the page's edge."""
    assert _overflowing(_printable(cases["hostile"], catalogue)) == []


@pytest.mark.slow
def test_overflow_check_can_fail(cases: dict[str, Case], catalogue: Catalogue) -> None:
    """Without break points in long names the same PDF page overflows (the check has teeth)."""
    overflow = _overflowing(_printable(cases["hostile"], catalogue, breaks=False))
    assert any(text.startswith(LONG_TOKEN[:20]) for text in overflow), overflow


def test_terminal_table_shows_names_as_text(cases: dict[str, Case], catalogue: Catalogue) -> None:
    """The terminal table prints rich-markup lookalikes literally and emits no escape codes."""
    out = table.render(cases["hostile"].assessment, catalogue, "ja")
    assert "\x1b" not in out
    flat = re.sub(r"[\s│┃|]+", "", out)
    for name in (*USER_NAMES[:5], HOSTILE["hostilezz12"]):
        assert re.sub(r"\s+", "", name) in flat


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_csv_neutralises_formulas(cases: dict[str, Case], catalogue: Catalogue, lang: str) -> None:
    """No CSV cell starts with = + - @ or a tab: Excel cannot run a name as a formula."""
    text = csv_format.render(cases["hostile"].assessment, catalogue, lang).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert "'" + FORMULA in cells
    column = csv_format.FIXED.index("resource_name")  # headers are localized; order is fixed
    names = {row[column] for row in rows[1:]}
    assert {RTL, ZERO_WIDTH, LONG_TOKEN} <= names


HOSTILE_BODY = f"""
# <script>alert(1)</script>

<img src="http://{EVIL_HOST}/x.png"> <style>@import url(http://{EVIL_HOST}/s.css);</style>

[click](javascript:alert(1)) <a href="http://{EVIL_HOST}/">raw link</a>
"""


def _lesson_folder(tmp_path: Path, real: Path) -> Path:
    """A copy of the lesson folder ``real`` with raw HTML in title, objectives, answers, body."""
    folder = tmp_path / "lessons" / real.name
    folder.mkdir(parents=True)
    for other in real.iterdir():
        source = other.read_text(encoding="utf-8")
        if other.suffix == ".md":
            source = re.sub(
                r"^title: .*$",
                "title: \"<script>alert('t')</script>\"",
                source,
                count=1,
                flags=re.M,
            )
            source = source.replace(
                "objectives:\n", f'objectives:\n  - "<img src=http://{EVIL_HOST}/o.png>"\n', 1
            )
            source = source.replace(
                "questions:\n", 'questions:\n  - q: "<b>q</b>"\n    a: "<i>a</i>"\n', 1
            )
            source += HOSTILE_BODY
        (folder / other.name).write_text(source, encoding="utf-8")
    return folder


def test_lesson_markdown_raw_html_is_text(tmp_path: Path) -> None:
    """Raw HTML in a lesson (body, title, objectives, answers) renders as text, never as markup."""
    real = load_lessons()[0]
    folder = _lesson_folder(tmp_path, real.path)
    lessons = load_lessons(folder.parent)
    files = build_handouts(lessons, ("ja",), ("html",), date(2026, 6, 30))
    for name, data in files.items():
        html = data.decode("utf-8")
        shape = _shape(html)
        assert not {"script", "img", "iframe", "object"} & shape.tags, name
        assert [u for u in shape.urls if not ALLOWED_URL.match(u)] == [], name
        assert "url(" not in "\n".join(shape.styles), name
        text = "".join(shape.text)
        assert "<script>alert('t')</script>" in text, name
    body = _shape(files[f"{real.id}.ja.html"].decode("utf-8"))
    assert "<script>alert(1)</script>" in "".join(body.text)
    assert f"<img src=http://{EVIL_HOST}/o.png>" in "".join(body.text)
