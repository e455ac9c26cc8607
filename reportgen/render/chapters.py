"""Chapter views: one per article section, each check with its affected resources and the fix."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence

from reportgen.findings import Assessment, EvidenceValue, Finding, Section, Severity, Status
from reportgen.render import fmt
from reportgen.render.charts import tone
from reportgen.render.i18n import Text, Ui, from_mapping, plain
from reportgen.render.texts import CheckText, ReportTexts
from reportgen.render.views import Badge, ChapterView, CheckView, ConsoleSteps, Field, ResourceRow

# Statuses listed under "affected resources"; PASS and NOT_APPLICABLE are only counted.
LISTED = (Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED)
# A check's overall verdict is its worst finding, in this order.
VERDICT_ORDER = (Status.FAIL, Status.UNKNOWN, Status.SUPPRESSED, Status.PASS, Status.NOT_APPLICABLE)
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def status_badge(status: Status, ui: Ui) -> Badge:
    return Badge(status.value.lower(), ui(f"status.{status.value.lower()}"))


def severity_badge(severity: Severity, ui: Ui) -> Badge:
    return Badge(severity.value, ui(f"severity.{severity.value}"))


def anchor(kind: str, key: str) -> str:
    return f"{kind}-{key.replace('_', '-')}"


def check_title(texts: ReportTexts, check_id: str, langs: tuple[str, ...]) -> Text:
    spec = texts.check(check_id)
    return from_mapping(spec.title, langs) if spec else plain(check_id, langs)


class _Missing(dict[str, str]):
    """Leaves an unknown placeholder visible instead of failing the whole report."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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


def fill(template: str, evidence: Mapping[str, EvidenceValue], lang: str, ui: Ui) -> str:
    """A catalogue message with its ``{placeholders}`` filled from the finding's evidence."""
    values = _Missing({k: evidence_value(v, lang, ui) for k, v in evidence.items()})
    return string.Formatter().vformat(template, (), values)


def message(finding: Finding, spec: CheckText | None, texts: ReportTexts, ui: Ui) -> Text:
    """The finding's sentence in each language (UNKNOWN uses the catalogue's common message)."""
    evidence: dict[str, EvidenceValue] = dict(finding.evidence)
    evidence.setdefault("resource", finding.resource_name)
    if finding.status is Status.UNKNOWN:
        templates: Mapping[str, str] = texts.unknown
        evidence.setdefault("source", str(evidence.get("source", "")))
        evidence.setdefault(
            "reason", evidence.get("source_message") or evidence.get("source_status") or "—"
        )
    else:
        wanted = Status.FAIL if finding.status is Status.SUPPRESSED else finding.status
        fallback = Status.PASS if finding.status is Status.NOT_APPLICABLE else Status.FAIL
        messages = spec.messages if spec else {}
        templates = messages.get(wanted) or messages.get(fallback) or {}
    if not templates:
        return plain(finding.resource_name, ui.langs)
    text = from_mapping(templates, ui.langs)
    return Text(tuple((lang, fill(part, evidence, lang, ui)) for lang, part in text.parts))


def evidence_fields(finding: Finding, ui: Ui) -> tuple[Field, ...]:
    """The evidence items beside the message, minus those that just repeat the resource."""
    fields = []
    for key, value in sorted(finding.evidence.items()):
        if value in (finding.resource_name, finding.resource_id) and key in ("user", "arn"):
            continue
        label = ui(f"evidence.{key}") if ui.has(f"evidence.{key}") else plain(key, ui.langs)
        values = tuple((lang, evidence_value(value, lang, ui)) for lang in ui.langs)
        fields.append(Field(label, Text(values)))
    return tuple(fields)


def exception_note(finding: Finding, ui: Ui) -> Text | None:
    applied = finding.suppressed_by
    if applied is None:
        return None
    expires = fmt.day(applied.expires, ui.langs)
    return ui("exception.note", approver=applied.approver, expires=expires, reason=applied.reason)


def resource_row(
    finding: Finding, spec: CheckText | None, texts: ReportTexts, ui: Ui
) -> ResourceRow:
    return ResourceRow(
        name=finding.resource_name,
        resource_id=finding.resource_id,
        status=status_badge(finding.status, ui),
        message=message(finding, spec, texts, ui),
        evidence=evidence_fields(finding, ui),
        exception=exception_note(finding, ui),
    )


def verdict(findings: Sequence[Finding]) -> Status:
    present = {f.status for f in findings}
    return next((s for s in VERDICT_ORDER if s in present), Status.NOT_APPLICABLE)


def cli_commands(spec: CheckText, listed: Sequence[Finding]) -> tuple[str, ...]:
    """The ``aws`` commands: filled in for a single affected resource, else ``<PLACEHOLDER>``."""
    commands = []
    for command in spec.cli:
        filled = None
        if len(listed) == 1:
            evidence = {k: str(v) for k, v in listed[0].evidence.items() if v is not None}
            names = set(_PLACEHOLDER.findall(command))
            if names <= evidence.keys():
                filled = command.format(**evidence)
        commands.append(filled or _PLACEHOLDER.sub(lambda m: f"<{m.group(1).upper()}>", command))
    return tuple(commands)


def check_view(
    check_id: str, findings: Sequence[Finding], texts: ReportTexts, ui: Ui, limit: int
) -> CheckView:
    spec = texts.check(check_id)
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
        title=check_title(texts, check_id, langs),
        severity=severity_badge(severity, ui),
        status=status_badge(verdict(findings), ui),
        rationale=from_mapping(spec.rationale, langs) if spec else plain("", langs),
        counts=tuple((status_badge(s, ui), counted[s]) for s in Status if counted[s]),
        rows=tuple(resource_row(f, spec, texts, ui) for f in listed),
        limit=limit,
        console=tuple(
            ConsoleSteps(lang, spec.console_steps.get(lang, ())) for lang in langs if spec
        ),
        cli=cli_commands(spec, listed) if spec else (),
        references=spec.references if spec else (),
    )


def chapters(
    assessment: Assessment, texts: ReportTexts, ui: Ui, limit: int
) -> tuple[ChapterView, ...]:
    """One chapter per article section that has a check in the assessment, in article order."""
    by_check: dict[str, list[Finding]] = {check_id: [] for check_id in assessment.check_ids}
    for finding in assessment.findings:
        by_check.setdefault(finding.check_id, []).append(finding)
    result = []
    for section in Section:
        ids = [c for c in by_check if _section_of(c, by_check[c], texts) is section]
        if not ids:
            continue
        spec = texts.sections.get(section)
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
                score=score_text(value, ui),
                tone=tone(value),
                checks=tuple(check_view(c, by_check[c], texts, ui, limit) for c in ids),
            )
        )
    return tuple(result)


def score_text(value: float | None, ui: Ui) -> Text:
    return ui("score.none") if value is None else fmt.number(value, ui.langs, 0)


def _section_of(check_id: str, findings: Sequence[Finding], texts: ReportTexts) -> Section | None:
    spec = texts.check(check_id)
    if spec:
        return spec.section
    return findings[0].section if findings else None
