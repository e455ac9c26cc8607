"""``reportgen collect``, ``import`` and ``policy``: getting a snapshot."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from reportgen import importer, snapshot
from reportgen.cli import cli
from reportgen.resources import package_file


def _progress() -> tuple[Callable[[str], None], Callable[[], None]]:
    """A rich status line on a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        return (lambda _step: None), (lambda: None)
    from rich.console import Console

    status = Console(stderr=True).status("collecting…")
    status.start()
    return (lambda step: status.update(f"collecting {step}…")), status.stop


@cli.command()
@click.option("--profile", help="AWS named profile (default: the standard credential chain).")
@click.option("--region", help="Region for CloudTrail and Access Analyzer (default: profile's).")
@click.option(
    "--analyzer-region",
    "analyzer_regions",
    multiple=True,
    help="Region to list IAM Access Analyzer analyzers in (repeatable; default: --region).",
)
@click.option("--endpoint-url", help="Send every request here (default: AWS_ENDPOINT_URL or AWS).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def collect(
    profile: str | None,
    region: str | None,
    analyzer_regions: tuple[str, ...],
    endpoint_url: str | None,
    output: Path,
    force: bool,
) -> None:
    """Collect one AWS account into a snapshot JSON file (read-only calls)."""
    from reportgen.collect import CollectOptions
    from reportgen.collect import collect as run_collect

    if output.exists() and not force:
        raise click.UsageError(f"{output} already exists (use --force to replace it)")
    update, stop = _progress()
    try:
        document = run_collect(
            options=CollectOptions(
                profile=profile,
                region=region,
                endpoint_url=endpoint_url,
                analyzer_regions=analyzer_regions,
                progress=update,
            )
        )
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
        click.echo("incomplete sources: " + ", ".join(problems), err=True)


@cli.command(name="import")
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
    help="When the files were exported (UTC), if the report carries no GeneratedTime.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
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
    if output.exists() and not force:
        raise click.UsageError(f"{output} already exists (use --force to replace it)")
    document = importer.build_document(
        importer.ImportFiles(
            credential_report=credential_report,
            authorization_details=authorization_details,
            password_policy=password_policy,
            account_summary=account_summary,
            collected_at=collected_at.replace(tzinfo=UTC) if collected_at else None,
        )
    )
    digest = snapshot.save(document, output, overwrite=force)
    click.echo(f"{output}  sha256:{digest}")


@cli.command()
def policy() -> None:
    """Print the collector's least-privilege IAM policy (read-only actions it calls)."""
    click.echo(package_file("collector-policy.json").read_text("utf-8"), nl=False)
