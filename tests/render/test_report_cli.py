"""``reportgen report`` end to end: an account in moto, collected, evaluated and rendered."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws
from pypdf import PdfReader

from reportgen.cli.common import parse_as_of
from reportgen.cli.report_cmd import report
from reportgen.collect.account import CollectOptions, collect
from reportgen.errors import InputError
from reportgen.snapshot import document as snapshot

TODAY = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")


def _seed_small_account() -> None:
    """Three people in moto: one with a console password and no MFA, one with a key."""
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_account_alias(AccountAlias="sakura-prod")
    iam.create_group(GroupName="Developers")
    for name in ("tanaka", "suzuki", "sato"):
        iam.create_user(UserName=name)
    iam.add_user_to_group(GroupName="Developers", UserName="tanaka")
    iam.create_login_profile(UserName="tanaka", Password="Aa1!aaaaaaaaaaaa")
    iam.create_access_key(UserName="suzuki")
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    iam.put_user_policy(UserName="sato", PolicyName="everything", PolicyDocument=document)


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small account built in moto, collected by the real collector into a snapshot file."""
    path = tmp_path_factory.mktemp("snap") / "snapshot.json"
    with mock_aws():
        _seed_small_account()
        options = CollectOptions(region="us-east-1", clock=lambda: TODAY, sleep=lambda _s: None)
        snapshot.save(collect(options=options), path)
    yield path


@pytest.mark.slow
def test_report_writes_every_file(snapshot_file: Path, tmp_path: Path) -> None:
    """One run writes the HTML, the PDF and the three machine outputs, and lists them."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        report,
        [str(snapshot_file), "--lang", "ja+en", "--org-name", "桜商事株式会社", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "findings.csv",
        "findings.json",
        "junit.xml",
        "report.ja+en.html",
        "report.ja+en.pdf",
    ]
    assert result.output.count(str(out)) == 5
    pdf = PdfReader(io.BytesIO((out / "report.ja+en.pdf").read_bytes()))
    assert pdf.attachments["snapshot.json"] == [snapshot_file.read_bytes()]
    assert json.loads(pdf.attachments["findings.json"][0])
    page = (out / "report.ja+en.html").read_text(encoding="utf-8")
    assert "桜商事株式会社" in page and "2026年11月28日" in page and "28 November 2026" in page


def test_existing_files_need_force(snapshot_file: Path, tmp_path: Path) -> None:
    """A second run into the same folder refuses to overwrite unless --force."""
    args = [str(snapshot_file), "--lang", "en", "--format", "html", "-o", str(tmp_path)]
    assert CliRunner().invoke(report, args).exit_code == 0
    again = CliRunner().invoke(report, args)
    assert again.exit_code != 0 and "already exist" in str(again.exception)
    assert CliRunner().invoke(report, [*args, "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-28", datetime(2026, 11, 28, 23, 59, 59, tzinfo=UTC)),
        ("2026-11-28T10:00:00Z", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        ("2026-11-28T10:00:00", datetime(2026, 11, 28, 10, tzinfo=UTC)),
        (None, None),
    ],
)
def test_as_of(value: str | None, expected: datetime | None) -> None:
    """--as-of takes a date (end of that UTC day) or a timestamp (naive means UTC)."""
    assert parse_as_of(value) == expected


def test_bad_as_of_is_an_input_error() -> None:
    """A malformed --as-of is a one-line input error."""
    with pytest.raises(InputError, match="--as-of"):
        parse_as_of("28/11/2026")
