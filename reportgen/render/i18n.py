"""UI strings of the report (headings, labels) from gettext catalogs, compiled in memory."""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reportgen.errors import RenderError
from reportgen.resources import data_dir

LANGUAGES = ("ja", "en")
DOMAIN = "report"


def languages(lang: str) -> tuple[str, ...]:
    """The languages shown for a ``--lang`` value: ``ja``, ``en`` or ``ja+en`` (Japanese first)."""
    parts = tuple(lang.split("+"))
    if not parts or any(part not in LANGUAGES for part in parts) or len(set(parts)) != len(parts):
        raise RenderError(f"unknown report language '{lang}' (choose ja, en or ja+en)")
    return parts


def locale_dir() -> Path:
    return data_dir("templates") / "report" / "locale"


@functools.cache
def _catalog(lang: str) -> Catalog:
    po_path = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with po_path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=DOMAIN)
    except OSError as exc:
        raise RenderError(f"cannot read the UI strings {po_path}: {exc.strerror}") from exc


@functools.cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalog of one language, read from its ``.po`` file at first use."""
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(lang))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.cache
def catalog_ids(lang: str) -> frozenset[str]:
    """The message ids of one language's catalog (tests compare the two languages)."""
    return frozenset(str(message.id) for message in _catalog(lang) if message.id)


@dataclass(frozen=True)
class Text:
    """One text shown in one or more languages: ``parts`` are ``(lang, text)`` pairs."""

    parts: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> str:
        return dict(self.parts)[lang]

    @property
    def first(self) -> str:
        return self.parts[0][1]

    @property
    def same(self) -> bool:
        """Whether every language reads the same (a number, a name): show it once."""
        return len({text for _, text in self.parts}) == 1

    def __str__(self) -> str:
        return " / ".join(text for _, text in self.parts)


def plain(value: str, langs: tuple[str, ...]) -> Text:
    """A text that reads the same in every language (a name, a number)."""
    return Text(((langs[0], value),))


def from_mapping(texts: Mapping[str, str], langs: tuple[str, ...]) -> Text:
    """A catalogue text (``{"ja": …, "en": …}``); a missing language falls back to the other."""
    fallback = next(iter(texts.values()), "")
    return Text(tuple((lang, texts.get(lang, fallback)) for lang in langs))


class Ui:
    """Looks up UI strings by id in each shown language; placeholders use ``str.format``."""

    def __init__(self, langs: tuple[str, ...]) -> None:
        self.langs = langs
        self._catalogs = {lang: translations(lang) for lang in langs}

    def has(self, msgid: str) -> bool:
        return all(msgid in catalog_ids(lang) for lang in self.langs)

    def one(self, lang: str, msgid: str, **values: object) -> str:
        """The string in one language; a :class:`Text` value contributes its own language."""
        text = self._catalogs[lang].gettext(msgid)
        if not values:
            return text
        local = {k: _in_lang(v, lang) for k, v in values.items()}
        return text.format(**local)

    def __call__(self, msgid: str, **values: object) -> Text:
        return Text(tuple((lang, self.one(lang, msgid, **values)) for lang in self.langs))


def _in_lang(value: object, lang: str) -> object:
    if isinstance(value, Text):
        parts = dict(value.parts)
        return parts.get(lang, value.first)
    return value
