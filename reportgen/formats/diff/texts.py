"""The texts of the diff outputs and the trend chart (the ``diff`` catalogue of ``lang``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reportgen import lang as texts
from reportgen.evaluate.findings import Section, Severity, Status

DOMAIN = "diff"


@dataclass(frozen=True)
class Texts:
    """The texts in one language, with check titles from the catalogue when it is at hand."""

    lang: str
    check_titles: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        texts.Texts(DOMAIN, self.lang)  # refuses a language other than ja or en

    def __call__(self, key: str, **values: object) -> str:
        """The text ``key`` with its ``{placeholders}`` filled."""
        return texts.text(DOMAIN, self.lang, key, **values)

    def status(self, status: Status | None) -> str:
        if status is None:
            return self("status.absent")
        return texts.status_label(status.value, self.lang)

    def severity(self, severity: Severity) -> str:
        return texts.severity_label(severity.value, self.lang)

    def section(self, section: Section) -> str:
        return self(f"section.{section.value}")

    def title(self, check_id: str) -> str:
        """The check's title, or its id when no catalogue was given or it lacks the check."""
        return self.check_titles.get(check_id, check_id)
