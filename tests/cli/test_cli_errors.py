"""The CLI's contract for bad input: one line on stderr, exit 2, no traceback, no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("reportgen: error: "), result.stderr


def test_version_and_help() -> None:
    """--version prints the version; --help lists the subcommands."""
    assert run("--version").stdout.startswith("reportgen, version ")
    assert "collect" in run("--help").stdout


def test_collect_without_credentials(tmp_path: Path) -> None:
    """No credentials anywhere: one line, exit 2, no snapshot written."""
    out = tmp_path / "s.json"
    result = run(
        "collect", "-o", str(out), env_extra={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    )
    assert_one_line_error(result)
    assert "credentials" in result.stderr and not out.exists()


def test_collect_with_an_unreachable_endpoint(tmp_path: Path) -> None:
    """A closed endpoint: one line, exit 2, no snapshot written."""
    out = tmp_path / "s.json"
    result = run("collect", "--endpoint-url", "http://127.0.0.1:9", "-o", str(out))
    assert_one_line_error(result)
    assert "cannot reach" in result.stderr and not out.exists()


def test_collect_refuses_to_overwrite(tmp_path: Path) -> None:
    """An existing output file is kept unless --force is given."""
    out = tmp_path / "s.json"
    out.write_text("precious")
    assert_one_line_error(run("collect", "-o", str(out)))
    assert out.read_text() == "precious"


def test_unknown_option_is_a_usage_error() -> None:
    """A wrong flag is a one-line usage error with exit 2."""
    assert_one_line_error(run("collect", "--no-such-flag"))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("user,arn\nx,y", "missing column"), ("", "empty")],
)
def test_import_rejects_a_bad_report(tmp_path: Path, content: str, fragment: str) -> None:
    """import with a malformed CSV: one line naming the file and line, nothing written."""
    csv = tmp_path / "report.csv"
    csv.write_text(content)
    out = tmp_path / "s.json"
    result = run("import", "--credential-report", str(csv), "-o", str(out))
    assert_one_line_error(result)
    assert fragment in result.stderr and str(csv) in result.stderr and not out.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"schema": "reportgen.snap', "not valid JSON"),
        ('{"schema": "reportgen.snapshot/0"}', "unsupported snapshot schema"),
    ],
    ids=["truncated", "wrong-version"],
)
def test_loading_a_bad_snapshot(tmp_path: Path, content: str, fragment: str) -> None:
    """evaluate on a truncated or wrong-version snapshot: one line naming the file, exit 2."""
    path = tmp_path / "snapshot.json"
    path.write_text(content)
    result = run("evaluate", str(path))
    assert_one_line_error(result)
    assert fragment in result.stderr and str(path) in result.stderr
