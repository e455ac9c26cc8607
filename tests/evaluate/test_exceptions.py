"""Exceptions: suppression, expiry, stale and expiring entries, file errors with lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.exceptions import ExceptionEntry, load_exceptions
from reportgen.evaluate.findings import ExceptionState, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from tests.factories import ACCOUNT, NOW, make_row, make_snapshot, make_user

BOB = f"arn:aws:iam::{ACCOUNT}:user/bob"


def entry(
    resource: str = BOB, expires: date = date(2026, 12, 31), check: str = "console_user_mfa"
) -> ExceptionEntry:
    return ExceptionEntry(check, resource, "break-glass", "CISO", expires, "SEC-1")


def assess(mini_catalogue: Catalogue, *entries: ExceptionEntry):
    users = [make_user("alice"), make_user("bob", credentials=make_row("bob", mfa_active=False))]
    return evaluate(
        make_snapshot(users=users),
        all_checks(mini_catalogue),
        list(entries),
        catalogue=mini_catalogue,
    )


def mfa_of(assessment, resource: str = BOB):
    return next(
        f
        for f in assessment.findings
        if f.check_id == "console_user_mfa" and f.resource_id == resource
    )


@pytest.mark.parametrize(
    ("expires", "status", "state"),
    [
        (date(2026, 12, 31), Status.SUPPRESSED, ExceptionState.ACTIVE),
        (date(2026, 4, 30), Status.SUPPRESSED, ExceptionState.EXPIRING),  # 30 days after as_of
        (date(2026, 5, 1), Status.SUPPRESSED, ExceptionState.ACTIVE),
        (date(2026, 3, 31), Status.SUPPRESSED, ExceptionState.EXPIRING),  # last valid day
        (date(2026, 3, 30), Status.FAIL, ExceptionState.EXPIRED),
    ],
)
def test_exception_states(
    mini_catalogue: Catalogue, expires: date, status: Status, state: ExceptionState
) -> None:
    """A valid exception suppresses a FAIL; an expired one stops suppressing and is flagged."""
    assessment = assess(mini_catalogue, entry(expires=expires))
    finding = mfa_of(assessment)
    assert finding.status is status
    assert (finding.suppressed_by is not None) is (status is Status.SUPPRESSED)
    assert [(e.state, e.matched) for e in assessment.exceptions] == [(state, 1)]


def test_glob_resources_and_stale_entries(mini_catalogue: Catalogue) -> None:
    """Globs match resource ids; entries matching no FAIL are stale; PASS is never suppressed."""
    assessment = assess(
        mini_catalogue,
        entry(f"arn:aws:iam::{ACCOUNT}:user/bob*"),
        entry("arn:aws:iam::*:user/carol"),
    )
    assert mfa_of(assessment).status is Status.SUPPRESSED
    assert mfa_of(assessment, f"arn:aws:iam::{ACCOUNT}:user/alice").status is Status.PASS
    assert [(e.state, e.matched) for e in assessment.exceptions] == [
        (ExceptionState.ACTIVE, 1),
        (ExceptionState.STALE, 0),
    ]
    assert NOW.date() < date(2026, 12, 31)


def test_load_exceptions(mini_catalogue: Catalogue, tmp_path: Path) -> None:
    """A well-formed file loads; dates may be YAML dates or strings; ticket is optional."""
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        f"""\
- check: console_user_mfa
  resource: {BOB}
  reason: 緊急用アカウント
  approver: 情報セキュリティ部長
  expires: 2026-12-31
- check: root_no_access_key
  resource: "*"
  reason: legacy
  approver: CISO
  expires: "2026-06-30"
  ticket: SEC-2
