"""The archival PDF (PDF/A-3b) of the report by WeasyPrint, imported only when a PDF is wanted."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reportgen.errors import RenderError
from reportgen.resources import data_dir, package_file

PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 allows source data beside the document)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Source"


def allowed_roots() -> tuple[Path, ...]:
    """The only folders a ``file:`` URL may point into: the package and its templates."""
    return (package_file().resolve(), data_dir("templates").resolve())


def is_allowed(url: str, roots: Sequence[Path]) -> bool:
    """Whether the renderer may load ``url``: ``data:`` or a package file, nothing else."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in roots)


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher

    class PackageOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses the network and every file outside the package; WeasyPrint then stops."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data", "file"), fail_on_errors=True)
            self._roots = allowed_roots()

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not is_allowed(url, self._roots):
                raise PermissionError(f"refused to load {url}")
            return super().fetch(url, headers)

    return PackageOnlyFetcher


def url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that allows only ``data:`` and the package's own files."""
    return _fetcher_class()()


def render_pdf(html: str, attachments: Sequence[PdfAttachment], created: datetime) -> bytes:
    """The PDF/A-3b bytes of ``html`` (print CSS inside), with ``attachments`` embedded.

    Title, language and author come from the HTML (``<title>``, ``lang``, ``<meta name=author>``).
    A resource outside the package (a remote image, a local file) fails the whole render.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = url_fetcher()
    base = data_dir("templates").joinpath("report").resolve().as_uri() + "/"
    files = [
        weasyprint.Attachment(
            string=item.data,
            name=item.name,
            description=item.description,
            created=created,
            modified=created,
            relationship=item.relationship,
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    target = io.BytesIO()
    try:
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        document.write_pdf(
            target,
            pdf_variant=PDF_VARIANT,
            attachments=files,
            pdf_identifier=created.strftime("%Y%m%d%H%M%S").encode(),
            uncompressed_pdf=False,
        )
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"the report tried to load a resource it may not: {cause}") from None
    return target.getvalue()
