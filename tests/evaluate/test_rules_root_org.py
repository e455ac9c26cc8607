"""The root user in an organization that manages root credentials centrally, and the number of
root MFA devices: not applicable only for a bare member root, never PASS on what is unknown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Finding, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import CertificateCredential, MfaDevice, Snapshot
from reportgen.snapshot.services import OrganizationFeatures
from tests.evaluate.conftest import only, run
from tests.factories import ACCOUNT, NA, ago, make_key, make_root, make_snapshot

MANAGEMENT = "999988887777"
ORG = "o-a1b2c3d4e5"
ROOT_CHECKS = (
    "root_no_access_key",
    "root_mfa_enabled",
    "root_hardware_mfa",
    "root_mfa_devices",
    "root_not_used_recently",
)
BARE = {"password_enabled": False, "mfa_active": False, "password_last_used": NA}
CENTRAL = (Status.NOT_APPLICABLE, "root_centrally_managed")


def features(
    enabled: tuple[str, ...] = ("RootCredentialsManagement", "RootSessions"),
    management: str | None = MANAGEMENT,
) -> OrganizationFeatures:
    return OrganizationFeatures(ORG, enabled, MANAGEMENT, management)


def snapshot(root: dict[str, Any], org: OrganizationFeatures | None = None, **kw: Any) -> Snapshot:
    last_used = root.pop("last_used", None)  # make_row blanks it for a root without password
    row = make_root(**root)
    if last_used is not None:
        row = replace(row, password_last_used=last_used)
    return make_snapshot(root=row, organization_features=org, **kw)


def verdict(check: str, snap: Snapshot, **params: Any) -> tuple[Status, Any]:
    result = only(run(check, snap, **params))
    return result.status, result.evidence.get("reason")


@pytest.mark.parametrize("check", ROOT_CHECKS)
def test_a_bare_member_root_under_central_management_is_not_applicable(check: str) -> None:
    """No password, key, certificate or MFA, in a member account whose organization manages
    root credentials: N/A with that reason and the organization named, never PASS."""
    result = only(run(check, snapshot(BARE, features())))
    assert (result.status, result.evidence["reason"]) == CENTRAL
    assert result.evidence["organization"] == ORG


@pytest.mark.parametrize(
    ("org", "why"),
    [
        (None, "features not collected (a member collected on its own)"),
        (features(("RootSessions",)), "RootCredentialsManagement not enabled"),
        (features(management=None), "management account unknown (read in the account itself)"),
        (features(management=ACCOUNT), "this is the management account"),
    ],
)
def test_without_central_management_of_this_member_the_usual_verdicts(
    org: OrganizationFeatures | None, why: str
) -> None:
    """Anything short of 'a member whose organization manages root centrally' judges the bare
    root as before: no key passes, MFA is not applicable without a password."""
    snap = snapshot(BARE, org)
    assert verdict("root_no_access_key", snap) == (Status.PASS, None), why
    assert verdict("root_mfa_enabled", snap) == (Status.NOT_APPLICABLE, "root_no_credentials"), why
    assert verdict("root_not_used_recently", snap) == (Status.PASS, None), why


@pytest.mark.parametrize(
    ("left", "check", "expected"),
    [
        ({"password_enabled": True}, "root_mfa_enabled", (Status.FAIL, "root_credentials_remain")),
        ({"keys": [make_key(1)]}, "root_no_access_key", (Status.FAIL, "root_credentials_remain")),
        ({"mfa_active": True}, "root_mfa_enabled", (Status.PASS, None)),
        (
            {
                "certificates": (
                    CertificateCredential(1, True, ago(10)),
                    CertificateCredential(2, False, NA),
                )
            },
            "root_no_access_key",
            (Status.PASS, None),
        ),
    ],
    ids=["password", "access-key", "mfa-device", "signing-certificate"],
)
def test_a_member_root_with_a_credential_left_is_judged_as_usual(
    left: dict[str, Any], check: str, expected: tuple[Status, Any]
) -> None:
    """Central management does not excuse a credential that remains: the check judges it, and a
    FAIL says the management account should delete it (variant root_credentials_remain)."""
    assert verdict(check, snapshot({**BARE, **left}, features())) == expected


def test_a_recorded_recent_use_still_fails() -> None:
    """The credential report records a root sign-in 3 days ago (the password deleted since):
    that use happened; only without a recent use is the check not applicable."""
    recent = snapshot({**BARE, "last_used": ago(3)}, features())
    assert verdict("root_not_used_recently", recent)[0] is Status.FAIL
    old = snapshot({**BARE, "last_used": ago(300)}, features())
    assert verdict("root_not_used_recently", old) == CENTRAL


def root_device(name: str = "root-account-mfa-device") -> MfaDevice:
    return MfaDevice(f"arn:aws:iam::{ACCOUNT}:mfa/{name}", f"arn:aws:iam::{ACCOUNT}:root", ago(9))


@pytest.mark.parametrize(
    ("root", "devices", "params", "expected"),
    [
        ({"mfa_active": False}, 0, {}, (Status.FAIL, None)),
        ({"mfa_active": True}, 2, {}, (Status.PASS, None)),
        ({"mfa_active": True}, 1, {}, (Status.UNKNOWN, "needs_review_root_mfa_devices")),
        ({"mfa_active": True}, 0, {}, (Status.UNKNOWN, "needs_review_root_mfa_devices")),
        ({"mfa_active": True}, 0, {"min_devices": 1}, (Status.PASS, None)),
        (
            {"mfa_active": True},
            2,
            {"min_devices": 3},
            (Status.UNKNOWN, "needs_review_root_mfa_devices"),
        ),
        ({"mfa_active": False}, 1, {}, (Status.UNKNOWN, "root_mfa_devices_disagree")),
        (BARE, 0, {}, (Status.NOT_APPLICABLE, "root_no_credentials")),
    ],
    ids=[
        "no-mfa",
        "two-virtual",
        "one-virtual",
        "hardware-only",
        "one-wanted",
        "three-wanted",
        "report-disagrees",
        "no-password",
    ],
)
def test_root_mfa_devices(
    root: dict[str, Any], devices: int, params: dict[str, Any], expected: tuple[Status, Any]
) -> None:
    """The count is known when root has no MFA (0) or enough virtual devices; a security key or
    hardware token cannot be listed, so fewer listed devices need review, never PASS."""
    listed = tuple(root_device(f"root-{n}") for n in range(devices))
    snap = snapshot(root, virtual_mfa_devices=listed)
    assert verdict("root_mfa_devices", snap, **params) == expected


def messages(check: str, snap: Snapshot) -> dict[str, str]:
    catalogue = load_catalogue()
    found: list[Finding] = [
        f
        for f in evaluate(snap, all_checks(catalogue), catalogue=catalogue).findings
        if f.check_id == check
    ]
    assert len(found) == 1
    return {lang: catalogue.message(found[0], lang) for lang in ("ja", "en")}


def test_the_messages_name_the_organization_in_both_languages() -> None:
    """The N/A says who manages root and why; the FAIL says to delete the credential left."""
    bare = messages("root_mfa_enabled", snapshot(BARE, features()))
    assert bare["ja"].startswith(f"組織（{ORG}）はメンバーアカウントのルートユーザーの認証情報")
    assert bare["en"].startswith(f"The organization ({ORG}) manages the root user credentials")
    left = messages("root_no_access_key", snapshot({**BARE, "keys": [make_key(1)]}, features()))
    assert left["ja"].startswith("ルートユーザーに有効なアクセスキーが1個ある。組織")
    assert "「IAM」→「ルートアクセス管理」" in left["ja"]
    assert left["en"].startswith("Active access keys of the root user: 1. The organization")


def test_the_device_review_reads_in_both_languages() -> None:
    """The review item says how many virtual devices were seen and why that is not the count."""
    snap = snapshot({"mfa_active": True}, virtual_mfa_devices=(root_device(),))
    text = messages("root_mfa_devices", snap)
    assert text["ja"].startswith(
        "要確認：ルートユーザーには MFA が設定されており、一覧できた仮想 MFA デバイスは1台である。"
    )
    assert "cannot be listed by an IAM principal" in text["en"]
    two = (root_device("a"), root_device("b"))
    passed = messages("root_mfa_devices", snapshot({"mfa_active": True}, virtual_mfa_devices=two))
    assert passed["en"].startswith("The root user has at least 2 MFA devices")
