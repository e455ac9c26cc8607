"""Account-wide rules: password policy, CloudTrail, credential report freshness, certificates."""

from __future__ import annotations

import shlex
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Finding, Section, Severity, Status
from reportgen.evaluate.rules.password_policy import SWITCHES
from reportgen.render.chapters import cli_commands
from tests.evaluate.conftest import only, run, statuses
from tests.factories import (
    NOW,
    ago,
    make_certificate,
    make_password_policy,
    make_snapshot,
    make_trail,
)


@pytest.mark.parametrize(
    ("policy", "check", "expected"),
    [
        (make_password_policy(), "password_policy_present", Status.PASS),
        (None, "password_policy_present", Status.FAIL),
        (make_password_policy(minimum_length=14), "password_min_length", Status.PASS),
        (make_password_policy(minimum_length=13), "password_min_length", Status.FAIL),
        (None, "password_min_length", Status.FAIL),
        (make_password_policy(reuse_prevention=24), "password_reuse_prevention", Status.PASS),
        (make_password_policy(reuse_prevention=23), "password_reuse_prevention", Status.FAIL),
        (make_password_policy(reuse_prevention=None), "password_reuse_prevention", Status.FAIL),
        (None, "password_reuse_prevention", Status.FAIL),
        (make_password_policy(require_uppercase=True), "password_requires_uppercase", Status.PASS),
        (make_password_policy(require_uppercase=False), "password_requires_uppercase", Status.FAIL),
        (None, "password_requires_uppercase", Status.FAIL),
        (make_password_policy(require_lowercase=True), "password_requires_lowercase", Status.PASS),
        (make_password_policy(require_lowercase=False), "password_requires_lowercase", Status.FAIL),
        (None, "password_requires_lowercase", Status.FAIL),
        (make_password_policy(require_symbols=True), "password_requires_symbols", Status.PASS),
        (make_password_policy(require_symbols=False), "password_requires_symbols", Status.FAIL),
        (None, "password_requires_symbols", Status.FAIL),
        (make_password_policy(require_numbers=True), "password_requires_numbers", Status.PASS),
        (make_password_policy(require_numbers=False), "password_requires_numbers", Status.FAIL),
        (None, "password_requires_numbers", Status.FAIL),
        (make_password_policy(max_password_age=90), "password_expires", Status.PASS),
        (make_password_policy(max_password_age=30), "password_expires", Status.PASS),
        (make_password_policy(max_password_age=91), "password_expires", Status.FAIL),
        (make_password_policy(max_password_age=None), "password_expires", Status.FAIL),
        (None, "password_expires", Status.FAIL),
    ],
)
def test_password_policy_rules(policy, check: str, expected: Status) -> None:
    """Length >= 14 and 24 remembered pass; without a policy every password check fails."""
    assert only(run(check, make_snapshot(password_policy=policy))).status is expected


@pytest.mark.parametrize(
    ("trails", "expected"),
    [
        ((make_trail(),), Status.PASS),
        ((), Status.FAIL),
        ((make_trail(is_multi_region=False),), Status.FAIL),
        ((make_trail(is_logging=False),), Status.FAIL),
        ((make_trail(management_events_all=False),), Status.FAIL),
        ((make_trail(is_logging=None),), Status.UNKNOWN),
        ((make_trail("a", is_logging=None), make_trail("b")), Status.PASS),
    ],
)
def test_cloudtrail_multi_region_logging(trails: tuple, expected: Status) -> None:
    """A logging multi-region trail with all management events passes; unreadable is UNKNOWN."""
    assert (
        only(run("cloudtrail_multi_region_logging", make_snapshot(trails=trails))).status
        is expected
    )


def test_cloudtrail_log_validation_per_trail() -> None:
    """Each trail is judged on its own log file validation."""
    snap = make_snapshot(trails=(make_trail("a"), make_trail("b", log_file_validation=False)))
    assert statuses(run("cloudtrail_log_validation", snap)) == [Status.PASS, Status.FAIL]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, Status.PASS), (4, Status.PASS), (4.5, Status.FAIL)],
)
def test_credential_report_fresh(hours: float, expected: Status) -> None:
    """A report generated more than 4 hours before collection fails."""
    snap = make_snapshot(generated=NOW - timedelta(hours=hours))
    result = only(run("credential_report_fresh", snap, as_of=NOW + timedelta(days=400)))
    assert (result.status, result.evidence["hours"]) == (expected, hours)


