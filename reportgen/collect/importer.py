"""Build a snapshot offline from files exported with the AWS console or CLI.

For the auditor who receives a client's credential report by mail: sources not given
are ``absent`` (not collected), so their checks are UNKNOWN, never PASS.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.errors import CredentialReportError, InputError, number_too_long
from reportgen.snapshot import credreport
from reportgen.snapshot.crosscheck import foreign
from reportgen.snapshot.limits import (
    MAX_FILE_BYTES,
    MAX_REPORT_BYTES,
    check_details,
    check_file_size,
    check_report_rows,
)
from reportgen.snapshot.model import CredentialReport, Src

SKEW = timedelta(minutes=15)


@dataclass(frozen=True)
class ImportFiles:
    credential_report: Path
    authorization_details: Path | None = None
    password_policy: Path | None = None
    account_summary: Path | None = None
    collected_at: datetime | None = None


def build_document(files: ImportFiles) -> dict[str, Any]:
    """Read and check every given file; return the snapshot document."""
    content, generated = _credential_report(files.credential_report)
    check_report_rows(str(files.credential_report), content)
    try:
        report = credreport.parse(content)
    except CredentialReportError as exc:
        raise InputError.keyed("in_file", path=files.credential_report, error=exc) from None
    try:
        account_id, partition = _account_of(report.root.arn if report.root else None, report)
        _one_account(report, account_id, partition)
    except InputError as exc:
        raise InputError.keyed("in_file", path=files.credential_report, error=exc) from None
    collected_at = _collected_at(files, generated)
    sources: dict[str, dict[str, str | None]] = {
        s.value: {"status": "absent", "message": "not supplied to import"} for s in Src
    }
    data: dict[str, Any] = {
        Src.CREDENTIAL_REPORT.value: {
            "generated_time": generated.isoformat().replace("+00:00", "Z") if generated else None,
            "format": "text/csv",
            "content": content,
        }
    }
    sources[Src.CREDENTIAL_REPORT.value] = {"status": "ok", "message": None}
    if files.authorization_details:
        details = _json(files.authorization_details)
        keys = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
        if not isinstance(details, dict) or not all(k in details for k in keys):
            raise InputError.keyed(
                "import_not_authorization_details",
                path=files.authorization_details,
                keys=", ".join(keys),
            )
        check_details(str(files.authorization_details), details)
        _details_whole(files.authorization_details, details, account_id, partition)
        data[Src.AUTHORIZATION_DETAILS.value] = {k: details[k] for k in keys}
        sources[Src.AUTHORIZATION_DETAILS.value] = {"status": "ok", "message": None}
    if files.password_policy:
        policy = _json(files.password_policy)
        if isinstance(policy, dict) and "PasswordPolicy" in policy:
            policy = policy["PasswordPolicy"]
        if not isinstance(policy, dict) or "MinimumPasswordLength" not in policy:
            raise InputError.keyed("import_not_password_policy", path=files.password_policy)
        data[Src.PASSWORD_POLICY.value] = policy
        sources[Src.PASSWORD_POLICY.value] = {"status": "ok", "message": None}
    if files.account_summary:
        summary = _json(files.account_summary)
        if isinstance(summary, dict) and "SummaryMap" in summary:
            summary = summary["SummaryMap"]
        if not isinstance(summary, dict) or not all(isinstance(v, int) for v in summary.values()):
            raise InputError.keyed("import_not_account_summary", path=files.account_summary)
        data[Src.ACCOUNT_SUMMARY.value] = summary
        sources[Src.ACCOUNT_SUMMARY.value] = {"status": "ok", "message": None}
    return {
        "schema": "reportgen.snapshot/1",
        "collected_at": collected_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "collector": {
            "tool": "reportgen",
            "version": __version__,
            "caller_arn": None,
            "endpoint": f"import:{files.credential_report.name}",
            "region": None,
        },
        "account": {"id": account_id, "partition": partition, "aliases": []},
        "sources": sources,
        "data": data,
    }


def _read(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    check_file_size(path, limit)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError.keyed("import_unreadable", path=path, reason=exc) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.keyed("snapshot_not_utf8", name=path, byte=exc.start) from None


def _json(path: Path) -> Any:
    text = _read(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.keyed(
            "import_not_json", path=path, line=exc.lineno, detail=exc.msg
        ) from None
    except RecursionError:
        raise InputError.keyed("import_too_deep", path=path) from None
    except ValueError:  # not a JSONDecodeError: an integer of more than 4,300 digits
        raise InputError.keyed("import_not_export", path=path, detail=number_too_long()) from None


def _credential_report(path: Path) -> tuple[str, datetime | None]:
    """A decoded CSV, or the CLI's JSON with base64 ``Content`` and ``GeneratedTime``."""
    text = _read(path, MAX_REPORT_BYTES)
    if not text.lstrip().startswith("{"):
        return text, None
    try:
        wrapper = json.loads(text)
        if not isinstance(wrapper, dict):
            raise TypeError("not an object")
        encoded = wrapper["Content"]
        content = base64.b64decode(encoded, validate=True).decode("utf-8-sig")
    except (binascii.Error, UnicodeDecodeError):  # both ValueErrors: caught first
        raise InputError.keyed("import_content_not_base64", path=path) from None
    except (ValueError, RecursionError, KeyError, TypeError):
        raise InputError.keyed("import_not_credential_report", path=path) from None
    generated = wrapper.get("GeneratedTime")
    try:
        when = datetime.fromisoformat(generated.replace("Z", "+00:00")) if generated else None
    except (AttributeError, ValueError):
        raise InputError.keyed("import_generated_not_date", path=path, value=generated) from None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return content, when.astimezone(UTC) if when is not None else None
    except OverflowError:
        raise InputError.keyed("import_generated_range", path=path, value=generated) from None


