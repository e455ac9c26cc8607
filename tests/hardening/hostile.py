"""A collected snapshot whose names, paths, tags, policies and alias carry markup and odd text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import boto3
from freezegun import freeze_time
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.sandbox.seed import seed
from reportgen.sandbox.spec import (
    AccountSpec,
    GroupSpec,
    InlinePolicySpec,
    KeySpec,
    PasswordPolicySpec,
    PolicySpec,
    RoleSpec,
    RootSpec,
    TrailSpec,
    UserSpec,
)
from reportgen.snapshot import document as snapshot

ACCOUNT_ID = "123456789012"
TOKYO = "ap-northeast-1"
TODAY = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
EVIL_HOST = "203.0.113.1"

# A token with no break opportunity at all: a table cell must wrap it, not overflow the page.
LONG_TOKEN = "LongToken" + "W" * 1991
# A path of many segments makes a very long ARN (AWS allows paths up to 512 characters).
LONG_PATH = "/" + "/".join(f"dept{i:03d}" for i in range(60)) + "/"
FORMULA = f'=HYPERLINK("http://{EVIL_HOST}/","click")'
RTL = "admin\u202etxt.exe"
ZERO_WIDTH = "ro\u200bot\u200d\u2060user\ufeff"

# What moto accepts (placeholder) → what the snapshot carries after the edit (AWS would refuse
# most of these; a hand-edited or forged snapshot file need not).
HOSTILE: Mapping[str, str] = {
    "hostilezz01": "<script>alert(1)</script>",
    "hostilezz02": f"<img src=http://{EVIL_HOST}/x.png onerror=alert(1)>",
    "hostilezz03": f"</td></table><style>@import url(http://{EVIL_HOST}/x.css);</style>",
    "hostilezz04": '<a href="javascript:alert(1)">j</a>',
    "hostilezz05": f'<a href="http://{EVIL_HOST}/">link</a>',
    "hostilezz06": RTL,
    "hostilezz07": ZERO_WIDTH,
    "hostilezz08": LONG_TOKEN,
    "hostilezz09": FORMULA,
    "hostilezz10": "javascript:alert(document.cookie)",
    "hostilezz11": f"x{{background:url(http://{EVIL_HOST}/bg.png)}}",
    "hostilezz12": f"[/][link=http://{EVIL_HOST}/]rich[/link][bold]markup",
    # path, tags
    "hostilezz20": "<b onmouseover=alert(1)>path</b>",
    "hostilezz21": LONG_PATH.strip("/"),
    "hostilezz30": "<script>tag()</script>",
    "hostilezz31": f"url(http://{EVIL_HOST}/t.png)",
    # group, policies, role, trail, alias
    "hostilezz40": f'<iframe src="http://{EVIL_HOST}/g"></iframe>',
    "hostilezz50": f"@import url(http://{EVIL_HOST}/p.css)",
    "hostilezz51": "<script>sid()</script>",
    "hostilezz52": f"<img src=http://{EVIL_HOST}/r.png>",
    "hostilezz53": f'<link rel=stylesheet href="http://{EVIL_HOST}/d.css">',
    "hostilezz54": "</pre><script>inline()</script>",
    "hostilezz60": f"<style>*{{background:url(http://{EVIL_HOST}/a.png)}}</style>",
    "hostilezz70": "<svg onload=alert(1)>",
    "hostilezz80": f"<object data=http://{EVIL_HOST}/o></object>",
}
USER_NAMES = tuple(HOSTILE[f"hostilezz{i:02d}"] for i in range(1, 13))
OTHER_NAMES = (HOSTILE["hostilezz40"], HOSTILE["hostilezz50"], HOSTILE["hostilezz70"])
ORG_NAME = f"<script>org()</script><img src=http://{EVIL_HOST}/org.png>"

_EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "hostilezz51", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::hostilezz52/*"},
    ],
}
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def spec() -> AccountSpec:
    """Twelve users with placeholder names, all failing MFA and key-age checks."""
    users = tuple(
        UserSpec(
            f"hostilezz{i:02d}",
            age_days=400,
            path={1: "/hostilezz20/", 8: "/hostilezz21/"}.get(i, "/"),
            password=True,
            password_last_used_days=3,
            keys=(KeySpec(age_days=300, last_used_days=1),),
            groups=("hostilezz40",),
            managed_policies=("hostilezz50",) if i in (1, 8) else (),
            inline_policies=(InlinePolicySpec("hostilezz54", _EVERYTHING),) if i == 2 else (),
            tags=(("hostilezz30", "hostilezz31"),) if i == 1 else (),
        )
        for i in range(1, 13)
    )
    return AccountSpec(
        users=users,
        groups=(GroupSpec("hostilezz40", managed_policies=("hostilezz50",)),),
        policies=(PolicySpec("hostilezz50", _EVERYTHING, description="hostilezz53"),),
        roles=(RoleSpec("hostilezz70", _TRUST, managed_policies=("hostilezz50",)),),
        root=RootSpec(mfa=True, password_last_used_days=100),
        password_policy=PasswordPolicySpec(minimum_length=8),
        trails=(TrailSpec("hostilezz80", "hostile-bucket", region=TOKYO),),
        aliases=("hostilezz60",),
    )


def clean_document() -> dict[str, Any]:
    """The spec seeded into moto and collected by the real collector, names left as seeded."""
    with mock_aws(), freeze_time(TODAY):
        seed(spec(), TODAY, ACCOUNT_ID)
        options = CollectOptions(
            region=TOKYO, regions=(TOKYO,), clock=lambda: TODAY, sleep=lambda _s: None
        )
        document = collect(boto3.Session(region_name=TOKYO), options)
    loaded: dict[str, Any] = json.loads(snapshot.dumps(document))
    _add_policy_names(loaded)
    return loaded


def made_hostile(clean: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``clean`` with every placeholder replaced by its hostile value."""
    edited: dict[str, Any] = _edit(clean)
    report = edited["data"]["credential_report"]
    report["content"] = _edit_csv(clean["data"]["credential_report"]["content"])
    return edited


def as_bytes(document: Mapping[str, Any]) -> bytes:
    """A document as a snapshot file's bytes (validated by loading it back)."""
    data = snapshot.dumps(document)
    snapshot.loads(data)
    return data


def _replace(text: str) -> str:
    for placeholder, value in HOSTILE.items():
        text = text.replace(placeholder, value)
    return text


def _edit(value: Any) -> Any:
    if isinstance(value, str):
        return _replace(value)
    if isinstance(value, list):
        return [_edit(item) for item in value]
    if isinstance(value, dict):
        return {_replace(key): _edit(item) for key, item in value.items()}
    return value


def _edit_csv(content: str) -> str:
    # Names with commas and quotes must stay inside their cell: rewrite the report as CSV.
    rows = list(csv.reader(io.StringIO(content, newline="")))
    out = io.StringIO()
    ending = "\r\n" if "\r\n" in content else "\n"
    csv.writer(out, lineterminator=ending).writerows([[_replace(c) for c in r] for r in rows])
    text = out.getvalue()
    return text if content.endswith(ending) else text.removesuffix(ending)


def _add_policy_names(document: dict[str, Any]) -> None:
    # moto 5.2's GetAccountAuthorizationDetails omits PolicyName/PolicyId in Policies.
    details = document["data"].get("authorization_details") or {}
    for policy in details.get("Policies", []):
        policy.setdefault("PolicyName", policy["Arn"].rsplit("/", 1)[-1])
        policy.setdefault("PolicyId", "ANPA" + policy["PolicyName"].upper().ljust(17, "X")[:17])
