"""The check catalogue: YAML specs in ``checks/`` loaded, validated and joined to their rules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from reportgen.errors import CatalogueError
from reportgen.evaluate.checkspec import CheckSpec, LangText, SectionSpec, load_sections, load_spec
from reportgen.evaluate.findings import Finding, Section, Status
from reportgen.evaluate.messages import (
    ValueFormatter,
    fill,
    placeholders,
)
from reportgen.evaluate.rules import REGISTRY, Rule
from reportgen.lang import severity_label, status_label
from reportgen.resources import data_dir
from reportgen.yamldoc import read_yaml


@dataclass(frozen=True)
class Catalogue:
    """All check specs (in report order), the section texts and common labels."""

    version: str
    folder: Path
    checks: Mapping[str, CheckSpec]
    sections: Mapping[Section, SectionSpec]
    unknown: LangText
    labels: Mapping[str, LangText]

    def __getitem__(self, check_id: str) -> CheckSpec:
        return self.checks[check_id]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.checks)

    def label(self, kind: str, value: str, lang: str) -> str:
        """A ``status``, ``severity`` or ``source`` label in ``lang``, else the raw value.

        Status and severity names are the ones of the ``labels`` UI catalogue."""
        if kind == "status":
            return status_label(value, lang)
        if kind == "severity":
            return severity_label(value, lang)
        texts = self.labels.get(f"{kind}.{value.lower()}")
        return texts[lang] if texts else value

    def message(self, finding: Finding, lang: str, fmt: ValueFormatter | None = None) -> str:
        """The finding's message in ``lang`` with its evidence filled in (``fmt`` formats values,
        e.g. dates per locale; the default writes ``None`` as ``-``)."""
        evidence = dict(finding.evidence)
        if finding.status is Status.UNKNOWN:
            # "needs review" verdicts are UNKNOWN (never PASS) but their reason is the message
            template = "{reason}" if finding.needs_review else self.unknown[lang]
            source = evidence.get("source")
            if isinstance(source, str):
                evidence["source"] = self.label("source", source, lang)
        else:
            spec = self[finding.check_id]
            template = spec.message(finding.status, lang, evidence.get("reason")) or ""
        return fill(template, evidence, lang, fmt)


def load_catalogue(folder: Path | None = None, rules: Mapping[str, Rule] = REGISTRY) -> Catalogue:
    """Load and validate every ``<id>.yaml`` plus ``sections.yaml`` in ``folder``."""
    folder = Path(folder) if folder is not None else data_dir("checks")
    spec_files = sorted(p for p in folder.glob("*.yaml") if p.name != "sections.yaml")
    if not spec_files:
        raise CatalogueError(f"{folder}: no check specs (*.yaml) found")
    sections, unknown, labels = load_sections(folder / "sections.yaml")
    specs = [load_spec(read_yaml(p), sections) for p in spec_files]
    by_id = {s.id: s for s in specs}
    _join_rules(by_id, rules, folder)
    ordered = sorted(specs, key=lambda s: (list(Section).index(s.section), s.id))
    return Catalogue(
        version=_version(folder, spec_files),
        folder=folder,
        checks=MappingProxyType({s.id: s for s in ordered}),
        sections=MappingProxyType(sections),
        unknown=unknown,
        labels=MappingProxyType(labels),
    )


def _version(folder: Path, spec_files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in [*spec_files, folder / "sections.yaml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _join_rules(specs: Mapping[str, CheckSpec], rules: Mapping[str, Rule], folder: Path) -> None:
    orphans = sorted(set(rules) - set(specs))
    if orphans:
        raise CatalogueError(f"{folder}: rules without a spec file: {', '.join(orphans)}")
    for spec in specs.values():
        rule = rules.get(spec.id)
        if rule is None:
            raise CatalogueError(
                f"{spec.path}: check '{spec.id}' has no rule in reportgen.evaluate.rules"
            )
        if set(rule.params) != set(spec.parameters):
            raise CatalogueError(
                f"{spec.path}: parameters {sorted(spec.parameters)} differ from those the rule "
                f"reads {sorted(rule.params)}"
            )
        texts_all = [*spec.messages.values(), *spec.variants.values()]
        used = {name for texts in texts_all for name in placeholders(texts["ja"])}
        if spec.evidence and not used <= set(spec.evidence):
            raise CatalogueError(
                f"{spec.path}: messages use placeholders missing from 'evidence': "
                f"{sorted(used - set(spec.evidence))}"
            )
        missing = (used | set(spec.evidence)) - set(rule.evidence)
        if missing:
            raise CatalogueError(
                f"{spec.path}: the rule produces no evidence named {sorted(missing)} "
                f"(it produces {sorted(rule.evidence)})"
            )
