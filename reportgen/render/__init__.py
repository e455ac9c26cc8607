"""Render an assessment as the quarterly report: bilingual HTML and archival PDF (no network)."""

from __future__ import annotations

from reportgen.render.context import ReportOptions
from reportgen.render.report import FORMATS, parse_formats, render_report, report_filename

__all__ = ["FORMATS", "ReportOptions", "parse_formats", "render_report", "report_filename"]
