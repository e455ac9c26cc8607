"""Pseudonymise a snapshot document so it can leave the company (docs/redact.md).

Names, ids, ARNs and account ids become keyed HMAC-SHA256 pseudonyms: the same key maps
the same name to the same pseudonym in every snapshot. Dates, flags, counts, structure and
everything AWS publishes (AWS managed policies, ``AWSServiceRoleFor*`` roles) stay.
"""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import hmac
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

KEY_BYTES = 32
DIGEST_CHARS = 10  # 40 bits: no collision expected below millions of names per kind

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
}
_ID_KEYS = frozenset(
    {"UserId", "GroupId", "RoleId", "PolicyId", "InstanceProfileId", "ServerCertificateId"}
)
_DOCUMENT_KEYS = frozenset({"PolicyDocument", "Document", "AssumeRolePolicyDocument"})
# ``Name``/``name`` mean different things in different sources.
_SECTION_NAME_KIND = {"cloudtrail": "trail", "access_analyzer": "analyzer"}
# IAM resource types inside ARNs, and the name kinds they share with the fields above.
_IAM_TYPES = {
    "user": "user",
    "group": "group",
    "role": "role",
    "policy": "policy",
    "instance-profile": "profile",
    "server-certificate": "cert",
    "mfa": "mfa",
    "saml-provider": "idp",
    "oidc-provider": "idp",
}
_OTHER_TYPES = {("cloudtrail", "trail"): "trail", ("access-analyzer", "analyzer"): "analyzer"}
# Names AWS gives, identical in every account: public, and checks look for them.
_PUBLIC_NAMES = {
    "role": re.compile(r"AWSServiceRoleFor.*"),
    "mfa": re.compile(r"root-account-mfa-device"),
}
_AWS_MANAGED = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/")
_ACCOUNT_RUN = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_TEXT_RUNS = re.compile(
    r"(?P<arn>arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[a-z0-9*-]*:[^\s\"'<>,;]+)"
    r"|(?P<account>(?<![0-9])[0-9]{12}(?![0-9]))"
)
# IAM unique-id prefixes say what kind of thing it is (user, group, role, policy, …).
_ID_PREFIXES = frozenset({"AIDA", "AGPA", "AROA", "ANPA", "ANVA", "AIPA", "ASCA", "AKIA", "ASIA"})
_WILDCARDS = re.compile(r"(\*|\?|\$\{[^}]*\})")
_KEEP_CONDITION = re.compile(
    r"(true|false|-?[0-9.]+|[0-9a-f:.]+/[0-9]{1,3}|[0-9]{4}-[0-9]{2}-[0-9]{2}[0-9T:.+Z-]*"
    r"|.*\.amazonaws\.com|.*\$\{.*)",
    re.IGNORECASE,
)


