"""An account's history: the earlier snapshot files of one account in a folder.

Only each file's account and collection time are read here (not the whole model), so that a
folder of many quarters is sorted quickly; the chosen files are then loaded as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.errors import InputError, SnapshotError
from reportgen.snapshot.document import SCHEMA_ID, parse_json, timestamp


@dataclass(frozen=True)
class _Found:
    path: Path
    account_id: str
    collected_at: datetime
    sha256: str


def load_history(folder: Path | str, account_id: str) -> list[Path]:
    """Every snapshot of ``account_id`` in ``folder`` (``*.json``, not recursive), oldest
    first by ``collected_at``; other JSON files are skipped, a copy of a file counts once.

    Raises :class:`InputError` if ``folder`` is not a folder, :class:`SnapshotError` for a
    snapshot file that cannot be read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError.keyed("history_not_folder", folder=folder)
    found: dict[str, _Found] = {}
    for path in sorted(folder.glob("*.json")):
        item = _peek(path)
        if item is not None and item.account_id == account_id:
            found.setdefault(item.sha256, item)
    return [f.path for f in sorted(found.values(), key=lambda f: (f.collected_at, f.path.name))]


def _peek(path: Path) -> _Found | None:
    """The account and time of a snapshot file; ``None`` if the file is JSON but no snapshot."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError.keyed("snapshot_unreadable", path=path, reason=exc) from None
    document = parse_json(data, path)
    if not isinstance(document, dict) or document.get("schema") != SCHEMA_ID:
        return None
    account = document.get("account")
    account_id = account.get("id") if isinstance(account, dict) else None
    collected = document.get("collected_at")
    if not isinstance(account_id, str) or not account_id or not isinstance(collected, str):
        raise SnapshotError.keyed("history_no_account", path=path)
    try:
        collected_at = timestamp(collected)
    except ValueError:
        raise SnapshotError.keyed("history_no_account", path=path) from None
    return _Found(path, account_id, collected_at, hashlib.sha256(data).hexdigest())
