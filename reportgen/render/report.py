"""The report as files: HTML and archival PDF per language, plus the machine outputs beside them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from reportgen.errors import RenderError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.lang import parse_langs
from reportgen.render.context import ReportOptions, build_context
from reportgen.render.evidence import DESCRIPTIONS, INVENTORY, SNAPSHOT, evidence_files
from reportgen.render.fonts import japanese_font
from reportgen.render.html import render_html
from reportgen.render.i18n import Ui
from reportgen.render.inventory import inventory_csv
from reportgen.render.machine import findings_json, machine_outputs
from reportgen.render.pdf import PdfAttachment, render_pdf
from reportgen.snapshot.model import Snapshot

FORMATS = ("html", "pdf")


def report_filename(lang: str, fmt: str) -> str:
    """``report.ja.pdf``, ``report.ja+en.html``…"""
    return f"report.{lang}.{fmt}"


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"html,pdf"`` or an iterable of names, validated and in a fixed order."""
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    unknown = sorted({n for n in names if n not in FORMATS})
    if unknown or not names:
        raise RenderError.keyed("unknown_report_format", formats=", ".join(unknown))
    return tuple(f for f in FORMATS if f in names)


@dataclass(frozen=True)
class PdfJob:
    """One PDF still to be written: plain data (text, bytes), so that another process can
    write it while this one goes on (``reportgen demo`` writes its three PDFs so)."""

    name: str
    html: str
    attachments: tuple[PdfAttachment, ...]
    created: datetime
    langs: tuple[str, ...]

    def render(self) -> bytes:
        return render_pdf(self.html, self.attachments, self.created, self.langs)


def render_report(
    assessment: Assessment,
    snapshot: Snapshot,
    catalogue: Catalogue,
    lang: str,
    formats: Iterable[str] = FORMATS,
    options: ReportOptions | None = None,
) -> dict[str, bytes]:
    """Render the report in ``lang`` (``ja``, ``en``, ``ja+en``) as ``formats``: pure, no I/O.

    Returns file name → bytes; with ``options.machine_outputs`` (default) also
    ``findings.json``, ``findings.csv`` and ``junit.xml``.
    """
    files, job = prepare_report(assessment, snapshot, catalogue, lang, formats, options)
    return files if job is None else with_pdf(files, job.name, job.render())


def with_pdf(files: Mapping[str, bytes], name: str, pdf: bytes) -> dict[str, bytes]:
    """``files`` with the PDF in its place: after the HTML, before the machine outputs."""
    out = {key: value for key, value in files.items() if key.endswith(".html")}
    out[name] = pdf
    out.update((key, value) for key, value in files.items() if key not in out)
    return out


def prepare_report(
    assessment: Assessment,
    snapshot: Snapshot,
    catalogue: Catalogue,
    lang: str,
    formats: Iterable[str] = FORMATS,
    options: ReportOptions | None = None,
) -> tuple[dict[str, bytes], PdfJob | None]:
    """``render_report`` with the PDF left as a job to run (``PdfJob.render``), or None."""
    options = options or ReportOptions()
    langs = parse_langs(lang)
    wanted = parse_formats(formats)
    context = build_context(assessment, snapshot, catalogue, langs, options)
    created = assessment.as_of
    files: dict[str, bytes] = {}
    job: PdfJob | None = None
    tell = options.progress or (lambda _name: None)
    findings = findings_json(assessment, catalogue, lang)  # once: attached and written
    if "html" in wanted:
        tell(report_filename(lang, "html"))
        html = render_html(context, "html", None, created)
        files[report_filename(lang, "html")] = html.encode("utf-8")
    if "pdf" in wanted:
        tell(report_filename(lang, "pdf"))
        font = japanese_font()
        printable = render_html(context, "pdf", font, created)
        evidence = evidence_files(
            assessment,
            catalogue,
            lang,
            options.snapshot_bytes or _snapshot_bytes(snapshot.raw),
            findings,
            options.rule_files,
            {}
            if context.inventory.is_complete("pdf")
            else {INVENTORY: inventory_csv(context.inventory, Ui(langs))},
        )
        attachments = tuple(
            PdfAttachment(
                name,
                data,
                f"reportgen snapshot, SHA-256 {assessment.snapshot_sha256}"
                if name == SNAPSHOT
                else DESCRIPTIONS[name],
            )
            for name, data in evidence.items()
        )
        job = PdfJob(report_filename(lang, "pdf"), printable, attachments, created, tuple(langs))
    if options.machine_outputs:
        files.update(machine_outputs(assessment, catalogue, lang, findings))
    return files, job


def _snapshot_bytes(raw: Mapping[str, object]) -> bytes:
    # Only when the caller did not pass the file's bytes; its hash then differs from the cover's.
    return json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
