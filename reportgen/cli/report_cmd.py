"""``reportgen report``: evaluate a snapshot and write the quarterly report beside its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.cli.common import (
    as_of_option,
    exceptions_option,
    lang_option,
    load_responses_file,
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
from reportgen.errors import InputError, OrganizationIncompleteError

if TYPE_CHECKING:
    from reportgen.evaluate.catalogue import Catalogue
    from reportgen.pipeline.organization import OrgReportOptions
    from reportgen.render.sign import SigningKey


def _notify(key: str, **values: object) -> None:
    """A progress line or warning of the pipeline, on stderr in the user's language."""
    click.echo(say(lang_now(), key, **values), err=True)


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
    from reportgen.pipeline import report as pipeline
    from reportgen.pipeline.organization import OrgReportOptions
    from reportgen.render import ReportOptions, fmt, parse_formats
    from reportgen.render.fonts import fast_subsetting_available
    from reportgen.render.signoff import SignOff, load_signoff
    from reportgen.snapshot.manifest import is_organization

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
        _notify("warning.harfbuzz")
    if is_organization(snapshot_path):
        if review_path is not None:
            raise click.UsageError(say(lang_now(), "error.organization_no_review"))
        if previous_paths:
            raise click.UsageError(say(lang_now(), "error.organization_no_previous"))
        org_options = OrgReportOptions(
            lang=lang,
            formats=wanted,
            profile=chosen,
            exceptions=waivers,
            as_of=when,
            report=replace(shared, rule_files=rule_files(chosen, exceptions_path)),
            history=(
                (lambda current: pipeline.account_history(history_dir, current))
                if history_dir
                else None
            ),
        )
        write_organization(snapshot_path, catalogue, org_options, output, force, inputs, signing)
        return

    request = pipeline.AccountRequest(
        snapshot=snapshot_path,
        lang=lang,
        formats=wanted,
        rules=pipeline.Rules(catalogue, chosen, waivers, responses),
        options=replace(
            shared, rule_files=rule_files(chosen, exceptions_path, responses_path, review_path)
        ),
        output=output,
        as_of=when,
        review=review_path,
        previous=previous_paths,
        history=history_dir,
        force=force,
        inputs=inputs,
        signing=signing,
    )
    # Every output is checked before any work: a clash is reported at once, not after rendering.
    pipeline.check_account_outputs(request)
    made = pipeline.account_report(request, _notify)
    write_outputs(output, made.to_write, force=force, inputs=pipeline.account_inputs(request))


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
        _notify("progress.sign_pdf20", path=path)
    return key


def write_organization(
    source: Path,
    catalogue: Catalogue,
    options: OrgReportOptions,
    output: Path,
    force: bool,
    inputs: tuple[Path, ...],
    signing: SigningKey | None = None,
) -> None:
    """Write an organization's reports and summary to ``output`` and print their paths; exit
    code 3 (:class:`OrganizationIncompleteError`) when an account has no report."""
    from reportgen.pipeline import report as pipeline
    from reportgen.render.org import summary_filename

    outcome = pipeline.organization_report(
        source,
        catalogue,
        options,
        output,
        force=force,
        inputs=inputs,
        signing=signing,
        notify=_notify,
    )
    for name in outcome.names:
        click.echo(str(output / name))
    if outcome.summary.missing:
        raise OrganizationIncompleteError.keyed(
            "organization_report_incomplete",
            missing=len(outcome.summary.missing),
            total=outcome.total,
            accounts=", ".join(m.id for m in outcome.summary.missing),
            summary=output / summary_filename(options.lang, options.formats[0]),
        )
