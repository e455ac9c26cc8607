"""A wheel built from the repository carries the catalogue, templates, lessons, UI texts and
schemas."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_holds_every_data_folder(tmp_path: Path) -> None:
    """Installed from a wheel (not editable), reportgen finds all of its data."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("reportgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in ("checks", "templates", "lessons", "locale"):
        expected = {
            f"reportgen/_data/{source}/{p.relative_to(ROOT / source).as_posix()}"
            for p in (ROOT / source).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert expected <= names, sorted(expected - names)[:5]
    assert "reportgen/snapshot/schemas/snapshot-1.json" in names
    assert "reportgen/collect/collector-policy.json" in names
    extracted = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(extracted)
    probe = (
        "from reportgen.resources import data_dir; "
        "print(*(data_dir(n) for n in ('checks', 'templates', 'lessons', 'locale')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(extracted)},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    assert all(path.startswith(str(extracted)) for path in found)
