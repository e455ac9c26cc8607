"""A report made with an access review or a responses file carries them, and verify refuses
a copy from which one was removed (the demo's reports failed verify: they carried neither)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.responses import load_responses
from reportgen.evaluate.review import Decision, Review, ReviewDecision, dumps
from reportgen.evaluate.run import evaluate
from reportgen.render.evidence import evidence_files
from reportgen.render.machine import findings_json
from reportgen.render.reproduce import VerifyError, reproduce
from reportgen.snapshot import document as snapshots

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
RESPONSES = """\
- check: root_mfa_enabled
  resource: "*"
  owner: Infra team
  due: 2027-01-31
  response: Hardware MFA ordered
  state: in_progress
"""


@dataclass
class Made:
    files: dict[str, bytes]
    rules: dict[str, bytes]
    assessment: Assessment
    catalogue: Catalogue
    snapshot: bytes
    findings: bytes


@pytest.fixture
def made(tmp_path: Path) -> Made:
    """The assessment of the corpus snapshot with a review and responses, and its files."""
    catalogue = load_catalogue()
    data = SNAPSHOT.read_bytes()
    snapshot = snapshots.loads(data, str(SNAPSHOT))
    review = Review(
        snapshot.sha256,
        snapshot.account.id,
        snapshot.collected_at,
        (
            ReviewDecision(
                snapshot.users[0].arn,
                snapshot.users[0].name,
                "user",
                Decision.REMOVE,
                "left the company",
                "Sato",
                date(2026, 11, 20),
            ),
        ),
    )
    path = tmp_path / "responses.yaml"
    path.write_text(RESPONSES, "utf-8")
    responses = load_responses(path, catalogue)
    assessment = evaluate(snapshot, catalogue=catalogue, review=review, responses=responses)
    rules = {"review.json": dumps(review), "responses.yaml": RESPONSES.encode()}
    findings = findings_json(assessment, catalogue, "en")
    files = evidence_files(assessment, catalogue, "en", data, findings, rules)
    return Made(files, rules, assessment, catalogue, data, findings)


def test_the_review_and_responses_travel_and_reproduce(made: Made) -> None:
    """Attached, they reproduce findings.json; reproduce.json says they were applied."""
    files = made.files
    manifest = json.loads(files["reproduce.json"])
    assert manifest["review_used"] and manifest["responses_used"]
    assert reproduce(Path("r.pdf"), files).assessment.review_used


@pytest.mark.parametrize("name", ["review.json", "responses.yaml"])
def test_a_removed_review_or_responses_file_fails(made: Made, name: str) -> None:
    """Removed (and reproduce.json rehashed, as a careful forger would): named, exit 1."""
    files = made.files
    del files[name]
    manifest = json.loads(files["reproduce.json"])
    del manifest["files"][name]
    files["reproduce.json"] = json.dumps(manifest).encode()
    with pytest.raises(VerifyError, match=rf"{name} was applied but is not attached") as caught:
        reproduce(Path("r.pdf"), files)
    assert caught.value.exit_code == 1


def test_a_report_without_the_files_it_used_is_never_made(made: Made) -> None:
    """A caller that evaluated with a review or responses but did not pass the file gets an
    error, not an unverifiable PDF."""
    for name in made.rules:
        partial = {k: v for k, v in made.rules.items() if k != name}
        with pytest.raises(ValueError, match=name):
            evidence_files(
                made.assessment, made.catalogue, "en", made.snapshot, made.findings, partial
            )
