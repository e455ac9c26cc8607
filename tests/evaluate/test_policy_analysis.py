"""Policy reading: statement shapes, full admin, service-wide wildcards, attachments."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.evaluate.permissions import full_admin_scope
from reportgen.evaluate.policy import (
    PolicyDocumentError,
    action_matches,
    attached_policy_arns,
    service_wildcards,
    statements,
)
from tests.factories import allow, attached, make_policy, make_snapshot, make_user

DENY_ALL = {"Effect": "Deny", "Action": "*", "Resource": "*"}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (allow("*", "*"), True),
        (allow(["s3:GetObject", "*"], ["arn:aws:s3:::b", "*"]), True),
        (allow("*:*", "*"), True),
        (allow("*", "arn:aws:s3:::bucket/*"), False),
        (allow("s3:*", "*"), False),
        ({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}, False),
        ({"Statement": {"Effect": "Allow", "NotAction": [], "Resource": "*"}}, True),
        ({"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:x"}}, False),
        ({"Statement": [DENY_ALL]}, False),
        ({"Statement": [DENY_ALL, allow("*")["Statement"][0]]}, False),  # Deny wins
        (allow("*", "*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}), True),
        (allow("iam:*", "*"), True),  # all of IAM: can grant itself anything
        (allow("IAM:*", "*"), True),
        (allow("*", "arn:aws:*:*:*:*"), True),
        (allow("*", "arn:*"), True),
        ({"Statement": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}}, True),
        (allow("iam:Get*", "*"), False),
    ],
)
def test_allows_full_admin(document: dict, expected: bool) -> None:
    """Every action, or all of IAM, on every resource is full admin, with IAM semantics."""
    assert (full_admin_scope(document) is not None) is expected


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (allow("s3:*"), ("s3:*",)),
        (allow(["S3:*", "ec2:Describe*"]), ("s3:*",)),  # case-insensitive; prefixes are fine
        (allow("s3:Get*"), ()),
        (allow("*"), ("*",)),
        ({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}, ("NotAction",)),
        ({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}, ()),
    ],
)
def test_service_wildcards(document: dict, expected: tuple) -> None:
    """Service-wide wildcards and NotAction allows are reported, prefix wildcards are not."""
    assert service_wildcards(document) == expected


def test_url_encoded_string_documents_are_read() -> None:
    """A policy document kept as the URL-encoded JSON string IAM returns is understood."""
    encoded = urllib.parse.quote(json.dumps(allow("*", "*")))
    assert full_admin_scope(encoded) == "*"


@pytest.mark.parametrize(
    "document", [None, "not json", {"Statement": "x"}, {"Statement": [{"Action": "*"}]}]
)
def test_unreadable_documents_raise(document: object) -> None:
    """A document that is not an IAM policy raises instead of reading as harmless."""
    with pytest.raises(PolicyDocumentError):
        statements(document)


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:*", "S3:GetObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("ec2:?escribe*", "ec2:DescribeX", True),
    ],
)
def test_action_matches(pattern: str, action: str, expected: bool) -> None:
    """Action patterns use * and ? and ignore case."""
    assert action_matches(pattern, action) is expected


def test_attached_policy_arns_counts_attachments_and_counts() -> None:
    """A policy is in use when a principal has it or its attachment count is non-zero."""
    unused = make_policy("Unused", attachment_count=0)
    used = make_policy("Counted", attachment_count=2)
    snap = make_snapshot(
        users=[make_user(policies=[attached("AdministratorAccess")])], policies=(unused, used)
    )
    arns = attached_policy_arns(snap)
    assert used.arn in arns and unused.arn not in arns
    assert "arn:aws:iam::aws:policy/AdministratorAccess" in arns


PATTERN_PARTS = st.sampled_from(["iam", "s3", ":", "get", "put", "*", "?", "user", ".", "+", "("])


@given(
    patterns=st.lists(
        st.lists(PATTERN_PARTS, min_size=1, max_size=5).map("".join), min_size=0, max_size=6
    ),
    action=st.lists(PATTERN_PARTS, min_size=1, max_size=5).map("".join),
    negated=st.booleans(),
    upper=st.booleans(),
)
def test_a_statement_matches_an_action_as_its_patterns_do_one_by_one(
    patterns: list[str], action: str, negated: bool, upper: bool
) -> None:
    """``Statement.matches_action`` (one compiled pattern per statement, for speed) answers as
    matching each pattern on its own: any Action pattern, or no NotAction pattern."""
    item: dict[str, object] = {"Effect": "Allow", "Resource": "*"}
    item["NotAction" if negated else "Action"] = patterns
    (statement,) = statements({"Statement": [item]})
    asked = action.upper() if upper else action
    one_by_one = any(action_matches(p.lower(), asked) for p in patterns)
    assert statement.matches_action(asked) is (not one_by_one if negated else one_by_one)
