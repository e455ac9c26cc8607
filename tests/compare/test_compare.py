"""The comparison of two assessments: classification, checks, scores, open-since and gate."""

from __future__ import annotations

import pytest

from reportgen.compare.diff import (
    Change,
    CheckNote,
    change_counts,
    classify,
    compare,
    new_failures,
    open_since,
)
from reportgen.errors import InputError
from reportgen.evaluate.findings import Section, Severity, Status
from tests.compare.factories import Q1, Q2, Q3, Q4, assessment, finding, user

P, F, U, N, S = (
    Status.PASS,
    Status.FAIL,
    Status.UNKNOWN,
    Status.NOT_APPLICABLE,
    Status.SUPPRESSED,
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (F, F, Change.PERSISTING),
        (None, F, Change.NEW),
        (P, F, Change.NEW),
        (N, F, Change.NEW),
        (F, None, Change.RESOLVED),
        (F, P, Change.RESOLVED),
        (F, N, Change.RESOLVED),
        (F, S, Change.CHANGED),
        (S, F, Change.CHANGED),
        (F, U, Change.CHANGED),
        (U, F, Change.CHANGED),
        (S, P, Change.CHANGED),
        (P, U, Change.CHANGED),
        (None, S, Change.CHANGED),
        (P, P, None),
        (P, N, None),
        (None, P, None),
        (P, None, None),
        (S, S, None),
        (U, U, None),
    ],
)
def test_classify(old: Status | None, new: Status | None, expected: Change | None) -> None:
    """Each pair of statuses (None = absent) falls into exactly one kind of change, or none."""
    assert classify(old, new) is expected


def test_new_resolved_persisting_changed() -> None:
    """Findings keyed by (check, resource) are sorted into the four kinds."""
    old = assessment(
        [
            finding(resource="alice", status=F),
            finding(resource="bob", status=F),
            finding(resource="carol", status=P),
            finding(resource="dave", status=F),
            finding(resource="erin", status=F),
        ],
        Q1,
    )
    new = assessment(
        [
            finding(resource="alice", status=F),
            finding(resource="bob", status=P),
            finding(resource="carol", status=F),
            finding(resource="dave", status=S),
            finding(resource="frank", status=F),
        ],
        Q2,
    )
    result = compare(old, new)
    names = {kind: {c.finding.resource_name for c in result.of(kind)} for kind in Change}
    assert names == {
        Change.NEW: {"carol", "frank"},
        Change.RESOLVED: {"bob", "erin"},
        Change.CHANGED: {"dave"},
        Change.PERSISTING: {"alice"},
    }
    assert result.counts == {
        Change.NEW: 2,
        Change.RESOLVED: 2,
        Change.CHANGED: 1,
        Change.PERSISTING: 1,
    }


def test_same_resource_different_checks_are_separate() -> None:
    """One user failing two checks gives two keys; fixing one resolves only that one."""
    old = assessment([finding("console_user_mfa", "alice"), finding("user_in_group", "alice")])
    new = assessment(
        [finding("console_user_mfa", "alice"), finding("user_in_group", "alice", P)], Q2
    )
    result = compare(old, new)
    assert [c.check_id for c in result.of(Change.RESOLVED)] == ["user_in_group"]
    assert [c.check_id for c in result.of(Change.PERSISTING)] == ["console_user_mfa"]


def test_resolved_keeps_old_finding_and_new_keeps_new() -> None:
    """A resolved change carries the old finding; a new one the new finding."""
    result = compare(
        assessment([finding(resource="bob")]), assessment([finding(resource="carol")], Q2)
    )
    (gone,) = result.of(Change.RESOLVED)
    (came,) = result.of(Change.NEW)
    assert (gone.old_status, gone.new_status, gone.new) == (F, None, None)
    assert (came.old_status, came.new_status, came.old) == (None, F, None)
    assert came.open_since == Q2 and gone.open_since is None


