"""The sign-off block (作成 / 確認 / 承認): names and dates from a YAML file or options.

A role without a name is printed as an empty box to sign by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from reportgen.errors import InputError
from reportgen.evaluate.exceptions import _date
from reportgen.yamldoc import read_yaml

ROLES = ("prepared", "reviewed", "approved")


@dataclass(frozen=True)
class Signer:
    name: str
    on: date | None = None


@dataclass(frozen=True)
class SignOff:
    """Who prepared, reviewed and approved the report (``None``: a blank box)."""

    prepared: Signer | None = None
    reviewed: Signer | None = None
    approved: Signer | None = None

    def get(self, role: str) -> Signer | None:
        found: Signer | None = getattr(self, role)
        return found

    def with_names(self, **names: str | None) -> SignOff:
        """The same block with the names given (options override the file, dates kept)."""
        updated = self
        for role, name in names.items():
            if name:
                old = self.get(role)
                updated = replace(updated, **{role: Signer(name, old.on if old else None)})
        return updated


def load_signoff(path: Path) -> SignOff:
    """Read ``prepared``/``reviewed``/``approved``, each ``{name, date}``; errors name the line."""
    doc = read_yaml(Path(path), InputError)
    data = doc.data or {}
    if not isinstance(data, dict):
        raise InputError.keyed("signoff_not_mapping", where=doc.where())
    extra = sorted(set(data) - set(ROLES))
    if extra:
        raise InputError.keyed(
            "signoff_unknown_key", where=doc.where(extra[0]), name=extra[0], roles=", ".join(ROLES)
        )
    signers: dict[str, Signer | None] = {}
    for role in ROLES:
        item = data.get(role)
        if item is None:
            signers[role] = None
            continue
        if not isinstance(item, dict) or not item.get("name"):
            raise InputError.keyed("signoff_no_name", where=doc.where(role), role=role)
        unknown = sorted(set(item) - {"name", "date"})
        if unknown:
            raise InputError.keyed(
                "signoff_role_unknown_key", where=doc.where(role, unknown[0]), name=unknown[0]
            )
        on = None
        if item.get("date") not in (None, ""):
            on = _date(item["date"])
            if on is None:
                raise InputError.keyed("signoff_bad_date", where=doc.where(role, "date"))
        signers[role] = Signer(str(item["name"]), on)
    return SignOff(**signers)
