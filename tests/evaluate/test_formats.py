"""Output formats: JSON schema, Excel-ready CSV, JUnit outcomes, OCSF required fields, table."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from reportgen.cli.evaluate_cmd import FORMAT_CHOICES
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.exceptions import ExceptionEntry
from reportgen.evaluate.findings import Assessment, Status
from reportgen.evaluate.run import evaluate
from reportgen.formats import FORMATS
from tests.evaluate.test_evaluate import bad_snapshot
from tests.factories import ACCOUNT


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def assessment(catalogue: Catalogue) -> Assessment:
    """The bad account with bob's MFA finding... waived, so every status appears."""
    waiver = ExceptionEntry(
        "user_in_group",
        f"arn:aws:iam::{ACCOUNT}:user/bob",
        "移行中",
        "CISO",
        date(2026, 12, 31),
        "SEC-9",
    )
    result = evaluate(bad_snapshot(), exceptions=[waiver], catalogue=catalogue)
    assert {f.status for f in result.findings} == set(Status)
    return result


def test_every_cli_format_has_a_renderer() -> None:
    """Each --format choice has an implementation and vice versa."""
    assert set(FORMAT_CHOICES) == set(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_renderers_are_pure_and_deterministic(
    name: str, lang: str, assessment: Assessment, catalogue: Catalogue
) -> None:
    """The same assessment renders to the same text, in every language."""
    assert FORMATS[name](assessment, catalogue, lang) == FORMATS[name](assessment, catalogue, lang)


def test_json_schema_and_stable_keys(assessment: Assessment, catalogue: Catalogue) -> None:
    """The JSON carries the schema id, stable top-level keys and per-language messages."""
    doc = json.loads(FORMATS["json"](assessment, catalogue, "ja+en"))
    assert doc["schema"] == "reportgen.findings/1"
    assert list(doc) == [
        "schema",
        "tool",
        "catalogue_version",
        "profile",
        "languages",
        "account",
        "snapshot_sha256",
        "collected_at",
        "as_of",
        "score",
        "counts",
        "checks",
        "findings",
        "exceptions",
    ]
    first = doc["findings"][0]
    assert list(first) == [
        "check_id",
        "section",
        "severity",
        "status",
        "resource",
        "message",
        "evidence",
        "exception",
    ]
    assert set(first["message"]) == {"ja", "en"}
    assert doc["as_of"].endswith("Z") and doc["score"]["overall"]["grade"] in "ABCDE"
    suppressed = [f for f in doc["findings"] if f["status"] == "SUPPRESSED"]
    assert suppressed[0]["exception"]["approver"] == "CISO"
    assert sum(doc["counts"].values()) == len(doc["findings"]) == len(assessment.findings)


def test_csv_opens_in_japanese_excel(assessment: Assessment, catalogue: Catalogue) -> None:
    """UTF-8 with BOM, CRLF line ends, one row per finding, Japanese kept intact."""
    text = FORMATS["csv"](assessment, catalogue, "ja")
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(assessment.findings)
    assert "チェック項目（日本語）" in rows[0] and "チェック項目（英語）" not in rows[0]
    assert any("ルートユーザー" in r["内容（日本語）"] for r in rows)


@pytest.mark.parametrize(
    ("lang", "first", "status"),
    [
        ("ja", "アカウント ID", "判定"),
        ("en", "Account ID", "Status"),
        ("ja+en", "アカウント ID / Account ID", "判定 / Status"),
    ],
)
def test_csv_headers_are_in_the_report_language(
    assessment: Assessment, catalogue: Catalogue, lang: str, first: str, status: str
) -> None:
    """The header row is for the Excel reader: in the report's language, columns fixed."""
    rows = list(csv.reader(io.StringIO(FORMATS["csv"](assessment, catalogue, lang)[1:])))
    assert rows[0][0] == first and rows[0][4] == status
    assert rows[1][4] in {s.value for s in Status}


def test_csv_neutralises_formulas(catalogue: Catalogue) -> None:
    """A resource name that looks like a formula is prefixed so Excel shows it as text."""
    from tests.factories import make_snapshot, make_user

    snap = make_snapshot(users=[make_user("=HYPERLINK(1)", groups=())])
    text = FORMATS["csv"](evaluate(snap, catalogue=catalogue), catalogue, "en")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_junit_outcomes(assessment: Assessment, catalogue: Catalogue) -> None:
    """FAIL is a failure, UNKNOWN an error, N/A and SUPPRESSED skipped, one testcase per finding."""
    root = ET.fromstring(FORMATS["junit"](assessment, catalogue, "en"))
    cases = root.findall(".//testcase")
    assert len(cases) == len(assessment.findings) == int(root.get("tests"))
    expected = {
        Status.PASS: None,
        Status.FAIL: "failure",
        Status.UNKNOWN: "error",
        Status.NOT_APPLICABLE: "skipped",
        Status.SUPPRESSED: "skipped",
    }
    for case, finding in zip(cases, assessment.findings, strict=True):
        children = [c.tag for c in case]
        assert children == ([expected[finding.status]] if expected[finding.status] else [])
        assert (case.get("classname"), case.get("name")) == (finding.check_id, finding.resource_id)
    assert int(root.get("failures")) == sum(f.status is Status.FAIL for f in assessment.findings)


# Required attributes of OCSF 1.x Detection Finding (class 2004): the base event's
# classification and occurrence attributes plus metadata, and finding_info from the Finding
# category (schema.ocsf.io, events/findings/detection_finding.json extends finding.json).
OCSF_REQUIRED = {
    "activity_id",
    "category_uid",
    "class_uid",
    "finding_info",
    "metadata",
    "severity_id",
    "time",
    "type_uid",
}
OCSF_FINDING_INFO_REQUIRED = {"uid", "title"}  # title: required in 1.1, recommended later
OCSF_METADATA_REQUIRED = {"product", "version"}
OCSF_PRODUCT_REQUIRED = {"vendor_name"}
OCSF_CLOUD_REQUIRED = {"provider"}


def test_ocsf_detection_findings_have_the_required_fields(
    assessment: Assessment, catalogue: Catalogue
) -> None:
    """Each FAIL/SUPPRESSED finding is an OCSF Detection Finding with every required field."""
    events = json.loads(FORMATS["ocsf"](assessment, catalogue, "ja"))
    problems = [f for f in assessment.findings if f.status in (Status.FAIL, Status.SUPPRESSED)]
    assert len(events) == len(problems)
    for event in events:
        assert set(event) >= OCSF_REQUIRED
        assert set(event["finding_info"]) >= OCSF_FINDING_INFO_REQUIRED
        assert set(event["metadata"]) >= OCSF_METADATA_REQUIRED
        assert set(event["metadata"]["product"]) >= OCSF_PRODUCT_REQUIRED
        assert set(event["cloud"]) >= OCSF_CLOUD_REQUIRED
        assert (event["class_uid"], event["category_uid"]) == (2004, 2)
        assert event["type_uid"] == event["class_uid"] * 100 + event["activity_id"]
        assert event["severity_id"] in (0, 1, 2, 3, 4, 5, 6, 99)
        assert event["status_id"] in (1, 3) and isinstance(event["time"], int)
    assert {e["status"] for e in events} == {"New", "Suppressed"}


@pytest.mark.parametrize(("lang", "header"), [("ja", "判定"), ("en", "Status")])
def test_table_in_the_chosen_language(
    assessment: Assessment, catalogue: Catalogue, lang: str, header: str
) -> None:
    """The terminal table uses the language's headers and leaves PASS rows out."""
    text = FORMATS["table"](assessment, catalogue, lang)
    assert header in text and "\x1b[" not in text
    assert ("合格" not in text.replace("不合格", "")) if lang == "ja" else True
