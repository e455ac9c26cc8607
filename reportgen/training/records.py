"""Trainee results: one signed JSON file per trainee and lab, in a records folder of the room.

Each record carries an HMAC-SHA256 over its content with the session key (the
``REPORTGEN_LAB_SESSION_KEY`` variable, else ``session.key`` in the records folder, made on
first use). A record edited by hand no longer verifies and the summary says so. The key
detects edits; someone who holds the key and the tool can still write a record.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.atomic import write_atomic
from reportgen.errors import LabError

SCHEMA = "reportgen.lab-record/2"
KEY_VARIABLE = "REPORTGEN_LAB_SESSION_KEY"
KEY_FILE = "session.key"
_UNSAFE = re.compile(r"[^\w-]+")


class Integrity(enum.Enum):
    OK = "ok"
    TAMPERED = "tampered"  # the signature does not match the content
    UNSIGNED = "unsigned"  # an older record, or one written without a key
    NO_KEY = "no_key"  # signed, but the folder's key is not here to check it


def clean_name(name: str) -> str:
    """A trainee name fit to print: control and format characters (escapes, bidi) removed."""
    return printable(name)[:80] or "?"


def printable(text: str) -> str:
    """``text`` without control or format characters (a record may have been edited by hand)."""
    kept = (" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join("".join(kept).split())


_LESSON_ID = re.compile(r"[0-9]{2}-[a-z0-9][a-z0-9-]{0,60}")
_COUNTS = ("passed", "total", "best", "attempts", "hints_used")
_TIMES = ("started_at", "checked_at", "completed_at")


def well_formed(data: Mapping[str, Any]) -> bool:
    """Whether a record has the fields the summary reads, of the types the runner writes
    (a hand-made record without ``lesson`` or with text for a count is refused, not shown)."""
    from reportgen.isotime import parse_utc

    trainee, lesson = data.get("trainee"), data.get("lesson")
    if not isinstance(trainee, str) or not trainee.strip():
        return False
    if not isinstance(lesson, str) or not _LESSON_ID.fullmatch(lesson):
        return False
    for name in _COUNTS:
        value = data.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1_000_000:
            return False
    if not isinstance(data.get("complete", False), bool):
        return False
    for name in _TIMES:
        value = data.get(name)
        if value is None:
            continue
        try:  # years far from ours would overflow when shown in the trainer's zone
            if not isinstance(value, str) or not 2000 <= parse_utc(value).year <= 9998:
                return False
        except ValueError:
            return False
    failure = data.get("last_failure")
    return failure is None or (
        isinstance(failure, dict) and all(isinstance(v, str) for v in failure.values())
    )


def record_path(records: Path, trainee: str, lesson_id: str) -> Path:
    """``<readable part>-<hash of the exact name>--<lesson>.json``: safe in any file system,
    and two different names never share a file (山田 and 佐藤, ``a/b`` and ``a_b``)."""
    readable = _UNSAFE.sub("_", unicodedata.normalize("NFKC", clean_name(trainee))).strip("_")
    digest = hashlib.sha256(trainee.encode("utf-8")).hexdigest()[:10]
    return records / f"{readable[:40] or 'trainee'}-{digest}--{lesson_id}.json"


def read_key(records: Path) -> bytes | None:
    """The key that checks ``records``' results, without making one."""
    configured = os.environ.get(KEY_VARIABLE)
    if configured:
        return configured.encode("utf-8")
    try:
        return (records / KEY_FILE).read_bytes().strip()
    except FileNotFoundError:
        return None


def session_key(records: Path) -> bytes:
    """The room's key: the environment's, else the records folder's (made on first use)."""
    configured = os.environ.get(KEY_VARIABLE)
    if configured:
        return configured.encode("utf-8")
    path = records / KEY_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    records.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        with path.open("xb") as handle:  # another trainee may be making it at the same moment
            handle.write(key + b"\n")
    except FileExistsError:
        return path.read_bytes().strip()
    return key


def _payload(record: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(record: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    signed = dict(record)
    signed["signature"] = hmac.new(key, _payload(record), hashlib.sha256).hexdigest()
    return signed


def verify(record: Mapping[str, Any], key: bytes | None) -> Integrity:
    signature = record.get("signature")
    if not isinstance(signature, str):
        return Integrity.UNSIGNED
    if key is None:
        return Integrity.NO_KEY
    expected = hmac.new(key, _payload(record), hashlib.sha256).hexdigest()
    return Integrity.OK if hmac.compare_digest(signature, expected) else Integrity.TAMPERED


def write_record(records: Path, record: Mapping[str, Any], key: bytes | None = None) -> Path:
    """Write the latest result, signed; ``best``, ``completed_at``, the attempt count and the
    hints used carry over from the previous record of the same trainee and lab."""
    key = key if key is not None else session_key(records)
    path = record_path(records, str(record["trainee"]), str(record["lesson"]))
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    if not isinstance(previous, dict) or verify(previous, key) is not Integrity.OK:
        previous = {}  # an edited record earns nothing
    merged = dict(record)
    merged["best"] = max(int(previous.get("best", 0)), int(record["passed"]))
    merged["completed_at"] = previous.get("completed_at") or (
        record["checked_at"] if record["complete"] else None
    )
    merged["attempts"] = int(previous.get("attempts", 0)) + 1
    merged["hints_used"] = max(int(previous.get("hints_used", 0)), int(record.get("hints_used", 0)))
    merged["started_at"] = previous.get("started_at") or record.get("started_at")
    records.mkdir(parents=True, exist_ok=True)
    data = json.dumps(sign(merged, key), ensure_ascii=False, indent=2).encode("utf-8")
    write_atomic(path, data)
    return path


@dataclass(frozen=True)
class LoadedRecord:
    """A record as read back, with whether its signature holds."""

    data: Mapping[str, Any]
    integrity: Integrity
    path: Path

    @property
    def trainee(self) -> str:
        return clean_name(str(self.data.get("trainee", "")))

    @property
    def lesson(self) -> str:
        return str(self.data.get("lesson", ""))


def load_records(folders: Sequence[Path]) -> tuple[LoadedRecord, ...]:
    """Every record in ``folders`` (a room may share one or collect several), verified with
    each folder's key, sorted by trainee then lesson."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            raise LabError.keyed("records_no_folder", folder=folder)
        key = read_key(folder)
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError):
                raise LabError.keyed("records_not_record", path=path) from None
            if not isinstance(data, dict) or not str(data.get("schema", "")).startswith(
                "reportgen.lab-record/"
            ):
                continue
            if not well_formed(data):
                raise LabError.keyed("records_not_record", path=path)
            found.append(LoadedRecord(data, verify(data, key), path))
    return tuple(sorted(found, key=lambda r: (r.trainee, r.lesson, str(r.path))))
