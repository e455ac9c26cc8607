"""Principal kinds in finding messages are words of the reader's language, not codes."""

from __future__ import annotations

import pytest

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Finding, Section, Severity, Status


@pytest.mark.parametrize(
    ("kind", "ja", "en"),
    [
        ("user", "IAM ユーザー「sato」は", "IAM user sato is"),
        ("group", "IAM グループ「sato」は", "IAM group sato is"),
        ("role", "IAM ロール「sato」は", "IAM role sato is"),
    ],
)
def test_the_kind_of_principal_is_written_in_words(kind: str, ja: str, en: str) -> None:
    evidence = {"kind": kind, "principal": "sato", "scope": "*", "statements": "p#1"}
    finding = Finding(
        "admin_equivalent_principal",
        Section.LEAST_PRIVILEGE,
        Severity.HIGH,
        Status.FAIL,
        kind,
        f"arn:aws:iam::123456789012:{kind}/sato",
        "sato",
        evidence,
    )
    catalogue = load_catalogue()
    assert catalogue.message(finding, "ja").startswith(ja)
    assert catalogue.message(finding, "en").startswith(en)
