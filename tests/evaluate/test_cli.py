"""The evaluate and checks commands: output, files, gates and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.evaluate_cmd import checks_group, evaluate_command
from reportgen.errors import CatalogueError, InputError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.formats.checklist import DOC_PATH, markdown
from reportgen.snapshot import document as snapshot_module
from reportgen.snapshot.model import Snapshot
from tests.evaluate.test_evaluate import bad_snapshot
from tests.factories import make_snapshot


@pytest.fixture
def use_snapshot(monkeypatch: pytest.MonkeyPatch):
    """Make ``snapshot.load`` return a factory-built snapshot for any path."""

    def install(snap: Snapshot) -> None:
        monkeypatch.setattr(snapshot_module, "load", lambda path: snap)

    return install


def invoke(*args: str):
    return CliRunner().invoke(evaluate_command, ["snap.json", *args], catch_exceptions=True)


def test_default_output_is_a_japanese_table(use_snapshot) -> None:
    """Without options the findings print as a table in Japanese and exit 0."""
    use_snapshot(bad_snapshot())
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "判定" in result.output and "root_no_access_key" in result.output


def test_writes_json_to_a_file(use_snapshot, tmp_path: Path) -> None:
    """-o writes the chosen format to a file and nothing to stdout."""
    use_snapshot(make_snapshot())
    target = tmp_path / "out" / "findings.json"
    result = invoke("--format", "json", "-o", str(target), "--lang", "en")
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["languages"] == ["en"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--fail-under", "90"], 1),
        (["--fail-under", "10"], 0),
        (["--fail-on", "critical"], 1),
        (["--fail-on", "info"], 1),
    ],
)
def test_gates_exit_1(use_snapshot, args: list[str], code: int) -> None:
    """A score under --fail-under or a FAIL at/above --fail-on exits 1."""
    use_snapshot(bad_snapshot())
    result = invoke("--format", "json", *args)
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(
    ("lang", "score_line", "severity_line"),
    [
        (
            "ja",
            "reportgen: gate: 総合スコア {score} が基準の 90 を下回っています（--fail-under）。",
            "reportgen: gate: 重要度「重大」以上の不適合が{count}件あります（--fail-on）。",
        ),
        (
            "en",
            "reportgen: gate: The overall score {score} is below 90 (--fail-under).",
            "reportgen: gate: Failing findings at severity Critical or above (--fail-on): {count}.",
        ),
    ],
)
def test_gate_lines_in_the_chosen_language(
    use_snapshot, lang: str, score_line: str, severity_line: str
) -> None:
    """--fail-under and --fail-on say why in --lang (as --fail-on-new does), with no English
    "finding(s)" inside a Japanese run."""
    use_snapshot(bad_snapshot())
    gates = ("--fail-under", "90", "--fail-on", "critical")
    result = invoke("--format", "json", "--lang", lang, *gates)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    score = f"{findings['score']['overall']['value']:.1f}"
    count = sum(f["status"] == "FAIL" and f["severity"] == "critical" for f in findings["findings"])
    assert result.stderr.strip().splitlines() == [
        score_line.format(score=score),
        severity_line.format(count=count),
    ]


def test_healthy_account_passes_strict_gates(use_snapshot) -> None:
    """A healthy account crosses no gate."""
    use_snapshot(make_snapshot())
    assert invoke("--fail-under", "95", "--fail-on", "low").exit_code == 0


def test_as_of_profile_and_exceptions_are_passed_on(use_snapshot, tmp_path: Path) -> None:
    """--as-of, --profile and --exceptions shape the assessment."""
    use_snapshot(bad_snapshot())
    waivers = tmp_path / "exceptions.yaml"
    waivers.write_text(
        "- check: root_no_access_key\n  resource: '*'\n  reason: r\n"
        "  approver: a\n  expires: 2026-12-31\n",
        encoding="utf-8",
    )
    result = invoke(
        "--format",
        "json",
        "--profile",
        "cis-v5",
        "--exceptions",
        str(waivers),
        "--as-of",
        "2026-06-30",
    )
    doc = json.loads(result.output)
    assert (doc["profile"], doc["as_of"]) == ("cis-v5", "2026-06-30T23:59:59Z")
    root = [f for f in doc["findings"] if f["check_id"] == "root_no_access_key"]
    assert root[0]["status"] == "SUPPRESSED"


@pytest.mark.parametrize("name", ["cis-v6", "cis-v7"])
def test_cis_v6_and_v7_profiles_are_selectable(use_snapshot, name: str) -> None:
    """--profile cis-v6|cis-v7 runs that profile, and findings.json carries the v6/v7 items."""
    use_snapshot(bad_snapshot())
    result = invoke("--format", "json", "--profile", name)
    doc = json.loads(result.output)
    assert doc["profile"] == name
    checks = {c["id"]: c for c in doc["checks"]}
    assert checks["console_user_mfa"]["mappings"]["cis"] == {
        "3.0": "1.10",
        "4.0": "1.10",
        "5.0": "1.9",
        "6.0": "2.9",
        "7.0": "2.10",
    }
    assert ("single_active_access_key" in checks) == (name == "cis-v6")


def test_bad_inputs_raise_named_errors(use_snapshot, tmp_path: Path) -> None:
    """Bad profile or as-of raise the named errors the CLI maps to exit 2."""
    use_snapshot(make_snapshot())
    assert isinstance(invoke("--profile", "nope").exception, CatalogueError)
    assert isinstance(invoke("--as-of", "yesterday").exception, InputError)


def test_missing_snapshot_file_is_an_input_error(tmp_path: Path) -> None:
    """A snapshot that does not exist raises an InputError (exit 2 in main)."""
    result = CliRunner().invoke(evaluate_command, [str(tmp_path / "none.json")])
    assert isinstance(result.exception, InputError)


@pytest.mark.parametrize(("lang", "text"), [("ja", "ルートユーザー"), ("en", "root user")])
def test_checks_list_and_show(lang: str, text: str) -> None:
    """checks list shows every check; checks show explains one; an unknown id is an error."""
    listed = CliRunner().invoke(checks_group, ["list", "--lang", lang])
    assert listed.exit_code == 0 and listed.output.count("\n") > 26
    shown = CliRunner().invoke(checks_group, ["show", "root_no_access_key", "--lang", lang])
    assert shown.exit_code == 0 and text in shown.output and "IAM.4" in shown.output
    missing = CliRunner().invoke(checks_group, ["show", "nope"])
    assert isinstance(missing.exception, CatalogueError)


def test_docs_checks_md_is_up_to_date() -> None:
    """docs/checks.md matches the catalogue (regenerate: python -m reportgen.formats.checklist)."""
    assert DOC_PATH.read_text(encoding="utf-8") == markdown(load_catalogue()), (
        "docs/checks.md is out of date: run .venv/bin/python -m reportgen.formats.checklist"
    )
