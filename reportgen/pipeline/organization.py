"""The organization report: each account's report in turn, then a summary across accounts.

Accounts are streamed (docs/performance.md, "Organizations"): one snapshot is loaded, its
SHA-256 checked against the manifest, evaluated and rendered, and only a small
:class:`AccountSummary` is kept before the next account is loaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from reportgen.compare.accounts import (
    AccountSummary,
    CheckTally,
    MissingAccount,
    OrgSummary,
)
from reportgen.contracts import Sink
from reportgen.errors import SnapshotError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.exceptions import ExceptionEntry
from reportgen.evaluate.findings import Assessment, Section, Status
from reportgen.evaluate.profiles import Profile, default_profile
from reportgen.evaluate.run import evaluate
from reportgen.pipeline.org_data import summary_csv, summary_json
from reportgen.render.context import ReportOptions
from reportgen.render.machine import MACHINE_FILES
from reportgen.render.org import render_org_summary, summary_filename
from reportgen.render.report import parse_formats, render_report, report_filename
from reportgen.snapshot.manifest import Manifest, ManifestEntry, load_verified, read_manifest
from reportgen.snapshot.model import Snapshot

ORG_MACHINE_FILES = ("summary.json", "summary.csv")


@dataclass(frozen=True)
class OrgReportOptions:
    """The single-account report's choices, applied to every account."""

    lang: str = "ja"
    formats: tuple[str, ...] = ("html", "pdf")
    profile: Profile | None = None
    exceptions: Sequence[ExceptionEntry] | None = None
    as_of: datetime | None = None
    report: ReportOptions = field(default_factory=ReportOptions)
    history: Callable[[Snapshot], Sequence[Snapshot]] | None = None
    """Earlier snapshots of an account for its trend chapter (``--history``)."""
    started: Callable[[ManifestEntry], None] = field(default=lambda _entry: None)
    keep_machine: Callable[[str, Assessment], bool] | None = None
    """Told an account's folder and assessment: ``True`` when its machine outputs already in
    place describe this very assessment (a report in another language), so they are kept."""


def account_folder(account_id: str) -> str:
    return account_id


def planned_files(manifest: Manifest, options: OrgReportOptions) -> tuple[str, ...]:
    """Every file the report will write, relative to the output folder (for ``--force``)."""
    formats = parse_formats(options.formats)
    names = [summary_filename(options.lang, fmt) for fmt in formats]
    if options.report.machine_outputs:
        names += list(ORG_MACHINE_FILES)
    per_account = [report_filename(options.lang, fmt) for fmt in formats]
    if options.report.machine_outputs:
        per_account += MACHINE_FILES
    for entry in manifest.accounts:
        if entry.ok:
            names += [f"{account_folder(entry.id)}/{name}" for name in per_account]
    return tuple(names)


def summarise(
    assessment: Assessment, catalogue: Catalogue, name: str, report: str | None
) -> AccountSummary:
    """The few numbers the organization summary needs from one account's assessment."""
    statuses = Counter(f.status for f in assessment.findings)
    failed = Counter(f.check_id for f in assessment.findings if f.status is Status.FAIL)
    first = {f.check_id: f for f in assessment.findings if f.status is Status.FAIL}
    # The sections that are chapters of the account's report: those with a check in the profile.
    chapters = {s.section for c in assessment.check_ids if (s := catalogue.checks.get(c))}
    tallies = sorted(
        (CheckTally(c, first[c].severity, first[c].section, n) for c, n in failed.items()),
        key=lambda t: (t.severity.rank, -t.resources, t.check_id),
    )
    return AccountSummary(
        id=assessment.account_id,
        name=name,
        aliases=assessment.account_aliases,
        as_of=assessment.as_of,
        sha256=assessment.snapshot_sha256,
        overall=assessment.overall.value,
        sections=tuple(
            (s, assessment.sections[s].value if s in assessment.sections else None)
            for s in Section
            if s in chapters
        ),
        statuses=tuple((s, statuses[s]) for s in Status),
        failing=tuple(tallies),
        checks_total=len(assessment.check_ids),
        report=report,
        capped_grade=assessment.overall.grade,
        raw=assessment.overall.raw,
        coverage=assessment.overall.coverage,
    )


def report_organization(
    source: Path, catalogue: Catalogue, options: OrgReportOptions, sink: Sink
) -> OrgSummary:
    """Write every collected account's report, then the organization summary, through ``sink``.

    Accounts are handled one at a time; an account whose snapshot is missing, altered or
    invalid is listed with the accounts the collector could not collect. Check
    :attr:`OrgSummary.incomplete` for the exit code.
    """

    manifest = read_manifest(source)
    summaries: list[AccountSummary] = []
    missing: list[MissingAccount] = []
    for entry in manifest.accounts:
        options.started(entry)
        if not entry.ok:
            error = entry.error or "not collected"
            missing.append(MissingAccount(entry.id, entry.name, error, collected=False))
            continue
        try:
            summaries.append(_report_account(manifest.folder, entry, catalogue, options, sink))
        except SnapshotError as exc:
            missing.append(MissingAccount(entry.id, entry.name, str(exc), collected=True))
    fallback = options.as_of or manifest.collected_at or datetime(1970, 1, 1, tzinfo=UTC)
    summary = OrgSummary(
        organization_id=manifest.organization_id,
        management_account_id=manifest.management_account_id,
        collected_at=manifest.collected_at,
        as_of=max((s.as_of for s in summaries), default=fallback),
        profile=(options.profile or default_profile(catalogue)).id,
        profile_title=(options.profile or default_profile(catalogue)).title,
        accounts=tuple(summaries),
        missing=tuple(missing),
        manifest=manifest.data,
    )
    files = render_org_summary(summary, catalogue, options.lang, options.formats, options.report)
    if options.report.machine_outputs:
        files = {
            **files,
            "summary.json": summary_json(summary).encode("utf-8"),
            "summary.csv": summary_csv(summary).encode("utf-8"),
        }
    for name, content in files.items():
        sink(name, content)
    return summary


def _report_account(
    folder: Path,
    entry: ManifestEntry,
    catalogue: Catalogue,
    options: OrgReportOptions,
    sink: Sink,
) -> AccountSummary:
    """One account, start to end; its snapshot and assessment go when this returns."""
    current, data = load_verified(folder, entry)
    assessment = evaluate(current, options.profile, options.exceptions, options.as_of, catalogue)
    history: tuple[Assessment, ...] = ()
    if options.history is not None:
        history = tuple(
            evaluate(s, options.profile, options.exceptions, None, catalogue)
            for s in options.history(current)
        )
    report_options = _account_options(options.report, data, history)
    base = account_folder(entry.id)
    if options.keep_machine is not None and options.keep_machine(base, assessment):
        report_options = replace(report_options, machine_outputs=False)
    files = render_report(
        assessment, current, catalogue, options.lang, options.formats, report_options
    )
    for name, content in files.items():
        sink(f"{base}/{name}", content)
    html = report_filename(options.lang, "html")
    return summarise(assessment, catalogue, entry.name, f"{base}/{html}" if html in files else None)


def _account_options(
    base: ReportOptions, data: bytes, history: tuple[Assessment, ...]
) -> ReportOptions:
    return replace(base, snapshot_bytes=data, previous=(), history=history)