def test_listing_order_kind_then_severity() -> None:
    """Changes are listed new first, and within a kind by severity (critical first)."""
    old = assessment([finding("user_in_group", "zed")])
    new = assessment(
        [
            finding("user_in_group", "amy"),
            finding("root_mfa_enabled", "root"),
            finding("access_key_rotated", "bob"),
        ],
        Q2,
    )
    result = compare(old, new)
    assert [(c.change, c.check_id) for c in result.changes] == [
        (Change.NEW, "root_mfa_enabled"),
        (Change.NEW, "access_key_rotated"),
        (Change.NEW, "user_in_group"),
        (Change.RESOLVED, "user_in_group"),
    ]


def test_checks_only_in_one_catalogue_are_noted_not_classified() -> None:
    """A check only the new (old) assessment ran is reported as added (removed), never as
    new (resolved) findings."""
    old = assessment(
        [finding("user_in_group", "amy"), finding("console_user_mfa", "bob")],
        check_ids=["user_in_group", "console_user_mfa"],
    )
    new = assessment(
        [finding("access_key_rotated", "amy"), finding("console_user_mfa", "bob")],
        Q2,
        check_ids=["access_key_rotated", "console_user_mfa"],
    )
    result = compare(old, new)
    assert [(c.check_id, c.note, c.failing) for c in result.checks] == [
        ("access_key_rotated", CheckNote.ADDED, 1),
        ("user_in_group", CheckNote.REMOVED, 1),
    ]
    assert [c.change for c in result.changes] == [Change.PERSISTING]
    assert not result.same_checks


def test_check_without_data_on_one_side_is_noted() -> None:
    """When a check was UNKNOWN for the whole account on one side, its findings are not
    called new or resolved; the check is noted instead."""
    account = {"resource_type": "account", "resource_id": "123456789012"}
    old = assessment(
        [finding("console_user_mfa", status=U, **account), finding("user_in_group", "x")]
    )
    new = assessment(
        [finding("console_user_mfa", "alice"), finding("user_in_group", status=U, **account)],
        Q2,
    )
    result = compare(old, new)
    assert result.changes == ()
    assert [(c.check_id, c.note, c.failing) for c in result.checks] == [
        ("console_user_mfa", CheckNote.NOT_ASSESSED_BEFORE, 1),
        ("user_in_group", CheckNote.NOT_ASSESSED_NOW, 1),
    ]


def test_score_deltas_overall_and_per_section() -> None:
    """Score deltas are new minus old, rounded to one decimal; None where a side has no score."""
    old = assessment([finding(resource="a"), finding(resource="b", status=P)])
    new = assessment([finding(resource="a", status=P), finding(resource="b", status=P)], Q2)
    result = compare(old, new)
    assert (result.overall.old, result.overall.new, result.overall.delta) == (50.0, 100.0, 50.0)
    assert result.sections[Section.MFA].delta == 50.0
    assert result.sections[Section.ROOT].delta is None
    assert set(result.sections) == set(Section)


@pytest.mark.parametrize("other", ["210987654321", "123456789013"])
def test_different_accounts_are_an_input_error(other: str) -> None:
    """Assessments of different accounts cannot be compared: InputError (exit 2)."""
    with pytest.raises(InputError, match="different AWS accounts") as raised:
        compare(assessment(), assessment(collected_at=Q2, account_id=other))
    assert raised.value.exit_code == 2


def test_history_of_another_account_is_an_input_error() -> None:
    """Every assessment of the history must be of the same account too."""
    with pytest.raises(InputError):
        compare(assessment(), assessment(collected_at=Q2), [assessment(account_id="999999999999")])


def test_old_after_new_is_an_input_error() -> None:
    """OLD collected after NEW is refused with a hint to swap them."""
    with pytest.raises(InputError, match="swap"):
        compare(assessment(collected_at=Q2), assessment(collected_at=Q1))


