"""Helpers shared by the subcommands: the one-line fatal error and shared options."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from reportgen.atomic import write_atomic

__all__ = ["LANG_CHOICES", "fatal", "lang_option", "write_atomic"]

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
