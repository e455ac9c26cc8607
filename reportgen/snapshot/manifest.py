"""``manifest.json`` of an organization collection: its names, its reader and its checks.

The collector (``reportgen.collect.organization``) writes it; the organization report reads
it here, without boto3. Every field is checked before use, so a damaged manifest is one
named input error, never a half-read organization.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.errors import InputError, SnapshotError
from reportgen.snapshot import document as snapshots
from reportgen.snapshot.model import Snapshot

MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "reportgen.org-manifest/1"
ACCOUNT_ID = re.compile(r"[0-9]{12}")
"""An AWS account id; matched with ``fullmatch``, so no sign, space or final newline gets by."""
STATUSES = ("ok", "failed")
"""How the collection of one account ended (``AccountStatus`` of the collector)."""


@dataclass(frozen=True)
class ManifestEntry:
    """One account as the collector recorded it."""

    id: str
    name: str
    ok: bool
    error: str | None
    snapshot: str | None
    sha256: str | None


@dataclass(frozen=True)
class Manifest:
    """``manifest.json`` of an organization collection, and the folder it lives in."""

    folder: Path
    organization_id: str
    management_account_id: str
    collected_at: datetime | None
    accounts: tuple[ManifestEntry, ...]
    data: bytes


def manifest_path(source: Path) -> Path:
    """The manifest named by ``source``: the file itself, or ``manifest.json`` in a folder."""
    return source / MANIFEST if source.is_dir() else source


def is_organization(source: Path) -> bool:
    """Whether ``reportgen report`` should treat ``source`` as an organization collection."""
    return source.is_dir() or source.name == MANIFEST


def read_manifest(source: Path) -> Manifest:
    """Read and check ``manifest.json`` (given directly or as its folder).

    Raises :class:`InputError` naming the file, and for a damaged field its place
    (``accounts[2].sha256``).
    """
    path = manifest_path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        key = "manifest_unreadable_folder" if source.is_dir() else "manifest_unreadable"
        raise InputError.keyed(key, path=path, reason=exc) from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.keyed("manifest_not_json", path=path, reason=str(exc)) from None
    if not isinstance(document, dict) or document.get("schema") != MANIFEST_SCHEMA:
        raise InputError.keyed("manifest_schema", path=path, schema=MANIFEST_SCHEMA)
    fields = _Fields(path)
    organization = fields.mapping(document, "organization", required=False)
    items = document.get("accounts")
    if not isinstance(items, list):
        raise fields.bad("accounts")
    accounts = tuple(_entry(fields, item, f"accounts[{n}]") for n, item in enumerate(items))
    collected = fields.text(document, "collected_at", required=False)
    management = fields.text(organization, "management_account_id", "organization.", required=False)
    if management and not ACCOUNT_ID.fullmatch(management):
        raise InputError.keyed(
            "manifest_account_id", path=path, field="organization.management_account_id"
        )
    return Manifest(
        folder=path.parent,
        organization_id=fields.text(organization, "id", "organization.", required=False) or "",
        management_account_id=management or "",
        collected_at=fields.moment(collected, "collected_at") if collected else None,
        accounts=tuple(sorted(accounts, key=lambda a: a.id)),
        data=data,
    )


class _Fields:
    """Typed reads of the manifest's fields; a wrong one is an error naming its place."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def bad(self, where: str) -> InputError:
        return InputError.keyed("manifest_field", path=self.path, field=where)

    def mapping(
        self, parent: Mapping[str, object], key: str, *, required: bool
    ) -> dict[str, object]:
        value = parent.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.bad(key)
        return value

    def text(
        self, parent: Mapping[str, object], key: str, prefix: str = "", *, required: bool
    ) -> str | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value):
            raise self.bad(f"{prefix}{key}")
        return value

    def moment(self, value: str, where: str) -> datetime:
        try:
            return snapshots.timestamp(value)
        except ValueError:
            raise self.bad(where) from None


def _entry(fields: _Fields, item: object, where: str) -> ManifestEntry:
    if not isinstance(item, dict):
        raise fields.bad(where)
    prefix = f"{where}."
    account = fields.text(item, "id", prefix, required=True) or ""
    if not ACCOUNT_ID.fullmatch(account):
        # A failed account's id has no snapshot to check it against, and reaches the summary,
        # the exit message and the names of per-account outputs as it is.
        raise InputError.keyed("manifest_account_id", path=fields.path, field=f"{prefix}id")
    status = fields.text(item, "status", prefix, required=True)
    if status not in STATUSES:
        raise fields.bad(f"{prefix}status")
    ok = status == "ok"
    snapshot_name = fields.text(item, "snapshot", prefix, required=ok)
    sha256 = fields.text(item, "sha256", prefix, required=False)
    if ok and Path(str(snapshot_name)).name != snapshot_name:
        raise InputError.keyed("manifest_snapshot_name", path=fields.path, account=account)
    return ManifestEntry(
        id=account,
        name=fields.text(item, "name", prefix, required=False) or "",
        ok=ok,
        error=fields.text(item, "error", prefix, required=False),
        snapshot=snapshot_name,
        sha256=sha256,
    )


def load_verified(folder: Path, entry: ManifestEntry) -> tuple[Snapshot, bytes]:
    """Load an account's snapshot after checking its bytes against the manifest's SHA-256."""
    path = folder / str(entry.snapshot)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError.keyed("snapshot_unreadable", path=path, reason=exc) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise SnapshotError.keyed(
            "manifest_hash_differs",
            path=path,
            found=digest[:12],
            expected=str(entry.sha256)[:12],
        )
    current = snapshots.loads(data, str(path))
    if current.account.id != entry.id:
        raise SnapshotError.keyed(
            "manifest_other_account", path=path, account=current.account.id, expected=entry.id
        )
    return current, data
