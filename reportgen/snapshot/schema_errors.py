"""A JSON Schema validation error as a keyed detail, so that it reads in Japanese too.

The English of each key is jsonschema's own message, rebuilt from the same values; a message
that comes out different (another jsonschema wording, a keyword not listed) stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from jsonschema.exceptions import ValidationError

from reportgen.errors import SnapshotError

LIMIT = 80  # characters of one value shown in a message
Values = dict[str, str]


def _required(error: ValidationError) -> tuple[str, Values] | None:
    missing = error.message.removesuffix(" is a required property")
    return ("schema_required", {"name": missing}) if missing != error.message else None


def _type(error: ValidationError) -> tuple[str, Values]:
    types = error.validator_value
    listed = types if isinstance(types, list) else [types]
    return "schema_type", {"types": ", ".join(repr(t) for t in listed)}


def _additional(error: ValidationError) -> tuple[str, Values] | None:
    schema = error.schema
    if not isinstance(error.instance, dict) or not isinstance(schema, Mapping):
        return None
    if schema.get("patternProperties"):
        return None
    extra = [k for k in error.instance if k not in schema.get("properties", {})]
    key = "schema_additional_one" if len(extra) == 1 else "schema_additional_many"
    return key, {"names": ", ".join(repr(e) for e in extra)}


def _limit(key: str, name: str) -> Callable[[ValidationError], tuple[str, Values]]:
    return lambda error: (key, {name: repr(error.validator_value)})


def _max_length(error: ValidationError) -> tuple[str, Values] | None:
    return ("schema_max_length", {}) if error.validator_value else None


_KINDS: dict[str, Callable[[ValidationError], tuple[str, Values] | None]] = {
    "required": _required,
    "type": _type,
    "enum": _limit("schema_enum", "choices"),
    "pattern": _limit("schema_pattern", "pattern"),
    "additionalProperties": _additional,
    "minimum": _limit("schema_minimum", "limit"),
    "maximum": _limit("schema_maximum", "limit"),
    "maxLength": _max_length,
}


def _cut(text: str) -> str:
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def schema_detail(error: ValidationError, short: Callable[[str], str]) -> str | SnapshotError:
    """The detail of ``error``: a keyed error when its kind is known, else ``short(message)``."""
    kind = _KINDS.get(str(error.validator))
    found = kind(error) if kind is not None else None
    if found is None:
        return short(error.message)
    key, values = found
    if key not in ("schema_required", "schema_additional_one", "schema_additional_many"):
        values["value"] = repr(error.instance)
    if str(SnapshotError.keyed(key, **values)) != error.message:
        return short(error.message)  # another wording than the one rebuilt: keep jsonschema's
    return SnapshotError.keyed(key, **{name: _cut(text) for name, text in values.items()})


def schema_place(error: ValidationError) -> str | SnapshotError:
    """Where ``error`` is, as a JSON path (``sources/password_policy/status``), or the whole
    document when the error is at the top (「文書全体」 / ``(top level)``)."""
    path = "/".join(str(p) for p in error.absolute_path)
    return path or SnapshotError.keyed("schema_top_level")
