"""Each stage's entry point keeps the contract named in reportgen.contracts."""

from __future__ import annotations

import typing
from collections.abc import Callable

import pytest

from reportgen import contracts
from reportgen.compare.diff import compare
from reportgen.compare.trend import trend
from reportgen.evaluate.run import evaluate
from reportgen.formats import FORMATS
from reportgen.pipeline.organization import report_organization
from reportgen.render.org import render_org_summary
from reportgen.render.report import render_report
from reportgen.snapshot.build import from_document
from reportgen.snapshot.document import load, loads


def hints(function: Callable[..., object]) -> dict[str, object]:
    return typing.get_type_hints(function)


@pytest.mark.parametrize(
    ("function", "argument", "contract"),
    [
        (from_document, "document", contracts.SnapshotDocument),
        (evaluate, "snapshot", contracts.Snapshot),
        (compare, "old", contracts.Assessment),
        (render_report, "assessment", contracts.Assessment),
        (render_report, "snapshot", contracts.Snapshot),
        (render_org_summary, "summary", contracts.OrgSummary),
        (report_organization, "sink", contracts.Sink),
    ],
)
def test_each_stage_takes_its_contract(
    function: Callable[..., object], argument: str, contract: object
) -> None:
    assert hints(function)[argument] == contract


@pytest.mark.parametrize(
    ("function", "contract"),
    [
        (load, contracts.Snapshot),
        (loads, contracts.Snapshot),
        (evaluate, contracts.Assessment),
        (compare, contracts.Comparison),
        (trend, contracts.Trend),
        (render_report, contracts.Files),
        (render_org_summary, contracts.Files),
        (report_organization, contracts.OrgSummary),
    ],
)
def test_each_stage_gives_its_contract(function: Callable[..., object], contract: object) -> None:
    assert hints(function)["return"] == contract


def test_every_machine_format_is_a_format_renderer() -> None:
    for name, render in FORMATS.items():
        found = hints(render)
        assert list(found) == ["assessment", "catalogue", "lang", "return"], name
        assert found["return"] is str, name
