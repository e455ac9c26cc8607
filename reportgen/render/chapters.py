"""Chapter views: one per article section, each check with its affected resources and the fix."""

from __future__ import annotations

import math
import re
import shlex
from collections import Counter
from collections.abc import Sequence

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.checkspec import CheckSpec
from reportgen.evaluate.findings import (
    Assessment,
    EvidenceValue,
    Finding,
    Score,
    Section,
    Severity,
    Status,
)
from reportgen.lang import principal_kind_label
from reportgen.render import fmt
from reportgen.render.charts import tone
from reportgen.render.i18n import Text, Ui, from_mapping, plain
from reportgen.render.views import Badge, ChapterView, CheckView, ConsoleSteps, Field, ResourceRow

# Statuses listed under "affected resources"; PASS and NOT_APPLICABLE are only counted.
LISTED = (Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED)
# A check's overall verdict is its worst finding, in this order.
VERDICT_ORDER = (Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED, Status.PASS, Status.NOT_APPLICABLE)
# Evidence already told by the message (``reason`` is a code the message turns into words).
HIDDEN_EVIDENCE = frozenset({"reason", "source_status", "source_message", "cli_options"})
# Evidence built for a shell by the rule itself (numbers and fixed flags): not quoted again.
SHELL_READY = frozenset({"cli_options"})
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def status_badge(status: Status, ui: Ui) -> Badge:
    return Badge(status.value.lower(), ui(f"status.{status.value.lower()}"))


def severity_badge(severity: Severity, ui: Ui) -> Badge:
    return Badge(severity.value, ui(f"severity.{severity.value}"))


def anchor(kind: str, key: str) -> str:
    return f"{kind}-{key.replace('_', '-')}"


def check_title(catalogue: Catalogue, check_id: str, langs: tuple[str, ...]) -> Text:
    spec = catalogue.checks.get(check_id)
    return from_mapping(spec.title, langs) if spec else plain(check_id, langs)


