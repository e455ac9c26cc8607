"""Helpers shared by the subcommands: the one-line fatal error and shared options."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from reportgen.atomic import check_target, staged_outputs, write_atomic
from reportgen.errors import InputError, OutputExistsError
from reportgen.lang import LANG_CHOICES, LANGS

if TYPE_CHECKING:
    from reportgen.evaluate.catalogue import Catalogue
    from reportgen.evaluate.exceptions import ExceptionEntry
    from reportgen.evaluate.profiles import Profile
    from reportgen.evaluate.responses import ResponseEntry
    from reportgen.evaluate.review import Review


__all__ = [
    "LANG_CHOICES",
    "as_of_option",
    "check_target",
    "exceptions_option",
    "fatal",
    "force_option",
    "lang_option",
    "load_responses_file",
    "load_review_for",
    "load_rules",
    "parse_as_of",
    "profile_option",
    "responses_option",
    "review_option",
    "rule_files",
    "rule_inputs",
    "terminal_width",
    "write_atomic",
    "write_file",
    "write_outputs",
]


def fatal(message: str, code: int = 2, lang: str = "en") -> NoReturn:
    """Print ``reportgen: error: message`` (in ``lang``) on stderr and exit with ``code``."""
    from reportgen.cli.i18n import say

    click.echo(say(lang, "error.line", message=message), err=True)
    sys.exit(code)


def terminal_width(default: int, to_terminal: bool = True) -> int:
    """Columns for a terminal table: ``COLUMNS`` when set, else the width of the terminal
    standard output is (when the text goes there), else ``default`` (a pipe, a file)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if to_terminal and sys.stdout.isatty():
        return shutil.get_terminal_size((default, 24)).columns
    return default


_chosen_lang: list[str] = []


def choose_output_lang(argv: Sequence[str]) -> None:
    """Remember the global ``--lang`` of this run: the output language of every subcommand
    unless its own ``--lang`` says otherwise (``reportgen --lang en evaluate`` is English)."""
    from reportgen.cli.i18n import global_lang

    given = global_lang(argv)
    _chosen_lang[:] = [given] if given in LANGS else []


def output_lang() -> str:
    """The default of a subcommand's ``--lang``: the global ``--lang``, else Japanese."""
    return _chosen_lang[0] if _chosen_lang else "ja"


def given_output_lang() -> str | None:
    """The global ``--lang`` when one was given: the default of a subcommand whose own
    fallback is not Japanese (a lab's commands speak the language it was started in)."""
    return _chosen_lang[0] if _chosen_lang else None


lang_option = click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=output_lang,
    show_default="ja",
    help="Language of the output: Japanese, English or both.",
)


def write_outputs(
    folder: Path, files: Mapping[str, bytes], *, force: bool, inputs: Iterable[Path] = ()
) -> None:
    """Write rendered files into ``folder`` as one set and print their paths.

    The files are staged and moved into place together under a lock on the folder; without
    ``force`` nothing is written when any of them exists, and never over one of ``inputs``.
    """
    inputs = tuple(inputs)
    targets = [folder / name for name in files]
    for target in targets:  # an input or a folder is refused even with --force
        check_target(target, overwrite=True, inputs=inputs)
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise OutputExistsError.for_paths(existing)
    with staged_outputs(folder, overwrite=force, inputs=inputs) as stage:
        for name, data in files.items():
            stage.add(name, data)
    for target in targets:
        click.echo(str(target))


def write_file(path: Path, data: bytes, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Write one file atomically; an existing one needs ``force``, an input is never replaced."""
    write_atomic(path, data, overwrite=force, inputs=inputs)


def parse_as_of(value: str | None) -> datetime | None:
    """``2026-11-28`` (end of that UTC day) or an ISO timestamp; naive times are UTC."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError.keyed("as_of", value=value) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_rules(
    profile: str | None, exceptions_path: Path | None
) -> tuple[Catalogue, Profile | None, tuple[ExceptionEntry, ...] | None]:
    """The catalogue, the chosen profile (None: the default) and the exceptions (if a file)."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.exceptions import load_exceptions
    from reportgen.evaluate.profiles import load_profile

    catalogue = load_catalogue()
    chosen = load_profile(profile, catalogue) if profile else None
    waivers = load_exceptions(exceptions_path, catalogue) if exceptions_path else None
    return catalogue, chosen, waivers


def rule_inputs(
    profile: str | None, exceptions_path: Path | None, *others: Path | None
) -> tuple[Path, ...]:
    """The files behind ``--profile``, ``--exceptions`` and ``others`` (e.g. ``--responses``):
    inputs that no output may replace."""
    found = [Path(profile)] if profile and Path(profile).is_file() else []
    return (*found, *(p for p in (exceptions_path, *others) if p is not None))


def rule_files(
    chosen: Profile | None,
    exceptions_path: Path | None,
    responses_path: Path | None = None,
    review_path: Path | None = None,
) -> dict[str, bytes]:
    """The rule files used, as read, to attach to a report PDF so that verify can rerun it."""
    named = {
        "profile.yaml": chosen.path if chosen is not None else None,
        "exceptions.yaml": exceptions_path,
        "responses.yaml": responses_path,
        "review.json": review_path,
    }
    found: dict[str, bytes] = {}
    for name, path in named.items():
        if path is not None:
            try:
                found[name] = Path(path).read_bytes()
            except OSError as exc:
                raise InputError.keyed("cannot_read", path=path, reason=exc) from None
    return found


profile_option = click.option(
    "--profile",
    help="Profile: article (IAM essentials baseline, the default), cis-v5, cis-v6 or cis-v7 "
    "(CIS AWS Foundations Benchmark v5.0, v6.0 or v7.0), or a profile YAML file.",
)
exceptions_option = click.option(
    "--exceptions",
    "exceptions_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of approved, expiring exceptions (waivers).",
)
review_option = click.option(
    "--review",
    "review_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An access review written by `review import`, to follow up its decisions.",
)


def load_review_for(path: Path | None, account_id: str) -> Review | None:
    """The access review at ``path`` (None: not given), checked to be of ``account_id``."""
    from reportgen.evaluate.review import review_of

    return review_of(path, account_id) if path is not None else None


responses_option = click.option(
    "--responses",
    "responses_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of owners, due dates and responses per finding.",
)


def load_responses_file(path: Path | None, catalogue: Catalogue) -> tuple[ResponseEntry, ...]:
    """The responses file's entries (none when no file is given)."""
    from reportgen.evaluate.responses import load_responses

    return load_responses(path, catalogue) if path is not None else ()


force_option = click.option(
    "--force", is_flag=True, help="Replace output files that already exist (never an input)."
)
as_of_option = click.option(
    "--as-of", help="Assess as of this date or time (default: when collected)."
)
