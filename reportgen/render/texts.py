"""The catalogue texts the report shows, as plain frozen data independent of the loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reportgen.findings import Section, Severity, Status

LangText = Mapping[str, str]
"""One human text in several languages: ``{"ja": "…", "en": "…"}``."""


@dataclass(frozen=True)
class CheckText:
    """What the report needs from one check spec."""

    id: str
    section: Section
    severity: Severity
    title: LangText
    rationale: LangText
    messages: Mapping[Status, LangText]
    console_steps: Mapping[str, tuple[str, ...]]
    cli: tuple[str, ...]
    references: tuple[str, ...] = ()
    cis: Mapping[str, str] = field(default_factory=dict)
    security_hub: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionText:
    """A chapter's title, one-line summary and "why it matters" paragraph."""

    section: Section
    title: LangText
    summary: LangText
    why: LangText


@dataclass(frozen=True)
class ReportTexts:
    """All catalogue texts of one catalogue version."""

    version: str
    checks: Mapping[str, CheckText]
    sections: Mapping[Section, SectionText]
    unknown: LangText

    def check(self, check_id: str) -> CheckText | None:
        return self.checks.get(check_id)
