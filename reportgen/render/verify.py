"""Prove a report PDF (docs/verify.md): its evidence reproduces its findings and its scores.

Reads the PDF only (pyHanko for the signature, pypdf for the rest); no network, nothing
written but a scratch folder.
1. every attachment once, each as hashed in reproduce.json; the cover's SHA-256 is the
   attached snapshot's (and, if given, the snapshot file's);
2. the attached snapshot, re-evaluated with the attached catalogue, profile, exceptions,
   responses and review, gives the attached findings.json byte for byte;
3. the overall score and grade printed on the cover and in the summary, and the section
   scores printed in the summary, are the re-evaluated ones;
0. a signature, where the PDF has one, is intact and covers the whole file (checked
   first; reportgen.render.sign).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.evaluate.findings import Assessment, Status
from reportgen.render.reproduce import VerifyError, reproduce
from reportgen.render.sign import Signed, check_signature

__all__ = ["Verified", "VerifyError", "verify"]

_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_SCORE = r"(100(?:[.,]0)?|[0-9]{1,2}(?:[.,][0-9])?)"
_OUT_OF_100 = re.compile(_SCORE + r"\s*/\s*100\b")
_GRADE_BEFORE_SCORE = re.compile(r"(?<![A-Za-z])([A-E])(?=\s*" + _SCORE + r"\s*/\s*100)")
_GRADE_LABEL = re.compile(_SCORE + r"?\s*(?:評価|Grade)\s*([A-E])\b")


@dataclass(frozen=True)
class Verified:
    """What was checked and found equal."""

    cover_sha256: str
    attachments: tuple[str, ...]
    snapshot_file: Path | None
    overall: float | None
    grade: str | None
    waived: int
    signature: Signed | None


def verify(pdf: Path, snapshot_file: Path | None = None) -> Verified:
    """Check the PDF as the module docstring says; raise VerifyError at the first difference."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are not ours to print
    try:
        raw = Path(pdf).read_bytes()
    except OSError as exc:
        raise InputError.keyed("verify_unreadable", path=pdf, reason=exc) from None
    # The signature first, on the raw bytes: a changed byte that also leaves the PDF
    # unreadable is a broken signature (exit 1), not an unreadable input.
    signature = check_signature(raw, pdf)
    try:
        import io

        reader = PdfReader(io.BytesIO(raw))
        pages = _PageTexts(reader, pdf)
        found = {name: contents for name, contents in reader.attachments.items()}
        cover = pages[0] if len(pages) else None
    except (OSError, PdfReadError, PyPdfError, ValueError, KeyError, RecursionError) as exc:
        raise InputError.keyed("verify_not_pdf", pdf=pdf, reason=exc) from None
    if cover is None:
        raise VerifyError.keyed("verify_no_pages", pdf=pdf)
    files: dict[str, bytes] = {}
    for name, copies in found.items():
        if len(copies) != 1:
            raise VerifyError.keyed("verify_attached_twice", pdf=pdf, count=len(copies), name=name)
        files[name] = copies[0]
    printed = _cover_hash(pdf, cover)
    if "snapshot.json" not in files:
        raise VerifyError.keyed("verify_no_snapshot", pdf=pdf)
    if hashlib.sha256(files["snapshot.json"]).hexdigest() != printed:
        raise VerifyError.keyed("verify_snapshot_hash", pdf=pdf)
    if snapshot_file is not None:
        try:
            data = Path(snapshot_file).read_bytes()
        except OSError as exc:
            raise InputError.keyed("verify_unreadable", path=snapshot_file, reason=exc) from None
        if hashlib.sha256(data).hexdigest() != printed:
            raise VerifyError.keyed("verify_snapshot_differs", path=snapshot_file)
    result = reproduce(pdf, files)
    _check_printed_scores(pdf, pages, result.assessment, _section_titles(files, result.lang))
    overall = result.assessment.overall
    waived = sum(1 for f in result.assessment.findings if f.status is Status.SUPPRESSED)
    return Verified(
        printed,
        tuple(sorted(files)),
        snapshot_file,
        overall.value,
        overall.grade,
        waived,
        signature,
    )


