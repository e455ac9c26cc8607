"""The --full-inventory PDF against WeasyPrint's time for the bare inventory table alone.

Usage: bench_inventory.py SNAPSHOT. Both are measured in this one process, one after the
other: (1) the whole report with every user in appendix A (``--full-inventory``), and
(2) a document holding only appendix A of that same printable HTML (same CSS, fonts and
page set-up). The target: (1) within 1.2x of (2).
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from common import emit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--lang", default="ja")
    args = parser.parse_args()

    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.run import evaluate
    from reportgen.render import ReportOptions, render_report
    from reportgen.render.context import build_context
    from reportgen.render.fonts import japanese_font
    from reportgen.render.html import render_html
    from reportgen.render.i18n import languages
    from reportgen.render.pdf import render_pdf
    from reportgen.snapshot import document as snapshot

    loaded = snapshot.load(args.snapshot)
    catalogue = load_catalogue()
    assessment = evaluate(loaded, catalogue=catalogue)
    options = ReportOptions(full_inventory=True, machine_outputs=False)

    started = time.perf_counter()
    render_report(assessment, loaded, catalogue, args.lang, ("pdf",), options)
    full = time.perf_counter() - started

    context = build_context(assessment, loaded, catalogue, languages(args.lang), options)
    printable = render_html(context, "pdf", japanese_font(), datetime.now(UTC))
    head = printable.split("<body", 1)[0]
    body_tag = re.search(r"<body[^>]*>", printable)
    section = re.search(
        r'<section class="chapter appendix" id="appendix-a">.*?</section>', printable, re.S
    )
    assert body_tag is not None and section is not None
    bare_html = f"{head}{body_tag.group(0)}{section.group(0)}</body></html>"
    started = time.perf_counter()
    render_pdf(bare_html, (), datetime.now(UTC))
    bare = time.perf_counter() - started

    emit(
        {
            "stage": "full-inventory",
            "users": len(loaded.users),
            "full_inventory_pdf_s": round(full, 2),
            "bare_inventory_table_pdf_s": round(bare, 2),
            "ratio": round(full / bare, 2),
        }
    )


if __name__ == "__main__":
    main()
