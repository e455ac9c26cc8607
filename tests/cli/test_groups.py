"""A command group called without a subcommand shows its help and succeeds."""

from __future__ import annotations

import click
import pytest

from reportgen.cli import cli
from tests.runcli import run

GROUPS = sorted(name for name, command in cli.commands.items() if isinstance(command, click.Group))


def test_there_are_groups_to_check() -> None:
    """The table below is not empty: checks, lab, lessons, review are groups."""
    assert {"checks", "lab", "lessons"} <= set(GROUPS)


@pytest.mark.parametrize("group", ["", *GROUPS])
def test_a_group_alone_prints_its_help(group: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen checks` (or `reportgen` alone) prints usage and commands, exit 0."""
    code, out, err = run(capsys, *([group] if group else []))
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("Usage: ") and first.endswith(
        f" {group} [OPTIONS] COMMAND [ARGS]...".replace("  ", " ")
    )
    assert "Commands:" in out
