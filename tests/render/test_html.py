"""The HTML report: self-contained, escaped, bilingual, stable (golden files)."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.lang import parse_langs
from reportgen.render import ReportOptions, render_report
from reportgen.render.context import build_context
from reportgen.render.html import render_html
from reportgen.snapshot.model import Snapshot
from tests.render.fixtures import HOSTILE, HOSTILE_IMG, small_case

GOLDEN = Path(__file__).parent / "golden"
Case = tuple[Assessment, Snapshot, Catalogue]
HTML_ONLY = ReportOptions(machine_outputs=False)
URL_ATTRS = {"src", "href", "xlink:href", "action", "poster", "data", "srcset", "background"}
DOC_HOSTS = ("https://docs.aws.amazon.com/",)


class _Links(HTMLParser):
    """Collects the tags and URL-bearing attributes of a page, the text of its scripts and
    styles, and its Content-Security-Policy (other text content is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[list[tuple[str, str | None]], str]] = []
        self.styles: list[str] = []
        self.csp: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in URL_ATTRS:
                self.urls.append((tag, name, value or ""))
        named = dict(attrs)
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(named.get("content") or "")
        if tag == "script":
            self.scripts.append((attrs, ""))
        elif tag == "style":
            self.styles.append("")
        self._inside = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._inside == "style":
            self.styles[-1] += data


def sha256_source(text: str) -> str:
    """The CSP source that allows an inline element with exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy(content: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as directive → sources."""
    parts = (d.split() for d in content.split(";") if d.strip())
    return {words[0]: words[1:] for words in parts}


def links(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def html(case: Case, lang: str, options: ReportOptions = HTML_ONLY) -> str:
    assessment, snapshot, catalogue = case
    files = render_report(assessment, snapshot, catalogue, lang, ["html"], options)
    assert list(files) == [f"report.{lang}.html"]
    return files[f"report.{lang}.html"].decode("utf-8")


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_golden(case: Case, lang: str, update_golden: bool) -> None:
    """The small fixed case renders exactly as reviewed (regenerate with --update-golden)."""
    path = GOLDEN / f"report.{lang}.html"
    rendered = html(case, lang)
    if update_golden:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), "run pytest tests/render --update-golden once"
    assert rendered == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_no_remote_resources(case: Case, lang: str, no_network: None) -> None:
    """Rendering needs no network; the only URLs are anchors and AWS documentation links."""
    page = html(case, lang)
    found = links(page)
    for tag, attr, url in found.urls:
        if url.startswith("#"):
            continue
        assert (tag, attr) == ("a", "href") and url.startswith(DOC_HOSTS), (tag, attr, url)
    assert not found.tags & {"link", "img", "iframe", "object", "embed", "base"}
    assert "@import" not in page
    assert "url(" not in page
    # Exactly one script, inline, allowed by its own hash and by nothing broader.
    [(attrs, script)] = found.scripts
    assert attrs == [] and script.strip()
    [content] = found.csp
    rules = policy(content)
    assert rules["default-src"] == ["'none'"]
    assert rules["script-src"] == [sha256_source(script)]
    assert rules["style-src"] == [sha256_source(style) for style in found.styles]
    assert "'unsafe-inline'" not in content and "'unsafe-eval'" not in content


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_the_pdf_medium_has_no_review_tools(case: Case, lang: str) -> None:
    """The print HTML (the PDF's source) carries no script, policy, toolbar or filter data."""
    assessment, snapshot, catalogue = case
    context = build_context(assessment, snapshot, catalogue, parse_langs(lang), ReportOptions())
    page = render_html(context, "pdf", None, assessment.as_of)
    found = links(page)
    assert not found.scripts and not found.csp and len(found.styles) == 1
    for marker in (
        "review-toolbar",
        "table-scroll",
        "data-status",
        "data-severity",
        "data-principal",
        "data-sort",
    ):
        assert marker not in page, marker


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_hostile_names_are_text(case: Case, lang: str) -> None:
    """User names that look like markup are shown escaped, never as markup."""
    page = html(case, lang)
    assert HOSTILE not in page and HOSTILE_IMG not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=http://x&gt;" in page


@pytest.mark.parametrize(
    ("lang", "html_lang", "present", "absent"),
    [
        ("ja", "ja", ["エグゼクティブサマリー", "2026年11月28日"], ["Executive summary"]),
        ("en", "en", ["Executive summary", "28 November 2026"], ["エグゼクティブサマリー"]),
        (
            "ja+en",
            "ja",
            ["エグゼクティブサマリー", 'lang="en"', "Executive summary", "28 November 2026"],
            [],
        ),
    ],
)
def test_languages_shown(
    case: Case, lang: str, html_lang: str, present: list[str], absent: list[str]
) -> None:
    """Each language shows its own headings and dates; ja+en shows both, each marked by lang."""
    page = html(case, lang)
    assert f'<html lang="{html_lang}">' in page
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page


def test_contents_in_order(case: Case) -> None:
    """Cover, summary, chapters, exceptions, gaps, then appendices A, B, C."""
    page = html(case, "en")
    marks = [
        'class="cover"',
        'id="summary"',
        'id="section-root"',
        'id="section-mfa"',
        'id="exceptions"',
        'id="gaps"',
        'id="appendix-a"',
        'id="appendix-b"',
        'id="appendix-c"',
    ]
    positions = [page.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_cover_facts(case: Case) -> None:
    """The cover shows organisation, account, alias, date, period, versions and the SHA-256."""
    assessment = case[0]
    page = html(case, "en", ReportOptions(machine_outputs=False, org_name="Example K.K."))
    cover = page[page.index('class="cover"') : page.index('id="contents"')]
    for text in (
        "Example K.K.",
        assessment.account_id,
        "example-prod",
        "28 November 2026",
        "FY2026 Q4",
        "reportgen 0.1.0",
        "test-catalogue-1",
        assessment.snapshot_sha256,
    ):
        assert text in cover


def test_long_lists_are_summarised_with_the_full_list_in_an_appendix() -> None:
    """Beyond the limit a chapter lists only the first rows; appendix D in the HTML has all."""
    big = small_case(extra_users=60)
    page = html(big, "en", ReportOptions(machine_outputs=False, resource_limit=5))
    chapter = page[page.index('id="check-console-user-mfa"') : page.index('id="section-groups"')]
    assert chapter.count('class="c-res"') == 5 + 1  # five rows and the header
    assert "more are listed in appendix D" in chapter
    appendix = page[page.index('id="appendix-d"') :]
    assert "user0057" in appendix


def test_html_inventory_lists_every_user() -> None:
    """Appendix A of the HTML lists every user even when the PDF would summarise."""
    big = small_case(extra_users=60)
    page = html(big, "en", ReportOptions(machine_outputs=False, inventory_summary_limit=3))
    inventory = page[page.index('id="appendix-a"') : page.index('id="appendix-b"')]
    assert inventory.count('class="user"') == 64


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", ("リソースベースのポリシー", "セッションポリシー", "SCP", "iam:PassedToService")),
        ("en", ("resource-based policies", "session policies", "SCPs", "iam:PassedToService")),
    ],
)
def test_the_method_says_what_the_least_privilege_verdicts_leave_out(
    case: Case, lang: str, words: tuple[str, ...]
) -> None:
    """An auditor reading appendix C learns what the effective-permission verdicts do not
    include (resource-based, session and service control policies, most conditions), as
    docs/least-privilege.md says; the report did not say it."""
    method = html(case, lang).split('id="appendix-c"', 1)[1]
    assert all(word in method for word in words)
