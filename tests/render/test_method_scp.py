"""Appendix C says, per account, whether its SCPs capped the effective-permission verdicts
and why (not), in both languages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reportgen.render.i18n import Ui
from reportgen.render.method import scp_text
from reportgen.snapshot.model import Snapshot, Source, SourceStatus, Src
from reportgen.snapshot.services import ScpLevel, ScpPolicy, ServiceControlPolicies
from tests.factories import ACCOUNT, allow, make_snapshot

FULL = ScpPolicy("p-FullAWSAccess", "FullAWSAccess", None, True, allow("*", "*"))
DENY = ScpPolicy(
    "p-d",
    "DenyIam",
    None,
    False,
    {"Statement": [{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]},
)
LEVELS = (
    ScpLevel("ROOT", "r-ab12", "Root", (FULL,)),
    ScpLevel("ORGANIZATIONAL_UNIT", "ou-ab12-x", "Workloads", (FULL, DENY)),
    ScpLevel("ACCOUNT", ACCOUNT, "production", (FULL,)),
)


def snapshot(
    scps: ServiceControlPolicies | None, status: str = "ok", message: str | None = None
) -> Snapshot:
    name = Src.SERVICE_CONTROL_POLICIES.value
    base = make_snapshot(service_control_policies=scps)
    sources = {**base.sources, name: Source(name, SourceStatus(status), message)}
    return replace(base, sources=sources)


def texts(snap: Snapshot) -> tuple[str, str]:
    text = scp_text(snap, Ui(("ja", "en")))
    return text.get("ja"), text.get("en")


def chain(**change: object) -> ServiceControlPolicies:
    fields: dict[str, object] = {
        "organization_id": "o-abc",
        "management_account_id": "999988887777",
        "applies": True,
        "reason": None,
        "levels": LEVELS,
        **change,
    }
    return ServiceControlPolicies(**fields)  # type: ignore[arg-type]


def test_applied_lists_every_level() -> None:
    ja, en = texts(snapshot(chain()))
    listed = f"Root: FullAWSAccess; OU Workloads: FullAWSAccess, DenyIam; {ACCOUNT}: FullAWSAccess"
    assert ja.startswith("SCP：適用した。") and listed in ja
    assert en.startswith("SCPs: applied.") and listed in en


@pytest.mark.parametrize(
    ("reason", "ja", "en"),
    [
        ("management_account", "管理アカウント", "management account"),
        ("no_organization", "どの組織にも属していない", "belongs to no organization"),
        ("not_enabled", "有効になっていない", "has not enabled"),
        ("not_all_features", "すべての機能", "all features"),
    ],
)
def test_none_applies(reason: str, ja: str, en: str) -> None:
    found = texts(snapshot(chain(applies=False, reason=reason, levels=())))
    assert found[0].startswith("SCP：適用なし。") and ja in found[0]
    assert found[1].startswith("SCPs: none applies.") and en in found[1]


def test_denied_names_aws_answer() -> None:
    aws = "AccessDeniedException: You don't have permissions to access this resource."
    ja, en = texts(snapshot(None, "denied", aws))
    assert aws in ja and aws in en and "不適合を見落とすことはない" in ja
    assert "no failure is missed" in en


def test_absent_says_not_read() -> None:
    ja, en = texts(snapshot(None, "absent", "not supplied to import"))
    assert (
        ja.startswith("SCP：本アカウントの SCP は読み取っていない")
        and "collect --organization" in en
    )


def test_a_partial_chain_says_why_it_was_not_applied() -> None:
    ja, en = texts(snapshot(chain(levels=LEVELS[1:])))
    assert ja.startswith("SCP：適用していない。") and "組織のルートから始まっていない" in ja
    assert en.startswith("SCPs: not applied.") and "not start at the organization root" in en


BAD = replace(DENY, name="Broken", document=None, error="Expecting value: line 1 column 1")


@pytest.mark.parametrize(
    ("scps", "ja", "en"),
    [
        (chain(levels=LEVELS[:2]), "本アカウントで終わっていない", "does not end at this account"),
        (
            chain(levels=(LEVELS[0], replace(LEVELS[0], id="r-2"), LEVELS[2])),
            "OU 以外の階層",
            "is not an OU",
        ),
        (
            chain(levels=(LEVELS[0], replace(LEVELS[1], policies=()), LEVELS[2])),
            "OU Workloads の SCP が記録されていない",
            "no SCP is recorded for OU Workloads",
        ),
        (
            chain(levels=(LEVELS[0], replace(LEVELS[1], policies=(FULL, BAD)), LEVELS[2])),
            "読み取れない SCP がある。Broken: Expecting value",
            "an SCP cannot be read: Broken: Expecting value",
        ),
        (
            chain(
                levels=(
                    LEVELS[0],
                    replace(LEVELS[1], policies=(replace(DENY, document=[]),)),
                    LEVELS[2],
                )
            ),
            "読み取れない SCP がある。DenyIam: ",
            "an SCP cannot be read: DenyIam: ",
        ),
        (
            chain(applies=False, reason="management_account"),
            "SCP の適用がないとしながら",
            "says that no SCP applies",
        ),
    ],
)
def test_every_problem_is_named_in_both_languages(
    scps: ServiceControlPolicies, ja: str, en: str
) -> None:
    found = texts(snapshot(scps))
    assert ja in found[0] and "{" not in found[0]
    assert en in found[1] and "{" not in found[1]
