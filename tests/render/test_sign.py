"""Signed reports (`report --sign`, `verify`): a throw-away certificate signs a real report;
verify accepts it, and refuses it once a byte changes or bytes are added after signing."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader

from reportgen.render.sign import Signed, check_signature, load_signing_key, sign_pdf
from reportgen.render.verify import verify
from tests.runcli import run

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
PASSWORD = "correct horse"
SUBJECT = "Internal Audit"
SHOWN = "Organization: Example Corp, Common Name: Internal Audit"  # the subject as verify prints it
SIGNED_AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # the clock the validity checks are run at
# Fixed validity periods: valid from 2025 to 2099, expired in 2021, valid only from 2090.
PERIODS = {
    "valid": (datetime(2025, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, tzinfo=UTC)),
    "expired": (datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)),
    "future": (datetime(2090, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, tzinfo=UTC)),
}


def _p12(
    folder: Path, name: str, period: str, *, elliptic: bool = False, holds: str = "both"
) -> Path:
    """A self-signed signing certificate and its key in a password-protected PKCS#12 file
    (``holds``: "both", or only the "key", or only the "certificate")."""
    key: CertificateIssuerPrivateKeyTypes = (
        ec.generate_private_key(ec.SECP256R1())
        if elliptic
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
        ]
    )
    not_before, not_after = PERIODS[period]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(2026)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    if holds == "key":
        data = pkcs12.serialize_key_and_certificates(b"signer", key, None, None, encryption)
    elif holds == "certificate":
        data = pkcs12.serialize_key_and_certificates(None, None, None, [certificate], encryption)
    else:
        data = pkcs12.serialize_key_and_certificates(b"signer", key, certificate, None, encryption)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """RSA certificates valid, expired, not yet valid, without key or certificate; an
    elliptic-curve one; the password file."""
    folder = tmp_path_factory.mktemp("keys")
    (folder / "password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    return {
        "valid": _p12(folder, "valid.p12", "valid"),
        "expired": _p12(folder, "expired.p12", "expired"),
        "future": _p12(folder, "future.p12", "future"),
        "elliptic": _p12(folder, "elliptic.p12", "valid", elliptic=True),
        "key only": _p12(folder, "key-only.p12", "valid", holds="key"),
        "certificate only": _p12(folder, "certificate-only.p12", "valid", holds="certificate"),
        "password": folder / "password.txt",
    }


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> Path:
    """`reportgen report --sign` on the corpus snapshot (English PDF only)."""
    from reportgen.cli import main

    folder = tmp_path_factory.mktemp("signed")
    args = ["report", str(SNAPSHOT), "--lang", "en", "--format", "pdf", "-o", str(folder)]
    args += ["--sign", str(keys["valid"]), "--sign-password-file", str(keys["password"])]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)
    return folder / "report.en.pdf"


@pytest.fixture
def unsigned(corpus_pdf: Path) -> Path:
    """The same report without --sign (rendered once per worker: tests/render/conftest.py)."""
    return corpus_pdf


def test_signed_report_verifies(signed: Path) -> None:
    """Sign -> verify: the evidence reproduces and the signature is intact over the whole file."""
    result = verify(signed)
    assert isinstance(result.signature, Signed)
    assert SUBJECT in result.signature.subject
    assert result.signature.signed_at is not None
    assert "snapshot.json" in result.attachments  # the evidence was checked too


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", [f"署名：{SHOWN}", "判定していません", " JST"]),
        ("en", [f"signature: {SHOWN}", "not judged", " UTC"]),
    ],
)
def test_verify_command_names_the_signer(
    signed: Path,
    keys: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    lang: str,
    expected: list[str],
) -> None:
    """verify prints the signer's subject, the signing time in the reader's zone (JST for ja),
    and that the certificate's trust is not judged."""
    code, out, _ = run(capsys, "--lang", lang, "verify", signed)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(expected[0][:3]))
    assert all(part in line for part in expected), line
    assert re.search(r"20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} (JST|UTC)", line)
    loaded = pkcs12.load_key_and_certificates(keys["valid"].read_bytes(), PASSWORD.encode())
    assert loaded[1] is not None
    assert loaded[1].fingerprint(hashes.SHA256()).hex() in line  # to compare with the issuer's


