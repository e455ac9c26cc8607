"""Root-user rules: old and new root row formats, sentinels, the recent-use window."""

from __future__ import annotations

import pytest

from reportgen.evaluate.findings import Status
from reportgen.snapshot.model import MfaDevice
from tests.evaluate.conftest import only, run
from tests.factories import (
    ACCOUNT,
    NA,
    NO_INFO,
    NOT_SUPPORTED,
    NOW,
    ago,
    make_key,
    make_root,
    make_snapshot,
)

OLD_FORMAT = {"password_enabled": NOT_SUPPORTED, "password_last_changed": NOT_SUPPORTED}


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ({}, Status.PASS),
        ({"keys": [make_key(1)]}, Status.FAIL),
        ({"keys": [make_key(1, active=False), make_key(2)]}, Status.FAIL),
        ({"keys": [make_key(1, active=False)]}, Status.PASS),
        ({**OLD_FORMAT, "keys": [make_key(2)]}, Status.FAIL),
    ],
)
def test_root_no_access_key(root: dict, expected: Status) -> None:
    """Any active root key fails; an inactive one does not."""
    result = only(run("root_no_access_key", make_snapshot(root=make_root(**root))))
    assert result.status is expected
    assert result.resource_id == f"arn:aws:iam::{ACCOUNT}:root"


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ({"mfa_active": True}, Status.PASS),
        ({"mfa_active": False}, Status.FAIL),
        ({"mfa_active": False, **OLD_FORMAT}, Status.FAIL),  # not_supported: password assumed
        (
            {"mfa_active": False, "password_enabled": False},
            Status.NOT_APPLICABLE,
        ),  # nothing to protect
        ({"mfa_active": False, "password_enabled": False, "keys": [make_key()]}, Status.PASS),
        ({"mfa_active": True, **OLD_FORMAT}, Status.PASS),
    ],
)
def test_root_mfa_enabled(root: dict, expected: Status) -> None:
    """Root needs MFA; without a password and keys (explicit false) it is out of scope."""
    assert only(run("root_mfa_enabled", make_snapshot(root=make_root(**root)))).status is expected


VIRTUAL = MfaDevice(
    f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device", f"arn:aws:iam::{ACCOUNT}:root", ago(10)
)
OTHER = MfaDevice(f"arn:aws:iam::{ACCOUNT}:mfa/alice", f"arn:aws:iam::{ACCOUNT}:user/alice", None)


@pytest.mark.parametrize(
    ("root", "devices", "expected"),
    [
        ({}, (), Status.PASS),
        ({}, (OTHER,), Status.PASS),
        ({}, (VIRTUAL,), Status.FAIL),
        ({"mfa_active": False}, (), Status.FAIL),
        ({"mfa_active": False, "password_enabled": False}, (), Status.NOT_APPLICABLE),
        ({"password_enabled": False}, (VIRTUAL,), Status.NOT_APPLICABLE),  # case 9
        ({"mfa_active": False, "password_enabled": False, "keys": [make_key()]}, (), Status.FAIL),
    ],
)
def test_root_hardware_mfa(root: dict, devices: tuple, expected: Status) -> None:
    """Root MFA must exist and must not be a virtual device, unless root has no credentials."""
    snap = make_snapshot(root=make_root(**root), virtual_mfa_devices=devices)
    assert only(run("root_hardware_mfa", snap)).status is expected


@pytest.mark.parametrize(
    ("root", "expected", "age"),
    [
        ({"password_last_used": ago(89)}, Status.FAIL, 89),
        ({"password_last_used": ago(90)}, Status.PASS, 90),
        ({"password_last_used": ago(91)}, Status.PASS, 91),
        ({"password_last_used": NO_INFO}, Status.PASS, None),
        (
            {"password_last_used": NO_INFO, "keys": [make_key(2, last_used_date=ago(3))]},
            Status.FAIL,
            3,
        ),
        (
            {"password_last_used": ago(400), "keys": [make_key(1, last_used_date=NA)]},
            Status.PASS,
            400,
        ),
        ({**OLD_FORMAT, "password_last_used": ago(5)}, Status.FAIL, 5),
    ],
)
def test_root_not_used_recently(root: dict, expected: Status, age: int | None) -> None:
    """Root use within the window fails; exactly window_days ago is outside it; sentinels skip."""
    snapshot = make_snapshot(root=make_root(**root), generated=NOW)
    result = only(run("root_not_used_recently", snapshot))
    assert (result.status, result.evidence["age_days"]) == (expected, age)
    assert result.evidence["threshold"] == 90


@pytest.mark.parametrize(
    "check",
    ["root_no_access_key", "root_mfa_enabled", "root_hardware_mfa", "root_not_used_recently"],
)
def test_missing_root_row_is_unknown(check: str) -> None:
    """A report without a root row gives UNKNOWN, never PASS."""
    result = only(run(check, make_snapshot(root=False)))
    assert result.status is Status.UNKNOWN
    assert result.evidence["reason"] == "root_row_missing"
