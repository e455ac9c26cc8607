"""Pseudonymise a snapshot document so it can leave the company (docs/redact.md).

Names, ids, ARNs and account ids become keyed HMAC-SHA256 pseudonyms: the same key maps
the same name to the same pseudonym in every snapshot. Dates, flags, counts, structure and
everything AWS publishes (AWS managed policies, ``AWSServiceRoleFor*`` roles) stay.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from reportgen.errors import InputError, ReportgenError
from reportgen.snapshot import redact_scp
from reportgen.snapshot.pseudonyms import _ACCOUNT_RUN, _AWS_MANAGED, Pseudonyms

KEY_BYTES = 32

# Keys whose string value is a name of the given kind (and the pseudonym's prefix).
_NAME_KEYS = {
    "UserName": "user",
    "GroupName": "group",
    "RoleName": "role",
    "PolicyName": "policy",
    "InstanceProfileName": "profile",
    "ServerCertificateName": "cert",
    "S3BucketName": "bucket",
    "SnsTopicName": "topic",
    "S3KeyPrefix": "prefix",
    "Description": "text",
    "Sid": "sid",
    # alternate contacts: people's titles, e-mail addresses and phone numbers
    "Title": "title",
    "EmailAddress": "email",
    "PhoneNumber": "phone",
    # the Identity Center identity store (its id is the AWS access portal's host name)
    "IdentityStoreId": "idstore",
    # EC2 instance ids name the company's machines across its other records
    "InstanceId": "instance",
    # the AWS Organizations organization (o-…), as IAM's ListOrganizationsFeatures names it
    "OrganizationId": "org",
}
_ID_KEYS = frozenset(
    {"UserId", "GroupId", "RoleId", "PolicyId", "InstanceProfileId", "ServerCertificateId"}
)
_DOCUMENT_KEYS = frozenset({"PolicyDocument", "Document", "AssumeRolePolicyDocument"})
# ``Name``/``name`` mean different things in different sources.
_SECTION_NAME_KIND = {
    "cloudtrail": "trail",
    "access_analyzer": "analyzer",
    "alternate_contacts": "person",
    "identity_center": "instance",
    "ec2_instances": "tag",  # an instance's Name tag, pseudonymised like any tag value
}
# Sections whose ``errors`` map a part (contact type, region) to AWS's free-text error.
_ERROR_SECTIONS = frozenset({"alternate_contacts", "ec2_instances"})
# Condition values kept: booleans, numbers, dates and AWS service names. A value with a
# policy variable is pseudonymised around the variable (``…/${aws:username}`` keeps the
# variable only); IP addresses are moved into a documentation range.
_KEEP_CONDITION = re.compile(
    r"(true|false|-?[0-9]{1,11}(\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}[0-9T:.+Z-]*"
    r"|[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com)",
    re.IGNORECASE,
)
_IP = re.compile(r"([0-9]{1,3}\.){3}[0-9]{1,3}(/[0-9]{1,2})?|[0-9a-f:]*:[0-9a-f:]*(/[0-9]{1,3})?")


def redact_document(document: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """A pseudonymised deep copy of a snapshot document (the input is not changed)."""
    original_account = str((document.get("account") or {}).get("id", ""))
    names = Pseudonyms(key, original_account)
    doc: dict[str, Any] = copy.deepcopy(dict(document))
    for part, content in list(doc.items()):
        if part in ("schema", "collected_at"):
            continue
        if part == "data" and isinstance(content, dict):
            doc[part] = {s: _section(names, s, v) for s, v in content.items()}
        elif part in ("collector", "account") and isinstance(content, dict):
            doc[part] = {k: _header_field(names, k, v) for k, v in content.items()}
        elif part == "sources" and isinstance(content, dict):
            doc[part] = {k: _source(names, v) for k, v in content.items()}
        else:  # fields a newer reportgen may add
            doc[part] = _walk(names, content, part)
    _assert_clean(doc, original_account)
    return doc


def _header_field(names: Pseudonyms, key: str, value: Any) -> Any:
    if key == "id" and isinstance(value, str):
        return names.account(value)
    if key == "aliases" and isinstance(value, list):
        return [names.name("alias", a) if isinstance(a, str) else a for a in value]
    if key == "endpoint" and isinstance(value, str) and value.startswith("import:"):
        return "import:" + names.name("file", value.removeprefix("import:"))
    if key == "endpoint" and isinstance(value, str):
        return names.name("endpoint", value)  # a private endpoint's host names the company
    return _walk(names, value, "collector")


def _source(names: Pseudonyms, source: Any) -> Any:
    """A source's status stays; its free-text message (AWS's error names people) is replaced."""
    if not isinstance(source, dict):
        return _walk(names, source, "sources")
    message = source.get("message")
    return {
        **source,
        "message": names.name("message", message) if isinstance(message, str) else message,
    }


def _section(names: Pseudonyms, section: str, content: Any) -> Any:
    if section == "account_aliases":
        return _header_field(names, "aliases", content)
    if section == "credential_report" and isinstance(content, dict):
        report = content.get("content")
        rest = _walk(names, {k: v for k, v in content.items() if k != "content"}, section)
        if isinstance(report, str):
            rest["content"] = redact_credential_report(names, report)
        return rest
    if section == "service_control_policies" and isinstance(content, dict):
        return redact_scp.section(names, content, redact_policy_document)
    if section in _ERROR_SECTIONS and isinstance(content, dict):
        # AWS's error texts beside the data are free text like a source's message
        errors = content.get("errors")
        rest = _walk(names, {k: v for k, v in content.items() if k != "errors"}, section)
        if isinstance(errors, dict):
            rest["errors"] = {
                k: names.name("message", v) if isinstance(v, str) else v for k, v in errors.items()
            }
        return rest
    return _walk(names, content, section)


def redact_credential_report(names: Pseudonyms, content: str) -> str:
    """The report CSV with ``user`` and ``arn`` columns replaced; BOM and line ends kept."""
    bom = "\ufeff" if content.startswith("\ufeff") else ""
    body = content.removeprefix("\ufeff")
    ending = "\r\n" if "\r\n" in body else "\n"
    try:
        rows = list(csv.reader(io.StringIO(body, newline="")))
    except csv.Error as exc:  # never fall back to copying names through unredacted
        raise InputError.keyed("redact_report_not_csv", reason=exc) from None
    if not rows:
        return content
    header = [h.strip() for h in rows[0]]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=ending)
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([_report_cell(names, header, i, cell) for i, cell in enumerate(row)])
    text = out.getvalue()
    if not body.endswith(("\n", "\r")):
        text = text.removesuffix(ending)
    return bom + text


def _report_cell(names: Pseudonyms, header: list[str], index: int, cell: str) -> str:
    column = header[index] if index < len(header) else ""
    if column == "user" and cell != "<root_account>":
        return names.name("user", cell)
    return names.value(cell)


def _walk(names: Pseudonyms, value: Any, section: str) -> Any:
    if isinstance(value, dict):
        if _aws_managed(value):
            return value  # public AWS data; checks find these policies by name
        return {k: _field(names, k, v, section) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(names, item, section) for item in value]
    if isinstance(value, str):
        return names.value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return names.number(value)
    return value


def _field(names: Pseudonyms, key: str, value: Any, section: str) -> Any:
    if key in _DOCUMENT_KEYS:
        return redact_policy_document(names, value)
    if key == "Tags" and isinstance(value, list):
        return [_tag(names, t) for t in value]
    if key == "GroupList" and isinstance(value, list):
        return [names.name("group", g) if isinstance(g, str) else g for g in value]
    if not isinstance(value, str):
        return _walk(names, value, section)
    if key in _ID_KEYS:
        return ":".join(
            names.unique_id(p) if i == 0 else names.name("session", p)
            for i, p in enumerate(value.split(":", 1))
        )
    kind = _NAME_KEYS.get(key) or (
        _SECTION_NAME_KIND.get(section, "name") if key in ("Name", "name") else None
    )
    if kind is not None and not value.startswith("arn:"):
        return names.name(kind, value)
    return names.value(value)


def _aws_managed(entry: Mapping[str, Any]) -> bool:
    arn = entry.get("PolicyArn", entry.get("Arn"))
    return isinstance(arn, str) and _AWS_MANAGED.match(arn) is not None


def _tag(names: Pseudonyms, tag: Any) -> Any:
    """Tag keys stay (a fixed vocabulary such as ``Owner``); values are replaced."""
    if not isinstance(tag, dict):
        return tag
    redacted = dict(tag)
    if isinstance(redacted.get("Value"), str):
        redacted["Value"] = names.name("tag", redacted["Value"])
    return redacted


def redact_policy_document(names: Pseudonyms, document: Any) -> Any:
    """A policy document with ARNs, account ids and names in Resource/Principal/Condition
    replaced; ``Action`` and ``Effect`` kept. A URL-encoded string stays URL-encoded."""
    if isinstance(document, str):
        try:
            decoded = json.loads(unquote(document))
        except json.JSONDecodeError:
            return names.text(document)
        return quote(json.dumps(redact_policy_document(names, decoded)), safe="")
    if not isinstance(document, dict):
        return _walk(names, document, "policy")
    result = dict(document)
    statements = document.get("Statement")
    if isinstance(statements, list):
        result["Statement"] = [_statement(names, s) for s in statements]
    elif isinstance(statements, dict):
        result["Statement"] = _statement(names, statements)
    if isinstance(document.get("Id"), str):
        result["Id"] = names.name("sid", document["Id"])
    return result


def _statement(names: Pseudonyms, statement: Any) -> Any:
    if not isinstance(statement, dict):
        return statement
    rules: dict[str, Callable[[Any], Any]] = {
        "Sid": lambda v: names.name("sid", v) if isinstance(v, str) else v,
        "Resource": lambda v: _strings(v, names.value),
        "NotResource": lambda v: _strings(v, names.value),
        "Principal": lambda v: _principal(names, v),
        "NotPrincipal": lambda v: _principal(names, v),
        "Condition": lambda v: _condition(names, v),
    }
    return {k: rules[k](v) if k in rules else v for k, v in statement.items()}


def _strings(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return change(str(value)) if _ACCOUNT_RUN.fullmatch(str(value)) else value
    if isinstance(value, list):
        return [_strings(v, change) for v in value]
    return value


def _principal(names: Pseudonyms, value: Any) -> Any:
    if not isinstance(value, dict):
        return _strings(value, names.value)
    kinds: dict[str, Callable[[str], str]] = {
        "AWS": names.value,
        "Federated": names.value,
        "CanonicalUser": lambda v: names.name("canonical", v),
    }
    return {k: _strings(v, kinds.get(k, names.value)) for k, v in value.items()}


def _condition(names: Pseudonyms, value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for operator, tests in value.items():
        if not isinstance(tests, dict):
            result[operator] = tests
            continue
        result[operator] = {
            name: _strings(v, _condition_values(names, name)) for name, v in tests.items()
        }
    return result


def _condition_values(names: Pseudonyms, key: str) -> Callable[[str], str]:
    def change(value: str) -> str:
        if value.startswith("arn:") or _ACCOUNT_RUN.fullmatch(value):
            return names.value(value)
        if _IP.fullmatch(value) and any(c.isdigit() for c in value):
            return names.ip(value)
        if key.lower() == "aws:username":
            return names.name("user", value)
        if _KEEP_CONDITION.fullmatch(value):
            return value  # booleans, numbers, dates, IP ranges, AWS services, policy variables
        return names.name("value", value)

    return change


def _assert_clean(document: Mapping[str, Any], account_id: str) -> None:
    """The one identifier we can always check for: the original account id."""
    if not account_id:
        return
    text = json.dumps(document, ensure_ascii=False, default=str)
    if re.search(rf"(?<![0-9]){re.escape(account_id)}(?![0-9])", text):
        raise ReportgenError.keyed("redact_account_left")


def new_key() -> bytes:
    """A random redaction key (for a one-off run: pseudonyms differ from every other run)."""
    return secrets.token_bytes(KEY_BYTES)


def load_key(path: Path, *, create: bool = True) -> tuple[bytes, bool]:
    """The key in ``path`` (hex text); a missing file is created (mode 0600) when allowed.

    Returns the key and whether the file was created now.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise InputError.keyed("redact_key_not_found", path=path)
        key = new_key()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise InputError.keyed("redact_key_not_created", path=path, error=exc) from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
        return key, True
    try:
        text = path.read_text("ascii").strip()
        key = bytes.fromhex(text)
    except OSError as exc:
        raise InputError.keyed("redact_key_unreadable", path=path, error=exc) from None
    except (UnicodeDecodeError, ValueError):
        raise InputError.keyed("redact_not_key_file", path=path) from None
    if len(key) < 16:
        raise InputError.keyed("redact_key_too_short", path=path, size=len(key))
    return key, False
