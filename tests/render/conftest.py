"""Render tests: the ``--update-golden`` option, the shared small case and the corpus PDF."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.snapshot.model import Snapshot
from tests.render.fixtures import small_case

CORPUS_SNAPSHOT = (
    Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/render/golden/* from the current renderer (review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def case() -> tuple[Assessment, Snapshot, Catalogue]:
    return small_case()


@pytest.fixture(scope="session")
def corpus_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reportgen report` on the corpus snapshot, English PDF only, unsigned: rendered once
    per worker and shared (read-only) by the verify and sign tests."""
    from reportgen.cli import main

    folder = tmp_path_factory.mktemp("corpus-pdf")
    args = ["report", str(CORPUS_SNAPSHOT), "--lang", "en", "--format", "pdf", "-o", str(folder)]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)
    return folder / "report.en.pdf"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the renderer tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
