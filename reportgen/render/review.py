"""The HTML medium's review tools: filters, principal search and sortable tables.

One inline stylesheet and one inline script (the package's own files, never report data),
and the Content-Security-Policy that allows exactly that script by its SHA-256 hash.
The PDF medium gets none of it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass

from markupsafe import Markup

from reportgen.errors import RenderError
from reportgen.evaluate.findings import Severity
from reportgen.render.chapters import VERDICT_ORDER
from reportgen.resources import data_dir

STATUSES = tuple(s.value.lower() for s in VERDICT_ORDER)
"""The status filter's choices, worst first (the badges' ``b-…`` kinds)."""
SEVERITIES = tuple(s.value for s in Severity)


@dataclass(frozen=True)
class ReviewAssets:
    """What the HTML report inlines for reviewers, and the page's Content-Security-Policy."""

    css: Markup
    script: Markup
    csp: str
    statuses: tuple[str, ...] = STATUSES
    severities: tuple[str, ...] = SEVERITIES


def source_hash(text: str) -> str:
    """The CSP source that allows an inline ``<script>`` or ``<style>`` with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@functools.cache
def _files() -> tuple[str, str]:
    folder = data_dir("templates") / "report"
    css = (folder / "review.css").read_text(encoding="utf-8")
    script = (folder / "review.js").read_text(encoding="utf-8")
    if "</" in script or "</" in css:
        # Either would end its element early, and the page would not match the hash.
        raise RenderError("templates/report/review.js or review.css contains '</'")
    return css, script


def review_assets(stylesheet: str) -> ReviewAssets:
    """The toolbar's CSS and script, and a policy that allows exactly them and ``stylesheet``
    (the report's own CSS, inlined before them): no other script, style, fetch or form."""
    css, script = _files()
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {source_hash(script)}",
            f"style-src {source_hash(stylesheet)} {source_hash(css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return ReviewAssets(Markup(css), Markup(script), csp)
