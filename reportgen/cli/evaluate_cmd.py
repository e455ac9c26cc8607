"""``reportgen evaluate`` and ``reportgen checks``: findings from a snapshot, the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.cli.common import (
    as_of_option,
    check_target,
    exceptions_option,
    force_option,
    lang_option,
    load_responses_file,
    load_review_for,
    load_rules,
    parse_as_of,
    profile_option,
    responses_option,
    review_option,
    rule_inputs,
    terminal_width,
    write_file,
)
from reportgen.evaluate.findings import Assessment, Severity, Status

if TYPE_CHECKING:
    from reportgen.compare.diff import FindingChange

FORMAT_CHOICES = ("table", "json", "csv", "junit", "ocsf")
SEVERITY_CHOICES = tuple(s.value for s in Severity)


def gate_failures(
    assessment: Assessment, fail_under: float | None, fail_on: str | None, lang: str = "en"
) -> list[str]:
    """Why the run should exit 1, in ``lang`` (``ja+en``: Japanese, as the new-finding gate):
    score under ``fail_under``, or an unsuppressed FAIL at or above severity ``fail_on``. An
    unknown score (nothing counted) does not pass a score gate."""
    from reportgen.formats.diff.rows import score
    from reportgen.formats.diff.texts import Texts

    texts = Texts(lang.split("+")[0])
    crossed = []
    value = assessment.overall.value
    if fail_under is not None and (value is None or value < fail_under):
        crossed.append(texts("gate.score", score=score(value, texts), limit=f"{fail_under:g}"))
    if fail_on is not None:
        limit = Severity(fail_on)
        worst = [
            f
            for f in assessment.findings
            if f.status is Status.FAIL and f.severity.rank <= limit.rank
        ]
        if worst:
            crossed.append(texts("gate.severity", count=len(worst), severity=texts.severity(limit)))
    return crossed


@click.command("evaluate")
@click.argument("snapshot_path", metavar="SNAPSHOT", type=click.Path(path_type=Path))
@profile_option
@exceptions_option
@review_option
@responses_option
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@force_option
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit 1 when the overall score is below this.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    help="Exit 1 on any FAIL of this severity or higher.",
)
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An earlier snapshot of the same account, for --fail-on-new.",
)
@click.option(
    "--fail-on-new",
    type=click.Choice(SEVERITY_CHOICES),
    help="Exit 1 when a failing finding of this severity or higher is new since --previous.",
)
@lang_option
@click.pass_context
def evaluate_command(
    ctx: click.Context,
    snapshot_path: Path,
    profile: str | None,
    exceptions_path: Path | None,
    review_path: Path | None,
    responses_path: Path | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
    fail_under: float | None,
    fail_on: str | None,
    previous_path: Path | None,
    fail_on_new: str | None,
    lang: str,
) -> None:
    """Evaluate SNAPSHOT against the check catalogue and print or write the findings.

    Exit codes: 0 ok, 1 a --fail-under/--fail-on/--fail-on-new gate was crossed,
    2 input error.
    """
    from reportgen.cli.diff_cmd import gate_message, new_failures_since
    from reportgen.errors import InputError
    from reportgen.evaluate.run import evaluate
    from reportgen.formats import FORMATS
    from reportgen.snapshot import document as snapshot

    if fail_on_new is not None and previous_path is None:
        raise InputError.keyed("fail_on_new_without_previous")
    inputs = (snapshot_path, *rule_inputs(profile, exceptions_path, review_path, responses_path))
    inputs += (previous_path,) if previous_path else ()
    if output is not None:
        check_target(output, overwrite=force, inputs=inputs)
    catalogue, chosen, waivers = load_rules(profile, exceptions_path)
    current = snapshot.load(snapshot_path)
    review = load_review_for(review_path, current.account.id)
    responses = load_responses_file(responses_path, catalogue)
    assessment = evaluate(
        current, chosen, waivers, parse_as_of(as_of), catalogue, review=review, responses=responses
    )
    threshold = Severity(fail_on_new or Severity.INFO.value)
    new_since: tuple[FindingChange, ...] = ()
    if previous_path is not None:
        # Compared before any output: a wrong --previous is an input error, with or without
        # the gate.
        new_since = new_failures_since(
            previous_path, assessment, threshold, catalogue, chosen, waivers
        )
    if fmt == "table":
        from reportgen.formats import table

        width = terminal_width(table.DEFAULT_WIDTH, to_terminal=output is None)
        text = table.fitted(assessment, catalogue, lang, width)
    else:
        text = FORMATS[fmt](assessment, catalogue, lang)
    if output is not None:
        write_file(output, text.encode("utf-8"), force=force, inputs=inputs)
    else:
        click.echo(text, nl=False)
    crossed = [
        f"reportgen: gate: {r}" for r in gate_failures(assessment, fail_under, fail_on, lang)
    ]
    if fail_on_new is not None and new_since:
        crossed.append(gate_message(len(new_since), threshold, lang))
    for line in crossed:
        click.echo(line, err=True)
    if crossed:
        ctx.exit(1)


@click.group("checks")
def checks_group() -> None:
    """List and explain the checks of the catalogue."""


@checks_group.command("list")
@lang_option
def checks_list(lang: str) -> None:
    """List every check with its section, severity and title."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.formats.checklist import listing

    click.echo(listing(load_catalogue(), lang), nl=False)


@checks_group.command("show")
@click.argument("check_id", metavar="ID")
@lang_option
def checks_show(check_id: str, lang: str) -> None:
    """Show one check: why it matters, parameters, mappings and how to fix it."""
    from reportgen.errors import CatalogueError
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.formats.checklist import detail

    catalogue = load_catalogue()
    if check_id not in catalogue.checks:
        raise CatalogueError.keyed("unknown_check", check=check_id)
    click.echo(detail(catalogue, catalogue[check_id], lang))
