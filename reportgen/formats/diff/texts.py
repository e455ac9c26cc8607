"""The texts of the diff outputs and the trend chart, read from ``templates/diff/strings.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from reportgen.errors import RenderError
from reportgen.evaluate.findings import Section, Severity, Status
from reportgen.resources import data_dir
from reportgen.yamldoc import read_yaml

LANGUAGES = ("ja", "en")


@functools.cache
def strings() -> Mapping[str, Mapping[str, str]]:
    """Every text by key, then by language (``strings()["heading"]["ja"]``)."""
    doc = read_yaml(data_dir("templates") / "diff" / "strings.yaml", RenderError)
    if not isinstance(doc.data, dict):
        raise RenderError(f"{doc.path}: expected a mapping of texts")
    found: dict[str, Mapping[str, str]] = {}
    for key, value in doc.data.items():
        if not isinstance(value, dict) or any(
            not isinstance(value.get(lang), str) for lang in LANGUAGES
        ):
            raise RenderError(f"{doc.where(key)}: '{key}' needs a ja and an en text")
        found[str(key)] = {lang: value[lang] for lang in LANGUAGES}
    return found


@dataclass(frozen=True)
class Texts:
    """The texts in one language, with check titles from the catalogue when it is at hand."""

    lang: str
    check_titles: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise RenderError(f"unknown language '{self.lang}' (choose ja or en)")

    def __call__(self, key: str, **values: object) -> str:
        """The text ``key`` with its ``{placeholders}`` filled."""
        template = strings()[key][self.lang]
        return template.format(**values) if values else template

    def status(self, status: Status | None) -> str:
        return self("status." + (status.value.lower() if status else "absent"))

    def severity(self, severity: Severity) -> str:
        return self(f"severity.{severity.value}")

    def section(self, section: Section) -> str:
        return self(f"section.{section.value}")

    def title(self, check_id: str) -> str:
        """The check's title, or its id when no catalogue was given or it lacks the check."""
        return self.check_titles.get(check_id, check_id)
