"""Load, validate and save snapshot documents (``reportgen.snapshot/1``; docs/snapshot.md).

``load`` validates against the shipped JSON Schema and builds the read-only model;
``save`` writes atomically and never replaces an existing file unless told to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from reportgen.atomic import write_atomic
from reportgen.errors import SnapshotError, number_too_long
from reportgen.isotime import utc_text
from reportgen.resources import package_file
from reportgen.snapshot.build import from_document, short, timestamp
from reportgen.snapshot.limits import (
    MAX_FILE_BYTES,
    check_details,
    check_file_size,
    check_report_rows,
)
from reportgen.snapshot.model import (
    Snapshot,
)
from reportgen.snapshot.schema_errors import schema_detail, schema_place

__all__ = ["SCHEMA_ID", "dumps", "from_document", "load", "loads", "save", "timestamp", "validate"]

SCHEMA_ID = "reportgen.snapshot/1"


@cache
def json_schema() -> Mapping[str, Any]:
    """The shipped JSON Schema of snapshot v1."""
    loaded: Mapping[str, Any] = json.loads(
        package_file("snapshot", "schemas", "snapshot-1.json").read_text("utf-8")
    )
    return loaded


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """One validator over the schema with its local ``$ref`` inlined.

    Resolving ``#/$defs/…`` for every user of a 5,000-user snapshot took most of the
    load time (docs/performance.md); the inlined schema validates the same documents.
    """
    schema = dict(json_schema())
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return inline(definitions[ref.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return jsonschema.Draft202012Validator(
        inline(schema), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def dumps(document: Mapping[str, Any]) -> bytes:
    """Serialise a snapshot document the one way reportgen writes it (UTF-8, indented)."""
    return (
        json.dumps(document, ensure_ascii=False, indent=1, default=_json_default) + "\n"
    ).encode("utf-8")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def save(
    document: Mapping[str, Any],
    path: Path,
    *,
    overwrite: bool = False,
    inputs: Iterable[Path] = (),
) -> str:
    """Validate and write ``document`` atomically; return the SHA-256 of the bytes written.

    Never replaces one of ``inputs`` (the files the document was made from).
    """
    data = dumps(document)
    # Read back as every command will read it (schema and model: dates, policies, sizes), so
    # that no command writes a snapshot that load() then refuses.
    loads(data, str(path))
    write_atomic(Path(path), data, overwrite=overwrite, inputs=inputs)
    return hashlib.sha256(data).hexdigest()


def load(path: Path | str) -> Snapshot:
    """Read, validate and model a snapshot file; any problem is a one-line SnapshotError."""
    path = Path(path)
    check_file_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError.keyed("snapshot_unreadable", path=path, reason=exc) from None
    return loads(data, str(path))


def loads(data: bytes, name: str = "<snapshot>") -> Snapshot:
    """Model a snapshot from its bytes; ``name`` is used in error messages."""
    if len(data) > MAX_FILE_BYTES:
        raise SnapshotError.keyed("snapshot_too_large", name=name, limit=MAX_FILE_BYTES // 1048576)
    document = parse_json(data, name)
    _check_sizes(document, name)
    validate(document, name)
    return from_document(document, hashlib.sha256(data).hexdigest(), name)


def parse_json(data: bytes, name: object) -> Any:
    """The JSON value of a snapshot file's bytes; each way it can fail is a named error."""
    try:
        # A BOM (as some Windows editors write) is accepted, like in a credential report CSV;
        # the SHA-256 stays that of the file's bytes.
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SnapshotError.keyed("snapshot_not_utf8", name=name, byte=exc.start) from None
    except json.JSONDecodeError as exc:
        raise SnapshotError.keyed(
            "snapshot_not_json", name=name, line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from None
    except RecursionError:
        raise SnapshotError.keyed("snapshot_too_deep", name=name) from None
    except ValueError:  # not a JSONDecodeError: an integer of more than 4,300 digits
        raise SnapshotError.keyed(
            "snapshot_not_snapshot", name=name, detail=number_too_long()
        ) from None
    return document


def _check_sizes(document: Any, name: str) -> None:
    """Refuse more users, roles or report rows than an account holds, before validating."""
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        return
    details = data.get("authorization_details")
    if isinstance(details, dict):
        check_details(name, details)
    report = data.get("credential_report")
    if isinstance(report, dict) and isinstance(report.get("content"), str):
        check_report_rows(name, report["content"])


def validate(document: Any, name: str = "<snapshot>") -> None:
    """Check ``document`` against the schema; the first problem becomes a SnapshotError."""
    if not isinstance(document, dict):
        raise SnapshotError.keyed("snapshot_not_object", name=name, found=type(document).__name__)
    schema = document.get("schema")
    if schema != SCHEMA_ID:
        raise SnapshotError.keyed("snapshot_schema", name=name, schema=schema, expected=SCHEMA_ID)
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = schema_place(error)
        raise SnapshotError.keyed(
            "snapshot_invalid", name=name, where=where, detail=schema_detail(error, short)
        )
