"""The pipeline's contracts: what each stage hands to the next, named in one place.

::

    collect ──► snapshot document ──► Snapshot ──► Assessment ──► Comparison / Trend
    (AWS)       (JSON, schema          (model,      (findings,     (compare: diff, trend,
                 reportgen.snapshot/1)  read-only)   scores)        OrgSummary)
                                                        │
                                                        ▼
                                    Files: report HTML/PDF, findings.json, … (render, formats)

Each stage is pure between its contracts except at the ends: ``collect`` talks to AWS and
``pipeline`` (the application the CLI calls) reads and writes files. The types are defined
in their stage; this module only names them, so that the application and the tests bind to
one list (``tests/test_contracts.py`` checks that each stage's entry point keeps them).
docs/architecture.md tells where a new check, output format, source or lab goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reportgen.compare.accounts import AccountSummary, OrgSummary
from reportgen.compare.diff import Comparison
from reportgen.compare.trend import Trend
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Section, Severity, Status
from reportgen.snapshot.model import Snapshot

SnapshotDocument = Mapping[str, Any]
"""What ``collect`` and ``import`` produce and ``snapshot.document`` validates and saves:
the JSON object of docs/snapshot.md (schema ``reportgen.snapshot/1``)."""

Files = dict[str, bytes]
"""What a renderer produces: file name (relative, ``/`` separated) to its bytes, no I/O."""

Sink = Callable[[str, bytes], None]
"""Receives each output file as soon as it is rendered (organizations are streamed)."""

FormatRenderer = Callable[[Assessment, Catalogue, str], str]
"""A machine or terminal format: ``(assessment, catalogue, lang) -> text`` (formats/)."""

__all__ = [
    "AccountSummary",
    "Assessment",
    "Catalogue",
    "Comparison",
    "Files",
    "Finding",
    "FormatRenderer",
    "OrgSummary",
    "Section",
    "Severity",
    "Sink",
    "Snapshot",
    "SnapshotDocument",
    "Status",
    "Trend",
]
