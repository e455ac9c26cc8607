"""``reportgen demo``: the whole pipeline on the built-in sandbox company, offline."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import click

from reportgen.cli.common import output_lang, terminal_width, write_atomic
from reportgen.cli.i18n import current as ui_lang
from reportgen.cli.i18n import say
from reportgen.errors import OutputExistsError
from reportgen.lang import LANG_CHOICES


@click.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path("out"), show_default=True
)
@click.option(
    "--users",
    type=click.IntRange(10, 5000),
    default=40,
    show_default=True,
    help="Size of the sandbox company.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the company.")
@click.option(
    "--quarters",
    type=click.IntRange(1, 4),
    default=4,
    show_default=True,
    help="Quarters of history to collect (the last one is today).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The demo's 'today' (default: the real date), for reproducible output.",
)
@click.option("--format", "formats", default="html,pdf", show_default=True)
@click.option("--org-name", default="Example Corp", show_default=True)
@click.option("--force", is_flag=True, help="Replace files from an earlier demo run.")
@click.option(
    "--organization",
    is_flag=True,
    help="Instead: a sandbox organization (a management account and two members), collected "
    "account by account, and its organization report, in OUTPUT/organization/.",
)
def demo(
    output: Path,
    users: int,
    seed: int,
    quarters: int,
    today: datetime | None,
    formats: str,
    org_name: str,
    force: bool,
    organization: bool,
) -> None:
    """Build the sandbox company, collect it, evaluate it and write its reports to a folder."""
    if organization:
        _organization_demo(output / "organization", users, seed, today, formats, org_name, force)
        return
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.responses import load_responses
    from reportgen.evaluate.review import dumps
    from reportgen.evaluate.run import evaluate
    from reportgen.formats.common import label
    from reportgen.formats.table import DEFAULT_WIDTH, summary
    from reportgen.pipeline.demo import collect_history
    from reportgen.pipeline.demo_review import (
        FISCAL_YEAR_START,
        demo_responses,
        demo_review,
        quarter_name,
    )
    from reportgen.render import ReportOptions, parse_formats
    from reportgen.render.parallel import render_pdfs
    from reportgen.render.report import PdfJob, prepare_report
    from reportgen.snapshot import document as snapshot

    wanted = parse_formats(formats)
    current = output / "snapshot.json"
    if current.exists() and not force:
        raise OutputExistsError.keyed("output_exists", path=current)
    click.echo(label("demo_start", "ja+en", sep="\n").format(users=users, quarters=quarters))
    moment = today.replace(hour=9, tzinfo=UTC) if today else None
    history = collect_history(
        size=users,
        seed=seed,
        today=moment,
        quarters=quarters,
        progress=lambda day: click.echo("  " + label("demo_collected", "ja+en").format(day=day)),
    )
    catalogue = load_catalogue()
    assessments = []
    snapshots = []
    names: set[str] = set()
    for quarter in history:
        # Named by the fiscal quarter, as the review files and the reports name it.
        name = quarter_name(quarter.as_of)
        name = f"{name}-{quarter.as_of.date().isoformat()}" if name in names else name
        names.add(name)
        path = output / "history" / f"snapshot-{name}.json"
        snapshot.save(quarter.document, path, overwrite=True)
        loaded = snapshot.load(path)
        snapshots.append((path, loaded))
        assessments.append(evaluate(loaded, catalogue=catalogue))
    latest_path, latest = snapshots[-1]
    data = latest_path.read_bytes()
    write_atomic(current, data)
    click.echo(f"{current}  sha256:{latest.sha256}")
    review = None
    rule_files: dict[str, bytes] = {}  # attached to the PDFs so that verify reproduces them
    if len(snapshots) > 1:
        # The previous quarter's access review: exported, filled by a script, imported;
        # the latest report follows it up (docs/review.md).
        reviewed_path, reviewed = snapshots[-2]
        done = demo_review(reviewed, latest, reviewed_path.name)
        folder = output / "review"
        for name, content in (
            (f"access-review.{done.label}.xlsx", done.exported),
            (f"access-review.{done.label}.csv", done.csv),
            (f"access-review.{done.label}.filled.xlsx", done.filled),
            (f"review.{done.label}.json", dumps(done.review)),
        ):
            write_atomic(folder / name, content)
            click.echo(str(folder / name))
        review = done.review
        responses_path = folder / "responses.yaml"
        responses_text = demo_responses(latest.collected_at).encode("utf-8")
        write_atomic(responses_path, responses_text)
        rule_files = {"review.json": dumps(done.review), "responses.yaml": responses_text}
        click.echo(str(responses_path))
        responses = load_responses(responses_path, catalogue)
        assessments[-1] = evaluate(latest, catalogue=catalogue, review=review, responses=responses)
    width = terminal_width(DEFAULT_WIDTH)
    click.echo(summary(assessments[-1], catalogue, "ja+en", width), nl=False)

    options = ReportOptions(
        org_name=org_name,
        # The sandbox company's fiscal year starts in April whatever the reader's language:
        # every report then names the quarter as the history and review files do.
        fiscal_year_start=FISCAL_YEAR_START,
        snapshot_bytes=data,
        previous=tuple(assessments[:-1]),
        review=review,
        rule_files=rule_files,
    )
    # The PDFs are written side by side in worker processes once every other file is out
    # (about 11 s of CPU each; one process would take them one after another).
    jobs: list[PdfJob] = []

    def rendering(*names: str) -> None:
        files = ", ".join(str(output / name) for name in names)
        click.echo(say(ui_lang(), "progress.rendering_file", file=files), err=True)

    for index, lang in enumerate(LANG_CHOICES):
        files, job = prepare_report(
            assessments[-1],
            latest,
            catalogue,
            lang,
            wanted,
            dataclasses.replace(
                options,
                machine_outputs=index == 0,
                progress=lambda name: None if name.endswith(".pdf") else rendering(name),
            ),
        )
        for name, content in files.items():
            write_atomic(output / name, content)
            click.echo(str(output / name))
        jobs += [job] if job else []
    if jobs:
        rendering(*(job.name for job in jobs))
    for name, content in render_pdfs(jobs).items():
        write_atomic(output / name, content)
        click.echo(str(output / name))


def _organization_demo(
    folder: Path,
    users: int,
    seed: int,
    today: datetime | None,
    formats: str,
    org_name: str,
    force: bool,
) -> None:
    """Seed and collect the sandbox organization into ``folder``, then write its report."""
    from reportgen.cli.common import load_rules
    from reportgen.cli.report_cmd import write_organization
    from reportgen.formats.common import label
    from reportgen.pipeline.demo_org import collect_sandbox_organization
    from reportgen.pipeline.organization import OrgReportOptions
    from reportgen.render import ReportOptions, parse_formats

    wanted = parse_formats(formats)
    snapshots = folder / "snapshots"
    if (snapshots / "manifest.json").exists() and not force:
        raise OutputExistsError.keyed("output_exists", path=snapshots / "manifest.json")
    members = 2
    click.echo(label("demo_org_start", "ja+en", sep="\n").format(users=users, accounts=members + 1))
    moment = today.replace(hour=9, tzinfo=UTC) if today else None
    manifest = collect_sandbox_organization(
        snapshots,
        size=users,
        seed=seed,
        today=moment,
        members=members,
        progress=lambda account: click.echo(
            "  " + label("demo_org_seeded", "ja+en").format(account=account)
        ),
        overwrite=force,
    )
    click.echo(str(manifest))
    catalogue, _, _ = load_rules(None, None)
    report = ReportOptions(org_name=org_name)  # in the global --lang, else Japanese
    options = OrgReportOptions(lang=output_lang(), formats=wanted, report=report)
    write_organization(manifest, catalogue, options, folder / "report", force, (manifest,))
