"""Lab scenarios describe their account as plain data; spec_from_mapping turns it into a spec."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from reportgen.errors import InputError
from reportgen.sandbox.spec import (
    AccountSpec,
    KeySpec,
    PasswordPolicySpec,
    RootSpec,
    TrailSpec,
    UserSpec,
    spec_from_mapping,
)

SCENARIO = """
aliases: [sakura-lab]
password_policy: {minimum_length: 8}
root:
  age_days: 1500
  password_last_used_days: 2
  keys: [{age_days: 700, last_used_days: 10, service: s3, region: us-east-1}]
users:
  - name: sato.kenji
    age_days: 400
    password: true
    password_last_used_days: 3
    keys: [{age_days: 200, last_used_days: 1, service: ec2}]
    managed_policies: [AdministratorAccess]
    tags: {team: app}
trails:
  - {name: main, bucket: lab-trail-bucket, multi_region: false, logging: false}
"""


def test_yaml_scenario_becomes_a_spec() -> None:
    """The documented YAML shape maps one to one onto the spec dataclasses."""
    spec = spec_from_mapping(yaml.safe_load(SCENARIO))
    assert spec == AccountSpec(
        aliases=("sakura-lab",),
        password_policy=PasswordPolicySpec(minimum_length=8),
        root=RootSpec(1500, 2, keys=(KeySpec(700, 10, "s3", "us-east-1"),)),
        users=(
            UserSpec(
                "sato.kenji",
                400,
                password=True,
                password_last_used_days=3,
                keys=(KeySpec(200, 1, "ec2"),),
                managed_policies=("AdministratorAccess",),
                tags=(("team", "app"),),
            ),
        ),
        trails=(TrailSpec("main", "lab-trail-bucket", multi_region=False, logging=False),),
    )


def test_empty_mapping_is_an_empty_account() -> None:
    """An empty scenario is a valid account with defaults (no users, no password policy)."""
    assert spec_from_mapping({}) == AccountSpec()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"userz": []}, "account: unknown keys: userz"),
        ({"users": [{"name": "a", "age_days": "old"}]}, "account.users[0].age_days"),
        ({"users": [{"name": "a"}]}, "account.users[0]"),
        ({"root": {"mfa": "yes"}}, "account.root.mfa"),
        ({"users": {"name": "a"}}, "account.users: expected a list"),
        ({"password_policy": {"minimum_length": True}}, "minimum_length"),
    ],
)
def test_bad_scenarios_name_the_offending_path(data: dict[str, Any], message: str) -> None:
    """Unknown keys, wrong types and missing fields raise InputError naming where."""
    with pytest.raises(InputError, match=re.escape(message)):
        spec_from_mapping(data)
