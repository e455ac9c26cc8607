"""The quarterly report of ``reportgen report``: one account, or every account of an organization.

An account's report reads its snapshot once, evaluates it and the earlier snapshots given
(``--previous``, ``--history``), renders the report files and signs each PDF. The command
line parses the options, loads the rules and writes the files this returns; an organization's
reports are streamed through a staging folder and moved in together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reportgen.atomic import check_target, staged_outputs
from reportgen.compare.accounts import OrgSummary
from reportgen.contracts import Files
from reportgen.errors import InputError, OutputExistsError, SnapshotError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.exceptions import ExceptionEntry
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.profiles import Profile
from reportgen.evaluate.responses import ResponseEntry
from reportgen.evaluate.review import Review, review_of
from reportgen.evaluate.run import evaluate
from reportgen.lang import LANG_CHOICES
from reportgen.pipeline.organization import (
    ORG_MACHINE_FILES,
    OrgReportOptions,
    planned_files,
    report_organization,
)
from reportgen.render.context import ReportOptions
from reportgen.render.machine import MACHINE_FILES, findings_json
from reportgen.render.report import render_report, report_filename
from reportgen.render.sign import SigningKey, sign_pdf
from reportgen.snapshot import document as snapshots
from reportgen.snapshot.history import load_history
from reportgen.snapshot.manifest import ManifestEntry, read_manifest
from reportgen.snapshot.model import Snapshot

Notify = Callable[..., None]
"""Told a keyed message of the command line (``progress.*``, ``warning.*``) and its values."""


@dataclass(frozen=True)
class Rules:
    """What an assessment applies: the catalogue, the profile, exceptions and responses."""

    catalogue: Catalogue
    profile: Profile | None = None
    exceptions: Sequence[ExceptionEntry] | None = None
    responses: tuple[ResponseEntry, ...] = ()

    def evaluate(
        self, snapshot: Snapshot, as_of: datetime | None, review: Review | None = None
    ) -> Assessment:
        """The assessment of ``snapshot`` under these rules."""
        return evaluate(
            snapshot,
            self.profile,
            self.exceptions,
            as_of,
            self.catalogue,
            review=review,
            responses=self.responses,
        )


@dataclass(frozen=True)
class AccountReport:
    """One account's report files, and the machine outputs left as they are in the folder."""

    files: Files
    kept: tuple[str, ...]

    @property
    def to_write(self) -> dict[str, bytes]:
        return {name: data for name, data in self.files.items() if name not in self.kept}


@dataclass(frozen=True)
class AccountRequest:
    """The choices of one account's report (``reportgen report SNAPSHOT``)."""

    snapshot: Path
    lang: str
    formats: tuple[str, ...]
    rules: Rules
    options: ReportOptions
    output: Path
    as_of: datetime | None = None
    review: Path | None = None
    previous: tuple[Path, ...] = ()
    history: Path | None = None
    force: bool = False
    inputs: tuple[Path, ...] = ()
    signing: SigningKey | None = None


def account_inputs(request: AccountRequest) -> tuple[Path, ...]:
    """Every file the report reads: no output may replace one of them."""
    history = request.history
    found = tuple(history.glob("*.json")) if history is not None and history.is_dir() else ()
    return (*request.inputs, *found)


def check_account_outputs(request: AccountRequest) -> None:
    """Refuse, before any work, an output folder that is a file, an output that is an input,
    and (without ``--force``) a report file that exists."""
    planned = [report_filename(request.lang, fmt) for fmt in request.formats]
    check_outputs(
        request.output,
        [*planned, *MACHINE_FILES],
        request.force,
        account_inputs(request),
        only=planned,
    )


def account_report(request: AccountRequest, notify: Notify) -> AccountReport:
    """Evaluate the snapshot (and the earlier ones) and render, and sign, its report files."""
    rules = request.rules
    try:
        data = request.snapshot.read_bytes()
    except OSError as exc:
        raise SnapshotError.keyed(
            "snapshot_unreadable", path=request.snapshot, reason=exc
        ) from None
    current = snapshots.loads(data, str(request.snapshot))
    review = review_of(request.review, current.account.id) if request.review else None
    assessment = rules.evaluate(current, request.as_of, review=review)
    previous = tuple(
        rules.evaluate(earlier, None) for earlier in earlier_snapshots(request.previous, current)
    )
    history: tuple[Assessment, ...] = ()
    if request.history is not None:
        found = account_history(request.history, current)
        if not found:
            notify("warning.no_history", folder=request.history, account=current.account.id)
        history = tuple(rules.evaluate(earlier, None) for earlier in found)
    options = replace(
        request.options,
        snapshot_bytes=data,
        previous=previous,
        history=history,
        review=review,
        progress=lambda name: notify("progress.rendering_file", file=name),
    )
    kept: tuple[str, ...] = ()
    if not request.force:
        kept = kept_machine_outputs(request.output, assessment, rules.catalogue)
    check_outputs(
        request.output,
        [n for n in MACHINE_FILES if n not in kept],
        request.force,
        account_inputs(request),
    )
    if kept:
        notify("progress.machine_kept", files=", ".join(kept))
    files = render_report(
        assessment, current, rules.catalogue, request.lang, request.formats, options
    )
    return AccountReport(signed(files, request.signing, notify), kept)


def earlier_snapshots(paths: Sequence[Path], current: Snapshot) -> list[Snapshot]:
    """The ``--previous`` snapshots, each checked to be of the same account and older."""
    found = []
    for path in paths:
        earlier = snapshots.load(path)
        if earlier.account.id != current.account.id:
            raise InputError.keyed(
                "previous_other_account",
                path=path,
                account=earlier.account.id,
                expected=current.account.id,
            )
        if earlier.collected_at > current.collected_at:
            raise InputError.keyed(
                "previous_later",
                path=path,
                collected=f"{earlier.collected_at:%Y-%m-%d}",
                current=f"{current.collected_at:%Y-%m-%d}",
            )
        found.append(earlier)
    return found


