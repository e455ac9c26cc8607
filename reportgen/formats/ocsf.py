"""Findings as OCSF 1.1 Detection Finding events (class_uid 2004), one JSON array.

Only findings that report a problem are events: FAIL (status New) and SUPPRESSED (status
Suppressed). PASS, NOT_APPLICABLE and UNKNOWN are not detections and are left out.
"""

from __future__ import annotations

import json
from typing import Any

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment, Finding, Severity, Status
from reportgen.formats.common import message, title

OCSF_VERSION = "1.1.0"
CLASS_UID, CATEGORY_UID, ACTIVITY_CREATE = 2004, 2, 1
SEVERITY = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
STATUS = {Status.FAIL: (1, "New"), Status.SUPPRESSED: (3, "Suppressed")}


def render(assessment: Assessment, catalogue: Catalogue, lang: str) -> str:
    events = [
        _event(assessment, catalogue, f, lang) for f in assessment.findings if f.status in STATUS
    ]
    return json.dumps(events, ensure_ascii=False, indent=2) + "\n"


def _event(assessment: Assessment, catalogue: Catalogue, f: Finding, lang: str) -> dict[str, Any]:
    millis = int(assessment.as_of.timestamp() * 1000)
    severity_id, severity = SEVERITY[f.severity]
    status_id, status = STATUS[f.status]
    return {
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "time": millis,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "message": message(catalogue, f, lang),
        "metadata": {
            "version": OCSF_VERSION,
            "product": {
                "name": "reportgen",
                "vendor_name": "reportgen",
                "version": assessment.tool_version,
            },
        },
        "finding_info": {
            "uid": f"{assessment.account_id}/{f.check_id}/{f.resource_id}",
            "title": title(catalogue, f.check_id, lang),
            "types": [f.section.value, f.check_id],
            "created_time": millis,
        },
        "cloud": {
            "provider": "AWS",
            "account": {"uid": assessment.account_id, "type": "AWS Account"},
        },
        "resources": [{"uid": f.resource_id, "name": f.resource_name, "type": f.resource_type}],
        "unmapped": {
            "check_id": f.check_id,
            "evidence": dict(f.evidence),
            "catalogue_version": assessment.catalogue_version,
            "snapshot_sha256": assessment.snapshot_sha256,
            "exception_approver": f.suppressed_by.approver if f.suppressed_by else None,
        },
    }
