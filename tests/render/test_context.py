"""The context builder: verdicts, messages, commands, risks, inventory and registers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Section, Severity, Status
from reportgen.render.chapters import cli_commands, evidence_value, score_text, verdict
from reportgen.render.context import ReportOptions, build_context
from reportgen.render.i18n import Ui
from reportgen.snapshot.model import Snapshot

Case = tuple[Assessment, Snapshot, Catalogue]


def _finding(status: Status, **evidence: str | int | None) -> Finding:
    return Finding(
        "console_user_mfa", Section.MFA, Severity.HIGH, status, "user", "arn:x", "x", evidence
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.PASS, Status.FAIL, Status.UNKNOWN], Status.FAIL),
        ([Status.PASS, Status.UNKNOWN], Status.UNKNOWN),
        ([Status.PASS, Status.SUPPRESSED], Status.SUPPRESSED),
        ([Status.PASS, Status.NOT_APPLICABLE], Status.PASS),
        ([Status.NOT_APPLICABLE], Status.NOT_APPLICABLE),
        ([], Status.NOT_APPLICABLE),
    ],
)
def test_check_verdict_is_its_worst_finding(statuses: list[Status], expected: Status) -> None:
    """A check shows FAIL before UNKNOWN before SUPPRESSED before PASS."""
    assert verdict([_finding(s) for s in statuses]) is expected


def test_cli_is_filled_for_a_single_resource(case: Case) -> None:
    """With one affected resource the command names it; otherwise placeholders stay visible."""
    spec = case[2]["access_key_rotated"]
    one = [_finding(Status.FAIL, user="bob")]
    assert cli_commands(spec, one) == (
        "aws iam update-access-key --user-name bob --access-key-id <KEY> --status Inactive",
    )
    two = [*one, _finding(Status.FAIL, user="carol")]
    assert cli_commands(spec, two)[0].startswith("aws iam update-access-key --user-name <USER> ")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (None, "ja", "—"),
        (True, "ja", "あり"),
        (False, "en", "No"),
        (12345, "en", "12,345"),
        ("2026-11-25", "ja", "2026年11月25日"),
        ("2026-11-25T08:00:00+00:00", "en", "25 November 2026"),
        ("AKIAEXAMPLE", "en", "AKIAEXAMPLE"),
    ],
)
def test_evidence_values_read_naturally(value: object, lang: str, expected: str) -> None:
    """Evidence shows dates per locale, yes/no words and grouped numbers."""
    assert evidence_value(value, lang, Ui((lang,))) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100.0, "100.0"), (99.98, "99.9"), (58.25, "58.2"), (0.0, "0.0")],
)
def test_scores_round_down(value: float, expected: str) -> None:
    """A score shows 100 only when nothing failed."""
    assert score_text(value, Ui(("en",))).first == expected


def test_top_risks_by_severity_then_count(case: Case) -> None:
    """Top risks list failing checks, most severe first, then the most affected."""
    context = build_context(*case, ("en",), ReportOptions())
    risks = context.summary.risks
    assert [r.check_id for r in risks] == [
        "console_user_mfa",
        "access_key_rotated",
        "user_in_group",
    ]
    assert risks[0].affected == 2


def test_messages_are_filled_from_evidence(case: Case) -> None:
    """A resource row's message names the resource in both languages."""
    context = build_context(*case, ("ja", "en"), ReportOptions())
    check = next(c for ch in context.chapters for c in ch.checks if c.id == "access_key_rotated")
    row = check.rows[0]
    assert row.message.get("ja") == "bob のキーは200日前に作成された。"
    assert row.message.get("en") == "bob's key is 200 days old."


def test_unknown_findings_become_data_gaps(case: Case) -> None:
    """An UNKNOWN finding is a data gap naming its source and reason in words."""
    context = build_context(*case, ("en",), ReportOptions())
    assert len(context.gaps) == 1
    message = context.gaps[0].message.first
    assert "cloudtrail" in message and "denied" in message and "source_denied" not in message
    assert context.summary.unknown_findings == 1


