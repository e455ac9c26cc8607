"""Scores: 0–100 per article section and overall, severity-weighted; a grade letter A–E.

The formula is documented in ``docs/scoring.md``; change it only with that page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from reportgen.evaluate.findings import Finding, Score, Section, Severity, Status

WEIGHTS: Mapping[Severity, float] = {
    Severity.CRITICAL: 8.0,
    Severity.HIGH: 4.0,
    Severity.MEDIUM: 2.0,
    Severity.LOW: 1.0,
    Severity.INFO: 0.0,
}
PASSED = frozenset({Status.PASS, Status.SUPPRESSED})
COUNTED = frozenset({Status.PASS, Status.SUPPRESSED, Status.FAIL, Status.UNKNOWN})
GRADES = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"))


def check_fraction(findings: Iterable[Finding]) -> float | None:
    """Share of a check's counted findings that passed (``None``: nothing counted)."""
    counted = [f for f in findings if f.status in COUNTED]
    if not counted:
        return None
    return sum(f.status in PASSED for f in counted) / len(counted)


def score(findings: Iterable[Finding]) -> Score:
    """Σ weight(check) × passed share(check) / Σ weight(check), over checks with counted
    findings, as a percentage rounded to one decimal."""
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_check[finding.check_id].append(finding)
    passed = total = 0.0
    for items in by_check.values():
        fraction = check_fraction(items)
        if fraction is None:
            continue
        weight = WEIGHTS[items[0].severity]
        passed += weight * fraction
        total += weight
    value = round(100.0 * passed / total, 1) if total else None
    return Score(value, round(passed, 4), total)


def section_scores(findings: Iterable[Finding]) -> dict[Section, Score]:
    """A score for every article section, in chapter order."""
    items = list(findings)
    return {s: score(f for f in items if f.section is s) for s in Section}


def grade(value: float | None) -> str | None:
    """A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, otherwise E; ``None`` when there is no score."""
    if value is None:
        return None
    return next((letter for floor, letter in GRADES if value >= floor), "E")
