"""Builders of findings and assessments for the comparison tests (scores by the real formula)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from reportgen.evaluate.findings import Assessment, Finding, Section, Severity, Status
from reportgen.evaluate.scoring import score, section_scores

ACCOUNT = "123456789012"
Q1 = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
Q2 = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
Q3 = datetime(2026, 9, 30, 9, 0, tzinfo=UTC)
Q4 = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)

# check id -> (section, severity), a small slice of the real catalogue
CHECKS: dict[str, tuple[Section, Severity]] = {
    "root_mfa_enabled": (Section.ROOT, Severity.CRITICAL),
    "console_user_mfa": (Section.MFA, Severity.HIGH),
    "access_key_rotated": (Section.ACCESS_KEYS, Severity.MEDIUM),
    "user_in_group": (Section.GROUPS, Severity.LOW),
    "credential_report_fresh": (Section.LOGGING, Severity.INFO),
}


def user(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def finding(
    check_id: str = "console_user_mfa",
    resource: str = "alice",
    status: Status = Status.FAIL,
    **overrides: Any,
) -> Finding:
    """A finding of ``check_id`` for user ``resource`` (an ARN is built from the name)."""
    section, severity = CHECKS[check_id]
    fields: dict[str, Any] = {
        "check_id": check_id,
        "section": section,
        "severity": severity,
        "status": status,
        "resource_type": "user",
        "resource_id": user(resource),
        "resource_name": resource,
        "evidence": {"user": resource},
    }
    fields.update(overrides)
    return Finding(**fields)


def assessment(
    findings: Iterable[Finding] = (),
    collected_at: datetime = Q1,
    check_ids: Iterable[str] | None = None,
    account_id: str = ACCOUNT,
    **overrides: Any,
) -> Assessment:
    """An assessment of ``findings``; ``check_ids`` default to every check in ``CHECKS``."""
    items = tuple(findings)
    digest = hashlib.sha256(f"{account_id}{collected_at.isoformat()}".encode()).hexdigest()
    fields: dict[str, Any] = {
        "account_id": account_id,
        "account_aliases": ("example-prod",),
        "partition": "aws",
        "collected_at": collected_at,
        "as_of": collected_at,
        "snapshot_sha256": digest,
        "tool_version": "0.1.0",
        "catalogue_version": "test",
        "profile": "article",
        "check_ids": tuple(check_ids) if check_ids is not None else tuple(CHECKS),
        "findings": items,
        "overall": score(items),
        "sections": section_scores(items),
        "exceptions": (),
    }
    fields.update(overrides)
    return Assessment(**fields)
