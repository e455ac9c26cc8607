"""``reportgen diff --responses``: owners carried across quarters; closed, open, no owner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runcli import run

RESPONSES = """\
- check: console_user_mfa
  resource: "arn:aws:iam::*:user/tanaka"
  owner: 情報システム部 佐藤
  due: 2026-10-31
  response: MFA を必須にする
  state: in_progress
"""


def test_diff_reports_the_follow_up(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tanaka's missing MFA is still open, with its owner, and overdue at Q4."""
    responses = tmp_path / "responses.yaml"
    responses.write_text(RESPONSES, encoding="utf-8")
    args = ("diff", quarters[0], quarters[1], "--responses", responses)
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    follow = json.loads(out)["follow_up"]
    mfa = [i for i in follow["items"] if i["check_id"] == "console_user_mfa"]
    assert mfa == [
        {
            "change": "persisting",
            "check_id": "console_user_mfa",
            "resource_id": mfa[0]["resource_id"],
            "owner": "情報システム部 佐藤",
            "due": "2026-10-31",
            "response": "MFA を必須にする",
            "state": "in_progress",
            "ticket": None,
            "overdue": True,
        }
    ]
    counts = follow["counts"]
    assert counts["overdue"] == 1
    assert counts["without_owner"] == counts["still_open"] + counts["new_open"] - 1
    code, out, _ = run(capsys, *args, "--format", "table")
    assert "指摘事項のフォローアップ" in out and "対応責任者" in out and "期限超過" in out


def test_diff_without_responses_has_no_follow_up(
    quarters: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a responses file the diff is as before."""
    code, out, _ = run(capsys, "diff", quarters[0], quarters[1], "--format", "json")
    assert code == 0 and "follow_up" not in json.loads(out)


def test_a_bad_responses_file_is_one_line(
    quarters: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistake in the responses file: one line naming file and line, exit 2."""
    responses = tmp_path / "responses.yaml"
    responses.write_text("- check: console_user_mfa\n  resource: x\n", encoding="utf-8")
    code, _, err = run(capsys, "diff", quarters[0], quarters[1], "--responses", responses)
    assert code == 2 and "responses.yaml:1: missing response, state" in err
