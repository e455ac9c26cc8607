"""``reportgen diff``: what changed between two snapshots of one account, and the new-finding gate.

``new_failures_since`` and ``gate_message`` are also the hook for ``evaluate --previous``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.cli.common import (
    check_target,
    exceptions_option,
    force_option,
    load_responses_file,
    load_rules,
    output_lang,
    profile_option,
    responses_option,
    rule_inputs,
    write_file,
)
from reportgen.evaluate.findings import Assessment, Severity
from reportgen.lang import LANG_CHOICES

if TYPE_CHECKING:
    from reportgen.compare.diff import FindingChange
    from reportgen.evaluate.catalogue import Catalogue
    from reportgen.evaluate.exceptions import ExceptionEntry
    from reportgen.evaluate.profiles import Profile
    from reportgen.evaluate.responses import ResponseEntry

FORMAT_CHOICES = ("table", "json", "csv", "markdown")
SEVERITY_CHOICES = tuple(s.value for s in Severity)


def assess(
    path: Path,
    catalogue: Catalogue,
    profile: Profile | None = None,
    exceptions: Sequence[ExceptionEntry] | None = None,
    responses: Sequence[ResponseEntry] = (),
) -> Assessment:
    """Load the snapshot at ``path`` and evaluate it (as of its own collection time)."""
    from reportgen.evaluate.run import evaluate
    from reportgen.snapshot import document as snapshot

    return evaluate(snapshot.load(path), profile, exceptions, None, catalogue, responses=responses)


def new_failures_since(
    previous_path: Path,
    assessment: Assessment,
    at_least: Severity,
    catalogue: Catalogue,
    profile: Profile | None = None,
    exceptions: Sequence[ExceptionEntry] | None = None,
) -> tuple[FindingChange, ...]:
    """The failing findings of ``assessment`` that are new since the snapshot at
    ``previous_path`` (evaluated the same way), at severity ``at_least`` or higher."""
    from reportgen.compare.diff import compare, new_failures

    previous = assess(previous_path, catalogue, profile, exceptions)
    return new_failures(compare(previous, assessment), at_least)


def gate_message(count: int, at_least: Severity, lang: str) -> str:
    """The one line printed on stderr when the new-finding gate trips (``ja+en``: Japanese)."""
    from reportgen.formats.diff.texts import Texts

    texts = Texts(lang.split("+")[0])
    return "reportgen: gate: " + texts(
        "gate.failed", count=count, severity=texts.severity(at_least)
    )


def check_titles(catalogue: Catalogue, lang: str) -> dict[str, str]:
    """Check id to title in ``lang`` (``ja+en``: both), for the human-readable formats."""
    codes = lang.split("+")
    return {
        check_id: " / ".join(spec.title[code] for code in codes)
        for check_id, spec in catalogue.checks.items()
    }


def section_titles(catalogue: Catalogue, lang: str) -> dict[str, str]:
    """Section to its title in ``lang`` (``ja+en``: both), the same words as the report's."""
    codes = lang.split("+")
    return {
        section.value: " / ".join(spec.title[code] for code in codes)
        for section, spec in catalogue.sections.items()
    }


@click.command("diff")
@click.argument("old_path", metavar="OLD", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new_path", metavar="NEW", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=output_lang,
    show_default="ja",
    help="Language of the table, CSV and Markdown: ja, en or ja+en (JSON has codes only).",
)
@click.option(
    "--timezone", "tz_name", help="Time zone of quarters (default: JST for ja, UTC for en)."
)
@click.option(
    "--fiscal-year-start",
    type=click.IntRange(1, 12),
    help="First month of the fiscal year (default: 4 for ja, 1 for en).",
)
@profile_option
@exceptions_option
@responses_option
@click.option(
    "--fail-on-new",
    type=click.Choice(SEVERITY_CHOICES),
    help="Exit 1 when a new failing finding of this severity or higher appears.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@force_option
@click.pass_context
def diff_command(
    ctx: click.Context,
    old_path: Path,
    new_path: Path,
    fmt: str,
    lang: str,
    tz_name: str | None,
    fiscal_year_start: int | None,
    profile: str | None,
    exceptions_path: Path | None,
    responses_path: Path | None,
    fail_on_new: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Compare two snapshots of one account: new, resolved, persisting and changed findings,
    and score changes by section.

    Exit codes: 0 ok, 1 the --fail-on-new gate was crossed, 2 input error (e.g. the
    snapshots are of different accounts).
    """
    from reportgen.compare.diff import compare, new_failures
    from reportgen.fiscal import Calendar, zone
    from reportgen.formats.diff import render
    from reportgen.formats.diff.texts import Texts

    inputs = (old_path, new_path, *rule_inputs(profile, exceptions_path, responses_path))
    if output is not None:
        check_target(output, overwrite=force, inputs=inputs)
    zone(tz_name, lang.split("+")[0])  # an unknown time zone is refused before any work
    catalogue, chosen, waivers = load_rules(profile, exceptions_path)
    responses = load_responses_file(responses_path, catalogue)
    old = assess(old_path, catalogue, chosen, waivers, responses)
    new = assess(new_path, catalogue, chosen, waivers, responses)
    comparison = compare(old, new)
    calendar = Calendar(fiscal_year_start, tz_name)
    words = Texts(lang, check_titles(catalogue, lang), section_titles(catalogue, lang), calendar)
    text = render(fmt, comparison, words)
    if output is not None:
        write_file(output, text.encode("utf-8"), force=force, inputs=inputs)
    else:
        click.echo(text, nl=False)
    if fail_on_new is not None:
        threshold = Severity(fail_on_new)
        found = new_failures(comparison, threshold)
        if found:
            click.echo(gate_message(len(found), threshold, lang), err=True)
            ctx.exit(1)
