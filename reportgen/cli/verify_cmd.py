"""``reportgen verify``: does a report PDF carry the snapshot its cover names?"""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli import cli
from reportgen.cli.i18n import current, say


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("snapshot_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def verify(pdf: Path, snapshot_file: Path | None) -> None:
    """Check that PDF's attached snapshot matches the SHA-256 on its cover (and SNAPSHOT_FILE).

    Exit 0 when everything matches, 1 when it does not, 2 when a file cannot be read.
    """
    from reportgen.render.verify import verify as run

    result = run(pdf, snapshot_file)
    attachments = ", ".join(result.attachments)
    click.echo(
        say(current(), "progress.verify_ok", sha256=result.cover_sha256, attachments=attachments)
    )
