"""``reportgen collect``, ``import`` and ``policy``: getting a snapshot."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reportgen.atomic import check_target
from reportgen.cli.common import force_option
from reportgen.cli.i18n import current, say
from reportgen.collect import importer
from reportgen.errors import OrganizationIncompleteError, OutputExistsError
from reportgen.resources import package_file
from reportgen.snapshot import document as snapshot

if TYPE_CHECKING:
    from reportgen.collect.account import CollectOptions
    from reportgen.collect.organization import AccountOutcome

ACCOUNT_ID = re.compile(r"[0-9]{12}")  # fullmatch: "$" would accept a final newline
# A read-only role created for the collector in each member account (`policy --member-role`
# prints it). Not OrganizationAccountAccessRole: that one is an administrator role.
DEFAULT_ROLE = "ReportgenAuditRole"


def _progress() -> tuple[Callable[[str], None], Callable[[], None]]:
    """A rich status line on a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        return (lambda _step: None), (lambda: None)
    from rich.console import Console

    status = Console(stderr=True).status(say(current(), "progress.collecting"))
    status.start()
    return (
        lambda step: status.update(say(current(), "progress.collecting_source", source=step))
    ), status.stop


def _account_ids(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[str, ...]:
    """``ID,ID,...`` → a tuple of 12-digit account ids."""
    ids = tuple(i.strip() for i in (value or "").split(",") if i.strip())
    bad = [i for i in ids if not ACCOUNT_ID.fullmatch(i)]
    if bad:
        raise click.BadParameter(
            say(current(), "error.collect_bad_account_ids", ids=", ".join(bad))
        )
    return ids


@click.command()
@click.option("--profile", help="AWS named profile (default: the standard credential chain).")
@click.option("--region", help="Region for CloudTrail and Access Analyzer (default: profile's).")
@click.option(
    "--only-region",
    "--analyzer-region",
    "regions",
    multiple=True,
    help="Read the regional sources (IAM Access Analyzer, EC2 instances) only in this region "
    "(repeatable; default: every enabled region; an enabled region left out makes their "
    "checks UNKNOWN).",
)
@click.option("--endpoint-url", help="Send every request here (default: AWS_ENDPOINT_URL or AWS).")
@click.option(
    "--organization",
    is_flag=True,
    help="Collect every ACTIVE account of the AWS Organization (management account "
    "credentials); -o is then a folder: one <account-id>.json per account and manifest.json.",
)
@click.option(
    "--role-name",
    help=f"With --organization: the role to assume in each account [default: {DEFAULT_ROLE}, "
    "the read-only role that `reportgen policy --member-role` describes].",
)
@click.option(
    "--accounts",
    callback=_account_ids,
    help="With --organization: only these account ids (comma-separated).",
)
@click.option(
    "--exclude",
    callback=_account_ids,
    help="With --organization: skip these account ids (comma-separated).",
)
@click.option(
    "--max-workers",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="With --organization: accounts collected in parallel.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@force_option
def collect(
    profile: str | None,
    region: str | None,
    regions: tuple[str, ...],
    endpoint_url: str | None,
    organization: bool,
    role_name: str | None,
    accounts: tuple[str, ...],
    exclude: tuple[str, ...],
    max_workers: int,
    output: Path,
    force: bool,
) -> None:
    """Collect one AWS account (or a whole organization) into snapshot JSON (read-only calls).

    Exit code 3 when some accounts of an organization could not be collected.
    """
    from reportgen.collect.account import CollectOptions, make_session
    from reportgen.collect.account import collect as run_collect

    options = CollectOptions(
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        regions=regions,
    )
    if organization:
        _collect_organization(
            make_session(options),
            options,
            role_name or DEFAULT_ROLE,
            accounts,
            exclude,
            max_workers,
            output,
            force,
        )
        return
    org_only = {"--role-name": role_name, "--accounts": accounts, "--exclude": exclude}
    misplaced = [name for name, value in org_only.items() if value]
    if misplaced:
        raise click.UsageError(
            say(current(), "error.collect_organization_only", options=", ".join(misplaced))
        )
    if output.exists() and not force:
        raise OutputExistsError.keyed("output_exists", path=output)
    update, stop = _progress()
    try:
        document = run_collect(options=replace(options, progress=update))
    finally:
        stop()
    digest = snapshot.save(document, output, overwrite=force)
    problems = [
        f"{name}={info['status']}"
        for name, info in document["sources"].items()
        if info["status"] != "ok"
    ]
    click.echo(f"{output}  sha256:{digest}")
    if problems:
        click.echo(
            say(current(), "progress.incomplete_sources", sources=", ".join(problems)), err=True
        )


def _collect_organization(
    session: Any,
    options: CollectOptions,
    role_name: str,
    accounts: tuple[str, ...],
    exclude: tuple[str, ...],
    max_workers: int,
    output: Path,
    force: bool,
) -> None:
    """Collect an organisation (``collect_organization``); exit 3 on a failed account."""
    from reportgen.collect.organization import OrgOptions, collect_organization

    if output.exists() and not output.is_dir():
        raise click.UsageError(say(current(), "error.collect_output_is_file", path=output))
    started, finished, stop = _account_progress()
    try:
        result = collect_organization(
            session,
            OrgOptions(
                role_name=role_name,
                output_dir=output,
                accounts=accounts,
                exclude=exclude,
                max_workers=max_workers,
                overwrite=force,
                collect=options,
                started=started,
                finished=finished,
            ),
        )
    finally:
        stop()
    ok = len(result.accounts) - len(result.failed)
    click.echo(
        say(
            current(),
            "progress.organization_done",
            manifest=result.manifest,
            ok=ok,
            failed=len(result.failed),
        )
    )
    if result.failed:
        ids = ", ".join(a.id for a in result.failed)
        raise OrganizationIncompleteError.keyed(
            "organization_collect_incomplete",
            failed=len(result.failed),
            total=len(result.accounts),
            accounts=ids,
            manifest=result.manifest,
        )


def _account_progress() -> tuple[
    Callable[[int], None], Callable[[AccountOutcome], None], Callable[[], None]
]:
    """A rich progress bar over accounts on a terminal; one plain line per account otherwise."""
    if not sys.stderr.isatty():

        def line(outcome: AccountOutcome) -> None:
            detail = f": {outcome.error}" if outcome.error else ""
            click.echo(f"{outcome.id} {outcome.status.value}{detail}", err=True)

        return (lambda _total: None), line, (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(say(current(), "progress.accounts"), total=None)

    def started(total: int) -> None:
        bar.update(task, total=total)

    def finished(outcome: AccountOutcome) -> None:
        if outcome.error:
            message = f"{outcome.id} {outcome.status.value}: {outcome.error}"
            bar.console.print(message, markup=False, highlight=False)
        bar.advance(task)

    bar.start()
    return started, finished, bar.stop


@click.command(name="import")
@click.option(
    "--credential-report",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    required=True,
    help="CSV from the console, or JSON from `aws iam get-credential-report`.",
)
@click.option(
    "--authorization-details",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON from `aws iam get-account-authorization-details`.",
)
@click.option(
    "--password-policy",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON from `aws iam get-account-password-policy`.",
)
@click.option(
    "--account-summary",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON from `aws iam get-account-summary`.",
)
@click.option(
    "--collected-at",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="When the files were exported from AWS (UTC); required (never taken from a file's time).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@force_option
def import_(
    credential_report: Path,
    authorization_details: Path | None,
    password_policy: Path | None,
    account_summary: Path | None,
    collected_at: datetime | None,
    output: Path,
    force: bool,
) -> None:
    """Build a snapshot offline from exported AWS files; missing sources stay unknown."""
    given = (credential_report, authorization_details, password_policy, account_summary)
    inputs = tuple(path for path in given if path is not None)
    check_target(output, overwrite=force, inputs=inputs)
    document = importer.build_document(
        importer.ImportFiles(
            credential_report=credential_report,
            authorization_details=authorization_details,
            password_policy=password_policy,
            account_summary=account_summary,
            collected_at=collected_at.replace(tzinfo=UTC) if collected_at else None,
        )
    )
    # Read as every command will read it, naming the files it came from (save() would check
    # it too, naming the output): a date beyond the calendar in a GAAD export, for one.
    snapshot.loads(snapshot.dumps(document), ", ".join(str(path) for path in inputs))
    digest = snapshot.save(document, output, overwrite=force, inputs=inputs)
    click.echo(f"{output}  sha256:{digest}")


@click.command()
@click.option(
    "--organization",
    is_flag=True,
    help="Print instead the management-account policy that --organization needs "
    "(organizations:DescribeOrganization, organizations:ListAccounts, sts:AssumeRole on the "
    "role); each member account's role needs the collector policy.",
)
@click.option(
    "--member-role",
    is_flag=True,
    help="Print instead the read-only role to create in each member account: its name, its "
    "trust policy (the management account may assume it) and its permissions (the collector "
    "policy).",
)
@click.option(
    "--role-name",
    default=DEFAULT_ROLE,
    show_default=True,
    help="With --organization or --member-role: the role assumed in each member account.",
)
@click.option(
    "--management-account",
    default="MANAGEMENT_ACCOUNT_ID",
    help="With --member-role: the 12-digit id of the account the collector runs in.",
)
@click.option(
    "--partition",
    type=click.Choice(["aws", "aws-cn", "aws-us-gov"]),
    default="aws",
    show_default=True,
    help="With --member-role: the partition of the accounts.",
)
def policy(
    organization: bool, member_role: bool, role_name: str, management_account: str, partition: str
) -> None:
    """Print the collector's least-privilege IAM policy (read-only actions it calls)."""
    if organization and member_role:
        raise click.UsageError(say(current(), "error.policy_organization_and_member"))
    collector = package_file("collect", "collector-policy.json").read_text("utf-8")
    if member_role:
        if management_account != "MANAGEMENT_ACCOUNT_ID" and not ACCOUNT_ID.fullmatch(
            management_account
        ):
            raise click.BadParameter(
                say(current(), "error.policy_bad_management_account"),
                param_hint="--management-account",
            )
        trust = package_file("collect", "member-trust-policy.json").read_text("utf-8")
        trust = trust.replace("MANAGEMENT_ACCOUNT_ID", management_account)
        role = {
            "RoleName": role_name,
            "AssumeRolePolicyDocument": json.loads(trust.replace("PARTITION", partition)),
            "PermissionsPolicy": json.loads(collector),
        }
        click.echo(json.dumps(role, indent=2))
        return
    if not organization:
        click.echo(collector, nl=False)
        return
    document = json.loads(package_file("collect", "organization-policy.json").read_text("utf-8"))
    for statement in document["Statement"]:
        if isinstance(statement["Resource"], str):
            statement["Resource"] = statement["Resource"].replace("ROLE_NAME", role_name)
    click.echo(json.dumps(document, indent=2))
