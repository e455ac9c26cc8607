"""Turn a rendered report folder into the PNGs shown in the README (cover, summary, chapter, HTML).

Usage: python docs/screenshots/make_screenshots.py OUT_DIR [--lang ja]
where OUT_DIR holds the output of ``reportgen report … -o OUT_DIR``. Needs poppler-utils
(pdftoppm) and, for the HTML view, chromium; a missing tool skips its pictures with a note.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pages_to_show(pdf: Path) -> dict[int, str]:
    """PDF page (1-based) → picture name: the cover, the executive summary and the first
    chapter, found by their anchors (named destinations) rather than fixed page numbers."""
    import re

    from pypdf import PdfReader

    reader = PdfReader(pdf)
    places = reader.named_destinations
    html = pdf.with_suffix(".html")
    found = re.search(r'class="chapter checks" id="([^"]+)"', html.read_text(encoding="utf-8"))
    shown = {1: "cover"}
    for anchor, name in (("summary", "summary"), (found and found.group(1), "chapter")):
        if anchor and anchor in places:
            shown[reader.get_destination_page_number(places[anchor]) + 1] = name
    return shown


def pdf_pages(pdf: Path, lang: str) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for page, name in pages_to_show(pdf).items():
            stem = Path(tmp) / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            target = HERE / f"report-{lang}-{name}.png"
            shutil.move(f"{stem}.png", target)
            written.append(target)
    return written


def html_view(html: Path, lang: str, browser: str) -> Path:
    target = HERE / f"report-{lang}-html.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            f"--screenshot={target}",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--lang", default="ja", choices=["ja", "en", "ja+en"])
    args = parser.parse_args()
    pdf = args.out_dir / f"report.{args.lang}.pdf"
    html = args.out_dir / f"report.{args.lang}.html"
    written: list[Path] = []
    if shutil.which("pdftoppm") and pdf.exists():
        written += pdf_pages(pdf, args.lang)
    else:
        sys.stderr.write(f"skipped PDF pages (need pdftoppm and {pdf})\n")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser and html.exists():
        written.append(html_view(html, args.lang, browser))
    else:
        sys.stderr.write(f"skipped the HTML view (need chromium and {html})\n")
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
