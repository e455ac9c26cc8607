"""`reportgen policy --member-role`: the read-only role for each member account."""

from __future__ import annotations

import json

import pytest

from reportgen.resources import package_file
from tests.runcli import run


def test_the_member_role_is_read_only_and_trusts_the_management_account(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Its permissions are the collector policy; only the named account may assume it."""
    code, out, err = run(capsys, "policy", "--member-role", "--management-account", "111122223333")
    assert code == 0, err
    role = json.loads(out)
    assert role["RoleName"] == "ReportgenAuditRole"
    collector = json.loads(package_file("collect", "collector-policy.json").read_text("utf-8"))
    assert role["PermissionsPolicy"] == collector
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert statement["Action"] == "sts:AssumeRole"


def test_the_default_member_role_is_not_an_administrator_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`policy --organization` names the read-only role, not OrganizationAccountAccessRole."""
    code, out, _ = run(capsys, "policy", "--organization")
    assert code == 0
    assume = next(s for s in json.loads(out)["Statement"] if s["Action"] == "sts:AssumeRole")
    assert assume["Resource"] == "arn:aws:iam::*:role/ReportgenAuditRole"


def test_the_collector_policy_grants_no_write_action() -> None:
    """Every action of the member role's permissions is a read (Get, List, Describe, Generate)."""
    collector = json.loads(package_file("collect", "collector-policy.json").read_text("utf-8"))
    actions = [
        action
        for statement in collector["Statement"]
        for action in (
            [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        )
    ]
    verbs = ("Get", "List", "Describe", "Generate", "LookupEvents")
    assert actions and all(a.split(":", 1)[1].startswith(verbs) for a in actions), actions


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--member-role", "--management-account", "12345"], "12-digit"),
        (["--member-role", "--organization"], "different documents"),
    ],
)
def test_bad_policy_options_are_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wrong options: exit 2 and one line that says what is wrong."""
    code, out, err = run(capsys, "policy", *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
