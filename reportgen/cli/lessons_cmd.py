"""``reportgen lessons list|build``: the training lessons and their handouts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click

from reportgen.cli.common import LANG_CHOICES, force_option, output_lang, write_outputs
from reportgen.errors import InputError
from reportgen.lang import LANGS, Texts


@click.group("lessons")
def lessons() -> None:
    """The IAM training lessons (Japanese and English) and their handouts."""


@lessons.command("list")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=output_lang,
    show_default="ja",
    help="Title language.",
)
def list_lessons(lang: str) -> None:
    """List the lessons with their duration and linked checks."""
    from reportgen.training.lessons import load_lessons

    say = Texts("training", lang)
    for lesson in load_lessons():
        duration = say("duration", minutes=lesson.duration)
        click.echo(f"{lesson.id}\t{duration}\t{lesson.text(lang).title}")
        click.echo(f"\t{say('related_checks')}: {', '.join(lesson.checks)}")


def _formats(value: str) -> tuple[str, ...]:
    from reportgen.training.handouts import FORMATS

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = sorted(set(names) - set(FORMATS))
    if unknown or not names:
        raise InputError.keyed("unknown_handout_format", formats=", ".join(unknown))
    return tuple(f for f in FORMATS if f in names)


@lessons.command("build")
@click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=output_lang,
    show_default="ja",
    help="Language.",
)
@click.option("--format", "formats", default="html,pdf", show_default=True, help="html, pdf.")
@click.option("--lesson", "only", multiple=True, help="Only these lessons (e.g. 01); repeatable.")
@click.option("--edition", help="Edition date printed on the handouts (default: today, UTC).")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder."
)
@force_option
@click.option(
    "--trainer",
    is_flag=True,
    help="Also write the trainer guide (answers, timings, set-up); keep it from trainees.",
)
def build(
    lang: str,
    formats: str,
    only: tuple[str, ...],
    edition: str | None,
    output: Path,
    force: bool,
    trainer: bool,
) -> None:
    """Write each lesson and the trainee workbook (and, with --trainer, the trainer guide)."""
    from reportgen.training.handouts import build_handouts
    from reportgen.training.lessons import find_lesson, load_lessons

    everything = load_lessons()
    chosen = tuple(find_lesson(ref, everything) for ref in only) if only else everything
    try:
        day = date.fromisoformat(edition) if edition else datetime.now(UTC).date()
    except ValueError:
        raise InputError.keyed("edition_not_date", edition=edition) from None
    files = build_handouts(chosen, tuple(lang.split("+")), _formats(formats), day, trainer)
    write_outputs(output, files, force=force)