def account_history(folder: Path, current: Snapshot) -> list[Snapshot]:
    """Every snapshot of the current account in ``folder`` collected before it, oldest first."""
    found = []
    for path in load_history(folder, current.account.id):
        earlier = snapshots.load(path)
        if earlier.collected_at < current.collected_at and earlier.sha256 != current.sha256:
            found.append(earlier)
    return found


def signed(files: dict[str, bytes], key: SigningKey | None, notify: Notify) -> dict[str, bytes]:
    """``files`` with every PDF signed by ``key`` (unchanged when there is no key)."""
    if key is None:
        return files
    result = dict(files)
    for name, data in files.items():
        if name.endswith(".pdf"):
            result[name] = sign_pdf(data, key)
            notify("progress.signed", file=name, subject=key.subject, fingerprint=key.fingerprint)
    return result


def check_outputs(
    folder: Path,
    names: Sequence[str],
    force: bool,
    inputs: Sequence[Path],
    only: Sequence[str] | None = None,
) -> None:
    """Refuse an output that is an input or a folder, and (without ``force``) an existing one
    among ``only`` (default: all ``names``)."""
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError.keyed("output_not_folder", path=folder)
    for name in names:
        check_target(folder / name, overwrite=True, inputs=inputs)
    existing = [str(folder / n) for n in (names if only is None else only) if (folder / n).exists()]
    if existing and not force:
        raise OutputExistsError.for_paths(existing)


def kept_machine_outputs(
    folder: Path, assessment: Assessment, catalogue: Catalogue
) -> tuple[str, ...]:
    """The machine outputs already in ``folder`` for this very assessment (another language's
    report of the same snapshot, rules and date): kept as they are, so that reports in several
    languages share a folder without ``--force``. Empty when they are of anything else."""
    present = tuple(n for n in MACHINE_FILES if (folder / n).is_file())
    try:
        written = (folder / "findings.json").read_bytes()
        document = json.loads(written)
    except (OSError, ValueError):
        return ()
    langs = document.get("languages") if isinstance(document, dict) else None
    if not isinstance(langs, list) or "+".join(map(str, langs)) not in LANG_CHOICES:
        return ()  # not written by this version for a language it writes
    again = findings_json(assessment, catalogue, "+".join(langs))
    return present if again == written else ()


def same_org_summary(path: Path, data: bytes) -> bool:
    """Whether the summary.json at ``path`` summarises the same assessments as ``data`` (they
    differ only in the links to each account's report, which name the language)."""

    def strip(document: object) -> object:
        if isinstance(document, dict):
            return {k: strip(v) for k, v in document.items() if k != "report"}
        if isinstance(document, list):
            return [strip(item) for item in document]
        return document

    try:
        return bool(strip(json.loads(path.read_bytes())) == strip(json.loads(data)))
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class OrganizationReport:
    """What an organization's report run wrote, and its summary (``missing`` for exit 3)."""

    names: tuple[str, ...]
    summary: OrgSummary
    total: int


def organization_report(
    source: Path,
    catalogue: Catalogue,
    options: OrgReportOptions,
    output: Path,
    *,
    force: bool,
    inputs: tuple[Path, ...],
    signing: SigningKey | None,
    notify: Notify,
) -> OrganizationReport:
    """Stream every account's report and the summary into ``output``, moved in together.

    With ``signing``, every PDF is signed before it is staged.
    """
    if output.exists() and not output.is_dir():
        raise OutputExistsError.keyed("output_not_folder", path=output)
    manifest = read_manifest(source)
    shared = {*MACHINE_FILES, *ORG_MACHINE_FILES}
    # A report in another language shares the folder: only its own report files must be new;
    # machine outputs are kept when they describe the same assessment, else refused below.
    existing = [
        str(output / name)
        for name in planned_files(manifest, options)
        if (output / name).exists() and Path(name).name not in shared
    ]
    if len(existing) == 1 and not force:
        raise OutputExistsError.for_paths(existing)
    if existing and not force:
        shown: object = ", ".join(existing)
        if len(existing) > 3:  # the first three, and how many more (localized as one value)
            first = ", ".join(existing[:3])
            shown = OutputExistsError.keyed("paths_and_more", paths=first, more=len(existing) - 3)
        raise OutputExistsError.keyed("outputs_exist", paths=shown)
    total = len(manifest.accounts)
    counter = iter(range(1, total + 1))

    def started(entry: ManifestEntry) -> None:
        notify("progress.account_report", index=next(counter), total=total, account=entry.id)

    def keep(folder: str, assessment: Assessment) -> bool:
        return not force and bool(kept_machine_outputs(output / folder, assessment, catalogue))

    with staged_outputs(output, overwrite=force, inputs=inputs) as stage:
        same_summary: list[bool] = []

        def add(name: str, data: bytes) -> None:
            target = output / name
            if not force and name in ORG_MACHINE_FILES and target.is_file():
                if name == "summary.json":
                    same_summary.append(same_org_summary(target, data))
                if same_summary and same_summary[-1]:
                    return  # another language's summary of the same assessments: kept
            stage.add(name, signed({name: data}, signing, notify)[name])

        # Staged on disk as they come (memory stays per account), moved in together at the end.
        summary = report_organization(
            source, catalogue, replace(options, started=started, keep_machine=keep), add
        )
        names = tuple(stage.names)
    return OrganizationReport(names, summary, total)