def evidence_value(value: EvidenceValue, lang: str, ui: Ui) -> str:
    """One evidence value as the reader sees it: dates per locale, yes/no, numbers grouped."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ui.one(lang, "value.yes" if value else "value.no")
    if isinstance(value, int | float):
        return fmt.number(value, (lang,), 0 if isinstance(value, int) else 1).first
    parsed = fmt.parse_iso(value)
    if parsed is not None:
        return fmt.day(parsed, (lang,)).first
    return value


def message(finding: Finding, catalogue: Catalogue, ui: Ui) -> Text:
    """The finding's sentence in each language (UNKNOWN uses the catalogue's common message)."""
    if finding.status is not Status.UNKNOWN and finding.check_id not in catalogue.checks:
        return plain(finding.resource_name, ui.langs)

    def value(name: str, raw: EvidenceValue, lang: str) -> str:
        return evidence_value(raw, lang, ui)

    return Text(tuple((lang, catalogue.message(finding, lang, value)) for lang in ui.langs))


def evidence_fields(finding: Finding, ui: Ui) -> tuple[Field, ...]:
    """The evidence items beside the message, minus those that just repeat the resource."""
    fields = []
    for key, value in sorted(finding.evidence.items()):
        repeats = key in ("user", "arn") and value in (finding.resource_name, finding.resource_id)
        if key in HIDDEN_EVIDENCE or value is None or repeats:
            continue
        label = ui(f"evidence.{key}") if ui.has(f"evidence.{key}") else plain(key, ui.langs)
        if key == "kind" and isinstance(value, str):
            values = tuple((lang, principal_kind_label(value, lang)) for lang in ui.langs)
        else:
            values = tuple((lang, evidence_value(value, lang, ui)) for lang in ui.langs)
        fields.append(Field(label, Text(values)))
    return tuple(fields)


def exception_note(finding: Finding, ui: Ui) -> Text | None:
    applied = finding.suppressed_by
    if applied is None:
        return None
    expires = fmt.day(applied.expires, ui.langs)
    return ui("exception.note", approver=applied.approver, expires=expires, reason=applied.reason)


def resource_row(finding: Finding, catalogue: Catalogue, ui: Ui) -> ResourceRow:
    return ResourceRow(
        name=finding.resource_name,
        resource_id=finding.resource_id,
        status=status_badge(finding.status, ui),
        message=message(finding, catalogue, ui),
        evidence=evidence_fields(finding, ui),
        exception=exception_note(finding, ui),
    )


def verdict(findings: Sequence[Finding]) -> Status:
    present = {f.status for f in findings}
    return next((s for s in VERDICT_ORDER if s in present), Status.NOT_APPLICABLE)


def cli_commands(spec: CheckSpec, listed: Sequence[Finding]) -> tuple[str, ...]:
    """The ``aws`` commands: filled in for a single affected resource, else ``<PLACEHOLDER>``."""
    commands = []
    for command in spec.cli:
        filled = None
        if len(listed) == 1:
            evidence = {
                key: str(value) if key in SHELL_READY else shlex.quote(str(value))
                for key, value in listed[0].evidence.items()
                if value is not None
            }
            names = set(_PLACEHOLDER.findall(command))
            if names <= evidence.keys():
                filled = command.format(**evidence)
        commands.append(filled or _PLACEHOLDER.sub(lambda m: f"<{m.group(1).upper()}>", command))
    return tuple(commands)


def check_view(
    check_id: str, findings: Sequence[Finding], catalogue: Catalogue, ui: Ui, limit: int
) -> CheckView:
    spec = catalogue.checks.get(check_id)
    langs = ui.langs
    severity = spec.severity if spec else (findings[0].severity if findings else Severity.INFO)
    listed = sorted(
        (f for f in findings if f.status in LISTED),
        key=lambda f: (LISTED.index(f.status), f.resource_name, f.resource_id),
    )
    counted = Counter(f.status for f in findings)
    return CheckView(
        id=check_id,
        anchor=anchor("check", check_id),
        title=check_title(catalogue, check_id, langs),
        severity=severity_badge(severity, ui),
        status=status_badge(verdict(findings), ui),
        rationale=from_mapping(spec.rationale, langs) if spec else plain("", langs),
        counts=tuple((status_badge(s, ui), counted[s]) for s in Status if counted[s]),
        rows=tuple(resource_row(f, catalogue, ui) for f in listed),
        limit=limit,
        console=tuple(
            ConsoleSteps(lang, spec.console_steps.get(lang, ())) for lang in langs if spec
        ),
        cli=cli_commands(spec, listed) if spec else (),
        references=spec.references if spec else (),
    )


def chapters(
    assessment: Assessment, catalogue: Catalogue, ui: Ui, limit: int
) -> tuple[ChapterView, ...]:
    """One chapter per article section that has a check in the assessment, in article order."""
    by_check: dict[str, list[Finding]] = {check_id: [] for check_id in assessment.check_ids}
    for finding in assessment.findings:
        by_check.setdefault(finding.check_id, []).append(finding)
    result: list[ChapterView] = []
    for section in Section:
        ids = [c for c in by_check if _section_of(c, by_check[c], catalogue) is section]
        if not ids:
            continue
        spec = catalogue.sections.get(section)
        score = assessment.sections.get(section)
        value = score.value if score else None
        result.append(
            ChapterView(
                key=section.value,
                anchor=anchor("section", section.value),
                number=len(result) + 1,
                title=from_mapping(spec.title, ui.langs)
                if spec
                else plain(section.value, ui.langs),
                summary=from_mapping(spec.summary, ui.langs) if spec else plain("", ui.langs),
                why=from_mapping(spec.why, ui.langs) if spec else plain("", ui.langs),
                score=score_text(value, ui)
                if value is not None or not score
                else no_score(score, ui),
                tone=tone(value),
                beside=score_beside(score, ui) if score else plain("", ui.langs),
                checks=tuple(check_view(c, by_check[c], catalogue, ui, limit) for c in ids),
            )
        )
    return tuple(result)


def score_text(value: float | None, ui: Ui) -> Text:
    """A score with one decimal, rounded down: 100 only when nothing failed."""
    if value is None:
        return ui("score.none")
    return fmt.number(math.floor(value * 10) / 10, ui.langs, 1)


def _section_of(check_id: str, findings: Sequence[Finding], catalogue: Catalogue) -> Section | None:
    spec = catalogue.checks.get(check_id)
    if spec:
        return spec.section
    return findings[0].section if findings else None


def score_beside(score: Score, ui: Ui) -> Text:
    """「例外適用前 47.0（E）・判定率 92.1%・評価の上限：重大な不適合」: what stands next to
    every score (docs/scoring.md); the raw part only when exceptions changed the score."""
    parts = []
    if score.raw != score.value or score.raw_grade != score.grade:
        parts.append(
            ui(
                "score.raw",
                raw=score_text(score.raw, ui),
                grade=score.raw_grade or "–",
            )
        )
    if score.coverage is not None:
        parts.append(ui("score.coverage", coverage=fmt.number(score.coverage, ui.langs, 1)))
    if score.cap is not None:
        parts.append(ui(f"score.cap.{score.cap}"))
    separator = {"ja": "・", "en": " · "}
    return Text(
        tuple(
            (lang, separator.get(lang, " · ").join(str(_in(part, lang)) for part in parts))
            for lang in ui.langs
        )
    )


def _in(text: Text, lang: str) -> str:
    return dict(text.parts).get(lang, text.first)


def no_score(score: Score, ui: Ui) -> Text:
    """What stands where a score cannot: "—" when findings exist but none could be evaluated
    (a data gap, never 0.0), "N/A" when nothing applied."""
    return ui("score.unknown") if score.coverage == 0 else ui("score.none")
