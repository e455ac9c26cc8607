"""Scores and grades: weights, what counts as passed, exclusions, stability."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.evaluate.findings import Finding, Section, Severity, Status
from reportgen.evaluate.scoring import LETTERS, WEIGHTS, grade, score, section_scores


def finding(
    check: str,
    status: Status,
    severity: Severity = Severity.MEDIUM,
    section: Section = Section.ROOT,
    resource: str = "r",
) -> Finding:
    return Finding(check, section, severity, status, "user", resource, resource, {})


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.PASS], 100.0),
        ([Status.FAIL], 0.0),
        ([Status.UNKNOWN], None),  # unknown is outside the percentage (coverage shows it)
        ([Status.PASS, Status.UNKNOWN], 100.0),
        ([Status.SUPPRESSED], 100.0),  # an approved exception counts as passed
        ([Status.PASS, Status.FAIL], 50.0),
        ([Status.PASS, Status.NOT_APPLICABLE], 100.0),  # N/A is left out
        ([Status.NOT_APPLICABLE], None),
        ([], None),
    ],
)
def test_statuses_of_one_check(statuses: list[Status], expected: float | None) -> None:
    """A check scores its share of passed findings; N/A and UNKNOWN are outside the share."""
    found = [finding("c", s, resource=str(i)) for i, s in enumerate(statuses)]
    assert score(found).value == expected


def test_checks_are_weighted_by_severity_not_by_resource_count() -> None:
    """A critical FAIL outweighs a low PASS; 100 users of one check weigh as one check."""
    items = [finding("root", Status.FAIL, Severity.CRITICAL)]
    items += [finding("many", Status.PASS, Severity.LOW, resource=str(i)) for i in range(100)]
    expected = 100 * WEIGHTS[Severity.LOW] / (WEIGHTS[Severity.CRITICAL] + WEIGHTS[Severity.LOW])
    assert score(items).value == round(expected, 1)


def test_a_critical_check_with_one_fail_counts_as_wholly_failed() -> None:
    """Six administrators with MFA do not make up for the seventh without: a critical check's
    share is 0 with any FAIL (and 1 only when all pass), while a high check's is 6/7."""
    for severity, share in ((Severity.CRITICAL, 0.0), (Severity.HIGH, 6 / 7)):
        items = [finding("mfa", Status.PASS, severity, resource=str(i)) for i in range(6)]
        items.append(finding("mfa", Status.FAIL, severity, resource="boss"))
        items.append(finding("other", Status.PASS, Severity.LOW))
        weight = WEIGHTS[severity]
        assert score(items).value == round(100 * (weight * share + 1) / (weight + 1), 1)
    excepted = [finding("mfa", Status.PASS, Severity.CRITICAL, resource=str(i)) for i in range(6)]
    excepted.append(finding("mfa", Status.SUPPRESSED, Severity.CRITICAL, resource="boss"))
    result = score(excepted)
    assert (result.value, result.raw) == (100.0, 0.0)


def test_info_checks_do_not_move_the_score() -> None:
    """Informational checks weigh nothing."""
    assert (
        score([finding("i", Status.FAIL, Severity.INFO), finding("p", Status.PASS)]).value == 100.0
    )


def test_section_scores_cover_every_section_in_order() -> None:
    """Every article section gets a score (None when empty), in chapter order."""
    scores = section_scores([finding("a", Status.FAIL, section=Section.MFA)])
    assert list(scores) == list(Section)
    assert scores[Section.MFA].value == 0.0 and scores[Section.ROOT].value is None


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        (100.0, "A"),
        (90.0, "A"),
        (89.9, "B"),
        (80.0, "B"),
        (70.0, "C"),
        (60.0, "D"),
        (59.9, "E"),
        (0.0, "E"),
        (None, None),
    ],
)
def test_grades(value: float | None, letter: str | None) -> None:
    """A from 90, B from 80, C from 70, D from 60, else E."""
    assert grade(value) == letter


def test_the_worked_example_in_docs_scoring_md() -> None:
    """docs/scoring.md's worked example: 42.9 after exceptions, 40.0 raw, coverage 91.7,
    grade E (no cap lowers an E)."""
    items = [finding("root_mfa_enabled", Status.FAIL, Severity.CRITICAL)]
    items += [
        finding("console_user_mfa", Status.PASS, Severity.HIGH, resource=f"p{i}") for i in range(9)
    ]
    items += [finding("console_user_mfa", Status.SUPPRESSED, Severity.HIGH, resource="s")]
    items += [
        finding("console_user_mfa", Status.NOT_APPLICABLE, Severity.HIGH, resource=f"n{i}")
        for i in range(5)
    ]
    items += [finding("access_key_rotated", Status.PASS, resource=f"k{i}") for i in range(3)]
    items += [finding("access_key_rotated", Status.UNKNOWN, resource="u")]
    result = score(items)
    assert (result.value, result.raw, result.coverage) == (42.9, 40.0, 91.7)
    assert (result.grade, result.raw_grade, result.cap) == ("E", "E", None)


# Properties ----------------------------------------------------------------------------------

