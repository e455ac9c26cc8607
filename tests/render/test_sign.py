"""Signed reports (`report --sign`, `verify`): a throw-away certificate signs a real report;
verify accepts it, and refuses it once a byte changes or bytes are added after signing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from reportgen.render.sign import Signed
from reportgen.render.verify import verify
from tests.runcli import run

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
PASSWORD = "correct horse"
SUBJECT = "Internal Audit"


def _p12(folder: Path, name: str, not_before: datetime, not_after: datetime) -> Path:
    """A self-signed signing certificate and its key in a password-protected PKCS#12 file."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
        ]
    )
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
    data = pkcs12.serialize_key_and_certificates(
        b"signer",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    now = datetime.now(UTC)
    (folder / "password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    return {
        "valid": _p12(folder, "valid.p12", now - timedelta(days=1), now + timedelta(days=365)),
        "expired": _p12(folder, "expired.p12", now - timedelta(days=400), now - timedelta(days=35)),
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


def test_signed_report_verifies(signed: Path) -> None:
    """Sign -> verify: the evidence reproduces and the signature is intact over the whole file."""
    result = verify(signed)
    assert isinstance(result.signature, Signed)
    assert SUBJECT in result.signature.subject
    assert result.signature.signed_at is not None


def test_verify_command_names_the_signer(signed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "ja", "verify", signed)
    assert code == 0
    assert f"署名：Organization: Example Corp, Common Name: {SUBJECT}" in out
    assert "判定していません" in out


def test_one_changed_byte_fails(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A single byte changed inside the signed range: exit 1, one line saying so."""
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Producer")
    data[at + 12] ^= 0x01  # a letter of the producer string: the PDF still parses
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    code, _, err = run(capsys, "--lang", "en", "verify", tampered)
    assert code == 1
    assert "the PDF was changed after it was signed" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bytes_added_after_signing_fail(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An incremental update the signer did not make is not covered: verify refuses it."""
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(signed.read_bytes() + b"\n% added later\n")
    code, _, err = run(capsys, "--lang", "ja", "verify", appended)
    assert code == 1
    assert "署名の後に内容が追加されています" in err


def test_unsigned_report_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "report", SNAPSHOT, "--lang", "en", "--format", "pdf", "-o", tmp_path
    )
    assert code == 0, err
    code, out, _ = run(capsys, "--lang", "en", "verify", tmp_path / "report.en.pdf")
    assert code == 0 and "signature: none" in out


@pytest.mark.parametrize(
    ("key", "password", "message"),
    [
        ("valid", "wrong", "the password is wrong"),
        ("expired", PASSWORD, "the certificate expired on"),
        ("missing", PASSWORD, "cannot read the certificate file"),
        ("password", PASSWORD, "not a PKCS#12 file"),  # a text file given as the certificate
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
    monkeypatch.setenv("REPORTGEN_SIGN_PASSWORD", password)
    certificate = keys.get(key, tmp_path / "missing.p12")
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "--lang", "en", "report", SNAPSHOT, "--format", "pdf", "--sign", certificate,
        "-o", out,
    )  # fmt: skip
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not out.exists()  # refused before rendering: nothing written
