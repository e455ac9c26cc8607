"""The command line's own language: help, progress lines and errors from the ``cli`` catalogue.

The language is ``reportgen --lang ja|en`` (before the subcommand) or the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG`` starting with ``ja`` give Japanese), English otherwise. The output
``--lang`` of a subcommand chooses the language of reports and tables, not of these messages.

``locale/<lang>/LC_MESSAGES/cli.po`` holds three kinds of entries: keyed messages of our own
(``error.*``, ``progress.*``), help texts whose id is the English help of a command or option,
and Click's own strings (``Usage:``, ``Missing argument '{name}'.``) under Click's English ids.
``python -m reportgen.cli.extract`` refreshes the last two kinds with Babel.
"""

from __future__ import annotations

import errno
import functools
import importlib
import inspect
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import click
from babel.messages.pofile import read_po

from reportgen.errors import ReportgenError
from reportgen.lang import LANGS, locale_dir, messages, text

DOMAIN = "cli"
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
)


def global_lang(argv: Sequence[str]) -> str | None:
    """The global ``--lang`` (before the subcommand) as given, or ``None``."""
    args = list(argv)
    for i, arg in enumerate(args):
        if not arg.startswith("-"):
            break  # the subcommand: its own --lang is the output language
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
    return None


def ui_lang(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """``ja`` or ``en``: the global ``--lang``, else the locale, else English."""
    given = global_lang(argv)
    if given is not None:
        return given if given in LANGS else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "ja" if environ[name].lower().startswith("ja") else "en"
    return "en"


def say(lang: str, key: str, **values: object) -> str:
    """A keyed message of the command line (``progress.rendering``) in ``lang``."""
    return text(DOMAIN, lang, key, **_localized(lang, values))


def translate(lang: str, english: str) -> str:
    """The translation of an English id (a help text or a Click string), or itself."""
    found = messages(DOMAIN, lang).get(english)
    return found or english


@functools.cache
def _plurals(lang: str) -> Mapping[str, str]:
    """Click's plural strings: the singular English id to the one ``lang`` form."""
    path = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    found: dict[str, str] = {}
    for message in catalog:
        if isinstance(message.id, tuple) and isinstance(message.string, tuple):
            forms = [str(s) for s in message.string if s]
            if forms:
                found[str(message.id[0])] = forms[0]
                found[str(message.id[1])] = forms[-1]
    return found


# The language of this run's messages, set once by ``install`` (the CLI's entry point).
_CURRENT = ["en"]


def current() -> str:
    """The language of the command line's messages in this run (``ja`` or ``en``)."""
    return _CURRENT[0]


def install(group: click.Group, lang: str) -> None:
    """Put ``lang`` into Click's strings and into every help text of ``group``."""
    _CURRENT[0] = lang

    def gettext(message: str) -> str:
        return translate(lang, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        english = singular if n == 1 else plural
        return _plurals(lang).get(english, english)

    click.Context.formatter_class = _JapaneseFormatter if lang == "ja" else click.HelpFormatter
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for command in commands(group):
        for owner, field in _help_fields(command):
            setattr(owner, field, translate(lang, _english(owner, field)))


class _JapaneseFormatter(click.HelpFormatter):
    """Click's help layout with full-width colons after Japanese headings."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else translate("ja", "Usage:"))


# The English help of each command and option, kept when a translation is put in its place.
_ENGLISH: dict[tuple[int, str], str] = {}


def _english(owner: object, field: str) -> str:
    """The English help of ``owner`` (as written in the code, docstrings without indentation)."""
    return _ENGLISH.setdefault((id(owner), field), inspect.cleandoc(getattr(owner, field)))


def _help_fields(command: click.Command) -> Iterator[tuple[object, str]]:
    if command.help:
        yield command, "help"
    if command.short_help:
        yield command, "short_help"
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield param, "help"


def help_texts(group: click.Group) -> list[str]:
    """Every English help text under ``group`` (the ids of the help entries of ``cli.po``)."""
    found: list[str] = []
    for command in commands(group):
        for owner, field in _help_fields(command):
            english = _english(owner, field)
            if english not in found:
                found.append(english)
    return found


def commands(group: click.Command) -> Iterator[click.Command]:
    """``group`` and every command under it, depth first in name order."""
    yield group
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            yield from commands(group.commands[name])


def _os_reason(lang: str, exc: OSError) -> str:
    code = errno.errorcode.get(exc.errno or 0, "")
    key = f"os.{code}"
    if code and key in messages(DOMAIN, lang):
        return text(DOMAIN, lang, key)
    return exc.strerror or str(exc)


def _localized(lang: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values in ``lang``: an OS error's reason, and a project error (one wrapped by another,
    e.g. ``FILE: line N: …``) as its own message in ``lang``."""
    return {k: _localized_value(lang, v) for k, v in values.items()}


def _localized_value(lang: str, value: Any) -> Any:
    if isinstance(value, OSError):
        return _os_reason(lang, value)
    if isinstance(value, ReportgenError):
        return error_text(value, lang)
    return value


def error_text(exc: ReportgenError, lang: str) -> str:
    """The message of a project error in ``lang`` (errors without a key stay as raised)."""
    if exc.key is None:
        return str(exc)
    return say(lang, f"error.{exc.key}", **exc.values)


def english(key: str, **values: object) -> str:
    """The English message of ``error.<key>``: the ``str()`` of a keyed error."""
    return say("en", f"error.{key}", **values)


def os_error_text(exc: OSError, lang: str) -> str:
    """``path: reason`` of an operating-system error, the reason in ``lang``."""
    reason = _os_reason(lang, exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason
