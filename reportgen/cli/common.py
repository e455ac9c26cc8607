"""Helpers shared by the subcommands: the one-line fatal error and shared options."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import click

from reportgen.atomic import write_atomic
from reportgen.errors import OutputExistsError

__all__ = ["LANG_CHOICES", "fatal", "lang_option", "write_atomic", "write_outputs"]

LANG_CHOICES = ("ja", "en", "ja+en")


def fatal(message: str, code: int = 2) -> NoReturn:
    """Print ``reportgen: error: message`` on stderr and exit with ``code``."""
    click.echo(f"reportgen: error: {message}", err=True)
    sys.exit(code)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default="ja",
    show_default=True,
    help="Language of the output: Japanese, English or both.",
)


def write_outputs(folder: Path, files: Mapping[str, bytes], *, force: bool) -> None:
    """Write rendered files into ``folder``, each atomically, and print their paths.

    Without ``force`` nothing is written when any of them exists already.
    """
    targets = {folder / name: data for name, data in files.items()}
    existing = sorted(str(path) for path in targets if path.exists())
    if existing and not force:
        raise OutputExistsError(f"{', '.join(existing)} already exist (use --force to replace)")
    for path, data in targets.items():
        write_atomic(path, data)
        click.echo(str(path))
