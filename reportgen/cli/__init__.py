"""The ``reportgen`` command: a thin layer that parses, calls one core function and maps errors."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from reportgen import __version__
from reportgen.cli.common import fatal
from reportgen.errors import ReportgenError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def cli() -> None:
    """Offline AWS IAM compliance reports (Japanese/English) and an IAM training kit.

    Exit codes: 0 ok, 1 findings over a --fail-under/--fail-on gate,
    2 usage or input error, 3 some accounts of an organization failed.
    """


def _register() -> None:
    """Explicit imports: some modules decorate ``cli`` directly, others hand us a command."""
    from reportgen.cli import (  # noqa: F401
        collect_cmd,
        demo_cmd,
        lab_cmd,
        lessons_cmd,
        redact_cmd,
        verify_cmd,
    )
    from reportgen.cli.diff_cmd import diff_command
    from reportgen.cli.evaluate_cmd import checks_group, evaluate_command
    from reportgen.cli.report_cmd import report
    from reportgen.cli.review_cmd import review_group

    for command in (evaluate_command, checks_group, report, diff_command, review_group):
        cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script and ``python -m reportgen``."""
    _register()
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        fatal("aborted", 130)
    except click.exceptions.NoArgsIsHelpError as exc:
        # `reportgen checks` alone asks what the group offers: its help, and no error.
        click.echo(exc.ctx.get_help() if exc.ctx else cli.get_help(click.Context(cli)))
        sys.exit(0)
    except click.exceptions.ClickException as exc:
        fatal(f"{exc.format_message()} (see --help)", 2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except ReportgenError as exc:
        fatal(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fatal("interrupted", 130)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fatal(f"{where}{exc.strerror or exc}", 2)
    if isinstance(code, int) and code:
        sys.exit(code)
