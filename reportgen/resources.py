"""Locate the data folders (catalogue, templates, lessons, UI texts) in a wheel or a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``checks``, ``templates``, ``lessons`` or ``locale``).

    A wheel carries them under ``reportgen/_data``; a source checkout or an
    editable install has them at the repository's top level.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"reportgen data folder '{name}' not found beside {_PACKAGE}")


def package_file(*parts: str) -> Path:
    """Return a file shipped inside the package itself (schemas, policy, fonts config)."""
    return _PACKAGE.joinpath(*parts)
