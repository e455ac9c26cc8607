"""The demo's access review: exported, filled by the demo's script, imported, followed up."""

from __future__ import annotations

from pathlib import Path

from reportgen.evaluate.findings import Status
from reportgen.evaluate.review import Decision
from reportgen.evaluate.run import evaluate
from reportgen.pipeline.demo_review import demo_review, quarter_name
from reportgen.snapshot import document as snapshots
from tests.review.conftest import Q3


def test_demo_review_removes_a_principal_that_still_exists(quarters: tuple[Path, Path]) -> None:
    """Every principal is decided; one marked 削除 is still there next quarter: a FAIL."""
    reviewed, later = (snapshots.load(p) for p in quarters)
    done = demo_review(reviewed, later, quarters[0].name)
    assert done.label == quarter_name(Q3) == "FY2026-Q2"
    assert len(done.review.decisions) == len(reviewed.users) + len(reviewed.roles)
    removed = [d for d in done.review.decisions if d.decision is Decision.REMOVE]
    assert removed
    found = [
        f
        for f in evaluate(later, review=done.review).findings
        if f.check_id == "review_decisions_carried_out"
    ]
    assert Status.FAIL in {f.status for f in found}


def test_demo_responses_are_a_valid_file(tmp_path: Path) -> None:
    """The demo's responses file passes the same validation as a user's."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.responses import load_responses
    from reportgen.pipeline.demo_review import demo_responses

    path = tmp_path / "responses.yaml"
    path.write_text(demo_responses(Q3), encoding="utf-8")
    entries = load_responses(path, load_catalogue())
    assert [e.check_id for e in entries] == ["root_mfa_enabled", "console_user_mfa"]


def test_demo_responses_reach_every_failing_user_and_one_is_overdue(
    quarters: tuple[Path, Path], tmp_path: Path
) -> None:
    """The demo's ``resource: "*"`` responses attach to every failing finding of their
    checks, users included (not only the ARNs without a ``/``), and one is overdue."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.responses import load_responses
    from reportgen.pipeline.demo_review import demo_responses

    later = snapshots.load(quarters[1])
    path = tmp_path / "responses.yaml"
    path.write_text(demo_responses(later.collected_at), encoding="utf-8")
    catalogue = load_catalogue()
    assessment = evaluate(later, catalogue=catalogue, responses=load_responses(path, catalogue))
    failing = [
        f
        for f in assessment.findings
        if f.check_id == "console_user_mfa" and f.status is Status.FAIL
    ]
    assert [f.resource_name for f in failing] == ["tanaka"]
    assert all(f.response is not None for f in failing)
    assert all(f.response.overdue(assessment.as_of) for f in failing if f.response)
