"""The responses file: owners, due dates and responses per finding, validated like exceptions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Response, ResponseState, Status
from reportgen.evaluate.responses import load_responses
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import Snapshot
from tests.factories import ACCOUNT, NOW, make_row, make_snapshot, make_user, user_arn

GOOD = """\
- check: console_user_mfa
  resource: {arn}
  owner: 情報システム部 佐藤
  due: 2026-10-31
  response: MFA を必須にする
  state: in_progress
  ticket: SEC-7
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "responses.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _no_mfa() -> Snapshot:
    user = make_user(
        "tanaka", credentials=make_row("tanaka", password_enabled=True, mfa_active=False)
    )
    return make_snapshot(users=(user,))


def test_a_response_attaches_to_its_failing_finding(tmp_path: Path) -> None:
    """The matching FAIL finding carries the owner, due date, response and state."""
    catalogue = load_catalogue()
    entries = load_responses(_write(tmp_path, GOOD.format(arn=user_arn("tanaka"))), catalogue)
    assessment = evaluate(_no_mfa(), catalogue=catalogue, responses=entries)
    found = [f for f in assessment.findings if f.check_id == "console_user_mfa"]
    assert [f.status for f in found] == [Status.FAIL]
    response = found[0].response
    assert response == Response(
        "MFA を必須にする",
        ResponseState.IN_PROGRESS,
        "情報システム部 佐藤",
        date(2026, 10, 31),
        "SEC-7",
    )
    assert response.overdue(NOW) is (date(2026, 10, 31) < NOW.date())


@pytest.mark.parametrize(
    ("state", "due", "overdue"),
    [
        (ResponseState.OPEN, NOW.date() - timedelta(days=1), True),
        (ResponseState.IN_PROGRESS, NOW.date(), False),
        (ResponseState.DONE, NOW.date() - timedelta(days=30), False),
        (ResponseState.OPEN, None, False),
    ],
)
def test_overdue_means_past_due_and_not_done(
    state: ResponseState, due: date | None, overdue: bool
) -> None:
    """Overdue: the due date is before the assessment day and the response is not done."""
    assert Response("x", state, "owner", due).overdue(NOW) is overdue


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- check: console_user_mfa\n  resource: x\n  state: open\n", ":1: missing response"),
        (
            "- check: nope\n  resource: x\n  response: r\n  state: open\n",
            ":1: unknown check id 'nope'",
        ),
        (
            "- check: console_user_mfa\n  resource: x\n  response: r\n  state: later\n",
            ":4: state must be one of open, in_progress, done",
        ),
        (
            "- check: console_user_mfa\n  resource: x\n  response: r\n  state: open\n  due: soon\n",
            ":5: due must be a date",
        ),
        (
            "- check: console_user_mfa\n  resource: x\n  response: r\n  state: open\n  who: me\n",
            ":5: unknown key 'who'",
        ),
        ("check: x\n", "a responses file is a YAML list"),
    ],
)
def test_a_bad_responses_file_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    """Each mistake is reported with the file and the line."""
    with pytest.raises(CatalogueError, match=message):
        load_responses(_write(tmp_path, text), load_catalogue())


def test_a_star_response_covers_every_failing_resource_of_its_check(tmp_path: Path) -> None:
    """``resource: "*"`` alone attaches to every failing user of the check, paths included;
    a longer glob's ``*`` still stops at ``/`` (the matcher shared with exceptions)."""
    catalogue = load_catalogue()
    users = tuple(
        make_user(
            name,
            credentials=make_row(name, password_enabled=True, mfa_active=False),
            arn=f"arn:aws:iam::{ACCOUNT}:user{path}{name}",
            path=path,
        )
        for name, path in (("tanaka", "/"), ("sato", "/staff/"))
    )
    snapshot = make_snapshot(users=users)
    text = GOOD.replace("{arn}", '"*"') + GOOD.replace("{arn}", '"arn:aws:iam::*:user/*"')
    entries = load_responses(_write(tmp_path, text.replace("SEC-7", "SEC-8", 1)), catalogue)
    found = {
        f.resource_name: f.response
        for f in evaluate(snapshot, catalogue=catalogue, responses=entries).findings
        if f.check_id == "console_user_mfa"
    }
    assert set(found) == {"tanaka", "sato"}
    assert all(r is not None and r.ticket == "SEC-8" for r in found.values())
    only_glob = load_responses(_write(tmp_path, GOOD.format(arn='"arn:aws:iam::*:user/*"')))
    globbed = {
        f.resource_name: f.response
        for f in evaluate(snapshot, catalogue=catalogue, responses=only_glob).findings
        if f.check_id == "console_user_mfa"
    }
    assert globbed["tanaka"] is not None
    assert globbed["sato"] is None