class Pseudonyms:
    """Keyed, consistent pseudonyms; raises if two names would share one (a 2^-40 event)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise InputError("a redaction key needs at least 16 bytes")
        self._key = key
        self._seen: dict[str, tuple[str, str]] = {}

    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()

    def _claim(self, pseudonym: str, kind: str, value: str) -> str:
        previous = self._seen.setdefault(pseudonym, (kind, value))
        if previous != (kind, value):
            raise ReportgenError(f"pseudonym collision for {pseudonym}; use another key")
        return pseudonym

    def name(self, kind: str, value: str) -> str:
        """``kind-<10 hex>``; wildcards and policy variables inside ``value`` are kept."""
        if value in ("", "*") or (kind in _PUBLIC_NAMES and _PUBLIC_NAMES[kind].fullmatch(value)):
            return value
        if _WILDCARDS.search(value):
            parts = _WILDCARDS.split(value)
            return "".join(
                p if not p or _WILDCARDS.fullmatch(p) else self.name(kind, p) for p in parts
            )
        digest = self._digest(kind, value).hex()[:DIGEST_CHARS]
        return self._claim(f"{kind}-{digest}", kind, value)

    def account(self, value: str) -> str:
        """A 12-digit pseudonymous account id."""
        number = int.from_bytes(self._digest("account", value)[:8], "big") % 10**12
        return self._claim(f"{number:012d}", "account", value)

    def unique_id(self, value: str) -> str:
        """An IAM unique id (``AIDA…``): the type prefix kept, the rest replaced."""
        if _ACCOUNT_RUN.fullmatch(value):
            return self.account(value)
        prefix = value[:4] if value[:4] in _ID_PREFIXES else ""
        tail = base64.b32encode(self._digest("id", value)).decode()
        return self._claim(prefix + tail[: max(len(value) - len(prefix), 12)], "id", value)

    def arn(self, value: str) -> str:
        """An ARN with its account id and resource names replaced (AWS-owned ARNs kept)."""
        parts = value.split(":", 5)
        if len(parts) < 6:
            return _ACCOUNT_RUN.sub(lambda m: self.account(m.group(0)), value)
        if parts[4] == "aws":
            return value
        _, partition, service, region, account, resource = parts
        if _ACCOUNT_RUN.fullmatch(account):
            account = self.account(account)
        resource = self._resource(service, resource)
        return ":".join(("arn", partition, service, region, account, resource))

    def _resource(self, service: str, resource: str) -> str:
        if resource in ("", "*", "root"):
            return resource
        if service == "iam":
            kind_word, _, rest = resource.partition("/")
            kind = _IAM_TYPES.get(kind_word, "res")
            path, _, name = rest.rpartition("/")
            return f"{kind_word}/{path + '/' if path else ''}{self.name(kind, name)}"
        if service == "sts":
            kind_word, _, rest = resource.partition("/")
            role, _, session = rest.partition("/")
            kind = "role" if kind_word == "assumed-role" else "user"
            named = self.name(kind, role) + (f"/{self.name('session', session)}" if session else "")
            return f"{kind_word}/{named}"
        pieces = re.split(r"([/:])", resource)
        if service == "s3":  # the bucket, then the key's parts
            return "".join(
                p if p in "/:" else self.name("bucket" if i == 0 else "object", p)
                for i, p in enumerate(pieces)
            )
        if len(pieces) == 1:
            return self.name(service or "res", resource)
        kind = _OTHER_TYPES.get((service, pieces[0]), "res")
        return pieces[0] + "".join(p if p in "/:" else self.name(kind, p) for p in pieces[1:])

    def text(self, value: str) -> str:
        """Free text: ARNs and 12-digit account ids inside it are replaced, the rest kept."""

        def one(match: re.Match[str]) -> str:
            found = match.group(0)
            if match.lastgroup == "account":
                return self.account(found)
            core = found.rstrip(".)]}")  # sentence punctuation after an ARN
            return self.arn(core) + found[len(core) :]

        return _TEXT_RUNS.sub(one, value)  # one pass: replaced ids are not replaced again

    def value(self, value: str) -> str:
        """A string of unknown meaning: an ARN, an account id or text."""
        return self.arn(value) if value.startswith("arn:") else self.text(value)


def redact_document(document: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """A pseudonymised deep copy of a snapshot document (the input is not changed)."""
    names = Pseudonyms(key)
    doc: dict[str, Any] = copy.deepcopy(dict(document))
    original_account = str((doc.get("account") or {}).get("id", ""))
    for part, content in list(doc.items()):
        if part in ("schema", "collected_at"):
            continue
        if part == "data" and isinstance(content, dict):
            doc[part] = {s: _section(names, s, v) for s, v in content.items()}
        elif part in ("collector", "account") and isinstance(content, dict):
            doc[part] = {k: _header_field(names, k, v) for k, v in content.items()}
        else:  # sources, and fields a newer reportgen may add
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
    return _walk(names, value, "collector")


def _section(names: Pseudonyms, section: str, content: Any) -> Any:
    if section == "account_aliases":
        return _header_field(names, "aliases", content)
    if section == "credential_report" and isinstance(content, dict):
        report = content.get("content")
        rest = _walk(names, {k: v for k, v in content.items() if k != "content"}, section)
        if isinstance(report, str):
            rest["content"] = redact_credential_report(names, report)
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
        raise InputError(f"the credential report cannot be redacted ({exc})") from None
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
    if isinstance(value, list):
        return [change(v) if isinstance(v, str) else v for v in value]
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
        raise ReportgenError("redaction left the account id in the output; please report this")


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
            raise InputError(f"{path}: key file not found")
        key = new_key()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise InputError(f"{path}: cannot create key file ({exc.strerror or exc})") from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
        return key, True
    try:
        text = path.read_text("ascii").strip()
        key = bytes.fromhex(text)
    except OSError as exc:
        raise InputError(f"{path}: cannot read key file ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError):
        raise InputError(f"{path}: not a reportgen key file (expected hex text)") from None
    if len(key) < 16:
        raise InputError(f"{path}: key too short ({len(key)} bytes, need at least 16)")
    return key, False
