"""Regression tests for the false-PASS paths of issue 13, from real export formats.

Each test imports a credential report written exactly as AWS writes it (tests/exports.py)
and evaluates the snapshot the importer built, as ``reportgen import`` + ``evaluate`` would.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Finding, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.snapshot import document as snapshot_doc
from reportgen.snapshot.model import Snapshot
from tests.exports import COLLECTED, imported, key, report_csv, report_json, root_row, user_row


def finding(snapshot: Snapshot, check_id: str, as_of: datetime | None = None) -> Finding:
    """The single finding of ``check_id`` (root and account-level checks)."""
    every = all_checks(load_catalogue())
    found = [f for f in evaluate(snapshot, every, as_of=as_of).findings if f.check_id == check_id]
    assert len(found) == 1, found
    return found[0]


def stamp(moment: datetime) -> str:
    return moment.isoformat()


# Case 2: ages measured from the wrong moment ------------------------------------------------


def test_case2_root_use_is_measured_from_the_report_not_as_of(tmp_path: Path) -> None:
    """Root used 30 days before the report stays "recent" when evaluated 200 days later."""
    used = stamp(COLLECTED - timedelta(days=30))
    snap = imported(tmp_path, report_csv(root_row(password_last_used=used), user_row("alice")))
    later = COLLECTED + timedelta(days=200)
    result = finding(snap, "root_not_used_recently", as_of=later)
    assert result.status is Status.FAIL
    assert result.evidence["age_days"] == 30
    assert result.evidence["measured_from"] == snap.report_time.isoformat()


# Case 5: future dates -----------------------------------------------------------------------


def test_case5_rotation_after_collection_is_unknown(tmp_path: Path) -> None:
    """A key "rotated" a day after the collection is not evidence of a young key."""
    tomorrow = stamp(COLLECTED + timedelta(days=1))
    row = user_row("alice", key1=key(tomorrow, tomorrow))
    snap = imported(tmp_path, report_csv(root_row(), row))
    found = {f.check_id: f for f in evaluate(snap).findings if "alice" in f.resource_id}
    for check in ("access_key_rotated", "access_key_unused"):
        assert found[check].status is Status.UNKNOWN, check
        assert found[check].evidence["reason"] == "date_in_future"


def test_case5_last_use_after_collection_is_unknown(tmp_path: Path) -> None:
    """A console sign-in dated after the collection makes the unused checks UNKNOWN."""
    row = user_row("alice", password_last_used=stamp(COLLECTED + timedelta(days=3)))
    snap = imported(tmp_path, report_csv(root_row(), row))
    found = {f.check_id: f.status for f in evaluate(snap).findings if "alice" in f.resource_id}
    assert found["console_password_unused"] is Status.UNKNOWN
    assert found["dormant_user"] is Status.UNKNOWN


def test_case5_a_few_minutes_of_skew_are_tolerated(tmp_path: Path) -> None:
    """A date five minutes after the collection is clock skew, not a future date."""
    soon = stamp(COLLECTED + timedelta(minutes=5))
    snap = imported(tmp_path, report_csv(root_row(), user_row("alice", key1=key(soon, soon))))
    found = {f.check_id: f.status for f in evaluate(snap).findings if "alice" in f.resource_id}
    assert found["access_key_rotated"] is Status.PASS


def test_case5_report_generated_after_collection_is_unknown(tmp_path: Path) -> None:
    """A credential report "generated" after the collection time cannot be called fresh."""
    text = report_json(report_csv(root_row(), user_row("alice")), stamp(COLLECTED))
    snap = imported(tmp_path, text, name="report.json")
    doc = json.loads(json.dumps(snap.raw))
    doc["data"]["credential_report"]["generated_time"] = "2026-12-01T00:00:00Z"
    crafted = snapshot_doc.loads(json.dumps(doc).encode())
    assert finding(crafted, "credential_report_fresh").status is Status.UNKNOWN


# Case 7: root password with unknown use -----------------------------------------------------


def test_case7_root_password_with_na_last_use_is_unknown(tmp_path: Path) -> None:
    """Root with a password whose last use is ``N/A`` is not "not used recently"."""
    snap = imported(tmp_path, report_csv(root_row(password_last_used="N/A"), user_row("alice")))
    result = finding(snap, "root_not_used_recently")
    assert result.status is Status.UNKNOWN
    assert result.evidence["reason"] == "root_use_unknown"


@pytest.mark.parametrize(
    ("enabled", "last_used", "expected"),
    [
        ("true", "no_information", Status.PASS),  # AWS: never used since it began recording
        ("not_supported", "no_information", Status.PASS),
        ("not_supported", "N/A", Status.UNKNOWN),
        ("false", "N/A", Status.PASS),  # no password: nothing to use
    ],
)
def test_case7_root_sentinels_per_field(
    tmp_path: Path, enabled: str, last_used: str, expected: Status
) -> None:
    """Each sentinel of root's password_last_used is decided as docs/evidence.md says."""
    row = root_row(password_enabled=enabled, password_last_used=last_used)
    snap = imported(tmp_path, report_csv(row, user_row("alice")))
    assert finding(snap, "root_not_used_recently").status is expected


