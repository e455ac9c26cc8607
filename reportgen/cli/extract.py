"""Refresh ``locale/<lang>/LC_MESSAGES/cli.po`` with Babel: help texts and Click's strings.

Run ``python -m reportgen.cli.extract`` after changing a command's help; new texts get an
empty Japanese entry to translate (a test fails until it is filled), and texts no longer
used are dropped. Keyed messages (``error.*``, ``progress.*``) are kept as written.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from reportgen.cli import cli
from reportgen.cli.i18n import help_texts
from reportgen.lang import LANGS, locale_dir

KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$")


def click_strings() -> list[str | tuple[str, str]]:
    """Click's translatable strings, extracted from its sources by Babel."""
    found: list[str | tuple[str, str]] = []
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        if path.name.startswith("_"):
            continue  # Windows console and the external editor: never shown by reportgen
        for _, message, _, _ in extract_from_file("python", str(path)):
            if isinstance(message, tuple):
                message = (str(message[0]), str(message[1]))
            if message not in found and message != "":
                found.append(message)
    return found


def _read(lang: str) -> Catalog:
    path = locale_dir() / lang / "LC_MESSAGES" / "cli.po"
    if not path.exists():
        return Catalog(locale=lang, domain="cli")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain="cli")


def _translation(old: Catalog, text: str | tuple[str, str]) -> str | tuple[str, ...]:
    """The translation ``old`` has for ``text``, or an empty one to fill in."""
    known = old.get(text)
    if known is not None and known.string and known.string != ("",):
        found = known.string
        return found if isinstance(found, str) else tuple(found)
    return ("",) if isinstance(text, tuple) else ""


def catalogues() -> dict[str, bytes]:
    """The refreshed ``cli.po`` of each language, as bytes."""
    texts: list[str | tuple[str, str]] = [*help_texts(cli), *click_strings()]
    out: dict[str, bytes] = {}
    for lang in LANGS:
        old = _read(lang)
        new = Catalog(locale=lang, domain="cli", project="reportgen", fuzzy=False)
        for message in old:
            if isinstance(message.id, str) and KEY.match(message.id):
                new.add(message.id, message.string, auto_comments=message.auto_comments)
        for text in texts:
            new.add(text, text if lang == "en" else _translation(old, text))
        buffer = io.BytesIO()
        write_po(buffer, new, width=0, omit_header=True, sort_output=False)
        out[lang] = buffer.getvalue()
    return out


def main(argv: list[str]) -> int:
    """Write the catalogues; with ``--check`` only report whether they are up to date."""
    stale = []
    for lang, data in catalogues().items():
        path = locale_dir() / lang / "LC_MESSAGES" / "cli.po"
        if not path.exists() or path.read_bytes() != data:
            stale.append(str(path))
            if "--check" not in argv:
                path.write_bytes(data)
    if stale and "--check" in argv:
        print("out of date: " + ", ".join(stale), file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
