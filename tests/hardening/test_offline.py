"""Every offline command works with the network cut off entirely (not even loopback)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time
from moto import mock_aws
from openpyxl import load_workbook

from reportgen.collect.account import CollectOptions, collect
from reportgen.sandbox.company import REGIONS, build_company
from reportgen.snapshot import document as snapshot
from tests.runcli import run

TODAY = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Snapshots:
    before: Path
    after: Path


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Snapshots:
    """The sandbox company at quarters 2 and 3, collected by the real collector (network on)."""
    folder = tmp_path_factory.mktemp("offline-snapshots")
    paths = []
    for quarter in (2, 3):
        built = build_company(10, 7, TODAY, quarter)
        with mock_aws(), freeze_time(built.as_of):
            seed_and_collect = _collect(built.spec, built.as_of)
        path = folder / f"q{quarter}.json"
        snapshot.save(seed_and_collect, path)
        paths.append(path)
    return Snapshots(*paths)


def _collect(spec: Any, as_of: datetime) -> dict[str, Any]:
    from reportgen.sandbox.seed import seed

    seed(spec, as_of)
    options = CollectOptions(
        region="ap-northeast-1",
        regions=REGIONS,
        clock=lambda: as_of,
        sleep=lambda _seconds: None,
    )
    return collect(boto3.Session(region_name="ap-northeast-1"), options)


@pytest.fixture(autouse=True)
def no_network(snapshots: Snapshots, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Connecting, opening a connection or resolving a name raises; attempts are recorded."""
    attempts: list[tuple[str, Any]] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **_kwargs: Any) -> Any:
            attempts.append((what, args[1:2] if what == "connect" else args[:1]))
            raise OSError(f"network access refused in this test ({what})")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def assert_ok(attempts: list[tuple[str, Any]], outcome: tuple[int, str, str], *paths: Path) -> None:
    code, _out, err = outcome
    assert code == 0, err
    assert attempts == []
    for path in paths:
        assert path.is_file() and path.stat().st_size > 0, path


def test_the_network_really_is_cut(no_network: list[tuple[str, Any]]) -> None:
    """Under the fixture even loopback and name resolution fail (the other tests have teeth)."""
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(OSError):
        socket.getaddrinfo("localhost", 80)
    with socket.socket() as sock, pytest.raises(OSError):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 3


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "junit", "ocsf"])
def test_evaluate(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
) -> None:
    """``evaluate`` writes every format offline."""
    out = tmp_path / f"findings.{fmt}"
    outcome = run(capsys, "evaluate", str(snapshots.after), "--format", fmt, "-o", str(out))
    assert_ok(no_network, outcome, out)


@pytest.mark.parametrize("lang", ["ja", "ja+en"])
def test_report_html(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    lang: str,
) -> None:
    """``report --format html`` (with the previous quarter) writes the HTML and machine files."""
    args = ["report", str(snapshots.after), "--previous", str(snapshots.before)]
    outcome = run(capsys, *args, "--lang", lang, "--format", "html", "-o", str(tmp_path))
    assert_ok(no_network, outcome, tmp_path / f"report.{lang}.html", tmp_path / "findings.json")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "ja+en"])
def test_report_pdf_and_verify(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    lang: str,
) -> None:
    """``report --format pdf`` writes the PDF offline and ``verify`` accepts it."""
    outcome = run(
        capsys,
        "report",
        str(snapshots.after),
        "--lang",
        lang,
        "--format",
        "pdf",
        "-o",
        str(tmp_path),
    )
    pdf = tmp_path / f"report.{lang}.pdf"
    assert_ok(no_network, outcome, pdf)
    assert_ok(no_network, run(capsys, "verify", str(pdf), str(snapshots.after)))


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_diff(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
) -> None:
    """``diff`` of two quarters writes every format offline."""
    out = tmp_path / f"diff.{fmt}"
    args = ["diff", str(snapshots.before), str(snapshots.after), "--format", fmt]
    assert_ok(no_network, run(capsys, *args, "-o", str(out)), out)


@pytest.mark.parametrize("fmt", ["html", pytest.param("pdf", marks=pytest.mark.slow)])
def test_lessons_build(
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
) -> None:
    """``lessons build`` writes one lesson's handouts offline."""
    args = ["lessons", "build", "--lang", "ja", "--format", fmt, "--lesson", "01"]
    outcome = run(capsys, *args, "--edition", "2026-06-30", "-o", str(tmp_path))
    assert_ok(no_network, outcome, tmp_path / f"workbook.ja.{fmt}")


def test_redact(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """``redact`` writes a pseudonymised snapshot offline, and it loads."""
    out, key = tmp_path / "redacted.json", tmp_path / "redact.key"
    outcome = run(capsys, "redact", str(snapshots.after), "-o", str(out), "--key-file", str(key))
    assert_ok(no_network, outcome, out)
    snapshot.load(out)


@pytest.mark.parametrize("lang", ["ja", "en", "ja+en"])
def test_checks_list(
    no_network: list[tuple[str, Any]], capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """``checks list`` prints the catalogue offline."""
    outcome = run(capsys, "checks", "list", "--lang", lang)
    assert_ok(no_network, outcome)
    assert "console_user_mfa" in outcome[1]


def test_review_export_and_import(
    snapshots: Snapshots,
    no_network: list[tuple[str, Any]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """``review export`` and ``review import`` of a filled workbook run offline."""
    outcome = run(capsys, "review", "export", str(snapshots.after), "-o", str(tmp_path / "r"))
    workbook = tmp_path / "r" / "access-review.xlsx"
    assert_ok(no_network, outcome, workbook, tmp_path / "r" / "access-review.csv")
    book = load_workbook(workbook)
    sheet = book.worksheets[0]
    head = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "種類")
    labels = {str(sheet.cell(head, c).value): c for c in range(1, sheet.max_column + 1)}
    column = {label.split("（")[0]: c for label, c in labels.items()}
    for row in range(head + 1, sheet.max_row + 1):
        if sheet.cell(row, column["名前"]).value:
            sheet.cell(row, column["決定"]).value = "継続"
            sheet.cell(row, column["理由"]).value = "業務上必要"
            sheet.cell(row, column["確認者"]).value = "山田 花子"
            sheet.cell(row, column["確認日"]).value = date(2026, 7, 1)
    book.save(workbook)
    target = tmp_path / "review.json"
    args = ["review", "import", str(workbook), "--snapshot", str(snapshots.after)]
    assert_ok(no_network, run(capsys, *args, "-o", str(target)), target)


def test_policy(no_network: list[tuple[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    """``policy`` prints the collector's policy offline."""
    outcome = run(capsys, "policy")
    assert_ok(no_network, outcome)
    assert '"Version"' in outcome[1]