CHECKS = st.sampled_from(["a", "b", "c", "d"])
SEVERITY = {"a": Severity.CRITICAL, "b": Severity.HIGH, "c": Severity.MEDIUM, "d": Severity.LOW}
FINDINGS = st.lists(st.tuples(CHECKS, st.sampled_from(list(Status))), max_size=30).map(
    lambda pairs: [
        finding(check, status, SEVERITY[check], resource=f"{check}{i}")
        for i, (check, status) in enumerate(pairs)
    ]
)


def _not_better(after: str | None, before: str | None) -> bool:
    """``after`` is the same grade as ``before`` or worse; from no grade only to none or E."""
    if after is None:
        return True
    if before is None:
        return after == "E"
    return LETTERS.index(after) >= LETTERS.index(before)


def _not_higher(after: float | None, before: float | None) -> bool:
    """``after`` is no higher than ``before``; from no score only to none or 0."""
    if after is None:
        return True
    return after == 0.0 if before is None else after <= before


@given(FINDINGS, CHECKS)
def test_adding_a_fail_never_raises_a_score_or_grade(items: list[Finding], check: str) -> None:
    """Monotonic: one more FAIL never raises the score, the raw score or either grade."""
    before = score(items)
    after = score([*items, finding(check, Status.FAIL, SEVERITY[check], resource="new")])
    assert _not_higher(after.value, before.value) and _not_higher(after.raw, before.raw)
    assert _not_better(after.grade, before.grade)
    assert _not_better(after.raw_grade, before.raw_grade)


@given(FINDINGS, st.data())
def test_removing_a_pass_never_raises_a_score_or_grade(
    items: list[Finding], data: st.DataObject
) -> None:
    """Monotonic: one PASS fewer never raises the score, the raw score or either grade."""
    passing = [i for i, f in enumerate(items) if f.status is Status.PASS]
    if not passing:
        return
    index = data.draw(st.sampled_from(passing))
    before, after = score(items), score(items[:index] + items[index + 1 :])
    assert _not_higher(after.value, before.value) and _not_higher(after.raw, before.raw)
    assert _not_better(after.grade, before.grade)
    assert _not_better(after.raw_grade, before.raw_grade)


@given(FINDINGS, st.integers(1, 500))
def test_a_critical_fail_caps_the_grade_at_c(items: list[Finding], passes: int) -> None:
    """Undilutable: with a critical FAIL no number of passing resources gives A or B."""
    crowd = [finding("d", Status.PASS, Severity.LOW, resource=f"p{i}") for i in range(passes)]
    result = score([*items, *crowd, finding("a", Status.FAIL, Severity.CRITICAL, resource="x")])
    assert result.grade in ("C", "D", "E") and result.raw_grade in ("C", "D", "E")


@given(FINDINGS)
def test_grade_a_needs_every_critical_check_evaluated(items: list[Finding]) -> None:
    """An UNKNOWN on a critical check rules out grade A."""
    result = score([*items, finding("a", Status.UNKNOWN, Severity.CRITICAL, resource="u")])
    assert result.grade != "A"


@given(FINDINGS)
def test_exceptions_never_lower_and_only_excepted_findings_raise(items: list[Finding]) -> None:
    """Exception accounting: the adjusted score is at least the raw one, and equal to it when
    nothing is excepted; the raw score is the score with every excepted finding a FAIL."""
    result = score(items)
    assert _not_higher(result.raw, result.value) or result.raw == result.value
    unwaived = [
        replace(f, status=Status.FAIL) if f.status is Status.SUPPRESSED else f for f in items
    ]
    assert score(unwaived).value == result.raw
    assert score(unwaived).grade == result.raw_grade
    if not any(f.status is Status.SUPPRESSED for f in items):
        assert (result.raw, result.raw_grade) == (result.value, result.grade)


@given(FINDINGS)
def test_data_gaps_buy_at_most_one_letter(items: list[Finding]) -> None:
    """With UNKNOWN results the grade is at most one letter better than with each a FAIL."""
    result = score(items)
    worst = score(
        [replace(f, status=Status.FAIL) if f.status is Status.UNKNOWN else f for f in items]
    )
    if result.grade is not None and worst.grade is not None:
        assert LETTERS.index(worst.grade) - LETTERS.index(result.grade) <= 1


def test_coverage_is_the_share_of_applicable_findings_evaluated() -> None:
    """Coverage: per applicable check the share not UNKNOWN, averaged; N/A is left out."""
    items = [
        finding("a", Status.PASS, resource="1"),
        finding("a", Status.UNKNOWN, resource="2"),
        finding("b", Status.FAIL, resource="3"),
        finding("c", Status.NOT_APPLICABLE, resource="4"),
    ]
    assert score(items).coverage == 75.0
    assert score([finding("a", Status.NOT_APPLICABLE)]).coverage is None


@given(FINDINGS, st.data())
def test_adding_a_check_that_finds_a_critical_fail_never_raises_the_score(
    items: list[Finding], data: st.DataObject
) -> None:
    """A new critical check that fails somewhere cannot raise the score, however many of its
    resources pass (the demo rose from 54.8 to 57.4 before the all-or-nothing rule)."""
    passes = data.draw(st.integers(0, 50))
    new = [finding("new", Status.PASS, Severity.CRITICAL, resource=f"n{i}") for i in range(passes)]
    new.append(finding("new", Status.FAIL, Severity.CRITICAL, resource="n-fail"))
    before, after = score(items), score([*items, *new])
    assert _not_higher(after.value, before.value) and _not_higher(after.raw, before.raw)
