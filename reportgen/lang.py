"""Languages and every user-facing UI text: gettext catalogues, one folder per language.

``locale/<lang>/LC_MESSAGES/<domain>.po`` holds one area's texts (``report``, ``diff``,
``training``, ``labels``, ``reasons``, ...). Message ids are stable keys; ``{placeholders}``
are filled with ``str.format``. Check texts are not here: they live in the check catalogue.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from reportgen.errors import LanguageError, TextsError
from reportgen.textstore import LANGS as LANGS
from reportgen.textstore import catalogue_path, read_catalogue
from reportgen.textstore import locale_dir as locale_dir

LANG_CHOICES: Final = ("ja", "en", "ja+en")
"""The values of a ``--lang`` option."""


def parse_langs(value: str) -> tuple[str, ...]:
    """The languages shown for ``ja``, ``en`` or ``ja+en`` (Japanese first)."""
    parts = tuple(value.split("+"))
    if not parts or any(part not in LANGS for part in parts) or len(set(parts)) != len(parts):
        raise LanguageError.keyed("unknown_langs", value=value)
    return parts


def domains() -> tuple[str, ...]:
    """Every text area that has a catalogue, by the file names of the first language."""
    return tuple(sorted(p.stem for p in (locale_dir() / LANGS[0] / "LC_MESSAGES").glob("*.po")))


def messages(domain: str, lang: str) -> Mapping[str, str]:
    """Every text of ``domain`` in ``lang`` by message id, read from its ``.po`` at first use."""
    if lang not in LANGS:
        raise LanguageError.keyed("unknown_lang", lang=lang)
    try:
        return read_catalogue(domain, lang)
    except OSError as exc:
        path = catalogue_path(domain, lang)
        raise TextsError(f"cannot read the UI texts {path}: {exc.strerror}") from exc


def text(domain: str, lang: str, key: str, **values: object) -> str:
    """The text ``key`` of ``domain`` in ``lang``, its ``{placeholders}`` filled from ``values``."""
    try:
        template = messages(domain, lang)[key]
    except KeyError:
        raise TextsError(f"no UI text '{key}' in {domain}.po ({lang})") from None
    return template.format(**values) if values else template


@dataclass(frozen=True)
class Texts:
    """The texts of one area in one language: ``Texts("diff", "ja")("heading")``."""

    domain: str
    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise LanguageError.keyed("unknown_lang", lang=self.lang)

    def __call__(self, key: str, **values: object) -> str:
        return text(self.domain, self.lang, key, **values)

    def has(self, key: str) -> bool:
        return key in messages(self.domain, self.lang)


def joined(
    domain: str, key: str, langs: tuple[str, ...], sep: str = " / ", **values: object
) -> str:
    """The text in each of ``langs`` joined by ``sep`` (``ja+en`` outputs)."""
    return sep.join(text(domain, lang, key, **values) for lang in langs)


def listed(items: Sequence[str], lang: str) -> str:
    """``items`` as a list inside a sentence of ``lang``: 「A、B」 or "A, B".

    A Japanese template puts its particle right after the list (``{sources}が``): the list
    brings the space that Japanese keeps after a Latin word (「cloudtrail が」), and none after
    Japanese (「EC2 インスタンスが」, 「IAM の ID プロバイダー（SAML、OIDC）が」).
    """
    if lang != "ja":
        return ", ".join(items)
    shown = "、".join(items)
    latin = shown[-1:].isascii() and not shown[-1:].isspace()  # a letter, digit, ")" or "."
    return shown + " " if latin else shown


def status_label(status: str, lang: str) -> str:
    """The one label of a finding status (``PASS``, ``not_applicable``) in ``lang``."""
    return text("labels", lang, f"status.{status.lower()}")


def severity_label(severity: str, lang: str) -> str:
    """The one label of a severity (``critical`` .. ``info``) in ``lang``."""
    return text("labels", lang, f"severity.{severity.lower()}")


PRINCIPAL_KINDS = ("user", "group", "role")


def principal_kind_label(kind: str, lang: str) -> str:
    """``user``, ``group`` or ``role`` as the reader says it (IAM ユーザー, IAM user, ...);
    anything else unchanged."""
    return text("labels", lang, f"kind.{kind}") if kind in PRINCIPAL_KINDS else kind


def placeholders(template: str) -> frozenset[str]:
    """The ``{names}`` a text uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def problems(domain_names: tuple[str, ...] | None = None) -> list[str]:
    """What is wrong with the catalogues: a key missing in one language, an empty text,
    different placeholders across languages, a domain missing in a language."""
    found: list[str] = []
    for domain in domain_names or domains():
        texts = {lang: messages(domain, lang) for lang in LANGS}
        keys = set().union(*(set(t) for t in texts.values()))
        for key in sorted(keys):
            missing = [lang for lang in LANGS if not texts[lang].get(key)]
            if missing:
                found.append(f"{domain}: '{key}' has no {'/'.join(missing)} text")
                continue
            try:
                names = {lang: placeholders(texts[lang][key]) for lang in LANGS}
            except ValueError as exc:
                found.append(f"{domain}: '{key}' has a malformed placeholder ({exc})")
                continue
            if len(set(names.values())) > 1:
                shown = {lang: sorted(n) for lang, n in names.items()}
                found.append(f"{domain}: '{key}' placeholders differ {shown}")
    return found
