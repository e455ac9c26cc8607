"""`reportgen verify` proves a report: forged, edited or stripped PDFs fail at the first
difference; a genuine report (with or without exceptions) verifies and says what was waived."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError
from reportgen.render.reproduce import first_difference
from reportgen.render.verify import VerifyError, verify
from tests.runcli import run

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
WAIVE_ALL = """\
- check: {check}
  resource: "*"
  reason: everything is fine
  approver: nobody
  expires: 2099-12-31
"""


def _report(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    code, _, err = run(
        capsys, "report", SNAPSHOT, "--lang", "en", "--format", "pdf", "-o", folder, *extra
    )
    assert code == 0, err
    return folder / "report.en.pdf"


@pytest.fixture
def genuine(corpus_pdf: Path) -> Path:
    """A report made by `reportgen report` from the corpus snapshot (English PDF, rendered
    once per worker: tests/render/conftest.py)."""
    return corpus_pdf


def attachments(pdf: Path) -> dict[str, bytes]:
    return {name: copies[0] for name, copies in PdfReader(pdf).attachments.items()}


def reattach(pdf: Path, files: dict[str, bytes], target: Path) -> Path:
    """The same pages with ``files`` attached instead of the original attachments."""
    writer = PdfWriter(clone_from=PdfReader(pdf))
    del writer._root_object["/Names"]["/EmbeddedFiles"]
    for name, data in files.items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return target


def rehash(files: dict[str, bytes]) -> dict[str, bytes]:
    """reproduce.json made consistent with the (forged) files, as a careful forger would."""
    manifest = json.loads(files["reproduce.json"])
    manifest["files"] = {
        n: hashlib.sha256(d).hexdigest() for n, d in files.items() if n != "reproduce.json"
    }
    return {**files, "reproduce.json": json.dumps(manifest).encode()}


def one_page(text: str, files: dict[str, bytes], target: Path) -> Path:
    """A one-page PDF stating ``text`` with ``files`` attached (WeasyPrint, no reportgen)."""
    from reportgen.render.pdf import PdfAttachment, render_pdf

    html = f"<html lang='en'><head><title>forged</title></head><body><p>{text}</p></body></html>"
    moment = datetime(2026, 11, 28, tzinfo=UTC)
    items = [PdfAttachment(n, d, n) for n, d in files.items()]
    target.write_bytes(render_pdf(html, items, moment))
    return target


@pytest.mark.slow
def test_a_genuine_report_verifies(genuine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The attached evidence reproduces findings.json and the printed score and grade."""
    result = verify(genuine, SNAPSHOT)
    assert result.cover_sha256 == hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    assert {"catalogue.json", "reproduce.json", "findings.json"} <= set(result.attachments)
    assert result.overall is not None and result.grade is not None
    code, out, _ = run(capsys, "verify", genuine)
    assert code == 0 and out.startswith("ok ") and "reproduced" in out


@pytest.mark.slow
def test_the_forgery_of_the_issue_fails(genuine: Path, tmp_path: Path) -> None:
    """One page stating the hash and 100/A, the real snapshot and an empty findings.json."""
    digest = hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    files = {"snapshot.json": SNAPSHOT.read_bytes(), "findings.json": b"{}"}
    forged = one_page(f"SHA-256 {digest} A 100/100", files, tmp_path / "forged.pdf")
    with pytest.raises(VerifyError, match=r"catalogue\.json is not attached"):
        verify(forged)
    # the careful forger copies every genuine attachment: the printed score now differs
    forged = one_page(f"SHA-256 {digest} A 100/100", attachments(genuine), tmp_path / "f2.pdf")
    with pytest.raises(VerifyError, match="the cover shows the score 100/100"):
        verify(forged)


