"""The texts of the diff outputs and the trend chart (the ``diff`` catalogue of ``lang``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from reportgen import lang as texts
from reportgen.evaluate.findings import Section, Severity, Status
from reportgen.fiscal import READERS_DEFAULT, Calendar

DOMAIN = "diff"


SEP = " / "


@dataclass(frozen=True)
class Texts:
    """The texts in ``ja``, ``en`` or both (``ja+en``: each text in both, joined by " / "),
    with check and section titles from the catalogue when it is at hand."""

    lang: str
    check_titles: Mapping[str, str] = field(default_factory=dict)
    section_titles: Mapping[str, str] = field(default_factory=dict)
    """Section value to its title as the report shows it (``checks/sections.yaml``)."""
    calendar: Calendar = READERS_DEFAULT
    """How quarters are counted (``--fiscal-year-start``, ``--timezone``)."""

    def __post_init__(self) -> None:
        texts.parse_langs(self.lang)  # refuses a language other than ja, en or ja+en

    @property
    def langs(self) -> tuple[str, ...]:
        return texts.parse_langs(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        """The text ``key`` with its ``{placeholders}`` filled."""
        return SEP.join(texts.text(DOMAIN, code, key, **values) for code in self.langs)

    def quarter(self, moment: datetime, code: str) -> str:
        """The quarter of ``moment`` in language ``code``, counted by the first language's
        calendar (one quarter label for every language of the output)."""
        year, quarter = self.calendar.quarter(moment, self.langs[0])
        return texts.text(DOMAIN, code, "trend.quarter", year=year, quarter=quarter)

    def each(self, key: str, values: Mapping[str, datetime], **shared: object) -> str:
        """The text ``key`` in every language, each moment of ``values`` filled in as
        ``<name>_quarter`` in that language beside the ``shared`` values."""
        return SEP.join(
            texts.text(
                DOMAIN,
                code,
                key,
                **shared,
                **{f"{name}_quarter": self.quarter(at, code) for name, at in values.items()},
            )
            for code in self.langs
        )

    def status(self, status: Status | None) -> str:
        if status is None:
            return self("status.absent")
        return SEP.join(texts.status_label(status.value, code) for code in self.langs)

    def severity(self, severity: Severity) -> str:
        return SEP.join(texts.severity_label(severity.value, code) for code in self.langs)

    def section(self, section: Section) -> str:
        return self.section_titles.get(section.value) or self(f"section.{section.value}")

    def title(self, check_id: str) -> str:
        """The check's title, or its id when no catalogue was given or it lacks the check."""
        return self.check_titles.get(check_id, check_id)
