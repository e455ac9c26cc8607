"""What a report PDF carries so that ``reportgen verify`` can reproduce it (docs/verify.md).

Besides the snapshot and findings.json: the catalogue's YAML files, the profile,
exceptions, responses and review files the caller used, and ``reproduce.json`` naming
the tool version, the language, the moment assessed and the SHA-256 of every other file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment

SNAPSHOT = "snapshot.json"
FINDINGS = "findings.json"
CATALOGUE = "catalogue.json"
REPRODUCE = "reproduce.json"
REPRODUCE_SCHEMA = "reportgen.reproduce/1"
# Rule files a caller may attach (ReportOptions.rule_files), by the name verify reads.
PROFILE = "profile.yaml"
EXCEPTIONS = "exceptions.yaml"
RESPONSES = "responses.yaml"
REVIEW = "review.json"
RULE_FILES = (PROFILE, EXCEPTIONS, RESPONSES, REVIEW)
INVENTORY = "inventory.csv"
DESCRIPTIONS = {
    INVENTORY: "every IAM user of appendix A (the PDF lists only some of them)",
    FINDINGS: "reportgen findings",
    CATALOGUE: "reportgen check catalogue used (YAML files by name)",
    REPRODUCE: "how to reproduce the findings: tool version, language, as-of, file hashes",
    PROFILE: "reportgen profile used",
    EXCEPTIONS: "reportgen exceptions file used",
    RESPONSES: "reportgen responses file used",
    REVIEW: "reportgen access review used",
}


def catalogue_bytes(catalogue: Catalogue) -> bytes:
    """The catalogue's YAML files (checks, sections, profiles) as one JSON document."""
    folder = catalogue.folder
    found = [*folder.glob("*.yaml"), *folder.glob("profiles/*.yaml")]
    files = (  # a catalogue built in memory (tests) has no files to carry
        {path.relative_to(folder).as_posix(): path.read_text("utf-8") for path in sorted(found)}
        if (folder / "sections.yaml").is_file()
        else {}
    )
    document = {"version": catalogue.version, "files": files}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def used_files(assessment: Assessment) -> dict[str, bool]:
    """The review and responses files, by attachment name: whether the assessment used them."""
    return {REVIEW: assessment.review_used, RESPONSES: assessment.responses_used}


def evidence_files(
    assessment: Assessment,
    catalogue: Catalogue,
    lang: str,
    snapshot: bytes,
    findings: bytes,
    rule_files: Mapping[str, bytes],
    listings: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Every file to attach, by name, ending with ``reproduce.json`` which names the rest.

    ``listings`` are lists the printed pages shorten (``inventory.csv``): carried, hashed in
    ``reproduce.json``, but not needed to reproduce the findings."""
    unknown = sorted(set(rule_files) - set(RULE_FILES))
    if unknown:
        raise ValueError(f"unknown rule file name(s) {unknown}; use {RULE_FILES}")
    # A PDF whose findings its attachments cannot reproduce would fail verify: refuse to make
    # one (a caller that evaluated with a review or responses must pass their files).
    needed = {EXCEPTIONS: bool(assessment.exceptions), **used_files(assessment)}
    forgotten = sorted(name for name, used in needed.items() if used and name not in rule_files)
    if forgotten:
        raise ValueError(f"the assessment used {forgotten} but rule_files does not carry them")
    files = {SNAPSHOT: snapshot, FINDINGS: findings, CATALOGUE: catalogue_bytes(catalogue)}
    files.update({name: rule_files[name] for name in RULE_FILES if name in rule_files})
    files.update(listings or {})
    manifest: dict[str, Any] = {
        "schema": REPRODUCE_SCHEMA,
        "tool_version": assessment.tool_version,
        "catalogue_version": assessment.catalogue_version,
        "profile": assessment.profile,
        "lang": lang,
        "as_of": assessment.as_of.isoformat(),
        "exceptions_used": bool(assessment.exceptions),
        "review_used": assessment.review_used,
        "responses_used": assessment.responses_used,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    files[REPRODUCE] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    return files