""",
        encoding="utf-8",
    )
    first, second = load_exceptions(path, mini_catalogue)
    assert (first.expires, first.ticket, first.line) == (date(2026, 12, 31), None, 1)
    assert (second.expires, second.ticket, second.line) == (date(2026, 6, 30), "SEC-2", 6)


BASE = "- check: console_user_mfa\n  resource: x\n  reason: r\n  approver: a\n"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (BASE, "missing expires", 1),
        (BASE + "  expires: someday\n", "expires must be a date", 5),
        (
            BASE.replace("console_user_mfa", "nope") + "  expires: 2026-01-01\n",
            "unknown check id 'nope'",
            1,
        ),
        (BASE + "  expires: 2026-01-01\n  colour: red\n", "unknown key 'colour'", 6),
        ("check: console_user_mfa\n", "YAML list", 1),
        ("- [1, 2]\n", "must be a mapping", 1),
        ("- check: [\n", "invalid YAML", 2),
    ],
)
def test_bad_exception_files_name_file_and_line(
    mini_catalogue: Catalogue, tmp_path: Path, text: str, message: str, line: int
) -> None:
    """Missing or malformed fields raise CatalogueError naming the file and line."""
    path = tmp_path / "exceptions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_exceptions(path, mini_catalogue)
    assert message in str(info.value) and f"{path}:{line}" in str(info.value)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (entry("*"), "over_broad"),
        (entry(f"arn:aws:iam::{ACCOUNT}:user/*"), "over_broad"),
        (entry("arn:*"), "over_broad"),
        (entry(expires=date(2099, 12, 31)), "too_long"),
        (
            ExceptionEntry(
                "console_user_mfa",
                BOB,
                "r",
                "CISO",
                date(2026, 12, 31),
                None,
                approved=date(2025, 11, 30),
            ),
            "too_long",
        ),
        (ExceptionEntry("console_user_mfa", BOB, "r", "  ", date(2026, 12, 31)), "unapproved"),
        (ExceptionEntry("console_user_mfa", BOB, " ", "CISO", date(2026, 12, 31)), "unapproved"),
    ],
)
def test_invalid_exceptions_are_listed_and_never_applied(
    mini_catalogue: Catalogue, item: ExceptionEntry, problem: str
) -> None:
    """A bare * on a per-user check, an expiry beyond the maximum (365 days after approval or,
    without it, after as_of), or no approver: not applied, listed as invalid with why."""
    assessment = assess(mini_catalogue, item)
    assert mfa_of(assessment).status is Status.FAIL
    (report,) = assessment.exceptions
    assert (report.state, report.problem) == (ExceptionState.INVALID, problem)
    assert assessment.overall.raw == assessment.overall.value


def test_a_bare_star_is_enough_on_an_account_level_check(mini_catalogue: Catalogue) -> None:
    """On the root user or the account, * names the one resource there is."""
    from tests.factories import make_key, make_root

    users = [make_user("alice")]
    snapshot = make_snapshot(users=users, root=make_root(keys=[make_key()]))
    waived = ExceptionEntry("root_no_access_key", "*", "r", "CISO", date(2026, 12, 31))
    assessment = evaluate(snapshot, all_checks(mini_catalogue), [waived], catalogue=mini_catalogue)
    root = next(f for f in assessment.findings if f.check_id == "root_no_access_key")
    assert root.status is Status.SUPPRESSED
    assert assessment.exceptions[0].state is ExceptionState.ACTIVE
    assert assessment.overall.raw is not None and assessment.overall.value is not None
    assert assessment.overall.raw < assessment.overall.value


def test_the_maximum_is_configurable(mini_catalogue: Catalogue, tmp_path: Path) -> None:
    """A profile's exception_max_days sets how long an exception may run (default 365)."""
    from dataclasses import replace

    path = tmp_path / "exceptions.yaml"
    path.write_text(
        f"- check: console_user_mfa\n  resource: {BOB}\n  reason: r\n  approver: CISO\n"
        "  approved: 2026-03-01\n  expires: 2026-12-31\n",
        encoding="utf-8",
    )
    (item,) = load_exceptions(path, mini_catalogue)
    users = [make_user("alice"), make_user("bob", credentials=make_row("bob", mfa_active=False))]
    for days, state in ((90, ExceptionState.INVALID), (365, ExceptionState.ACTIVE)):
        profile = replace(all_checks(mini_catalogue), exception_max_days=days)
        found = evaluate(make_snapshot(users=users), profile, [item], catalogue=mini_catalogue)
        assert found.exceptions[0].state is state


def test_a_profile_file_sets_the_maximum(mini_catalogue: Catalogue, tmp_path: Path) -> None:
    """exception_max_days in a profile file is read and checked."""
    from reportgen.evaluate.profiles import load_profile

    good = tmp_path / "strict.yaml"
    good.write_text("checks: [console_user_mfa]\nexception_max_days: 90\n", encoding="utf-8")
    assert load_profile(good, mini_catalogue).exception_max_days == 90
    bad = tmp_path / "bad.yaml"
    bad.write_text("checks: [console_user_mfa]\nexception_max_days: forever\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad\.yaml:2: exception_max_days must be a number"):
        load_profile(bad, mini_catalogue)
