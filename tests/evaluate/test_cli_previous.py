"""``evaluate --previous SNAPSHOT --fail-on-new SEVERITY``: the gate on findings new since then."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportgen.cli.evaluate_cmd import evaluate_command
from reportgen.errors import InputError
from reportgen.snapshot import document as snapshot_module
from reportgen.snapshot.model import Account, Snapshot
from tests.evaluate.test_evaluate import bad_snapshot
from tests.factories import NOW, make_row, make_snapshot, make_user

EARLIER = NOW - timedelta(days=91)


def earlier(snap: Snapshot, when: datetime = EARLIER) -> Snapshot:
    """The same account data, as collected earlier (another file, another hash); evaluated as
    of that time, so credentials are younger then."""
    return replace(snap, collected_at=when, sha256="1" * 64)


def with_carol(snap: Snapshot) -> Snapshot:
    """``snap`` plus carol, who signs in to the console without MFA (one new HIGH finding)."""
    carol = make_user("carol", credentials=make_row("carol", mfa_active=False))
    return replace(snap, users=(*snap.users, carol))


@pytest.fixture
def snapshots(monkeypatch: pytest.MonkeyPatch) -> Callable[[Snapshot, Snapshot], None]:
    """Make ``snapshot.load`` return the given snapshots for ``now.json`` and ``before.json``."""

    def install(now: Snapshot, before: Snapshot) -> None:
        files = {"now.json": now, "before.json": before}
        monkeypatch.setattr(snapshot_module, "load", lambda path: files[Path(path).name])

    return install


def invoke(*args: str) -> Result:
    return CliRunner().invoke(evaluate_command, ["now.json", *args], catch_exceptions=True)


@pytest.mark.parametrize(
    ("now", "before", "severity", "code"),
    [
        (bad_snapshot(), earlier(make_snapshot()), "critical", 1),  # root lost its MFA since
        # An hour apart, the same failures persist: nothing is new.
        (bad_snapshot(), earlier(bad_snapshot(), NOW - timedelta(hours=1)), "info", 0),
        (with_carol(make_snapshot()), earlier(make_snapshot()), "high", 1),
        (with_carol(make_snapshot()), earlier(make_snapshot()), "critical", 0),  # HIGH is below
        (make_snapshot(), earlier(bad_snapshot()), "info", 0),  # only fixes
    ],
)
def test_gate_on_new_failures(
    snapshots: Callable[[Snapshot, Snapshot], None],
    now: Snapshot,
    before: Snapshot,
    severity: str,
    code: int,
) -> None:
    """Exit 1 only when a failing finding at or above the severity is new since --previous."""
    snapshots(now, before)
    result = invoke("--format", "json", "--previous", "before.json", "--fail-on-new", severity)
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["findings"]  # the output is written either way
    assert ("reportgen: gate: " in result.stderr) is (code == 1)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "reportgen: gate: 重要度「高」以上の新規の不適合が1件あります。"),
        ("en", "reportgen: gate: New failing findings at severity High or above: 1."),
    ],
)
def test_gate_message_in_the_chosen_language(
    snapshots: Callable[[Snapshot, Snapshot], None], lang: str, message: str
) -> None:
    """The one stderr line counts the new findings, in --lang."""
    snapshots(with_carol(make_snapshot()), earlier(make_snapshot()))
    result = invoke("--previous", "before.json", "--fail-on-new", "high", "--lang", lang)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [message]


def test_gates_add_up(snapshots: Callable[[Snapshot, Snapshot], None]) -> None:
    """--fail-on and --fail-on-new each print their line; the exit code is 1."""
    snapshots(with_carol(make_snapshot()), earlier(make_snapshot()))
    args = ("--previous", "before.json", "--fail-on-new", "high", "--fail-on", "high")
    result = invoke("--format", "json", "--lang", "en", *args)
    assert result.exit_code == 1
    assert result.stderr.count("reportgen: gate: ") == 2


def test_previous_alone_is_checked_but_gates_nothing(
    snapshots: Callable[[Snapshot, Snapshot], None],
) -> None:
    """--previous without --fail-on-new exits 0 even when findings are new."""
    snapshots(bad_snapshot(), earlier(make_snapshot()))
    assert invoke("--format", "json", "--previous", "before.json").exit_code == 0


def test_fail_on_new_needs_previous(snapshots: Callable[[Snapshot, Snapshot], None]) -> None:
    """--fail-on-new without --previous is an input error (exit 2 in main)."""
    snapshots(make_snapshot(), make_snapshot())
    result = invoke("--fail-on-new", "high")
    assert isinstance(result.exception, InputError)
    assert "--previous" in str(result.exception)


@pytest.mark.parametrize(
    ("before", "message"),
    [
        (earlier(replace(make_snapshot(), account=Account("999999999999", "aws", ()))), "accounts"),
        (replace(make_snapshot(), collected_at=NOW + timedelta(days=1)), "swap"),
    ],
)
def test_unusable_previous_is_an_input_error(
    snapshots: Callable[[Snapshot, Snapshot], None], before: Snapshot, message: str
) -> None:
    """Another account or a later snapshot as --previous: an input error, before any output."""
    snapshots(make_snapshot(), before)
    result = invoke("--format", "json", "--previous", "before.json", "--fail-on-new", "info")
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)
    assert result.stdout == ""
