"""People and credentials as histories (days before the company's ``today``), not snapshots.

A :class:`Person` knows when it was created, used, rotated and deleted; ``user_at``
turns that history into the :class:`UserSpec` of one moment, so the same company can
be seeded at several quarters with consistent, realistic change between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.sandbox.spec import TOKYO, InlinePolicySpec, KeySpec, UserSpec

QUARTER_DAYS = 91
_THRESHOLDS = (45, 90)  # keep ages clear of the usual day limits, so no result sits on a boundary


def clear_of_limits(days: int, margin: int = 3) -> int:
    """The smallest value ≥ ``days`` that, seen from any of the four quarters, is not within
    ``margin`` days of 45 or 90."""
    value = days
    while any(
        abs(value - QUARTER_DAYS * q - limit) <= margin for q in range(4) for limit in _THRESHOLDS
    ):
        value += 1
    return value


@dataclass(frozen=True)
class Usage:
    """Regular use until ``until`` days ago (0: still in use), each time up to ``jitter`` days
    before the moment looked at; ``until`` None: never used."""

    until: int | None
    jitter: int = 0

    def last_used(self, created: int, offset: int) -> int | None:
        """Days before the moment ``offset`` days ago when this was last used (None: never)."""
        if self.until is None:
            return None
        last = max(self.until, offset + self.jitter)
        return None if last > created else last - offset


ACTIVE = Usage(0, 1)
NEVER = Usage(None)


@dataclass(frozen=True)
class KeyLife:
    """An access key's life: created, used, maybe deactivated and deleted (days ago)."""

    created: int
    usage: Usage = ACTIVE
    service: str = "s3"
    region: str = TOKYO
    deactivated: int | None = None
    deleted: int | None = None

    def at(self, offset: int) -> KeySpec | None:
        if self.created < offset or (self.deleted is not None and self.deleted >= offset):
            return None
        return KeySpec(
            age_days=self.created - offset,
            last_used_days=self.usage.last_used(self.created, offset),
            service=self.service,
            region=self.region,
            active=self.deactivated is None or self.deactivated < offset,
        )


@dataclass(frozen=True)
class Person:
    """An IAM user's history. ``mfa``: days ago the MFA device was enabled (None: never)."""

    name: str
    created: int
    groups: tuple[str, ...] = ()
    console: bool = True
    login: Usage = ACTIVE
    mfa: int | None = None
    keys: tuple[KeyLife, ...] = ()
    deleted: int | None = None
    policies: tuple[str, ...] = ()
    inline: tuple[InlinePolicySpec, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    path: str = "/"

    def user_at(self, offset: int) -> UserSpec | None:
        """The user as it stood ``offset`` days before today, or None if it did not exist."""
        if self.created < offset or (self.deleted is not None and self.deleted >= offset):
            return None
        keys = tuple(k for k in (life.at(offset) for life in self.keys) if k is not None)
        return UserSpec(
            name=self.name,
            age_days=self.created - offset,
            path=self.path,
            password=self.console,
            password_last_used_days=self.login.last_used(self.created, offset)
            if self.console
            else None,
            mfa_days=self.mfa - offset if self.mfa is not None and self.mfa >= offset else None,
            keys=keys,
            groups=self.groups,
            managed_policies=self.policies,
            inline_policies=self.inline,
            tags=self.tags,
        )