def test_same_snapshot_compares_to_persisting_only() -> None:
    """Comparing an assessment with itself lists every failure as persisting, nothing else."""
    one = assessment([finding(resource="a"), finding(resource="b", status=P)])
    result = compare(one, one)
    assert [c.change for c in result.changes] == [Change.PERSISTING]
    assert result.overall.delta == 0.0


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((F, F, F, F), Q1),
        ((P, F, F, F), Q2),
        ((F, P, F, F), Q3),
        ((F, S, F, F), Q1),
        ((F, U, F, F), Q1),
        ((None, None, F, F), Q3),
        ((P, P, P, F), Q4),
    ],
)
def test_open_since_over_history(statuses: tuple[Status | None, ...], expected: object) -> None:
    """Open since = the first quarter of the current unbroken run of FAIL/SUPPRESSED; UNKNOWN
    does not break the run, PASS or an absent resource does."""
    quarters = (Q1, Q2, Q3, Q4)
    timeline = [
        assessment([finding(status=s)] if s else [], when)
        for s, when in zip(statuses, quarters, strict=True)
    ]
    key = ("console_user_mfa", user("alice"))
    assert open_since(key, timeline) == expected
    result = compare(timeline[2], timeline[3], history=timeline)
    (item,) = [c for c in result.changes if c.key == key]
    assert item.open_since == expected


def test_open_since_skips_quarters_without_the_check() -> None:
    """A quarter whose profile did not run the check neither starts nor breaks the run."""
    timeline = [
        assessment([finding()], Q1),
        assessment([], Q2, check_ids=["user_in_group"]),
        assessment([finding()], Q3),
    ]
    assert open_since(("console_user_mfa", user("alice")), timeline) == Q1


def test_history_given_in_any_order_and_with_duplicates() -> None:
    """History is sorted by collection time; repeated snapshots and NEW itself are ignored."""
    q1, q2, q3 = (assessment([finding()], q) for q in (Q1, Q2, Q3))
    result = compare(q2, q3, history=[q3, q2, q1, q1])
    assert result.changes[0].open_since == Q1


def test_open_since_without_history_is_old_collection_time() -> None:
    """With two snapshots only, a persisting finding is open since the old one."""
    result = compare(assessment([finding()], Q1), assessment([finding()], Q2))
    assert result.changes[0].open_since == Q1


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (Severity.CRITICAL, ["root_mfa_enabled"]),
        (Severity.HIGH, ["root_mfa_enabled", "console_user_mfa"]),
        (Severity.LOW, ["root_mfa_enabled", "console_user_mfa", "user_in_group"]),
        (Severity.INFO, ["root_mfa_enabled", "console_user_mfa", "user_in_group"]),
    ],
)
def test_new_failures_gate(threshold: Severity, expected: list[str]) -> None:
    """The gate lists new failures at or above the severity; persisting and changed ones
    never count."""
    old = assessment(
        [
            finding("access_key_rotated", "p"),
            finding("console_user_mfa", "s", status=S),
        ]
    )
    new = assessment(
        [
            finding("root_mfa_enabled", "root"),
            finding("console_user_mfa", "alice"),
            finding("console_user_mfa", "s"),
            finding("user_in_group", "amy"),
            finding("access_key_rotated", "p"),
        ],
        Q2,
    )
    gate = new_failures(compare(old, new), threshold)
    assert [c.check_id for c in gate] == expected


def test_change_counts_agree_with_compare() -> None:
    """change_counts (used by trends) counts exactly what compare lists."""
    old = assessment([finding(resource=n) for n in ("a", "b", "c")] + [finding("user_in_group")])
    new = assessment(
        [finding(resource="a"), finding(resource="b", status=S), finding(resource="d")], Q2
    )
    assert change_counts(old, new) == compare(old, new).counts


def test_first_detected_is_at_or_before_without_an_earlier_clean_assessment() -> None:
    """Failing in the oldest assessment at hand: first detected "at or before" it (not known);
    with an earlier assessment showing it in order, the date is known; the diff table says so."""
    from reportgen.formats.diff import render
    from reportgen.formats.diff.texts import Texts

    failing = assessment([finding()], Q1)
    result = compare(failing, assessment([finding()], Q2))
    assert result.changes[0].open_since == Q1 and not result.changes[0].open_since_known
    assert f"{Q1:%Y-%m-%d} 以前" in render("table", result, Texts("ja"))
    assert f"at or before {Q1:%Y-%m-%d}" in render("csv", result, Texts("en"))
    clean = assessment([finding(status=Status.PASS)], Q1)
    known = compare(clean, assessment([finding()], Q2), history=[clean])
    later = compare(assessment([finding()], Q2), assessment([finding()], Q3), history=[clean])
    assert later.changes[0].open_since == Q2 and later.changes[0].open_since_known
    assert known.changes[0].open_since == Q2
