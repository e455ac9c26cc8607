"""Keyed, consistent pseudonyms for names, ids, ARNs, account ids and IP addresses.

The same key maps the same value to the same pseudonym in every snapshot (docs/redact.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re

from reportgen.errors import InputError, ReportgenError

DIGEST_CHARS = 10  # 40 bits: no collision expected below millions of names per kind

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
    "role": re.compile(r"AWSServiceRoleFor[A-Za-z0-9.]*"),
    "mfa": re.compile(r"root-account-mfa-device"),
    # OIDC issuers of public CI services (central_identity's default workload_oidc_issuers):
    # the same in every account, and the check must still tell them from people's providers.
    "idp": re.compile(r"token\.actions\.githubusercontent\.com|gitlab\.com|app\.terraform\.io"),
}
_AWS_MANAGED = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/")
_ACCOUNT_RUN = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_TEXT_RUNS = re.compile(
    r"(?P<arn>arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[a-z0-9*-]*:[^\s\"'<>,;]+)"
    r"|(?P<account>(?<![0-9])[0-9]{12}(?![0-9]))"
    r"|(?P<uid>(?<![A-Za-z0-9])(?:AIDA|AGPA|AROA|ANPA|ANVA|AIPA|ASCA|AKIA|ASIA)[A-Z0-9]{12,}"
    r"(?![A-Za-z0-9]))"
    r"|(?P<ip>(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?:/[0-9]{1,2})?(?![0-9.]))"
)
# IAM unique-id prefixes say what kind of thing it is (user, group, role, policy, …).
_ID_PREFIXES = frozenset({"AIDA", "AGPA", "AROA", "ANPA", "ANVA", "AIPA", "ASCA", "AKIA", "ASIA"})
_WILDCARDS = re.compile(r"(\*|\?|\$\{[^}]*\})")


class Pseudonyms:
    """Keyed, consistent pseudonyms; raises if two names would share one (a 2^-40 event)."""

    def __init__(self, key: bytes, account: str = "") -> None:
        if len(key) < 16:
            raise InputError("a redaction key needs at least 16 bytes")
        self._key = key
        self._account_number = int(account) if account.isdigit() else None
        self._seen: dict[str, tuple[str, str]] = {}

    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()

    def _claim(self, pseudonym: str, kind: str, value: str) -> str:
        previous = self._seen.setdefault(pseudonym, (kind, value))
        if previous != (kind, value):
            raise ReportgenError.keyed("redact_pseudonym_collision", pseudonym=pseudonym)
        return pseudonym

    def name(self, kind: str, value: str) -> str:
        """``kind-<10 hex>``; wildcards and policy variables inside ``value`` are kept."""
        if value in ("", "*") or (kind in _PUBLIC_NAMES and _PUBLIC_NAMES[kind].fullmatch(value)):
            return value
        linked = _PUBLIC_NAMES["role"].match(value) if kind == "role" else None
        if linked and value[linked.end() : linked.end() + 1] == "_":
            # A service-linked role's custom suffix is the customer's, the prefix is AWS's.
            return value[: linked.end() + 1] + self.name("suffix", value[linked.end() + 1 :])
        if _WILDCARDS.search(value):
            parts = _WILDCARDS.split(value)
            return "".join(
                p if not p or _WILDCARDS.fullmatch(p) else self.name(kind, p) for p in parts
            )
        digest = self._digest(kind, value).hex()[:DIGEST_CHARS]
        return self._claim(f"{kind}-{digest}", kind, value)

    def number(self, value: int) -> int:
        """A JSON number: an account id (12 digits, or the account's own id) is replaced."""
        if value == self._account_number or 10**11 <= value < 10**12:
            return int(self.account(f"{value:012d}"))
        return value

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

    def ip(self, value: str) -> str:
        """An IPv4 address or CIDR moved into 198.18.0.0/15 (benchmarking range), prefix kept."""
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return self.name("value", value)
        number = int.from_bytes(self._digest("ip", value)[:4], "big") % 2**17
        address = ipaddress.IPv4Address(int(ipaddress.IPv4Address("198.18.0.0")) + number)
        if "/" not in value:
            return str(address)
        return f"{address}/{network.prefixlen}"

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
        """Free text: ARNs, 12-digit account ids, IAM unique ids and IPv4 addresses inside it
        are replaced, the rest kept."""

        def one(match: re.Match[str]) -> str:
            found = match.group(0)
            if match.lastgroup == "account":
                return self.account(found)
            if match.lastgroup == "uid":
                return self.unique_id(found)
            if match.lastgroup == "ip":
                return self.ip(found)
            core = found.rstrip(".)]}")  # sentence punctuation after an ARN
            return self.arn(core) + found[len(core) :]

        return _TEXT_RUNS.sub(one, value)  # one pass: replaced ids are not replaced again

    def value(self, value: str) -> str:
        """A string of unknown meaning: an ARN, an account id or text."""
        return self.arn(value) if value.startswith("arn:") else self.text(value)
