"""``reportgen diff`` on real sandbox snapshots: formats, the new-finding gate, input errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.cli.diff_cmd import (
    FORMAT_CHOICES,
    diff_command,
    gate_message,
    new_failures_since,
)
from reportgen.compare.diff import Change, compare, new_failures
from reportgen.evaluate.findings import Severity
from reportgen.formats.diff import FORMATS, renderer
from reportgen.snapshot import document as snapshot
from tests.compare.conftest import Collected
from tests.runcli import run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape"),
]


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead wires ``diff`` into the CLI; until then the tests add it themselves."""
    monkeypatch.setitem(cli.commands, "diff", diff_command)


def test_every_format_choice_has_a_renderer() -> None:
    """Each --format the CLI offers has its own module, and there are no others."""
    assert FORMAT_CHOICES == FORMATS
    for name in FORMATS:
        assert callable(renderer(name))
    with pytest.raises(ValueError):
        renderer("xml")


def test_json_output_matches_the_comparison(
    collected: Collected, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON on stdout carries the schema id, both snapshots' hashes and every change."""
    code, out, _ = run(capsys, "diff", collected.paths[0], collected.paths[1], "--format", "json")
    expected = compare(collected.assessments[0], collected.assessments[1])
    document = json.loads(out)
    assert code == 0
    assert document["schema"] == "reportgen.diff/1"
    assert document["old"]["snapshot_sha256"] == collected.assessments[0].snapshot_sha256
    assert document["counts"] == {k.value: n for k, n in expected.counts.items()}
    assert len(document["changes"]) == len(expected.changes)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_csv_is_excel_ready(
    collected: Collected, capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    """-o writes UTF-8 CSV with a BOM, a header in the chosen language and a row per change."""
    target = tmp_path / "diff.csv"
    args = ("diff", collected.paths[1], collected.paths[2], "--format", "csv", "--lang", lang)
    code, out, _ = run(capsys, *args, "-o", target)
    data = target.read_bytes()
    assert code == 0 and out == ""
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == ("区分" if lang == "ja" else "Kind")
    assert len(rows) - 1 == len(compare(collected.assessments[1], collected.assessments[2]).changes)


def test_markdown_and_table_use_catalogue_titles(
    collected: Collected, capsys: pytest.CaptureFixture[str]
) -> None:
    """The human formats name checks by their catalogue title in the chosen language."""
    change = compare(collected.assessments[2], collected.assessments[3]).of(Change.NEW)[0]
    title = collected.catalogue[change.check_id].title
    _, markdown, _ = run(capsys, "diff", *collected.paths[2:4], "--format", "markdown")
    _, table, _ = run(capsys, "diff", *collected.paths[2:4], "--lang", "en")
    assert markdown.startswith("## 前回の評価からの変化") and title["ja"] in markdown
    assert table.startswith("Changes since the last assessment") and title["en"] in table


@pytest.mark.parametrize("severity", list(Severity))
def test_fail_on_new_gate(collected: Collected, severity: Severity) -> None:
    """--fail-on-new exits 1 with one gate line exactly when a new failure at or above the
    severity appeared; the output is written either way."""
    found = new_failures(compare(collected.assessments[2], collected.assessments[3]), severity)
    args = [*map(str, collected.paths[2:4]), "--format", "json", "--lang", "en"]
    result = CliRunner().invoke(diff_command, [*args, "--fail-on-new", severity.value])
    assert json.loads(result.stdout)["schema"] == "reportgen.diff/1"
    assert result.exit_code == (1 if found else 0)
    assert result.stderr == (gate_message(len(found), severity, "en") + "\n" if found else "")


def test_gate_exit_code_through_the_entry_point(
    collected: Collected, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the real entry point, a tripped gate also exits 1."""
    code, _, err = run(capsys, "diff", *collected.paths[2:4], "--fail-on-new", "info")
    assert "gate" in err
    assert code == 1


def test_gate_trips_on_the_sandbox_history(collected: Collected) -> None:
    """The sandbox's last quarter brings a new high-severity failure (an MFA-less console
    user), so the gate at "high" trips; the evaluate --previous hook agrees."""
    found = new_failures_since(
        collected.paths[2], collected.assessments[3], Severity.HIGH, collected.catalogue
    )
    assert ("console_user_mfa", "yamamoto.sho") in {
        (c.check_id, c.finding.resource_name) for c in found
    }


def test_different_accounts_exit_2(
    collected: Collected, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Snapshots of two accounts: one error line, exit 2, nothing on stdout."""
    # Another account's data carries its id in every ARN, not only in account/id.
    text = collected.paths[1].read_text()
    document = json.loads(text.replace(json.loads(text)["account"]["id"], "210987654321"))
    other = tmp_path / "other.json"
    snapshot.save(document, other)
    code, out, err = run(capsys, "diff", collected.paths[0], other)
    assert (code, out) == (2, "")
    assert err.startswith("reportgen: error: ") and len(err.splitlines()) == 1
    assert "different AWS accounts" in err


def test_swapped_snapshots_exit_2(collected: Collected, capsys: pytest.CaptureFixture[str]) -> None:
    """NEW older than OLD is refused with a hint, exit 2."""
    code, _, err = run(capsys, "diff", collected.paths[1], collected.paths[0])
    assert code == 2 and "swap" in err


def test_missing_snapshot_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing file is an input error (exit 2), not a traceback."""
    code, _, err = run(capsys, "diff", tmp_path / "a.json", tmp_path / "b.json")
    assert code == 2 and err.startswith("reportgen: error: ")


def test_help_lists_every_option() -> None:
    """--help documents the formats, languages, gate and output options."""
    text = diff_command.get_help(click.Context(diff_command))
    for option in ("--format", "--lang", "--profile", "--exceptions", "--fail-on-new", "-o"):
        assert option in text


def test_exception_that_expired_in_between_is_a_status_change(
    collected: Collected, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--exceptions applies to both snapshots, each as of its own date: a waiver that ran out
    between the quarters turns SUPPRESSED into FAIL, listed as changed and not as new."""
    waivers = tmp_path / "exceptions.yaml"
    waivers.write_text(
        "- check: console_user_mfa\n"
        "  resource: 'arn:aws:iam::*:user/sato.kenji'\n"
        "  reason: 'ハードウェアトークンの到着待ち'\n"
        "  approver: 'security@example.jp'\n"
        "  expires: 2026-08-15\n",
        encoding="utf-8",
    )
    args = ("diff", *collected.paths[2:4], "--format", "json", "--exceptions", waivers)
    code, out, _ = run(capsys, *args)
    changes = {
        (c["change"], c["old_status"], c["new_status"])
        for c in json.loads(out)["changes"]
        if c["check_id"] == "console_user_mfa" and c["resource_name"] == "sato.kenji"
    }
    assert code == 0
    assert changes == {("changed", "SUPPRESSED", "FAIL")}
