"""English finding messages agree in number with their counts ({age_days:day|days})."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import EvidenceValue, Finding, Section, Severity, Status
from reportgen.evaluate.messages import choose_plurals, fill
from reportgen.textstore import read_catalogue
from tests.evaluate.conftest import write_spec


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue()


def _finding(check_id: str, status: Status, evidence: dict[str, EvidenceValue]) -> Finding:
    return Finding(
        check_id,
        Section.ACCESS_KEYS,
        Severity.MEDIUM,
        status,
        "user",
        "arn:aws:iam::123456789012:user/alice",
        "alice",
        evidence,
    )


@pytest.mark.parametrize(
    ("check_id", "status", "evidence", "en"),
    [
        (
            "role_unused",
            Status.PASS,
            {"role": "ops", "age_days": 1, "threshold": 90, "last_used": None},
            "Role ops was used 1 day ago (limit 90 days).",
        ),
        (
            "role_unused",
            Status.PASS,
            {"role": "ops", "age_days": 0, "threshold": 1, "last_used": None},
            "Role ops was used 0 days ago (limit 1 day).",
        ),
        (
            "access_key_unused",
            Status.PASS,
            {"user": "alice", "key_id": "access_key_1", "age_days": 1, "threshold": 90},
            "Access key access_key_1 of user alice has gone unused for 1 day,"
            " within the baseline of less than 90 days.",
        ),
        (
            "credential_report_fresh",
            Status.PASS,
            {"generated": "2026-12-01T08:00:00+00:00", "hours": 0.5, "threshold": 1},
            "The credential report was generated at 2026-12-01T08:00:00+00:00, 0.5 hours"
            " before collection (baseline 1 hour or less).",
        ),
    ],
)
def test_english_messages_take_the_number_of_their_count(
    shipped: Catalogue, check_id: str, status: Status, evidence: dict[str, EvidenceValue], en: str
) -> None:
    """One day, one hour: singular; any other number (0, 90, 0.5): plural."""
    assert shipped.message(_finding(check_id, status, evidence), "en") == en


def test_japanese_messages_are_unchanged(shipped: Catalogue) -> None:
    """Japanese has no plural: the number is written as before."""
    evidence: dict[str, EvidenceValue] = {
        "role": "ops",
        "age_days": 1,
        "threshold": 90,
        "last_used": None,
    }
    finding = _finding("role_unused", Status.PASS, evidence)
    assert "1 日前" in shipped.message(finding, "ja")


def test_plural_forms_are_chosen_before_filling() -> None:
    """The choice reads the raw number; braces around it are kept; other placeholders stay."""
    template = "{{x}} {count} {count:key|keys} of {user}"
    assert choose_plurals(template, {"count": 1, "user": "a"}) == "{{x}} {count} key of {user}"
    assert fill(template, {"count": 0, "user": "a"}, "en") == "{x} 0 keys of a"
    assert fill(template, {"count": None, "user": "a"}, "en") == "{x} - keys of a"
    assert fill(template, {"count": True, "user": "a"}, "en") == "{x} true keys of a"


@pytest.mark.parametrize("spec", ["key|", "key|keys|keyses", "|keys"])
def test_a_malformed_plural_is_refused_when_the_catalogue_loads(
    catalogue_dir: Path, spec: str
) -> None:
    """A plural placeholder without exactly two forms names the file and line, in ja and en."""
    message = {
        "fail": {"ja": "{user}", "en": "{user} {age_days:" + spec + "}"},
        "pass": {"ja": "{user}", "en": "{user}"},
    }
    write_spec(catalogue_dir, "access_key_rotated", message=message)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(catalogue_dir)
    assert info.value.key == "message_bad_plural"
    assert "access_key_rotated.yaml:" in str(info.value)
    assert spec in str(info.value)
    ja = read_catalogue("cli", "ja")["error.message_bad_plural"].format(**info.value.values)
    assert "複数形のプレースホルダー" in ja and "access_key_rotated.yaml:" in ja