def test_findings_that_need_review_are_not_called_missing_data(case: Case) -> None:
    """An UNKNOWN that needs a person's review (its data was collected) is counted apart from
    UNKNOWN for lack of data: the summary and the cover do not say data is missing (the
    demo's 18 escalation reviews were reported as 'data from authorization_details is
    missing')."""
    assessment, snapshot, catalogue = case
    gap = next(f for f in assessment.findings if f.status is Status.UNKNOWN)
    evidence = {"reason": "needs_review_no_instance_role", "instance": "i-0a", "region": "ap-1"}
    review = replace(gap, evidence={**gap.evidence, **evidence})
    findings = tuple(review if f is gap else f for f in assessment.findings)
    context = build_context(
        replace(assessment, findings=findings), snapshot, catalogue, ("en",), ReportOptions()
    )
    summary = context.summary
    assert (summary.unknown_findings, summary.review_findings, summary.gap_sources) == (0, 1, ())
    warnings = [w.first for w in context.workpaper.warnings]
    assert any("need a person's review: 1" in w for w in warnings)
    # the small case's CloudTrail source was denied: still said, with no unknown finding
    assert any("unknown findings: 0; sources not collected: 1" in w for w in warnings)


def test_data_gaps_share_a_row_when_they_say_the_same(case: Case) -> None:
    """UNKNOWN findings of one check with the same message are one row naming every resource
    (at 5,000 users one row each took 400 PDF pages); a different message keeps its own row."""
    assessment, snapshot, catalogue = case
    gap = next(f for f in assessment.findings if f.status is Status.UNKNOWN)
    same = [replace(gap, resource_id=f"r{n}", resource_name=f"user.{n}") for n in range(3)]
    other = replace(gap, resource_name="other", evidence={**gap.evidence, "source": "iam"})
    findings = (*assessment.findings, *same, other)
    context = build_context(
        replace(assessment, findings=findings), snapshot, catalogue, ("en",), ReportOptions()
    )
    assert [row.resources for row in context.gaps] == [
        (gap.resource_name, "user.0", "user.1", "user.2"),
        ("other",),
    ]


def test_exceptions_register_order(case: Case) -> None:
    """Expired exceptions come first, then expiring, stale and active ones."""
    context = build_context(*case, ("en",), ReportOptions())
    assert [e.state.kind for e in context.exceptions] == [
        "exc-expired",
        "exc-expiring",
        "exc-stale",
    ]


def test_suppressed_finding_shows_its_exception(case: Case) -> None:
    """A suppressed finding is listed with who approved it and until when."""
    context = build_context(*case, ("en",), ReportOptions())
    check = next(c for ch in context.chapters for c in ch.checks if c.id == "user_in_group")
    row = next(r for r in check.rows if r.status.kind == "suppressed")
    assert row.exception is not None
    assert "CISO Tanaka" in row.exception.first and "10 December 2026" in row.exception.first


@pytest.mark.parametrize(
    ("full", "pdf_max", "medium", "expected"),
    [(False, 3, "pdf", 2), (True, 3, "pdf", 4), (False, 3, "html", 4), (False, 4, "pdf", 4)],
)
def test_inventory_summary_for_the_pdf(
    case: Case, full: bool, pdf_max: int, medium: str, expected: int
) -> None:
    """Up to inventory_pdf_max users the PDF lists them all; beyond, only those with the most
    findings unless --full-inventory. The HTML always lists everyone."""
    options = ReportOptions(
        full_inventory=full, inventory_summary_limit=2, inventory_pdf_max=pdf_max
    )
    inventory = build_context(*case, ("en",), options).inventory
    assert len(inventory.rows_for(medium)) == expected
    assert inventory.rows[0].name == "<img src=http://x>"  # sorted by name, as data


def test_no_comparison_with_the_same_snapshot(case: Case) -> None:
    """The assessment itself given as --previous is no earlier assessment: no chapter."""
    options = ReportOptions(previous=(replace(case[0]),))
    assert build_context(*case, ("en",), options).comparison is None
