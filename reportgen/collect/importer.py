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
from reportgen.errors import CredentialReportError, InputError
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
        raise InputError(f"{files.credential_report}: {exc}") from None
    try:
        account_id, partition = _account_of(report.root.arn if report.root else None, report)
        _one_account(report, account_id, partition)
    except InputError as exc:
        raise InputError(f"{files.credential_report}: {exc}") from None
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
            raise InputError(
                f"{files.authorization_details}: not the output of "
                "`aws iam get-account-authorization-details` (needs " + ", ".join(keys) + ")"
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
            raise InputError(
                f"{files.password_policy}: not the output of `aws iam get-account-password-policy`"
            )
        data[Src.PASSWORD_POLICY.value] = policy
        sources[Src.PASSWORD_POLICY.value] = {"status": "ok", "message": None}
    if files.account_summary:
        summary = _json(files.account_summary)
        if isinstance(summary, dict) and "SummaryMap" in summary:
            summary = summary["SummaryMap"]
        if not isinstance(summary, dict) or not all(isinstance(v, int) for v in summary.values()):
            raise InputError(
                f"{files.account_summary}: not the output of `aws iam get-account-summary`"
            )
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
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _json(path: Path) -> Any:
    text = _read(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: not an AWS export (JSON nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"{path}: not an AWS export ({str(exc)[:80]})") from None


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
        raise InputError(f"{path}: the report's Content is not base64-encoded UTF-8") from None
    except (ValueError, RecursionError, KeyError, TypeError):
        raise InputError(
            f"{path}: neither a credential report CSV nor the JSON of "
            "`aws iam get-credential-report`"
        ) from None
    generated = wrapper.get("GeneratedTime")
    try:
        when = datetime.fromisoformat(generated.replace("Z", "+00:00")) if generated else None
    except (AttributeError, ValueError):
        raise InputError(f"{path}: GeneratedTime is not a date: {generated!r}") from None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return content, when.astimezone(UTC) if when is not None else None
    except OverflowError:
        raise InputError(
            f"{path}: GeneratedTime is outside the years 1-9999: {generated!r}"
        ) from None


def _account_of(root_arn: str | None, report: Any) -> tuple[str, str]:
    arns = [root_arn] if root_arn else [row.arn for row in report.rows]
    if not arns:
        raise InputError("the credential report has no rows, so the account is unknown")
    parts = arns[0].split(":")
    if len(parts) < 5 or not re.fullmatch(r"[0-9]{12}", parts[4]):
        raise InputError(f"cannot read the account id from ARN {arns[0]!r}")
    return parts[4], parts[1]


def _collected_at(files: ImportFiles, generated: datetime | None) -> datetime:
    """When the files were exported: only the user can say (``--collected-at``). A file's
    modification time changes with every copy, and the report's GeneratedTime is when AWS
    produced it, not when it was taken: using either would make freshness always pass."""
    given = files.collected_at
    if given is None:
        raise InputError(
            f"{files.credential_report}: give --collected-at (when the files were exported from "
            "AWS, UTC); neither the file's time nor the report's GeneratedTime is that moment"
        )
    given = given if given.tzinfo else given.replace(tzinfo=UTC)
    if generated is not None and given < generated - SKEW:
        raise InputError(
            f"{files.credential_report}: --collected-at {given.isoformat()} is before the "
            f"report was generated ({generated.isoformat()}); give the export time"
        )
    return given


def _one_account(report: CredentialReport, account_id: str, partition: str) -> None:
    """Every row must belong to the report's account and partition (rows merged from two
    accounts' reports would be judged as one account's)."""
    rows = ([report.root] if report.root else []) + list(report.rows)
    for row in sorted(rows, key=lambda r: r.line):
        if foreign(row.arn, partition, account_id):
            raise InputError(
                f"line {row.line}: {row.arn} is not of account {account_id} ({partition}); "
                "a credential report holds one account"
            )


def _details_whole(path: Path, details: dict[str, Any], account_id: str, partition: str) -> None:
    """Refuse a truncated authorization dump and one of another account."""
    if details.get("IsTruncated") is True or details.get("Marker") or details.get("NextToken"):
        raise InputError(
            f"{path}: the output is truncated (IsTruncated/NextToken): export all pages "
            "(run `aws iam get-account-authorization-details` without --max-items)"
        )
    lists = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
    for listed in lists:
        entries = details.get(listed)
        if not isinstance(entries, list):
            raise InputError(f"{path}: {listed} is not a list")
        for index, entry in enumerate(entries):
            arn = str(entry.get("Arn", "")) if isinstance(entry, dict) else ""
            if foreign(arn, partition, account_id):
                raise InputError(
                    f"{path}: {listed}[{index}]: {arn or 'no Arn'} is not of account "
                    f"{account_id}, the credential report's"
                )
