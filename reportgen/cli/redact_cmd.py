"""``reportgen redact``: a pseudonymised copy of a snapshot that can be shared."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.atomic import check_target
from reportgen.cli.common import force_option
from reportgen.cli.i18n import current, say
from reportgen.snapshot import document as snapshot
from reportgen.snapshot import redact as core


@click.command()
@click.argument("snapshot_file", metavar="SNAPSHOT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option(
    "--key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Secret key for the pseudonyms (created, mode 0600, if missing). The same key gives "
    "the same pseudonyms every quarter. Without it a one-off random key is used.",
)
@force_option
def redact(snapshot_file: Path, output: Path, key_file: Path | None, force: bool) -> None:
    """Replace names, ARNs and account ids in SNAPSHOT by keyed pseudonyms.

    Dates, flags and AWS managed policies stay, so the copy evaluates like the original.
    """
    inputs = (snapshot_file, *([key_file] if key_file else []))
    check_target(output, overwrite=force, inputs=inputs)
    original = snapshot.load(snapshot_file)
    if key_file is None:
        key = core.new_key()
        click.echo(say(current(), "progress.redact_one_off_key"), err=True)
    else:
        key, created = core.load_key(key_file)
        if created:
            click.echo(say(current(), "progress.redact_new_key", path=key_file), err=True)
    redacted = core.redact_document(original.raw, key)
    snapshot.loads(snapshot.dumps(redacted), str(output))  # the copy must load like the original
    digest = snapshot.save(redacted, output, overwrite=force, inputs=inputs)
    click.echo(f"{output}  sha256:{digest}")
