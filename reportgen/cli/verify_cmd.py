"""``reportgen verify``: does a report PDF carry the snapshot its cover names?"""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli.i18n import current, say
from reportgen.fiscal import zone


@click.command()
@click.argument("pdf", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("snapshot_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def verify(pdf: Path, snapshot_file: Path | None) -> None:
    """Prove a report PDF: re-evaluate its attached evidence and compare it with the attached
    findings and the scores printed on the cover and summary (docs/verify.md).

    SNAPSHOT_FILE, if given, must be the snapshot the report was made from.
    Exit 0 when everything matches, 1 at the first difference, 2 when a file cannot be read.
    """
    from reportgen.render.verify import verify as run

    result = run(pdf, snapshot_file)
    lang = current()
    score = f"{result.overall:.1f}/100 {result.grade}" if result.overall is not None else "-"
    attachments = ", ".join(result.attachments)
    click.echo(
        say(lang, "progress.verify_ok", sha256=result.cover_sha256, score=score)
        + "\n"
        + say(lang, "progress.verify_attachments", attachments=attachments)
    )
    if result.waived:
        click.echo(say(lang, "progress.verify_waived", count=result.waived))
    if result.signature:
        signed = result.signature
        when = "-"
        if signed.signed_at:  # in the reader's zone, as the report's own times (JST for ja)
            local = signed.signed_at.astimezone(zone(None, lang))
            when = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
        shown = {"subject": signed.subject, "fingerprint": signed.fingerprint, "when": when}
        click.echo(say(lang, "progress.verify_signed", **shown))
    else:
        click.echo(say(lang, "progress.verify_unsigned"))