def test_case7_root_key_with_no_information_is_unknown(tmp_path: Path) -> None:
    """A root key whose last use says ``no_information`` (undocumented there) is unknown."""
    root_key = ["false", "2020-01-01T00:00:00+00:00", "no_information", "N/A", "N/A"]
    row = root_row(password_last_used="no_information", key1=root_key)
    snap = imported(tmp_path, report_csv(row, user_row("alice")))
    assert finding(snap, "root_not_used_recently").status is Status.UNKNOWN


# Case 9: a false FAIL too -------------------------------------------------------------------


def test_case9_passwordless_root_with_virtual_mfa_is_not_applicable(tmp_path: Path) -> None:
    """No root password and no key: the hardware-MFA and MFA checks do not apply."""
    row = root_row(password_enabled="false", password_last_used="N/A", mfa_active="true")
    snap = imported(tmp_path, report_csv(row, user_row("alice")))
    doc = json.loads(json.dumps(snap.raw))
    root_arn = f"arn:aws:iam::{snap.account.id}:root"
    device = {
        "SerialNumber": f"arn:aws:iam::{snap.account.id}:mfa/root-account-mfa-device",
        "User": {"Arn": root_arn},
    }
    doc["sources"]["virtual_mfa_devices"] = {"status": "ok", "message": None}
    doc["data"]["virtual_mfa_devices"] = [device]
    snap = snapshot_doc.loads(json.dumps(doc).encode())
    hardware = finding(snap, "root_hardware_mfa")
    assert hardware.status is Status.NOT_APPLICABLE
    assert hardware.evidence["reason"] == "root_no_credentials"
    row = root_row(password_enabled="false", password_last_used="N/A", mfa_active="false")
    bare = imported(tmp_path, report_csv(row, user_row("alice")))
    assert finding(bare, "root_mfa_enabled").status is Status.NOT_APPLICABLE


# Case 10: date-only --as-of -----------------------------------------------------------------


def test_case10_ninety_days_and_23_hours_is_older_than_ninety_days(tmp_path: Path) -> None:
    """A key 90 days 23 hours old fails a 90-day rotation check: full timestamps compare."""
    rotated = stamp(COLLECTED - timedelta(days=90, hours=23))
    snap = imported(tmp_path, report_csv(root_row(), user_row("alice", key1=key(rotated))))
    found = [f for f in evaluate(snap).findings if f.check_id == "access_key_rotated"]
    assert [f.status for f in found] == [Status.FAIL]
    assert found[0].evidence["age_days"] == 90


# Case 13: evaluating before the evidence ----------------------------------------------------


@pytest.mark.parametrize("as_of", [datetime(1, 1, 1, tzinfo=UTC), COLLECTED - timedelta(seconds=1)])
def test_case13_as_of_before_collection_is_refused(tmp_path: Path, as_of: datetime) -> None:
    """--as-of earlier than the collection time is refused with a clear message."""
    snap = imported(tmp_path, report_csv(root_row(), user_row("alice")))
    with pytest.raises(InputError, match="before the snapshot was collected"):
        evaluate(snap, as_of=as_of)


# Case 11: mappings that claim more than the test ------------------------------------------


def test_case11_a_control_is_met_only_at_its_own_threshold() -> None:
    """The article profile tests unused credentials at 90 days: that is Security Hub IAM.8
    (90 days) but only related to CIS 1.11 and IAM.22 (45 days); cis-v5 (45 days) is the
    reverse. A password policy being present is only related to IAM.7."""
    from reportgen.evaluate.profiles import load_profile

    catalogue = load_catalogue()
    spec = catalogue["access_key_unused"]
    article = load_profile("article", catalogue).params(spec)
    cis = load_profile("cis-v5", catalogue).params(spec)
    assert [spec.meets(c, article) for c in ("cis", "IAM.22", "IAM.8")] == [False, False, True]
    assert [spec.meets(c, cis) for c in ("cis", "IAM.22", "IAM.8")] == [True, True, False]
    assert not catalogue["password_policy_present"].meets("IAM.7")
    assert catalogue["access_key_rotated"].meets("IAM.3", {"max_key_age_days": 90})
    assert not catalogue["access_key_rotated"].meets("IAM.3", {"max_key_age_days": 30})


def test_case11_machine_outputs_and_the_appendix_say_related(tmp_path: Path) -> None:
    """findings.json lists, per check, the controls met and those only related, with the
    parameters actually used; the report's mapping appendix marks the related ones."""
    from reportgen.formats import json as json_format
    from reportgen.render.context import ReportOptions, build_context
    from tests.factories import make_snapshot

    catalogue = load_catalogue()
    assessment = evaluate(make_snapshot(), catalogue=catalogue)
    document = json.loads(json_format.render(assessment, catalogue, "en"))
    checks = {c["id"]: c for c in document["checks"]}
    assert checks["access_key_unused"]["mappings"]["meets"] == ["IAM.8"]
    assert checks["access_key_unused"]["mappings"]["related"] == ["cis", "IAM.22"]
    assert checks["password_policy_present"]["mappings"]["related"] == ["IAM.7"]
    context = build_context(assessment, make_snapshot(), catalogue, ("ja",), ReportOptions())
    row = next(r for r in context.mapping if r.check_id == "access_key_unused")
    related = ["1.12（関連）", "1.12（関連）", "1.11（関連）", "2.11（関連）", "2.11（関連）"]
    assert [str(c) for c in row.cis] == related
    assert [str(c) for c in row.security_hub] == ["IAM.22（関連）", "IAM.8"]
