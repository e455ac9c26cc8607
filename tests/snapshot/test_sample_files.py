"""The sample credential report shipped in docs/samples imports and evaluates as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runcli import run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "samples" / "credential-report.csv"


def test_the_sample_is_a_credential_report_as_aws_writes_it() -> None:
    """Header as AWS writes it, a root row, and every row of the one fictional account."""
    lines = SAMPLE.read_text("utf-8").splitlines()
    assert lines[0].startswith("user,arn,user_creation_time,password_enabled,")
    assert lines[1].startswith("<root_account>,arn:aws:iam::123456789012:root,")
    assert all(":123456789012:" in line.split(",")[1] for line in lines[1:])


def test_the_readme_command_imports_it_and_unknown_stays_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented import works; checks without their data are UNKNOWN, never PASS."""
    out = tmp_path / "sample.json"
    code, _, err = run(
        capsys,
        "import",
        "--credential-report",
        SAMPLE,
        "--collected-at",
        "2026-12-01T09:00:00",
        "-o",
        out,
    )
    assert code == 0, err
    findings = tmp_path / "findings.json"
    code, _, err = run(capsys, "evaluate", out, "--format", "json", "-o", findings)
    assert code in (0, 1), err
    results = json.loads(findings.read_text("utf-8"))["findings"]
    by_check = {
        f["check_id"]: f["status"] for f in results if f["check_id"].startswith("password_")
    }
    assert by_check and set(by_check.values()) == {"UNKNOWN"}
