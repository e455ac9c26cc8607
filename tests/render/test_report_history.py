"""``reportgen report --history DIR`` (and ``--previous``): the comparison chapter from files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.snapshot import document as snapshot
from tests.runcli import run

FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUARTER = timedelta(days=91)
pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")


@dataclass(frozen=True)
class Files:
    """Four quarters of one account in ``folder`` (the last is also ``current``)."""

    folder: Path
    quarters: tuple[Path, ...]
    current: Path
    other_account: Path


def _at(document: dict[str, Any], moment: datetime, account: str | None = None) -> dict[str, Any]:
    """The same account data as if collected at ``moment`` (keys and users age with it)."""
    text = snapshot.dumps(document).decode()
    if account is not None:  # another account's data carries its id in every ARN
        text = text.replace(document["account"]["id"], account)
    copy: dict[str, Any] = json.loads(text)
    copy["collected_at"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return copy


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    """A small account collected once in moto, saved as four quarters plus another account."""
    folder = tmp_path_factory.mktemp("history")
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_user(UserName="tanaka")
        iam.create_login_profile(UserName="tanaka", Password="Aa1!aaaaaaaaaaaa")
        iam.create_user(UserName="suzuki")
        iam.create_access_key(UserName="suzuki")
        options = CollectOptions(region="us-east-1", clock=lambda: FIRST, sleep=lambda _s: None)
        document = collect(options=options)
    quarters = []
    for index in range(4):
        # Named against their order on purpose: the history is sorted by collection time.
        path = folder / f"snap-{3 - index}.json"
        snapshot.save(_at(document, FIRST + index * QUARTER), path)
        quarters.append(path)
    other = folder / "other.json"
    snapshot.save(_at(document, FIRST + QUARTER, account="999999999999"), other)
    (folder / "notes.json").write_text('{"not": "a snapshot"}', encoding="utf-8")
    yield Files(folder, tuple(quarters), quarters[-1], other)


def report_html(
    capsys: pytest.CaptureFixture[str], files: Files, out: Path, *extra: str | Path
) -> str:
    args = ("report", files.current, "--lang", "en", "--format", "html", "-o", out, *extra)
    code, _, err = run(capsys, *args)
    assert code == 0, err
    return (out / "report.en.html").read_text(encoding="utf-8")


def test_history_gives_previous_and_trend(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--history DIR: the newest earlier snapshot is the previous one, all three make the trend;
    the current file, other accounts and other JSON in the folder are left out."""
    page = report_html(capsys, files, tmp_path, "--history", files.folder)
    start = page.index('id="comparison"')
    chapter = page[start : page.index("</section>", start)]
    assert "Changes since the last assessment" in chapter
    previous = FIRST + 2 * QUARTER  # the third quarter is the previous one
    assert f"{previous:%-d %B %Y} 09:00 UTC" in chapter
    assert "3 assessments" in chapter
    trend_table = chapter[chapter.index('class="trend-table"') :]
    assert trend_table.count('class="date"') == 4  # a column per quarter
    assert "First detected" in chapter and "2 March 2026" in chapter


def test_previous_wins_over_history(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --previous as well, that one is compared with; the history still makes the trend."""
    page = report_html(
        capsys, files, tmp_path, "--previous", files.quarters[0], "--history", files.folder
    )
    chapter = page[page.index('id="comparison"') :]
    assert "2 March 2026 09:00 UTC" in chapter.split("</dl>")[0]
    assert 'class="trend-table"' in chapter


def test_without_history_or_previous_no_chapter(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --history or --previous the report has no comparison chapter."""
    assert 'id="comparison"' not in report_html(capsys, files, tmp_path)


def test_empty_history_warns(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history folder with no earlier snapshot of the account is a warning, not an error."""
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    args = ("report", files.current, "--format", "html", "-o", tmp_path / "out")
    code, _, err = run(capsys, *args, "--history", lonely)
    assert code == 0
    assert "no earlier snapshot of account" in err


@pytest.mark.parametrize(
    ("option", "target", "message"),
    [
        ("--previous", "other", "not 123456789012"),
        ("--previous", "later", "--previous takes an earlier snapshot"),
        ("--history", "missing", "not a folder of snapshots"),
        ("--history", "broken", "not valid JSON"),
    ],
)
def test_unusable_earlier_snapshots_are_input_errors(
    files: Files,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    target: str,
    message: str,
) -> None:
    """Another account, a later snapshot, no folder or a broken file: one line, exit 2."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.json").write_text("{not json", encoding="utf-8")
    paths = {
        "other": files.other_account,
        "later": files.current,
        "missing": tmp_path / "nowhere",
        "broken": broken,
    }
    current = files.quarters[2] if target == "later" else files.current
    args = ("report", current, "--format", "html", "-o", tmp_path / "out", option, paths[target])
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("reportgen: error: ") and err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "out").exists()
