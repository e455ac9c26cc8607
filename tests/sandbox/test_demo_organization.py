"""``reportgen demo --organization``: a sandbox organization on the emulator, collected with
the real organization collector, and its organization report, in one command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runcli import run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape"),
]


def test_one_command_writes_the_organization_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three accounts collected (manifest, one snapshot each), a report per account and the
    summary; a second run needs --force; `reportgen --lang en demo --organization` writes them
    in English (they were Japanese whatever the --lang)."""
    out = tmp_path / "out"
    args = ["demo", "--organization", "--users", "10", "--today", "2026-12-01"]
    code, stdout, err = run(capsys, *args, "--format", "html", "-o", out)
    assert code == 0, err
    folder = out / "organization"
    manifest = json.loads((folder / "snapshots" / "manifest.json").read_text("utf-8"))
    accounts = [a["id"] for a in manifest["accounts"]]
    assert len(accounts) == 3 and all(a["status"] == "ok" for a in manifest["accounts"])
    assert manifest["role_name"] == "ReportgenAuditRole"
    for account in accounts:
        assert (folder / "report" / account / "report.ja.html").is_file()
    # The members sit in the Workloads OU under its guardrail; SCPs never restrict the
    # management account.
    chains = {
        account: json.loads((folder / "snapshots" / f"{account}.json").read_text("utf-8"))["data"][
            "service_control_policies"
        ]
        for account in accounts
    }
    management = {chain["management_account_id"] for chain in chains.values()}
    assert len(management) == 1 and management <= set(accounts)
    for account, chain in chains.items():
        if account in management:
            assert (chain["applies"], chain["reason"]) == (False, "management_account")
            continue
        levels = [(level["type"], level["id"]) for level in chain["levels"]]
        assert [t for t, _ in levels] == ["ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"]
        assert levels[-1][1] == account and chain["levels"][1]["name"] == "Workloads"
        names = [p["name"] for p in chain["levels"][1]["policies"]]
        assert names == ["FullAWSAccess", "DenyIamUserCredentials"]
    summary = json.loads((folder / "report" / "summary.json").read_text("utf-8"))
    assert sorted(a["account_id"] for a in summary["accounts"]) == sorted(accounts)
    assert str(folder / "report" / "summary.ja.html") in stdout
    again = run(capsys, *args, "--format", "html", "-o", out)
    assert again[0] == 2 and "--force" in again[2]
    english = run(capsys, "--lang", "en", *args, "--format", "html", "-o", out, "--force")
    assert english[0] == 0, english[2]
    assert (folder / "report" / "summary.en.html").is_file()
    manifest = json.loads((folder / "snapshots" / "manifest.json").read_text("utf-8"))
    for account in manifest["accounts"]:  # member account ids are new on each run
        assert (folder / "report" / account["id"] / "report.en.html").is_file()
