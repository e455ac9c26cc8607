"""``reportgen review``: export the access review workbook, import the filled one."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli.common import force_option, output_lang, write_atomic, write_outputs
from reportgen.errors import InputError, OutputExistsError
from reportgen.lang import LANGS


@click.group("review")
def review_group() -> None:
    """The access review (アクセス権の棚卸し): one decision per IAM user and role.

    Export a snapshot's listing, have it filled in (継続 / 変更 / 削除, reason, reviewer,
    date), import it; give the imported file to the next quarter's `report --review`.
    """


@review_group.command("export")
@click.argument("snapshot_path", metavar="SNAPSHOT", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=output_lang,
    show_default="ja",
    help="Language of the workbook.",
)
@click.option("--timezone", "tz_name", help="Time zone of dates (default: JST for ja, UTC for en).")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder."
)
@force_option
def export_command(
    snapshot_path: Path, lang: str, tz_name: str | None, output: Path, force: bool
) -> None:
    """Write access-review.xlsx (to fill in) and access-review.csv for every user and role."""
    from reportgen.pipeline.review import export_review
    from reportgen.render import fmt
    from reportgen.snapshot import document as snapshots

    snapshot = snapshots.load(snapshot_path)
    files = export_review(snapshot, lang, fmt.zone(tz_name, lang), snapshot_path.name)
    write_outputs(
        output, {"access-review.xlsx": files.xlsx, "access-review.csv": files.csv}, force=force
    )


@review_group.command("import")
@click.argument("workbook", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--snapshot",
    "snapshot_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The snapshot the workbook was exported from (checked by SHA-256).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The review file to write (JSON), for `report --review`.",
)
@force_option
def import_command(workbook: Path, snapshot_path: Path, output: Path, force: bool) -> None:
    """Check a filled workbook against its snapshot and write the decisions (review.json).

    Every principal needs a decision, a reviewer and a date; nothing is written otherwise.
    """
    from reportgen.evaluate.review import dumps
    from reportgen.pipeline.review import import_review
    from reportgen.snapshot import document as snapshots

    if output.resolve() in (workbook.resolve(), snapshot_path.resolve()):
        raise InputError.keyed("output_is_input", path=output)
    if output.exists() and not force:
        raise OutputExistsError.keyed("output_exists", path=output)
    try:
        data = workbook.read_bytes()
    except OSError as exc:
        raise InputError.keyed("cannot_read", path=workbook, reason=exc) from None
    snapshot = snapshots.load(snapshot_path)
    review = import_review(data, str(workbook), snapshot)
    write_atomic(output, dumps(review))
    click.echo(str(output))
