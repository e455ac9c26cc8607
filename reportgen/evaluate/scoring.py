"""Scores: 0–100 per article section and overall, severity-weighted; a grade letter A–E.

The formula is documented in ``docs/scoring.md`` (and ``scoring.ja.md``); change it only
with those pages and the report's method appendix.

- A check's pass share counts PASS (and, after exceptions, SUPPRESSED) against FAIL;
  UNKNOWN is outside the percentage and lowers the coverage shown beside every score. A
  critical check's share is all or nothing: one FAIL makes it 0, however many resources pass.
- The raw score counts every excepted finding as the FAIL it is; the score after approved
  exceptions counts it as passed. Both are always computed and shown together.
- The grade follows the score, with caps no number of passing resources can dilute: a
  critical FAIL allows at most C; an unevaluable critical check rules out A; and with data
  gaps the grade is at most one letter better than the grade the account would get if every
  UNKNOWN were a FAIL (so that denying the collector access never buys more than a letter).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from reportgen.evaluate.findings import Finding, Score, Section, Severity, Status

WEIGHTS: Mapping[Severity, float] = {
    Severity.CRITICAL: 8.0,
    Severity.HIGH: 4.0,
    Severity.MEDIUM: 2.0,
    Severity.LOW: 1.0,
    Severity.INFO: 0.0,
}
PASSED = frozenset({Status.PASS, Status.SUPPRESSED})
KNOWN = frozenset({Status.PASS, Status.SUPPRESSED, Status.FAIL})
APPLICABLE = frozenset({*KNOWN, Status.UNKNOWN})
GRADES = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"))
LETTERS = ("A", "B", "C", "D", "E")
# Caps on the grade, each the best letter it allows (docs/scoring.md §4); "data_gaps" allows
# one letter better than the grade with every UNKNOWN counted as FAIL.
CAPS: Mapping[str, str] = {"critical_fail": "C", "critical_unknown": "B"}


def check_fraction(findings: Iterable[Finding], passed: frozenset[Status] = PASSED) -> float | None:
    """Share of a check's evaluated findings (PASS, SUPPRESSED, FAIL) that count as
    ``passed``; ``None`` when none could be evaluated."""
    known = [f for f in findings if f.status in KNOWN]
    if not known:
        return None
    return sum(f.status in passed for f in known) / len(known)


def _weighted(
    by_check: Mapping[str, Sequence[Finding]], passed: frozenset[Status]
) -> tuple[float, float]:
    got = total = 0.0
    for items in by_check.values():
        fraction = check_fraction(items, passed)
        if fraction is None:
            continue
        severity = items[0].severity
        if severity is Severity.CRITICAL and fraction < 1.0:
            fraction = 0.0  # one critical failure fails the whole check: it cannot be diluted
        weight = WEIGHTS[severity]
        got += weight * fraction
        total += weight
    return got, total


def _coverage(by_check: Mapping[str, Sequence[Finding]]) -> float | None:
    """Mean over the applicable checks (weight > 0, some finding not N/A) of the share of
    their applicable findings that could be evaluated, as a percentage."""
    shares = []
    for items in by_check.values():
        applicable = [f for f in items if f.status in APPLICABLE]
        if applicable and WEIGHTS[items[0].severity] > 0:
            shares.append(sum(f.status in KNOWN for f in applicable) / len(applicable))
    return round(100.0 * sum(shares) / len(shares), 1) if shares else None


def _caps(findings: Sequence[Finding], failed: frozenset[Status]) -> dict[str, str]:
    """Every cap that applies, with the best letter it allows (``failed``: the statuses that
    count as failed in this view)."""
    caps = {}
    critical = [f for f in findings if f.severity is Severity.CRITICAL]
    if any(f.status in failed for f in critical):
        caps["critical_fail"] = CAPS["critical_fail"]
    if any(f.status is Status.UNKNOWN for f in critical):
        caps["critical_unknown"] = CAPS["critical_unknown"]
    if any(f.status is Status.UNKNOWN for f in findings):
        by_check: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            status = Status.FAIL if finding.status is Status.UNKNOWN else finding.status
            by_check[finding.check_id].append(_as(finding, status))
        got, total = _weighted(by_check, PASSED - failed)
        worst = grade(round(100.0 * got / total, 1) if total else None) or "E"
        caps["data_gaps"] = LETTERS[max(LETTERS.index(worst) - 1, 0)]
    return caps


def _as(finding: Finding, status: Status) -> Finding:
    return finding if finding.status is status else replace(finding, status=status)


def _capped(value: float | None, caps: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The grade of ``value`` no better than any cap allows, and the cap that decided it."""
    letter = grade(value)
    if letter is None:
        return None, None
    decided = None
    for name, best in caps.items():
        if LETTERS.index(best) > LETTERS.index(letter):
            letter, decided = best, name
    return letter, decided


def score(findings: Iterable[Finding]) -> Score:
    """Σ weight(check) × pass share(check) / Σ weight(check), over checks with evaluated
    findings, as a percentage rounded to one decimal; raw (excepted = failed) beside it, the
    coverage, and both grades with their caps."""
    items = list(findings)
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in items:
        by_check[finding.check_id].append(finding)
    passed, total = _weighted(by_check, PASSED)
    raw_passed, _ = _weighted(by_check, frozenset({Status.PASS}))
    value = round(100.0 * passed / total, 1) if total else None
    raw = round(100.0 * raw_passed / total, 1) if total else None
    coverage = _coverage(by_check)
    letter, cap = _capped(value, _caps(items, frozenset({Status.FAIL})))
    raw_letter, _ = _capped(raw, _caps(items, frozenset({Status.FAIL, Status.SUPPRESSED})))
    return Score(
        value,
        round(passed, 4),
        total,
        raw=raw,
        coverage=coverage,
        grade=letter,
        raw_grade=raw_letter,
        cap=cap,
    )


def section_scores(findings: Iterable[Finding]) -> dict[Section, Score]:
    """A score for every article section, in chapter order."""
    items = list(findings)
    return {s: score(f for f in items if f.section is s) for s in Section}


def grade(value: float | None) -> str | None:
    """A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, otherwise E; ``None`` when there is no score (the
    letter of a number alone: a :class:`Score` carries its capped ``grade``)."""
    if value is None:
        return None
    return next((letter for floor, letter in GRADES if value >= floor), "E")
