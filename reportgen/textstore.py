"""The one reader of the gettext catalogues ``locale/<lang>/LC_MESSAGES/<domain>.po``.

It sits below ``errors`` (a keyed error takes its English text from here) and so raises only
``OSError``; the rest of the code reads texts through ``lang``, which names the errors.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from babel.messages.pofile import read_po

from reportgen.resources import data_dir

LANGS: Final = ("ja", "en")
"""The languages of every text, in the order a bilingual output shows them."""


def locale_dir() -> Path:
    """The folder of the catalogues (``locale/`` in a checkout, inside the package in a wheel)."""
    return data_dir("locale")


def catalogue_path(domain: str, lang: str) -> Path:
    """Where the texts of ``domain`` in ``lang`` are kept."""
    return locale_dir() / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def read_catalogue(domain: str, lang: str) -> Mapping[str, str]:
    """Every text of ``domain`` in ``lang`` by message id, read at first use (``OSError``
    when the file is missing)."""
    with catalogue_path(domain, lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=domain)
    found = {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.string, str)}
    return MappingProxyType(found)