@pytest.mark.slow
def test_an_empty_findings_json_with_a_consistent_manifest_fails(
    genuine: Path, tmp_path: Path
) -> None:
    """findings.json replaced (and reproduce.json rehashed): the re-evaluation names the field."""
    files = attachments(genuine)
    files["findings.json"] = b"{}"
    forged = reattach(genuine, rehash(files), tmp_path / "forged.pdf")
    with pytest.raises(VerifyError, match="not what the attached evidence gives: at schema"):
        verify(forged)


@pytest.mark.slow
def test_a_finding_edited_in_findings_json_is_named(genuine: Path, tmp_path: Path) -> None:
    """A FAIL turned into PASS in findings.json fails with the path of that status."""
    files = attachments(genuine)
    findings = json.loads(files["findings.json"])
    index = next(i for i, f in enumerate(findings["findings"]) if f["status"] == "FAIL")
    findings["findings"][index]["status"] = "PASS"
    files["findings.json"] = json.dumps(findings, ensure_ascii=False, indent=2).encode()
    forged = reattach(genuine, rehash(files), tmp_path / "forged.pdf")
    with pytest.raises(VerifyError, match=rf"at findings/{index}/status: attached \"PASS\""):
        verify(forged)


def test_the_difference_is_named_in_japanese(
    genuine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reportgen --lang ja verify`: the place and the two values of the first difference are
    told in Japanese, not in English inside a Japanese sentence."""
    files = attachments(genuine)
    findings = json.loads(files["findings.json"])
    index = next(i for i, f in enumerate(findings["findings"]) if f["status"] == "FAIL")
    findings["findings"][index]["status"] = "PASS"
    files["findings.json"] = json.dumps(findings, ensure_ascii=False).encode()
    forged = reattach(genuine, rehash(files), tmp_path / "forged.pdf")
    code, _, err = run(capsys, "--lang", "ja", "verify", forged)
    assert code == 1
    assert f'（findings/{index}/status：添付は "PASS"、再評価では "FAIL"）。' in err
    assert "attached" not in err and "re-evaluated" not in err


@pytest.mark.parametrize(
    ("attached", "expected", "en", "ja"),
    [
        (
            {"a": 1},
            {"a": 1, "b": 2},
            "at b: missing (re-evaluated 2)",
            "b：添付にありません（再評価では 2）",
        ),
        (
            {"a": 1, "z": 0},
            {"a": 1},
            "at z: not in the re-evaluation",
            "z：再評価の結果にはありません",
        ),
        (
            [1, 2],
            [1],
            "at (top level): 2 items attached, 1 re-evaluated",
            "文書全体：添付は 2 件、再評価では 1 件",
        ),
        (
            {"x": [0, 5]},
            {"x": [0, 6]},
            "at x/1: attached 5, re-evaluated 6",
            "x/1：添付は 5、再評価では 6",
        ),
        (
            {"a": 1},
            {"a": 1},
            "at (top level): the bytes differ (same data, other layout)",
            "文書全体：データは同じで、書式（バイト列）だけが異なります",
        ),
    ],
)
def test_each_kind_of_difference_reads_in_both_languages(
    attached: object, expected: object, en: str, ja: str
) -> None:
    difference = first_difference(attached, expected)
    assert str(difference) == en
    assert error_text(difference, "ja") == ja


@pytest.mark.slow
def test_edited_pages_fail(genuine: Path, tmp_path: Path) -> None:
    """Pages printed from an edited assessment (score 100, grade A) with the genuine evidence."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.findings import Score
    from reportgen.evaluate.run import evaluate
    from reportgen.render import ReportOptions, render_report
    from reportgen.snapshot import document

    catalogue = load_catalogue()
    data = SNAPSHOT.read_bytes()
    snapshot = document.loads(data, "s")
    honest = evaluate(snapshot, catalogue=catalogue)
    edited = dataclasses.replace(honest, overall=Score(100.0, 1.0, 1.0))
    options = ReportOptions(machine_outputs=False, snapshot_bytes=data)
    pages = render_report(edited, snapshot, catalogue, "en", ["pdf"], options)["report.en.pdf"]
    (tmp_path / "pages.pdf").write_bytes(pages)
    edited_pdf = reattach(tmp_path / "pages.pdf", attachments(genuine), tmp_path / "edited.pdf")
    with pytest.raises(VerifyError, match="shows the score 100"):
        verify(edited_pdf)


@pytest.mark.slow
def test_waive_everything_is_visible_and_cannot_be_hidden(
    genuine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report made with a waive-everything file says so; stripping that file fails."""
    findings = json.loads(attachments(genuine)["findings.json"])  # the plain report's
    failing = sorted({f["check_id"] for f in findings["findings"] if f["status"] == "FAIL"})
    waivers = tmp_path / "waive.yaml"
    waivers.write_text("".join(WAIVE_ALL.format(check=c) for c in failing))
    pdf = _report(tmp_path / "waived", capsys, "--exceptions", waivers)
    result = verify(pdf)
    code, out, _ = run(capsys, "verify", pdf)
    assert code == 0
    if result.waived:  # an over-broad exception may be refused by the evaluator instead
        assert f"waived by exceptions.yaml: {result.waived}" in out
        assert "exceptions.yaml" in result.attachments
    files = attachments(pdf)
    del files["exceptions.yaml"]
    stripped = reattach(pdf, rehash(files), tmp_path / "stripped.pdf")
    with pytest.raises(VerifyError, match="exceptions"):
        verify(stripped)


@pytest.mark.slow
def test_a_tampered_snapshot_and_another_snapshot_file_fail(genuine: Path, tmp_path: Path) -> None:
    """A replaced snapshot breaks the cover hash; a different SNAPSHOT_FILE is a mismatch."""
    files = attachments(genuine)
    files["snapshot.json"] = files["snapshot.json"].replace(b"example", b"forged!")
    with pytest.raises(VerifyError, match="cover's SHA-256"):
        verify(reattach(genuine, rehash(files), tmp_path / "forged.pdf"))
    other = tmp_path / "other.json"
    other.write_bytes(SNAPSHOT.read_bytes() + b" ")
    with pytest.raises(VerifyError, match="differs") as caught:
        verify(genuine, other)
    assert caught.value.exit_code == 1


def test_not_a_pdf_is_an_input_error(tmp_path: Path) -> None:
    """A file that is not a PDF is bad input (exit 2), not a failed verification."""
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    with pytest.raises(InputError, match="not a readable PDF"):
        verify(junk)


def test_not_a_pdf_is_one_japanese_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen --lang ja verify junk.pdf`: one Japanese line, exit 2, no traceback."""
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    code, out, err = run(capsys, "--lang", "ja", "verify", junk)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"reportgen：エラー：{junk}：PDF として読み取れません（")
    assert err.rstrip().endswith("）。")


def test_a_pdf_without_findings_fails_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PDF carrying only its snapshot cannot be reproduced: one Japanese line, exit 1."""
    snapshot = SNAPSHOT.read_bytes()
    pdf = one_page(
        hashlib.sha256(snapshot).hexdigest(), {"snapshot.json": snapshot}, tmp_path / "bare.pdf"
    )
    code, out, err = run(capsys, "--lang", "ja", "verify", pdf)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"reportgen：エラー：{pdf}：findings.json が添付されていないため、検出結果を再現できません"
        "（reportgen の報告書ではないか、verify に対応する前の reportgen で作成されています）。"
    ]


@pytest.mark.slow
def test_only_the_pages_up_to_the_summary_are_read(
    genuine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify extracts the text of the cover and the pages up to the summary, not of every
    page (that took 4.7 of 7.9 s on this 25-page report): what it checks is all there."""
    from pypdf import PageObject

    read: list[int] = []
    extract = PageObject.extract_text

    def counted(page: PageObject, *args: object, **kwargs: object) -> str:
        read.append(page.page_number or 0)
        return extract(page, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PageObject, "extract_text", counted)
    verify(genuine)
    total = len(PdfReader(genuine).pages)
    assert read and read == sorted(set(read)) and max(read) < 5 < total