def test_signing_keeps_the_archival_file(unsigned: Path, keys: dict[str, Path]) -> None:
    """The signature is an incremental update: the PDF/A bytes, its Info and XMP are kept, the
    file stays PDF 1.7 (only the PAdES extension is declared), the widget prints and is empty."""
    original = unsigned.read_bytes()
    key = load_signing_key(keys["valid"], PASSWORD.encode(), SIGNED_AT)
    assert not key.declares_pdf20
    data = sign_pdf(original, key)
    assert data.startswith(original) and data[:9] == b"%PDF-1.7\n"
    before, after = PdfReader(io.BytesIO(original)), PdfReader(io.BytesIO(data))
    assert after.trailer["/Info"].get_object() == before.trailer["/Info"].get_object()
    xmp = [r.trailer["/Root"]["/Metadata"].get_object().get_data() for r in (before, after)]
    assert xmp[0] == xmp[1] and b"pdfaid" in xmp[1]
    root = after.trailer["/Root"]
    assert "/Version" not in root
    assert set(root["/Extensions"]) == {"/ESIC"}
    (field,) = root["/AcroForm"]["/Fields"]
    widget = field.get_object()
    assert widget["/Subtype"] == "/Widget" and widget["/FT"] == "/Sig"
    flags = int(widget["/F"])
    assert flags & 4 and not flags & (1 | 2 | 32)  # Print; not Invisible, Hidden, NoView
    left, bottom, right, top = (float(n) for n in widget["/Rect"])
    assert left == right and bottom == top  # zero size: PDF/A asks no appearance of it
    assert check_signature(data, unsigned) is not None


def _in_header_comment(data: bytes) -> int:
    return data.index(b"\n%") + 3  # the binary comment under %PDF-1.7: the PDF still parses


