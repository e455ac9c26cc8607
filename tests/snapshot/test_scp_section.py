"""The SCP chain (``service_control_policies``) is read into the model as collected, and a
section of the wrong shape is one named input error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import SnapshotError
from reportgen.snapshot.document import dumps, loads

MINIMAL = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
FULL = {
    "id": "p-FullAWSAccess",
    "name": "FullAWSAccess",
    "arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
    "aws_managed": True,
    "document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    "error": None,
}
CHAIN = {
    "organization_id": "o-abc123",
    "management_account_id": "111111111111",
    "applies": True,
    "reason": None,
    "levels": [
        {"type": "ROOT", "id": "r-ab12", "name": "Root", "policies": [FULL]},
        {
            "type": "ACCOUNT",
            "id": "123456789012",
            "name": "production",
            "policies": [
                FULL,
                {
                    **FULL,
                    "id": "p-bad",
                    "arn": None,
                    "document": None,
                    "aws_managed": False,
                    "error": "not JSON",
                },
            ],
        },
    ],
}


def _document(section: Any, status: str = "ok") -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(json.loads(MINIMAL.read_text(encoding="utf-8")))
    doc["sources"]["service_control_policies"] = {"status": status, "message": None}
    doc["data"]["service_control_policies"] = section
    return doc


def test_the_chain_is_read_root_first() -> None:
    scps = loads(dumps(_document(CHAIN))).service_control_policies
    assert scps is not None and scps.applies and scps.organization_id == "o-abc123"
    assert [level.type for level in scps.levels] == ["ROOT", "ACCOUNT"]
    bad = scps.levels[1].policies[1]
    assert bad.document is None and bad.error == "not JSON" and not bad.aws_managed


def test_not_read_is_none() -> None:
    assert loads(dumps(_document(CHAIN, status="denied"))).service_control_policies is None
    doc = _document(CHAIN)
    del doc["sources"]["service_control_policies"], doc["data"]["service_control_policies"]
    assert loads(dumps(doc)).service_control_policies is None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.pop("applies"),
        lambda c: c.update(reason="because"),
        lambda c: c["levels"][0].update(type="FOLDER"),
        lambda c: c["levels"][1]["policies"][0].update(document="[]"),
        lambda c: c["levels"][0].pop("policies"),
    ],
)
def test_a_wrong_shape_is_a_named_error(change: Any) -> None:
    chain = copy.deepcopy(CHAIN)
    change(chain)
    with pytest.raises(SnapshotError, match="service_control_policies"):
        loads(dumps(_document(chain)))