class _PageTexts:
    """The text of each page, extracted when first asked for: verify reads the cover and
    the pages up to the summary, and extracting all of a long report's pages took most of
    its time (4.7 of 7.9 s on a 25-page report)."""

    def __init__(self, reader: Any, pdf: Path) -> None:
        self._pages = reader.pages
        self._texts: dict[int, str] = {}
        self._pdf = pdf

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index: int) -> str:
        if index not in self._texts:
            from pypdf.errors import PdfReadError, PyPdfError

            try:
                self._texts[index] = self._pages[index].extract_text() or ""
            except (OSError, PdfReadError, PyPdfError, ValueError, KeyError, RecursionError) as exc:
                raise InputError.keyed("verify_not_pdf", pdf=self._pdf, reason=exc) from None
        return self._texts[index]


def _cover_hash(pdf: Path, cover: str) -> str:
    found = _HASH.findall(cover)
    if len(found) != 1:
        raise VerifyError.keyed("verify_no_cover_hash", pdf=pdf)
    return str(found[0])


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _check_printed_scores(
    pdf: Path, pages: _PageTexts, assessment: Assessment, titles: Mapping[str, list[str]]
) -> None:
    """The cover's and the summary's scores and grades are the re-evaluated ones."""
    overall = assessment.overall.value
    expected_grade = assessment.overall.grade
    shown = f"{overall:.1f}" if overall is not None else "-"
    cover = pages[0]
    on_cover = [_number(m) for m in _OUT_OF_100.findall(cover)]
    if overall is not None and not on_cover:
        raise VerifyError.keyed("verify_cover_no_score", pdf=pdf, score=shown)
    for value in on_cover:
        if overall is None or abs(value - overall) > 0.05:
            raise VerifyError.keyed("verify_cover_score", pdf=pdf, shown=f"{value:g}", score=shown)
    letters = set(
        re.findall(r"(?<![A-Za-z])([A-E])(?=\s*[0-9]{1,3}(?:[.,][0-9])?\s*/\s*100)", cover)
    )
    if expected_grade is not None and letters != {expected_grade}:
        if not letters:
            raise VerifyError.keyed("verify_cover_no_grade", pdf=pdf, grade=expected_grade)
        raise VerifyError.keyed(
            "verify_cover_grade", pdf=pdf, shown="/".join(sorted(letters)), grade=expected_grade
        )
    summary = next((i for i in range(1, len(pages)) if _GRADE_LABEL.search(pages[i])), None)
    if summary is None:
        raise VerifyError.keyed("verify_no_summary", pdf=pdf)
    text = pages[summary]
    for score_text, letter in _GRADE_LABEL.findall(text):
        if letter != expected_grade:
            raise VerifyError.keyed(
                "verify_page_grade", pdf=pdf, page=summary + 1, shown=letter, grade=expected_grade
            )
        if score_text and (overall is None or abs(_number(score_text) - overall) > 0.05):
            raise VerifyError.keyed(
                "verify_page_score", pdf=pdf, page=summary + 1, shown=score_text, score=shown
            )
    for section, part in assessment.sections.items():
        for title in titles.get(section.value, []):
            match = re.search(re.escape(title) + r"\s*" + _SCORE + r"(?![0-9])", text)
            if match and (part.value is None or abs(_number(match.group(1)) - part.value) > 0.05):
                expected = f"{part.value:.1f}" if part.value is not None else "-"
                raise VerifyError.keyed(
                    "verify_section_score",
                    pdf=pdf,
                    page=summary + 1,
                    section=title,
                    shown=match.group(1),
                    score=expected,
                )


def _section_titles(files: Mapping[str, bytes], lang: str) -> dict[str, list[str]]:
    """Section titles in the report's language(s), from the attached catalogue."""
    import json

    import yaml

    try:
        text = json.loads(files["catalogue.json"])["files"]["sections.yaml"]
        sections = yaml.safe_load(text)
    except (KeyError, ValueError, TypeError, yaml.YAMLError):
        return {}
    found: dict[str, list[str]] = {}
    items = sections.get("sections") if isinstance(sections, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("title"), dict):
            found[str(item.get("id"))] = [
                str(item["title"][code]) for code in lang.split("+") if code in item["title"]
            ]
    return found
