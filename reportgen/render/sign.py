"""Signed reports: a PAdES signature on the archival PDF (pyHanko), and its check for verify.

The signature is added as an incremental update after the PDF/A file is written, so the
archival content (and its metadata) is kept byte for byte and the signature covers all of it.
verify accepts a signature only when it is intact and covers every byte of the file: bytes
added after signing (an incremental update the signer did not make) or changed anywhere, the
signature value's padding included, fail the check. The signer's certificate is shown, not
judged: trust in it (a chain to a known authority, revocation) needs the network and the
organisation's own trust list, and is left to the reader (docs/verify.md).
"""

from __future__ import annotations

import binascii
import io
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import InputError
from reportgen.render.reproduce import VerifyError

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

PASSWORD_VARIABLE = "REPORTGEN_SIGN_PASSWORD"
FIELD_NAME = "reportgen"
# Key algorithms for which pyHanko declares ISO/TS 32002 and so PDF 2.0 in the catalogue
# (PDF/A-3 is PDF 1.7): an RSA key keeps the signed report a PDF 1.7 file.
PDF20_KEY_ALGORITHMS = frozenset({"ec", "ed25519", "ed448"})
# Any of these in the raw bytes means the PDF was signed: one changed byte cannot hide them all.
_SIGNED_MARKERS = (b"/ByteRange", b"/SigFlags", b"/FT /Sig", b"/ETSI.CAdES.detached")


@dataclass(frozen=True)
class SigningKey:
    """A signer loaded from a PKCS#12 file: pyHanko's signer, the certificate's subject and
    SHA-256; ``declares_pdf20`` when its key makes pyHanko mark the signed file as PDF 2.0."""

    signer: Any
    subject: str
    declares_pdf20: bool = False
    fingerprint: str = ""


@dataclass(frozen=True)
class Signed:
    """What verify found: who signed (the certificate's subject and SHA-256, to compare with
    the certificate the organisation issued), when (the signer's clock); it is intact."""

    subject: str
    signed_at: datetime | None
    fingerprint: str = ""


def read_password(password_file: Path | None) -> bytes | None:
    """The PKCS#12 password: the file's first line, else ``$REPORTGEN_SIGN_PASSWORD``, else none."""
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError.keyed(
                "sign_password_unreadable", path=password_file, error=exc
            ) from None
        return (text.splitlines() or [""])[0].encode("utf-8")
    value = os.environ.get(PASSWORD_VARIABLE)
    return value.encode("utf-8") if value else None


def load_signing_key(path: Path, password: bytes | None, now: datetime) -> SigningKey:
    """The signer in a PKCS#12 file (``.p12``/``.pfx``), refused when it cannot sign at ``now``."""
    from pyhanko.sign import signers

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.keyed("sign_unreadable", path=path, error=exc) from None
    if not _holds_key_and_certificate(data, password):
        raise InputError.keyed("sign_not_pkcs12", path=path)
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=password)
    except (ValueError, TypeError):
        signer = None
    if signer is None or signer.signing_cert is None:
        raise InputError.keyed("sign_not_pkcs12", path=path)
    certificate = signer.signing_cert
    subject = str(certificate.subject.human_friendly)
    validity = certificate["tbs_certificate"]["validity"]
    not_before = validity["not_before"].native
    not_after = validity["not_after"].native
    if now < not_before:
        raise InputError.keyed("sign_not_yet_valid", path=path, date=not_before.date())
    if now > not_after:
        raise InputError.keyed("sign_expired", path=path, date=not_after.date())
    algorithm = str(certificate.public_key.algorithm)
    return SigningKey(signer, subject, algorithm in PDF20_KEY_ALGORITHMS, certificate.sha256.hex())


def _holds_key_and_certificate(data: bytes, password: bytes | None) -> bool:
    """The PKCS#12 data opens with ``password`` and holds a private key and the certificate
    of its public key (pyHanko fails with an AttributeError when either is missing)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12

    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError):
        return False
    if key is None or certificate is None:
        return False
    der, spki = Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    mine = key.public_key().public_bytes(der, spki)
    return bool(mine == certificate.public_key().public_bytes(der, spki))


def sign_pdf(data: bytes, key: SigningKey) -> bytes:
    """``data`` with a PAdES (B-B) signature over the whole file, added as an incremental update."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = _archival_writer(data)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=key.signer, output=out)
    return out.getvalue()