def _in_content_stream(data: bytes) -> int:
    return data.index(b"stream\n", len(data) // 3) + 40  # compressed bytes: pypdf fails too


def _in_signature_value(data: bytes) -> int:
    return data.index(b"/Contents <", data.rindex(b"/ByteRange") - 20000) + 60


def _in_signature_padding(data: bytes) -> int:
    return data.index(b"000000>", data.rindex(b"/ByteRange") - 20000)


def _in_byte_range(data: bytes) -> int:
    return data.rindex(b"/ByteRange [0 ") + len(b"/ByteRange [0 ")


def _in_last_xref(data: bytes) -> int:
    return data.rindex(b"startxref") + 11


@pytest.mark.parametrize(
    "where",
    [
        _in_header_comment,
        _in_content_stream,
        _in_signature_value,
        _in_signature_padding,
        _in_byte_range,
        _in_last_xref,
    ],
)
def test_one_changed_byte_fails(
    signed: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: Callable[[bytes], int],
) -> None:
    """A single byte changed anywhere, the signature's own padding included: exit 1, one line."""
    data = bytearray(signed.read_bytes())
    at = where(bytes(data))
    data[at] = ord("1") if data[at] == ord("0") else data[at] ^ 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    code, _, err = run(capsys, "--lang", "en", "verify", tampered)
    assert code == 1, err
    assert "signature" in err and "Traceback" not in err
    if where in (_in_header_comment, _in_content_stream, _in_signature_padding):
        assert "the PDF was changed after it was signed" in err
    assert len(err.strip().splitlines()) == 1


def _forged(data: bytes) -> bytes:
    """``data`` with a covered byte changed and the message digest in the signature's signed
    attributes recomputed to match: what someone without the private key can do."""
    from asn1crypto import cms

    out = bytearray(data)
    out[data.index(b"\n%") + 3] ^= 0x01
    found = re.search(rb"/ByteRange \[0 ([0-9]+) ([0-9]+) ([0-9]+)\]", data)
    assert found is not None
    first, start, second = (int(n) for n in found.groups())
    digest = hashlib.sha256(bytes(out[:first]) + bytes(out[start : start + second])).digest()
    hole = bytes(out[first + 1 : start - 1])
    info = cms.ContentInfo.load(bytes.fromhex(hole.decode()))
    for attribute in info["content"]["signer_infos"][0]["signed_attrs"]:
        if attribute["type"].native == "message_digest":
            attribute["values"][0] = cms.OctetString(digest)
    value = info.dump(force=True).hex().upper().encode()
    out[first + 1 : start - 1] = value + b"0" * (len(hole) - len(value))
    return bytes(out)


def test_recomputed_digest_fails(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change whose digest is put into the signature is refused: the key signed the old one."""
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_forged(signed.read_bytes()))
    code, _, err = run(capsys, "--lang", "en", "verify", forged)
    assert code == 1
    assert "the PDF was changed after it was signed" in err


def test_bytes_added_after_signing_fail(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes appended after signing are not covered: verify refuses them in the CLI language."""
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n% added later\n")
    code, _, err = run(capsys, "--lang", "ja", "verify", appended)
    assert code == 1
    assert "署名の後に内容が追加されています" in err
    assert len(err.strip().splitlines()) == 1


def test_incremental_update_after_signing_fails(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A well-formed incremental update the signer did not make (a new /Lang) is refused."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    writer.root["/Lang"] = generic.TextStringObject("ja")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    updated = tmp_path / "updated.pdf"
    updated.write_bytes(out.getvalue())
    code, _, err = run(capsys, "--lang", "en", "verify", updated)
    assert code == 1
    assert "content was added after the signature" in err


def test_unsigned_report_says_so(unsigned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unsigned report verifies and says that it has no signature."""
    code, out, _ = run(capsys, "--lang", "en", "verify", unsigned)
    assert code == 0 and "signature: none" in out


def test_elliptic_curve_key_is_noted(
    keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An elliptic-curve key signs, with a note that pyHanko marks such a file PDF 2.0."""
    assert load_signing_key(keys["elliptic"], PASSWORD.encode(), SIGNED_AT).declares_pdf20
    (tmp_path / "report.en.pdf").write_bytes(b"already here")  # stops the run before rendering
    args = ["report", SNAPSHOT, "--lang", "en", "--format", "pdf", "-o", tmp_path]
    args += ["--sign", keys["elliptic"]]
    args += ["--sign-password-file", keys["password"]]
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 2 and "already exist" in err
    assert "elliptic-curve key" in err and "PDF 2.0" in err


@pytest.mark.parametrize(
    ("key", "password", "message"),
    [
        ("valid", "wrong", "the password is wrong"),
        ("valid", "", "the password is wrong"),  # none given for a protected file
        ("expired", PASSWORD, "the certificate expired on 2021-01-01"),
        ("future", PASSWORD, "the certificate is not valid before 2090-01-01"),
        ("missing", PASSWORD, "cannot read the certificate file"),
        ("password", PASSWORD, "not a PKCS#12 file"),  # a text file given as the certificate
        ("key only", PASSWORD, "not a PKCS#12 file holding a private key and its certificate"),
        ("certificate only", PASSWORD, "not a PKCS#12 file holding a private key"),
    ],
)
def test_bad_signing_input_is_one_line_before_any_work(
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    password: str,
    message: str,
) -> None:
    """Each unusable certificate or password: one line, exit 2, nothing rendered or written."""
    monkeypatch.setenv("REPORTGEN_SIGN_PASSWORD", password)
    certificate = keys.get(key, tmp_path / "missing.p12")
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "--lang", "en", "report", SNAPSHOT, "--format", "pdf", "--sign", certificate,
        "-o", out,
    )  # fmt: skip
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()  # refused before rendering: nothing written


def test_bad_signing_input_reads_in_japanese(
    keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same refusal in Japanese, here for a password file that does not exist."""
    args = ["report", SNAPSHOT, "--format", "pdf", "--sign", keys["valid"], "-o", tmp_path]
    args += ["--sign-password-file", tmp_path / "none.txt"]
    code, _, err = run(capsys, "--lang", "ja", *args)
    assert code == 2
    assert "パスワードファイルを読み込めません" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_organization_reports_are_signed(
    keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An organisation folder: each account's PDF and the summary PDF are signed, intact."""
    from tests.render.test_org_report import build_org

    build_org(tmp_path / "org", [SNAPSHOT.read_text(encoding="utf-8")], 1)
    out = tmp_path / "out"
    args = ["report", tmp_path / "org", "--lang", "en", "--format", "pdf", "-o", out]
    args += ["--sign", keys["valid"], "--sign-password-file", keys["password"]]
    code, _, err = run(capsys, "--lang", "en", *args)
    assert code == 0, err
    pdfs = sorted(out.rglob("*.pdf"))
    assert [p.name for p in pdfs] == ["report.en.pdf", "summary.en.pdf"]
    for pdf in pdfs:
        found = check_signature(pdf.read_bytes(), pdf)
        assert found is not None and SUBJECT in found.subject
    assert verify(pdfs[0]).signature is not None  # the account's report verifies in full


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html", "--sign", "any.p12"], "--sign signs PDF reports"),
        (["--format", "pdf", "--sign-password-file", "any.txt"], "give the certificate with"),
    ],
)
def test_sign_options_need_each_other_and_a_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """--sign without a PDF to sign, or a password file without --sign: one line, exit 2."""
    code, _, err = run(capsys, "--lang", "en", "report", SNAPSHOT, *args, "-o", tmp_path / "o")
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()