def test_expired_server_certificate() -> None:
    """A certificate that expired before as_of fails; a valid one passes; none gives nothing."""
    snap = make_snapshot(
        server_certificates=(make_certificate("old", ago(1)), make_certificate("new"))
    )
    found = {r.resource_name: r.status for r in run("expired_server_certificate", snap)}
    assert found == {"old": Status.FAIL, "new": Status.PASS}
    assert run("expired_server_certificate", make_snapshot()) == []


def _applied(options: str) -> dict[str, object]:
    """The policy AWS keeps after update-account-password-policy with ``options``: every
    option left out goes back to its default (off, no minimum beyond 6, no expiry, no reuse)."""
    words = shlex.split(options)
    policy: dict[str, object] = {
        "minimum_length": 6,
        "max_password_age": None,
        "reuse_prevention": None,
        **{field: False for field, _ in SWITCHES},
    }
    numbers = {
        "--minimum-password-length": "minimum_length",
        "--max-password-age": "max_password_age",
        "--password-reuse-prevention": "reuse_prevention",
    }
    flags = {f"--{flag}": field for field, flag in SWITCHES}
    for index, word in enumerate(words):
        if word in numbers:
            policy[numbers[word]] = int(words[index + 1])
        elif word in flags:
            policy[flags[word]] = True
        elif word.startswith("--no-"):
            assert f"--{word[5:]}" in flags, word
    return policy


@given(
    length=st.integers(6, 128),
    reuse=st.none() | st.integers(1, 24),
    age=st.none() | st.integers(1, 1095),
    switches=st.lists(st.booleans(), min_size=len(SWITCHES), max_size=len(SWITCHES)),
)
def test_suggested_password_command_never_weakens(
    length: int, reuse: int | None, age: int | None, switches: list[bool]
) -> None:
    """The suggested command raises the failing setting and keeps every other one as it is."""
    policy = make_password_policy(
        minimum_length=length,
        reuse_prevention=reuse,
        max_password_age=age,
        **{field: on for (field, _), on in zip(SWITCHES, switches, strict=True)},
    )
    snapshot = make_snapshot(password_policy=policy)
    for check, field, wanted in (
        ("password_min_length", "minimum_length", 14),
        ("password_reuse_prevention", "reuse_prevention", 24),
        ("password_requires_uppercase", "require_uppercase", True),
        ("password_requires_lowercase", "require_lowercase", True),
        ("password_requires_symbols", "require_symbols", True),
        ("password_requires_numbers", "require_numbers", True),
        ("password_expires", "max_password_age", 90),
    ):
        result = only(run(check, snapshot))
        after = _applied(str(result.evidence["cli_options"]))
        for name, value in after.items():
            before = getattr(policy, name)
            if name != field:
                expected = before
            elif name == "max_password_age":
                expected = min(before, wanted) if before else wanted  # shorter is stricter
            elif isinstance(wanted, bool):
                expected = True
            else:
                expected = max(before or 0, wanted)
            assert value == expected or (name == "minimum_length" and value == 6 == before), name


def test_suggested_password_command_without_a_policy_sets_the_baseline() -> None:
    """No policy yet: the command sets the whole baseline, not only the failing setting."""
    result = only(run("password_min_length", make_snapshot(password_policy=None)))
    after = _applied(str(result.evidence["cli_options"]))
    assert after["minimum_length"] == 14 and after["reuse_prevention"] == 24
    assert all(after[field] for field, _ in SWITCHES if field != "hard_expiry")


def test_names_in_suggested_commands_are_shell_quoted() -> None:
    """A user name is one shell word in every suggested command, whatever it holds."""
    catalogue = load_catalogue()
    name = "dev; rm -rf ~ $(id)"
    finding = Finding(
        "access_key_unused",
        Section.UNUSED,
        Severity.MEDIUM,
        Status.FAIL,
        "user",
        f"arn:aws:iam::123456789012:user/{name}",
        name,
        {"user": name},
    )
    commands = cli_commands(catalogue["access_key_unused"], [finding])
    assert commands and all(shlex.quote(name) in c for c in commands if "--user-name" in c)
    for command in (c for c in commands if "--user-name" in c):
        words = shlex.split(command)
        assert words[words.index("--user-name") + 1] == name