def _archival_writer(data: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer that leaves the document information and XMP untouched.

    pyHanko would rewrite both (producer, modification date), and not alike: the Info
    dictionary's producer becomes "WeasyPrint …; pyHanko …" while the XMP's becomes
    "pyHanko …", which PDF/A forbids (the two must agree). The signing time is in the
    signature itself, so the metadata WeasyPrint wrote, which agrees, is kept as it is.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class ArchivalWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            return None

    return ArchivalWriter(io.BytesIO(data))


def check_signature(data: bytes, pdf: Path) -> Signed | None:
    """None for an unsigned PDF; the signer when every signature is intact and the last one
    covers every byte of the file; VerifyError otherwise. No network: nothing is fetched."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    unreadable = (
        PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
        OSError, RecursionError, zlib.error,
    )  # fmt: skip
    signed = any(marker in data for marker in _SIGNED_MARKERS)
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except unreadable as exc:
        if signed:
            raise VerifyError.keyed(
                "verify_signature_unreadable", pdf=pdf, error=_one_line(exc)
            ) from None
        return None  # not signed: the PDF reader says what is wrong with it
    if not signatures:
        if signed:  # a signature's traces without a signature: damaged after signing
            raise VerifyError.keyed("verify_signature_missing", pdf=pdf)
        return None
    found: Signed | None = None
    for index, signature in enumerate(signatures):
        try:
            certificate = signature.signer_cert
            # Trust roots: the signer's own certificate. The chain to an authority is not
            # judged (it needs the network and a trust list); the signature's integrity is.
            context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
            # No difference analysis of later revisions: after the last signature there
            # must be none (slow on a report's thousands of objects, and not needed).
            status = validate_pdf_signature(signature, context, skip_diff=True)
            byte_range = [int(n) for n in signature.byte_range]
        except unreadable as exc:
            raise VerifyError.keyed(
                "verify_signature_unreadable", pdf=pdf, error=_one_line(exc)
            ) from None
        # intact: the file's digest is the one in the signed attributes; valid: the signer's
        # key signed those attributes. Both, or a forger could put a new digest in place.
        if not (status.intact and status.valid and _only_signature_in_gap(data, byte_range)):
            raise VerifyError.keyed("verify_signature_broken", pdf=pdf)
        last = index == len(signatures) - 1
        if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            raise VerifyError.keyed("verify_signature_not_covering", pdf=pdf)
        when = status.signer_reported_dt
        found = Signed(
            str(certificate.subject.human_friendly),
            when.astimezone(UTC) if when else None,
            certificate.sha256.hex(),
        )
    return found


def _only_signature_in_gap(data: bytes, byte_range: list[int]) -> bool:
    """The bytes the signature does not cover hold its value and nothing else: ``<hex>``,
    the DER signature followed by zero padding, in one letter case. Unchecked, a changed
    padding digit would go unnoticed (the DER parser stops at the signature's end)."""
    if len(byte_range) != 4:
        return False
    gap = data[byte_range[1] : byte_range[2]]
    if len(gap) < 4 or gap[:1] != b"<" or gap[-1:] != b">":
        return False
    digits = gap[1:-1]
    try:
        value = binascii.unhexlify(digits)
    except (binascii.Error, ValueError):
        return False
    length = _der_length(value)
    if length is None or length > len(value) or any(value[length:]):
        return False
    return digits in (value.hex().upper().encode(), value.hex().encode())


def _der_length(value: bytes) -> int | None:
    """The length of the DER element at the start of ``value`` (tag, length, content)."""
    if len(value) < 2:
        return None
    first = value[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(value) < 2 + count:
        return None
    return 2 + count + int.from_bytes(value[2 : 2 + count], "big")


def _one_line(error: BaseException) -> str:
    """An error's text on one line, short enough for a terminal."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."
