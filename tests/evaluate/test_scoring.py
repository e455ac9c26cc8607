"""Scores and grades: weights, what counts as passed, exclusions, stability."""

from __future__ import annotations

import pytest

from reportgen.evaluate.findings import Finding, Section, Severity, Status
from reportgen.evaluate.scoring import WEIGHTS, grade, score, section_scores


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
        ([Status.UNKNOWN], 0.0),  # unknown is not passed
        ([Status.SUPPRESSED], 100.0),  # an approved exception counts as passed
        ([Status.PASS, Status.FAIL], 50.0),
        ([Status.PASS, Status.NOT_APPLICABLE], 100.0),  # N/A is left out
        ([Status.NOT_APPLICABLE], None),
        ([], None),
    ],
)
def test_statuses_of_one_check(statuses: list[Status], expected: float | None) -> None:
    """A check scores its share of passed findings; N/A is excluded; UNKNOWN is not passed."""
    found = [finding("c", s, resource=str(i)) for i, s in enumerate(statuses)]
    assert score(found).value == expected


def test_checks_are_weighted_by_severity_not_by_resource_count() -> None:
    """A critical FAIL outweighs a low PASS; 100 users of one check weigh as one check."""
    items = [finding("root", Status.FAIL, Severity.CRITICAL)]
    items += [finding("many", Status.PASS, Severity.LOW, resource=str(i)) for i in range(100)]
    expected = 100 * WEIGHTS[Severity.LOW] / (WEIGHTS[Severity.CRITICAL] + WEIGHTS[Severity.LOW])
    assert score(items).value == round(expected, 1)


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
    """docs/scoring.md's worked example scores 39.3, grade E."""
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
    assert (result.value, grade(result.value)) == (39.3, "E")
