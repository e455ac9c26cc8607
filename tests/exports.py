"""Files in the exact shapes AWS exports them, for tests that go through ``reportgen import``.

The credential report is the CSV AWS writes (22 columns, lowercase booleans, ``N/A`` /
``no_information`` / ``not_supported`` sentinels, no final newline); ``report_json`` wraps it
as ``aws iam get-credential-report`` prints it; ``details`` is the JSON of
``aws iam get-account-authorization-details``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.collect import importer
from reportgen.snapshot import credreport
from reportgen.snapshot import document as snapshot_doc
from reportgen.snapshot.model import Snapshot

ACCOUNT = "123456789012"
GENERATED = "2026-11-27T09:00:00+00:00"
COLLECTED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
NO_KEY = ["false", "N/A", "N/A", "N/A", "N/A"]
NO_CERTS = ["false", "N/A", "false", "N/A"]


def root_row(
    account: str = ACCOUNT,
    *,
    password_enabled: str = "true",
    password_last_used: str = "2025-01-10T08:00:00+00:00",
    mfa_active: str = "true",
    key1: list[str] | None = None,
) -> str:
    """The ``<root_account>`` row in the newer format (password ``true``/``false``)."""
    cells = [
        "<root_account>",
        f"arn:aws:iam::{account}:root",
        "2019-01-01T00:00:00+00:00",
        password_enabled,
        password_last_used,
        "2019-01-01T00:00:00+00:00" if password_enabled != "false" else "N/A",
        "not_supported",
        mfa_active,
        *(key1 or NO_KEY),
        *NO_KEY,
        *NO_CERTS,
    ]
    return ",".join(cells)


def user_row(
    name: str,
    account: str = ACCOUNT,
    *,
    password_enabled: str = "true",
    password_last_used: str = "2026-11-20T00:00:00+00:00",
    mfa_active: str = "true",
    key1: list[str] | None = None,
    created: str = "2024-01-01T00:00:00+00:00",
) -> str:
    """A user's row; ``key1`` is the five cells of access key 1 (active, rotated, used, region,
    service)."""
    cells = [
        name,
        f"arn:aws:iam::{account}:user/{name}",
        created,
        password_enabled,
        password_last_used if password_enabled == "true" else "N/A",
        "2024-01-01T00:00:00+00:00" if password_enabled == "true" else "N/A",
        "N/A",
        mfa_active,
        *(key1 or NO_KEY),
        *NO_KEY,
        *NO_CERTS,
    ]
    return ",".join(cells)


def key(rotated: str, used: str = "N/A") -> list[str]:
    """The cells of an active access key rotated at ``rotated`` and last used at ``used``."""
    where = ("N/A", "N/A") if used == "N/A" else ("us-east-1", "s3")
    return ["true", rotated, used, *where]


def report_csv(*rows: str) -> str:
    """The report as AWS writes it: header, rows, LF line ends, no final newline."""
    return "\n".join([",".join(credreport.COLUMNS), *rows])


def report_json(csv_text: str, generated: str = GENERATED) -> str:
    """``aws iam get-credential-report`` output."""
    return json.dumps(
        {
            "Content": base64.b64encode(csv_text.encode()).decode(),
            "ReportFormat": "text/csv",
            "GeneratedTime": generated,
        },
        indent=4,
    )


def detail_user(
    name: str,
    account: str = ACCOUNT,
    *,
    groups: Iterable[str] = ("developers",),
    policies: Iterable[str] = (),
) -> dict[str, Any]:
    """A ``UserDetailList`` entry."""
    return {
        "Path": "/",
        "UserName": name,
        "UserId": f"AIDA{name.upper():0<17}"[:21],
        "Arn": f"arn:aws:iam::{account}:user/{name}",
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "UserPolicyList": [],
        "GroupList": list(groups),
        "AttachedManagedPolicies": [
            {"PolicyName": p.rsplit("/", 1)[-1], "PolicyArn": p} for p in policies
        ],
        "Tags": [],
    }


def detail_group(name: str, policies: Iterable[str] = (), account: str = ACCOUNT) -> dict[str, Any]:
    """A ``GroupDetailList`` entry."""
    return {
        "Path": "/",
        "GroupName": name,
        "GroupId": f"AGPA{name.upper():0<17}"[:21],
        "Arn": f"arn:aws:iam::{account}:group/{name}",
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "GroupPolicyList": [],
        "AttachedManagedPolicies": [
            {"PolicyName": p.rsplit("/", 1)[-1], "PolicyArn": p} for p in policies
        ],
    }


def detail_policy(arn: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Policies`` entry with its default version (document URL-encoded as the API does)."""
    from urllib.parse import quote

    return {
        "PolicyName": arn.rsplit("/", 1)[-1],
        "PolicyId": "ANPA0000000000000000",
        "Arn": arn,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "IsAttachable": True,
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "UpdateDate": "2024-01-01T00:00:00+00:00",
        "PolicyVersionList": [
            {
                "Document": quote(json.dumps(document)),
                "VersionId": "v1",
                "IsDefaultVersion": True,
                "CreateDate": "2024-01-01T00:00:00+00:00",
            }
        ],
    }


def details(
    users: Iterable[Mapping[str, Any]],
    groups: Iterable[Mapping[str, Any]] = (),
    policies: Iterable[Mapping[str, Any]] = (),
    **extra: Any,
) -> str:
    """``aws iam get-account-authorization-details`` output."""
    return json.dumps(
        {
            "UserDetailList": list(users),
            "GroupDetailList": list(groups),
            "RoleDetailList": [],
            "Policies": list(policies),
            **extra,
        },
        indent=4,
    )


def imported(
    tmp_path: Path,
    report: str,
    *,
    authorization_details: str | None = None,
    collected_at: datetime | None = COLLECTED,
    name: str = "report.csv",
) -> Snapshot:
    """Write the exports, run the importer, save and load the snapshot as the CLI would."""
    report_path = tmp_path / name
    report_path.write_text(report)
    details_path = None
    if authorization_details is not None:
        details_path = tmp_path / "details.json"
        details_path.write_text(authorization_details)
    files = importer.ImportFiles(
        report_path, authorization_details=details_path, collected_at=collected_at
    )
    out = tmp_path / "snapshot.json"
    snapshot_doc.save(importer.build_document(files), out, overwrite=True)
    return snapshot_doc.load(out)
