"""Every field the model reads is checked by the schema before the model is built, so a field
of the wrong type is one named input error (and any other error in the builder is a bug)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import SnapshotError
from reportgen.snapshot.document import validate

MINIMAL = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
ARN = "arn:aws:iam::123456789012"


def document() -> dict[str, Any]:
    """A schema-valid document holding one entry of each kind the builder reads."""
    doc: dict[str, Any] = json.loads(MINIMAL.read_text(encoding="utf-8"))
    version = {"VersionId": "v1", "IsDefaultVersion": True, "Document": {"Statement": []}}
    doc["data"] = {
        "authorization_details": {
            "UserDetailList": [{"UserName": "alice", "Arn": f"{ARN}:user/alice"}],
            "GroupDetailList": [{"GroupName": "ops", "Arn": f"{ARN}:group/ops"}],
            "RoleDetailList": [
                {
                    "RoleName": "deploy",
                    "Arn": f"{ARN}:role/deploy",
                    "RoleLastUsed": {"LastUsedDate": "2026-11-01T00:00:00Z"},
                }
            ],
            "Policies": [
                {
                    "PolicyName": "p",
                    "Arn": f"{ARN}:policy/p",
                    "DefaultVersionId": "v1",
                    "PolicyVersionList": [version],
                }
            ],
        },
        "virtual_mfa_devices": [{"SerialNumber": f"{ARN}:mfa/alice"}],
        "cloudtrail": {"trails": [{"Name": "t", "EventSelectors": {"EventSelectors": []}}]},
        "server_certificates": [{"ServerCertificateName": "www", "Arn": f"{ARN}:cert/www"}],
    }
    return doc


def test_the_base_document_is_valid() -> None:
    validate(document())


GAAD = "data/authorization_details"


@pytest.mark.parametrize(
    ("place", "value", "where"),
    [
        (
            ("authorization_details", "UserDetailList", 0, "PermissionsBoundary"),
            "arn:x",
            "UserDetailList/0/PermissionsBoundary",
        ),
        (
            ("authorization_details", "UserDetailList", 0, "UserName"),
            None,
            "UserDetailList/0/UserName",
        ),
        (
            ("authorization_details", "GroupDetailList", 0, "GroupName"),
            7,
            "GroupDetailList/0/GroupName",
        ),
        (
            ("authorization_details", "RoleDetailList", 0, "RoleLastUsed"),
            "yesterday",
            "RoleDetailList/0/RoleLastUsed",
        ),
        (
            ("authorization_details", "RoleDetailList", 0, "CreateDate"),
            "last spring",
            "RoleDetailList/0/CreateDate",
        ),
        (
            ("authorization_details", "Policies", 0, "PolicyVersionList", 0, "IsDefaultVersion"),
            "yes",
            "Policies/0/PolicyVersionList/0/IsDefaultVersion",
        ),
        (("virtual_mfa_devices", 0, "User"), "alice", "virtual_mfa_devices/0/User"),
        (("cloudtrail", "trails", 0, "Status"), "logging", "cloudtrail/trails/0/Status"),
        (
            ("cloudtrail", "trails", 0, "EventSelectors", "EventSelectors"),
            ["all"],
            "trails/0/EventSelectors/EventSelectors/0",
        ),
        (("server_certificates", 0, "Expiration"), 2027, "server_certificates/0/Expiration"),
    ],
)
def test_a_field_of_the_wrong_type_is_named(
    place: tuple[Any, ...], value: object, where: str
) -> None:
    doc = copy.deepcopy(document())
    parent: Any = doc["data"]
    for step in place[:-1]:
        parent = parent[step]
    parent[place[-1]] = value
    with pytest.raises(SnapshotError, match="invalid at data/") as caught:
        validate(doc)
    assert where in str(caught.value)
