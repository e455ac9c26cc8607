"""The project's named errors; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Self

from reportgen.textstore import read_catalogue


class ReportgenError(Exception):
    """Base of every error the CLI reports as one line (exit code 2 unless stated).

    An error made with ``keyed`` carries the key of its text in the ``cli`` catalogue and the
    values to fill in, so that the command line can show it in the user's language.
    """

    exit_code = 2
    key: str | None = None
    values: Mapping[str, object] = MappingProxyType({})

    @classmethod
    def keyed(cls, key: str, **values: object) -> Self:
        """The error whose message is ``error.<key>`` of ``cli.po``; ``str()`` is the English."""
        shown = {
            k: v.strerror or str(v) if isinstance(v, OSError) else v for k, v in values.items()
        }
        error = cls(read_catalogue("cli", "en")[f"error.{key}"].format(**shown))
        error.key = key
        error.values = MappingProxyType(dict(values))
        return error


class InputError(ReportgenError):
    """A file the user gave us cannot be used (missing, unreadable, wrong format)."""


class SnapshotError(InputError):
    """A snapshot file is not a valid ``reportgen.snapshot/1`` document."""


class CredentialReportError(InputError):
    """A credential report CSV is malformed; the message names the line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)

    @classmethod
    def keyed_at(cls, line: int | None, key: str, **values: object) -> Self:
        """The keyed error ``key`` after ``line N:`` (``error.at_line``) when the line is known."""
        error = cls.keyed(key, **values)
        if line is None:
            return error
        located = cls.keyed("at_line", line=line, message=error)
        located.line = line
        return located


class DateRangeError(InputError, ValueError):
    """A time that falls outside the years 1-9999 once in UTC (``0001-01-01T00:00:00+01:00``);
    a :class:`ValueError` too, so that every date parser's caller already handles it."""


def number_too_long() -> InputError:
    """Why Python's JSON reader refused an integer: more digits than it converts (CPython's
    ``sys.get_int_max_str_digits()``, 4,300), given as a detail of another error."""
    import sys

    return InputError.keyed("json_number_too_long", digits=f"{sys.get_int_max_str_digits():,}")


class CatalogueError(ReportgenError):
    """The check catalogue, a profile or an exceptions file is inconsistent."""


class CollectError(ReportgenError):
    """Collection cannot start or cannot go on (no credentials, endpoint unreachable)."""


class OrganizationIncompleteError(CollectError):
    """Some accounts of an organization have no snapshot or no report; exit code 3."""

    exit_code = 3


class OutputExistsError(ReportgenError):
    """Refusing to overwrite an existing file without ``--force``."""

    @classmethod
    def for_paths(cls, paths: Sequence[object]) -> Self:
        """The refusal naming ``paths``: one path reads "already exists", several "exist"."""
        if len(paths) == 1:
            return cls.keyed("output_exists", path=paths[0])
        return cls.keyed("outputs_exist", paths=", ".join(map(str, paths)))


class RenderError(ReportgenError):
    """A report or handout cannot be rendered (e.g. no Japanese font installed)."""


class LabError(ReportgenError):
    """A training lab cannot start, check or reset."""


class LanguageError(InputError):
    """A language other than ``ja``, ``en`` or ``ja+en`` was asked for."""


class TextsError(ReportgenError):
    """A UI text catalogue (``locale/<lang>/LC_MESSAGES/<domain>.po``) is missing or lacks a key."""
