"""``reportgen report``: evaluate a snapshot and write the quarterly report beside its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.atomic import staged_outputs
from reportgen.cli.common import (
    as_of_option,
    check_target,
    exceptions_option,
    lang_option,
    load_responses_file,
    load_review_for,
    load_rules,
    parse_as_of,
    profile_option,
    responses_option,
    review_option,
    rule_files,
    rule_inputs,
    write_outputs,
)
from reportgen.cli.i18n import current as lang_now
from reportgen.cli.i18n import say
from reportgen.errors import InputError, OutputExistsError, SnapshotError

if TYPE_CHECKING:
    from reportgen.evaluate.catalogue import Catalogue
    from reportgen.evaluate.findings import Assessment
    from reportgen.pipeline.organization import ManifestEntry, OrgReportOptions
    from reportgen.render.sign import SigningKey
    from reportgen.snapshot.model import Snapshot


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SnapshotError.keyed("snapshot_unreadable", path=path, reason=exc) from None


def _earlier_snapshots(paths: Sequence[Path], current: Snapshot) -> list[Snapshot]:
    """The ``--previous`` snapshots, each checked to be of the same account and older."""
    from reportgen.snapshot import document as snapshots

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


def _history(folder: Path, current: Snapshot) -> list[Snapshot]:
    """Every snapshot of the current account in ``folder`` collected before it, oldest first."""
    from reportgen.compare.trend import load_history
    from reportgen.snapshot import document as snapshots

    found = []
    for path in load_history(folder, current.account.id):
        earlier = snapshots.load(path)
        if earlier.collected_at < current.collected_at and earlier.sha256 != current.sha256:
            found.append(earlier)
    return found


@click.command("report")
@click.argument("snapshot_path", metavar="SNAPSHOT", type=click.Path(path_type=Path))
@lang_option
@click.option(
    "--format",
    "formats",
    default="html,pdf",
    show_default=True,
    help="Comma-separated: html, pdf.",
)
@profile_option
@exceptions_option
@review_option
@responses_option
@as_of_option
@click.option(
    "--previous",
    "previous_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An earlier snapshot of the same account, for the comparison chapter (repeatable).",
)
@click.option(
    "--history",
    "history_dir",
    type=click.Path(path_type=Path),
    help="Folder of earlier snapshots of the account, for the trend (the newest is the "
    "previous assessment unless --previous is given).",
)
@click.option("--org-name", help="Organisation name shown on the cover.")
@click.option(
    "--signoff",
    "signoff_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of the 作成/確認/承認 block: prepared, reviewed, approved: {name, date}.",
)
@click.option("--prepared-by", help="Name in the 作成 (prepared) box.")
@click.option("--reviewed-by", help="Name in the 確認 (reviewed) box.")
@click.option("--approved-by", help="Name in the 承認 (approved) box.")
@click.option(
    "--timezone", "tz_name", help="Time zone of times shown (default: JST for ja, UTC for en)."
)
@click.option(
    "--fiscal-year-start",
    type=click.IntRange(1, 12),
    help="First month of the fiscal year (default: 4 for ja, 1 for en).",
)
@click.option(
    "--full-inventory",
    is_flag=True,
    help="List every user in the PDF appendix even beyond 1,000 users (slow: about 30 per page).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder."
)
@click.option(
    "--sign",
    "sign_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Sign the PDF reports with this PKCS#12 file (.p12/.pfx: private key and certificate).",
)
@click.option(
    "--sign-password-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File whose first line is the PKCS#12 password (else $REPORTGEN_SIGN_PASSWORD).",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def report(
    snapshot_path: Path,
    lang: str,
    formats: str,
    profile: str | None,
    exceptions_path: Path | None,
    review_path: Path | None,
    responses_path: Path | None,
    as_of: str | None,
    previous_paths: tuple[Path, ...],
    history_dir: Path | None,
    org_name: str | None,
    signoff_path: Path | None,
    prepared_by: str | None,
    reviewed_by: str | None,
    approved_by: str | None,
    tz_name: str | None,
    fiscal_year_start: int | None,
    full_inventory: bool,
    output: Path,
    sign_path: Path | None,
    sign_password_file: Path | None,
    force: bool,
) -> None:
    """Write the report (HTML/PDF) and findings.json, findings.csv, junit.xml to a folder.

    SNAPSHOT may also be the folder of an organization collection (or its manifest.json):
    each account's report goes to a sub-folder named after its id, and summary.<lang>.html
    / .pdf compares the accounts. Exit code 3 if an account has no report.
    """
    from reportgen.evaluate.run import evaluate
    from reportgen.pipeline.organization import OrgReportOptions, is_organization
    from reportgen.render import ReportOptions, fmt, parse_formats, render_report, report_filename
    from reportgen.render.fonts import fast_subsetting_available
    from reportgen.render.machine import MACHINE_FILES
    from reportgen.render.signoff import SignOff, load_signoff
    from reportgen.snapshot import document as snapshots

    wanted = parse_formats(formats)
    when = parse_as_of(as_of)
    inputs = (
        snapshot_path,
        *previous_paths,
        *rule_inputs(profile, exceptions_path, review_path, responses_path),
        *((signoff_path,) if signoff_path else ()),
    )
    fmt.zone(tz_name, lang)  # an unknown zone is an input error before any work
    signoff = (load_signoff(signoff_path) if signoff_path else SignOff()).with_names(
        prepared=prepared_by, reviewed=reviewed_by, approved=approved_by
    )
    shared = ReportOptions(
        org_name=org_name,
        full_inventory=full_inventory,
        timezone=tz_name,
        fiscal_year_start=fiscal_year_start,
        signoff=signoff,
    )
    signing = _signing_key(sign_path, sign_password_file, wanted)
    catalogue, chosen, waivers = load_rules(profile, exceptions_path)
    responses = load_responses_file(responses_path, catalogue)
    if "pdf" in wanted and not fast_subsetting_available():
        click.echo(say(lang_now(), "warning.harfbuzz"), err=True)
    if is_organization(snapshot_path):
        if review_path is not None:
            raise click.UsageError(
                "--review takes one account's access review, not an organization"
            )
        if previous_paths:
            raise click.UsageError(
                "--previous takes one account's snapshot; for an organization use --history"
            )
        org_options = OrgReportOptions(
            lang=lang,
            formats=wanted,
            profile=chosen,
            exceptions=waivers,
            as_of=when,
            report=replace(shared, rule_files=rule_files(chosen, exceptions_path)),
            history=(lambda current: _history(history_dir, current)) if history_dir else None,
        )
        _report_organization(snapshot_path, catalogue, org_options, output, force, inputs, signing)
        return

    # Every output is checked before any work: a clash is reported at once, not after rendering.
    planned = [report_filename(lang, fmt_name) for fmt_name in wanted]
    all_inputs = (*inputs, *_history_files(history_dir))
    _check_outputs(output, [*planned, *MACHINE_FILES], force, all_inputs, only=planned)
    data = _read(snapshot_path)
    current = snapshots.loads(data, str(snapshot_path))
    review = load_review_for(review_path, current.account.id)
    assessment = evaluate(
        current, chosen, waivers, when, catalogue, review=review, responses=responses
    )
    previous = tuple(
        evaluate(earlier, chosen, waivers, None, catalogue, responses=responses)
        for earlier in _earlier_snapshots(previous_paths, current)
    )
    history: tuple[Assessment, ...] = ()
    if history_dir is not None:
        found = _history(history_dir, current)
        if not found:
            click.echo(
                say(
                    lang_now(), "warning.no_history", folder=history_dir, account=current.account.id
                ),
                err=True,
            )
        history = tuple(
            evaluate(s, chosen, waivers, None, catalogue, responses=responses) for s in found
        )
    options = replace(
        shared,
        snapshot_bytes=data,
        previous=previous,
        history=history,
        review=review,
        rule_files=rule_files(chosen, exceptions_path, responses_path, review_path),
    )
    kept = () if force else _kept_machine_outputs(output, assessment, catalogue)
    _check_outputs(output, [n for n in MACHINE_FILES if n not in kept], force, all_inputs)
    if kept:
        click.echo(say(lang_now(), "progress.machine_kept", files=", ".join(kept)), err=True)
    options = replace(options, progress=_rendering)
    files = _signed(render_report(assessment, current, catalogue, lang, wanted, options), signing)
    write_outputs(
        output, {k: v for k, v in files.items() if k not in kept}, force=force, inputs=all_inputs
    )


def _signing_key(
    path: Path | None, password_file: Path | None, wanted: Sequence[str]
) -> SigningKey | None:
    """The signer of ``--sign``, loaded (and refused) before any work."""
    if path is None:
        if password_file is not None:
            raise InputError.keyed("sign_password_without_sign")
        return None
    if "pdf" not in wanted:
        raise InputError.keyed("sign_needs_pdf", formats=",".join(wanted))
    from reportgen.render.sign import load_signing_key, read_password

    key = load_signing_key(path, read_password(password_file), datetime.now(UTC))
    if key.declares_pdf20:
        click.echo(say(lang_now(), "progress.sign_pdf20", path=path), err=True)
    return key


def _signed(files: dict[str, bytes], key: SigningKey | None) -> dict[str, bytes]:
    """``files`` with every PDF signed by ``key`` (unchanged when there is no key)."""
    if key is None:
        return files
    from reportgen.render.sign import sign_pdf

    signed = dict(files)
    for name, data in files.items():
        if name.endswith(".pdf"):
            signed[name] = sign_pdf(data, key)
            shown = {"file": name, "subject": key.subject, "fingerprint": key.fingerprint}
            click.echo(say(lang_now(), "progress.signed", **shown), err=True)
    return signed


def _rendering(name: str) -> None:
    """The progress line before each report file (a PDF takes seconds to minutes)."""
    click.echo(say(lang_now(), "progress.rendering_file", file=name), err=True)


def _check_outputs(
    folder: Path,
    names: Sequence[str],
    force: bool,
    inputs: Sequence[Path],
    only: Sequence[str] | None = None,
) -> None:
    """Refuse, before any work, an output that is an input or a folder, and (without ``force``)
    an existing one among ``only`` (default: all ``names``)."""
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError.keyed("output_not_folder", path=folder)
    for name in names:
        check_target(folder / name, overwrite=True, inputs=inputs)
    existing = [str(folder / n) for n in (names if only is None else only) if (folder / n).exists()]
    if existing and not force:
        raise OutputExistsError.keyed("outputs_exist", paths=", ".join(existing))


def _same_org_summary(path: Path, data: bytes) -> bool:
    """Whether the summary.json at ``path`` summarises the same assessments as ``data`` (they
    differ only in the links to each account's report, which name the language)."""
    import json

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


def _kept_machine_outputs(
    folder: Path, assessment: Assessment, catalogue: Catalogue
) -> tuple[str, ...]:
    """The machine outputs already in ``folder`` for this very assessment (another language's
    report of the same snapshot, rules and date): kept as they are, so that reports in several
    languages share a folder without ``--force``. Empty when they are of anything else."""
    import json

    from reportgen.render.machine import MACHINE_FILES, findings_json

    present = tuple(n for n in MACHINE_FILES if (folder / n).is_file())
    try:
        written = (folder / "findings.json").read_bytes()
        langs = json.loads(written).get("languages")
    except (OSError, ValueError, AttributeError):
        return ()
    if not isinstance(langs, list) or not all(isinstance(code, str) for code in langs):
        return ()
    try:
        again = findings_json(assessment, catalogue, "+".join(langs))
    except (KeyError, ValueError):
        return ()
    return present if again == written else ()


def _history_files(folder: Path | None) -> tuple[Path, ...]:
    """The snapshots in a --history folder: inputs that an output must not replace."""
    return tuple(folder.glob("*.json")) if folder is not None and folder.is_dir() else ()


def _report_organization(
    source: Path,
    catalogue: Catalogue,
    options: OrgReportOptions,
    output: Path,
    force: bool,
    inputs: tuple[Path, ...],
    signing: SigningKey | None = None,
) -> None:
    """Stream every account's report and the summary to ``output``; exit 3 if one is missing.
    With ``signing``, every PDF is signed before it is staged."""
    from reportgen.pipeline.organization import (
        ORG_MACHINE_FILES,
        planned_files,
        read_manifest,
        report_organization,
    )
    from reportgen.render.machine import MACHINE_FILES
    from reportgen.render.org import summary_filename

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
    if existing and not force:
        shown = ", ".join(existing[:3]) + (
            f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        )
        raise OutputExistsError.keyed("outputs_exist", paths=shown)
    total = len(manifest.accounts)
    counter = iter(range(1, total + 1))

    def started(entry: ManifestEntry) -> None:
        index = next(counter)
        click.echo(
            say(lang_now(), "progress.account_report", index=index, total=total, account=entry.id),
            err=True,
        )

    def keep(folder: str, assessment: Assessment) -> bool:
        return not force and bool(_kept_machine_outputs(output / folder, assessment, catalogue))

    with staged_outputs(output, overwrite=force, inputs=inputs) as stage:
        same_summary: list[bool] = []

        def add(name: str, data: bytes) -> None:
            target = output / name
            if not force and name in ORG_MACHINE_FILES and target.is_file():
                if name == "summary.json":
                    same_summary.append(_same_org_summary(target, data))
                if same_summary and same_summary[-1]:
                    return  # another language's summary of the same assessments: kept
            stage.add(name, _signed({name: data}, signing)[name])

        # Staged on disk as they come (memory stays per account), moved in together at the end.
        summary = report_organization(
            source, catalogue, replace(options, started=started, keep_machine=keep), add
        )
        names = list(stage.names)
    for name in names:
        click.echo(str(output / name))
    if summary.missing:
        from reportgen.collect.organization import OrganizationIncompleteError

        ids = ", ".join(m.id for m in summary.missing)
        raise OrganizationIncompleteError(
            f"{len(summary.missing)} of {total} accounts have no report ({ids}); "
            f"see {output / summary_filename(options.lang, options.formats[0])}"
        )
