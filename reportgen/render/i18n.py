"""The report's view of the UI texts: texts in one or more languages (``Text``) and ``Ui``,
which looks them up in the ``report`` and ``labels`` catalogues of :mod:`reportgen.lang`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportgen.lang import messages

DOMAINS = ("report", "labels")
"""The catalogues the report reads: its own texts, then the shared status and severity names."""


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
        self._texts = {lang: _merged(lang) for lang in langs}

    def has(self, msgid: str) -> bool:
        return all(msgid in self._texts[lang] for lang in self.langs)

    def one(self, lang: str, msgid: str, **values: object) -> str:
        """The string in one language (the id itself when missing, as gettext does);
        a :class:`Text` value contributes its own language."""
        text = self._texts[lang].get(msgid, msgid)
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


def _merged(lang: str) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    for domain in reversed(DOMAINS):
        merged.update(messages(domain, lang))
    return merged