def _account_of(root_arn: str | None, report: Any) -> tuple[str, str]:
    arns = [root_arn] if root_arn else [row.arn for row in report.rows]
    if not arns:
        raise InputError.keyed("import_no_rows")
    parts = arns[0].split(":")
    if len(parts) < 5 or not re.fullmatch(r"[0-9]{12}", parts[4]):
        raise InputError.keyed("import_bad_arn", arn=arns[0])
    return parts[4], parts[1]


def _collected_at(files: ImportFiles, generated: datetime | None) -> datetime:
    """When the files were exported: only the user can say (``--collected-at``). A file's
    modification time changes with every copy, and the report's GeneratedTime is when AWS
    produced it, not when it was taken: using either would make freshness always pass."""
    given = files.collected_at
    if given is None:
        raise InputError.keyed("import_collected_at_missing", path=files.credential_report)
    given = given if given.tzinfo else given.replace(tzinfo=UTC)
    if generated is not None and given < generated - SKEW:
        raise InputError.keyed(
            "import_collected_before",
            path=files.credential_report,
            given=given.isoformat(),
            generated=generated.isoformat(),
        )
    return given


def _one_account(report: CredentialReport, account_id: str, partition: str) -> None:
    """Every row must belong to the report's account and partition (rows merged from two
    accounts' reports would be judged as one account's)."""
    rows = ([report.root] if report.root else []) + list(report.rows)
    for row in sorted(rows, key=lambda r: r.line):
        if foreign(row.arn, partition, account_id):
            raise InputError.keyed(
                "import_row_other_account",
                line=row.line,
                arn=row.arn,
                account=account_id,
                partition=partition,
            )


def _details_whole(path: Path, details: dict[str, Any], account_id: str, partition: str) -> None:
    """Refuse a truncated authorization dump and one of another account."""
    if details.get("IsTruncated") is True or details.get("Marker") or details.get("NextToken"):
        raise InputError.keyed("import_truncated", path=path)
    lists = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
    for listed in lists:
        entries = details.get(listed)
        if not isinstance(entries, list):
            raise InputError.keyed("import_not_list", path=path, name=listed)
        for index, entry in enumerate(entries):
            arn = str(entry.get("Arn", "")) if isinstance(entry, dict) else ""
            if foreign(arn, partition, account_id):
                raise InputError.keyed(
                    "import_entry_other_account" if arn else "import_entry_no_arn",
                    path=path,
                    name=listed,
                    index=index,
                    arn=arn,
                    account=account_id,
                )
