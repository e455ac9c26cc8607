"""The archival PDF of the report by WeasyPrint, imported only when a PDF is wanted.

PDF/A-3a: archival (fonts embedded, colour profile, XMP metadata, files attached as
PDF/A-3 allows) and tagged (a structure tree for readers and screen readers, the document
language in the catalogue's ``/Lang`` and in XMP ``dc:language``). docs/pdf.md says what
tests check in the written file and what they do not.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reportgen.errors import RenderError
from reportgen.resources import data_dir, package_file

PDF_VARIANT = "pdf/a-3a"
_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


def _language_xmp(languages: Sequence[str]) -> bytes:
    """The XMP ``dc:language`` property (an unordered bag of BCP 47 tags)."""
    items = "".join(f"<rdf:li>{code}</rdf:li>" for code in languages)
    return (
        f'<rdf:Description xmlns:rdf="{_RDF}" xmlns:dc="{_DC}" rdf:about="">'
        f"<dc:language><rdf:Bag>{items}</rdf:Bag></dc:language></rdf:Description>"
    ).encode()


def _finisher(languages: Sequence[str]) -> Any:
    """Post-process WeasyPrint's PDF object graph before it is written.

    WeasyPrint 70 lists each attachment twice in the catalogue's ``/AF`` (once from the
    embedded-files name tree, once from the file specifications): keep each once, in order.
    Its XMP has no ``dc:language``: add one inside the existing ``rdf:RDF``.
    """
    import pydyf

    def finish(_document: Any, pdf: Any) -> None:
        catalog = pdf.catalog
        if "AF" in catalog:
            catalog["AF"] = pydyf.Array(dict.fromkeys(catalog["AF"]))
        if languages and "Metadata" in catalog:
            reference = catalog["Metadata"]  # "n 0 R", as bytes or str
            if isinstance(reference, bytes):
                reference = reference.decode()
            stream = pdf.objects[int(reference.split()[0])]
            content = b"".join(
                part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
            )
            closing = b"</rdf:RDF>"
            if closing not in content:
                raise RenderError("the PDF's XMP metadata has no rdf:RDF element")
            head, _, tail = content.rpartition(closing)
            stream.stream = [head + _language_xmp(languages) + closing + tail]

    return finish


@contextmanager
def _few_collections() -> Iterator[None]:
    """Python's cyclic garbage collector paced for one PDF render, then as it was.

    WeasyPrint allocates millions of small objects while it lays out and paints, and the
    collector's default pace (a young collection every 700 allocations, a full one every 100
    of them) scanned them again and again: 1.9 s of CPU of the demo's Japanese PDF, 1,500
    collections. Objects that existed before the render are frozen (left out of every scan)
    and young collections run every 50,000 allocations; cycles are still collected, so memory
    stays bounded (peak within a few MiB; docs/performance.md).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def render_pdf(
    html: str,
    attachments: Sequence[PdfAttachment],
    created: datetime,
    languages: Sequence[str] = (),
) -> bytes:
    """The PDF/A-3a bytes of ``html`` (print CSS inside), with ``attachments`` embedded.

    Title, language and author come from the HTML (``<title>``, ``lang``, ``<meta name=author>``);
    ``languages`` (BCP 47, e.g. ``("ja", "en")`` for a bilingual report) go to XMP
    ``dc:language``, the root element's ``lang`` when not given.
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
        with _few_collections():
            document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render(
                pdf_variant=PDF_VARIANT
            )
            lang = document.metadata.lang
            codes = tuple(languages) or ((lang,) if lang else ())
            document.write_pdf(
                target,
                finisher=_finisher(codes),
                pdf_variant=PDF_VARIANT,
                attachments=files,
                pdf_identifier=created.strftime("%Y%m%d%H%M%S").encode(),
                uncompressed_pdf=False,
            )
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError.keyed("pdf_resource_refused", cause=str(cause)) from None
    return target.getvalue()
