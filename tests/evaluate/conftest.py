"""Fixtures for the evaluate stage: the README's check table and a minimal catalogue folder."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.checkspec import CIS_VERSIONS
from reportgen.evaluate.findings import Section, Status
from reportgen.evaluate.rules import REGISTRY, Result
from reportgen.resources import data_dir
from reportgen.snapshot.model import Snapshot
from tests.factories import NOW

README = data_dir("checks") / "README.md"


def readme_table() -> dict[str, dict[str, Any]]:
    """The fixed table of checks in ``checks/README.md``, by id (8 columns; the CIS column
    holds one item or a dash per version of ``CIS_VERSIONS``, separated by `` / ``)."""
    rows: dict[str, dict[str, Any]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 8 or cells[0] == "id" or not re.fullmatch(r"[a-z][a-z0-9_]+", cells[0]):
            continue
        params: dict[str, Any] = {}
        for match in re.finditer(r"(\w+) \((\[[^\]]*\]|[^)]*)\)", cells[5]):
            raw = match.group(2)
            params[match.group(1)] = (
                [p.strip() for p in raw.strip("[]").split(",") if p.strip()]
                if raw.startswith("[")
                else ast.literal_eval(raw)
            )
        rows[cells[0]] = {
            "section": cells[1],
            "severity": cells[2],
            "resource_type": cells[3],
            "sources": [s.strip() for s in cells[4].split(",")],
            "parameters": params,
            "cis": _cis_cell(cells[6]),
        }
    return rows


def _cis_cell(cell: str) -> dict[str, str]:
    """The CIS column (``1.4 / 1.4 / 1.3 / 2.3 / 2.4``, a dash for no item) by version."""
    if cell == "—":
        return {}
    items = [i.strip() for i in cell.split("/")]
    assert len(items) == len(CIS_VERSIONS), cell
    return {v: i for v, i in zip(CIS_VERSIONS, items, strict=True) if i != "—"}


TABLE = readme_table()


def defaults(check_id: str) -> dict[str, Any]:
    """The README's parameter defaults of a check (lists as tuples, as the loader gives them)."""
    return {
        k: tuple(v) if isinstance(v, list) else v for k, v in TABLE[check_id]["parameters"].items()
    }


def run(check_id: str, snapshot: Snapshot, as_of: datetime = NOW, **params: Any) -> list[Result]:
    """Call one rule directly with the README defaults overridden by ``params``."""
    return REGISTRY[check_id](snapshot, {**defaults(check_id), **params}, as_of)


def statuses(results: list[Result]) -> list[Status]:
    return [r.status for r in results]


def only(results: list[Result]) -> Result:
    assert len(results) == 1, results
    return results[0]


def _text(value: str) -> dict[str, str]:
    return {"ja": f"{value}（日本語）", "en": value}


def write_spec(folder: Path, check_id: str, **overrides: Any) -> Path:
    """A minimal valid spec for ``check_id`` from the README table."""
    row = TABLE[check_id]
    types = {int: "int", bool: "bool", str: "str", list: "list"}
    spec: dict[str, Any] = {
        "id": check_id,
        "section": row["section"],
        "severity": row["severity"],
        "resource_type": row["resource_type"],
        "sources": row["sources"],
        "parameters": {
            name: {"default": value, "type": types[type(value)], "description": _text(name)}
            for name, value in row["parameters"].items()
        },
        "mappings": {"cis": {}, "security_hub": []},
        "title": _text(f"title of {check_id}"),
        "rationale": _text("why"),
        "message": {"fail": _text("failed"), "pass": _text("passed")},
        "remediation": {"console": {"ja": ["手順"], "en": ["step"]}, "cli": ["aws iam help"]},
        "references": ["https://docs.aws.amazon.com/IAM/"],
    }
    spec.update(overrides)
    path = folder / f"{check_id}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_sections(folder: Path) -> None:
    data = {
        "sections": [{"id": s.value, "title": _text(s.value)} for s in Section],
        "unknown": {"ja": "判定不能: {source} {reason}", "en": "unknown: {source} {reason}"},
        "statuses": {s.value.lower(): _text(s.value) for s in Status},
    }
    (folder / "sections.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def make_catalogue_dir(folder: Path) -> Path:
    """A folder with a minimal spec for every README check, sections.yaml and no profiles."""
    folder.mkdir(parents=True, exist_ok=True)
    for check_id in TABLE:
        write_spec(folder, check_id)
    write_sections(folder)
    return folder


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A fresh minimal catalogue folder that a test may edit."""
    return make_catalogue_dir(tmp_path / "checks")


@pytest.fixture(scope="session")
def mini_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """The minimal catalogue, loaded once."""
    return load_catalogue(make_catalogue_dir(tmp_path_factory.mktemp("mini") / "checks"))


@pytest.fixture
def every_rule() -> Iterator[str]:
    yield from sorted(REGISTRY)
