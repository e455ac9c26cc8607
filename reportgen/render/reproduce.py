"""Re-evaluate a report's attached evidence (render/evidence.py) and compare the results.

Used by ``verify``: the attached snapshot, evaluated with the attached catalogue, profile,
exceptions, responses and review at the recorded moment, must give the attached findings.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.errors import ReportgenError
from reportgen.evaluate.findings import Assessment
from reportgen.render import evidence as names


class VerifyError(ReportgenError):
    """The PDF's evidence does not match (exit code 1: a failed verification, not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class Reproduced:
    """The re-evaluation of a report's evidence, equal to its attached findings."""

    assessment: Assessment
    lang: str
    manifest: Mapping[str, Any]


def reproduce(pdf: Path, files: Mapping[str, bytes]) -> Reproduced:
    """Re-evaluate the attached evidence; raise VerifyError at the first difference."""
    manifest = _manifest(pdf, files)
    from reportgen.errors import ReportgenError as Problem
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.exceptions import load_exceptions
    from reportgen.evaluate.profiles import load_profile
    from reportgen.evaluate.responses import load_responses
    from reportgen.evaluate.review import load_review
    from reportgen.evaluate.run import evaluate
    from reportgen.render.machine import findings_json
    from reportgen.snapshot import document as snapshots

    with tempfile.TemporaryDirectory(prefix="reportgen-verify.") as scratch:
        folder = Path(scratch)
        try:
            catalogue = load_catalogue(_unpack_catalogue(pdf, files, folder / "checks"))
            rules = {}
            for name in names.RULE_FILES:
                if name in files:
                    rules[name] = folder / name
                    rules[name].write_bytes(files[name])
            profile = (
                load_profile(rules[names.PROFILE], catalogue)
                if names.PROFILE in rules
                else load_profile(str(manifest["profile"]), catalogue)
            )
            waivers = (
                load_exceptions(rules[names.EXCEPTIONS], catalogue)
                if (names.EXCEPTIONS in rules)
                else None
            )
            responses = (
                load_responses(rules[names.RESPONSES], catalogue)
                if names.RESPONSES in rules
                else ()
            )
            review = load_review(rules[names.REVIEW]) if names.REVIEW in rules else None
            snapshot = snapshots.loads(files[names.SNAPSHOT], f"{pdf}: attached snapshot.json")
            as_of = datetime.fromisoformat(str(manifest["as_of"]))
        except (Problem, ValueError, KeyError) as exc:
            raise VerifyError.keyed("reproduce_cannot_evaluate", pdf=pdf, error=exc) from None
        if manifest.get("exceptions_used") and waivers is None:
            raise VerifyError.keyed("reproduce_exceptions_missing", pdf=pdf)
        for name, flag in ((names.REVIEW, "review_used"), (names.RESPONSES, "responses_used")):
            if manifest.get(flag) and name not in rules:
                raise VerifyError.keyed("reproduce_rule_file_missing", pdf=pdf, name=name)
        assessment = evaluate(
            snapshot, profile, waivers, as_of, catalogue, review=review, responses=responses
        )
        lang = str(manifest["lang"])
        again = findings_json(assessment, catalogue, lang)
    if again != files[names.FINDINGS]:
        where = first_difference(_json(pdf, files, names.FINDINGS), json.loads(again))
        made_by = str(manifest.get("tool_version"))
        if made_by != __version__:
            raise VerifyError.keyed(
                "reproduce_findings_differ_version",
                pdf=pdf,
                where=where,
                made_by=made_by,
                version=__version__,
            )
        raise VerifyError.keyed("reproduce_findings_differ", pdf=pdf, where=where)
    return Reproduced(assessment, lang, manifest)


def _manifest(pdf: Path, files: Mapping[str, bytes]) -> Mapping[str, Any]:
    """reproduce.json, checked to list every required file with the attached bytes' hash."""
    for required in (names.SNAPSHOT, names.FINDINGS, names.CATALOGUE, names.REPRODUCE):
        if required not in files:
            raise VerifyError.keyed("reproduce_not_attached", pdf=pdf, name=required)
    manifest = _json(pdf, files, names.REPRODUCE)
    if not isinstance(manifest, dict) or manifest.get("schema") != names.REPRODUCE_SCHEMA:
        raise VerifyError.keyed("reproduce_bad_manifest", pdf=pdf, schema=names.REPRODUCE_SCHEMA)
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise VerifyError.keyed("reproduce_no_files", pdf=pdf)
    for name in sorted(set(files) - {names.REPRODUCE} | set(listed)):
        if name not in files:
            raise VerifyError.keyed("reproduce_listed_not_attached", pdf=pdf, name=name)
        if name not in listed:
            raise VerifyError.keyed("reproduce_attached_not_listed", pdf=pdf, name=name)
        if hashlib.sha256(files[name]).hexdigest() != listed[name]:
            raise VerifyError.keyed("reproduce_hash_mismatch", pdf=pdf, name=name)
    return manifest


def _unpack_catalogue(pdf: Path, files: Mapping[str, bytes], folder: Path) -> Path:
    document = _json(pdf, files, names.CATALOGUE)
    contents = document.get("files") if isinstance(document, dict) else None
    if not isinstance(contents, dict) or not contents:
        raise VerifyError.keyed("reproduce_empty_catalogue", pdf=pdf)
    for relative, text in contents.items():
        path = (folder / str(relative)).resolve()
        if not path.is_relative_to(folder.resolve()) or not isinstance(text, str):
            raise VerifyError.keyed("reproduce_unsafe_file", pdf=pdf, name=relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def _json(pdf: Path, files: Mapping[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise VerifyError.keyed("reproduce_not_json", pdf=pdf, name=name) from None


def first_difference(attached: Any, expected: Any, path: str = "") -> ReportgenError:
    """The first difference, as a message in the reader's language (``findings/3/status:
    attached "SUPPRESSED", re-evaluated "FAIL"``); the path is the whole document at the top."""
    where: str | ReportgenError = path.rstrip("/") or ReportgenError.keyed("schema_top_level")
    if isinstance(attached, dict) and isinstance(expected, dict):
        for key in [*expected, *(k for k in attached if k not in expected)]:
            if key not in attached:
                return _difference("missing", f"{path}{key}", expected=_short(expected[key]))
            if key not in expected:
                return _difference("extra", f"{path}{key}")
            if attached[key] != expected[key]:
                return first_difference(attached[key], expected[key], f"{path}{key}/")
    elif isinstance(attached, list) and isinstance(expected, list):
        for index, (a, e) in enumerate(zip(attached, expected, strict=False)):
            if a != e:
                return first_difference(a, e, f"{path}{index}/")
        if len(attached) != len(expected):
            return _difference("length", where, attached=len(attached), expected=len(expected))
    if attached == expected:
        return _difference("layout", where)
    return _difference("value", where, attached=_short(attached), expected=_short(expected))


def _difference(kind: str, where: str | ReportgenError, **values: object) -> ReportgenError:
    return ReportgenError.keyed(f"difference_{kind}", path=where, **values)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
