"""Signed reports: a PAdES signature on the archival PDF (pyHanko), and its check for verify.

The signature is added as an incremental update after the PDF/A file is written, so the
archival content is kept byte for byte and the signature covers all of it. verify accepts a
signature only when it is intact and covers the whole file: bytes added after signing (an
incremental update the signer did not make) fail the check. The signer's certificate is
shown, not judged: trust in it (a chain to a known authority, revocation) needs the network
and the organisation's own trust list, and is left to the reader (docs/verify.md).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.render.reproduce import VerifyError

PASSWORD_VARIABLE = "REPORTGEN_SIGN_PASSWORD"
FIELD_NAME = "reportgen"


@dataclass(frozen=True)
class SigningKey:
    """A signer loaded from a PKCS#12 file: pyHanko's signer and the certificate's subject."""

    signer: Any
    subject: str


@dataclass(frozen=True)
class Signed:
    """What verify found: who signed, when (the signer's clock), and that it is intact."""

    subject: str
    signed_at: datetime | None


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
    return SigningKey(signer, subject)


def sign_pdf(data: bytes, key: SigningKey) -> bytes:
    """``data`` with a PAdES (B-B) signature over the whole file, added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    out = io.BytesIO()
    signers.sign_pdf(writer, meta, signer=key.signer, output=out)
    return out.getvalue()


def check_signature(data: bytes, pdf: Path) -> Signed | None:
    """None for an unsigned PDF; the signer when every signature is intact and the last one
    covers the whole file; VerifyError otherwise. No network: nothing is fetched."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise VerifyError.keyed("verify_signature_unreadable", pdf=pdf, error=exc) from None
    if not signatures:
        return None
    found: Signed | None = None
    for index, signature in enumerate(signatures):
        certificate = signature.signer_cert
        # Trust roots: the signer's own certificate. The chain to an authority is not judged
        # (it needs the network and a trust list); the signature's integrity is.
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            raise VerifyError.keyed("verify_signature_unreadable", pdf=pdf, error=exc) from None
        if not status.intact:
            raise VerifyError.keyed("verify_signature_broken", pdf=pdf)
        last = index == len(signatures) - 1
        if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            raise VerifyError.keyed("verify_signature_not_covering", pdf=pdf)
        when = status.signer_reported_dt
        found = Signed(
            str(certificate.subject.human_friendly), when.astimezone(UTC) if when else None
        )
    return found
