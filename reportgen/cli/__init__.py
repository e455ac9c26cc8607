"""The ``reportgen`` command: a thin layer that parses, calls one core function and maps errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from reportgen import __version__
from reportgen.cli.collect_cmd import collect, import_, policy
from reportgen.cli.common import choose_output_lang, fatal
from reportgen.cli.demo_cmd import demo
from reportgen.cli.diff_cmd import diff_command
from reportgen.cli.evaluate_cmd import checks_group, evaluate_command
from reportgen.cli.i18n import error_text, install, os_error_text, say, ui_lang
from reportgen.cli.lab_cmd import lab
from reportgen.cli.lessons_cmd import lessons
from reportgen.cli.redact_cmd import redact
from reportgen.cli.report_cmd import report
from reportgen.cli.review_cmd import review_group
from reportgen.cli.verify_cmd import verify
from reportgen.errors import ReportgenError
from reportgen.lang import LANGS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    expose_value=False,
    is_eager=True,
    help=(
        "Language of help, messages and errors, and the default language of reports and "
        "tables (default: from LANG/LC_ALL, else English; reports and tables default to "
        "Japanese)."
    ),
)
def cli() -> None:
    """Offline AWS IAM compliance reports (Japanese/English) and an IAM training kit.

    Exit codes: 0 ok, 1 findings over a --fail-under/--fail-on gate,
    2 usage or input error, 3 some accounts of an organization failed.
    """


# One registration style: each command module defines its click command or group, and
# only this module attaches them, so that no command module imports the group back.
for _command in (
    collect,
    import_,
    policy,
    evaluate_command,
    checks_group,
    report,
    diff_command,
    review_group,
    redact,
    verify,
    demo,
    lessons,
    lab,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script and ``python -m reportgen``."""
    args = list(argv) if argv is not None else sys.argv[1:]
    lang = ui_lang(args, os.environ)
    choose_output_lang(args)
    install(cli, lang)
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=args, standalone_mode=False)
    except click.exceptions.Abort:
        fatal(say(lang, "error.aborted"), 130, lang)
    except click.exceptions.NoArgsIsHelpError as exc:
        # `reportgen checks` alone asks what the group offers: its help, and no error.
        click.echo(exc.ctx.get_help() if exc.ctx else cli.get_help(click.Context(cli)))
        sys.exit(0)
    except click.exceptions.ClickException as exc:
        fatal(say(lang, "error.usage", message=exc.format_message()), 2, lang)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except ReportgenError as exc:
        fatal(error_text(exc, lang), exc.exit_code, lang)
    except KeyboardInterrupt:
        fatal(say(lang, "error.interrupted"), 130, lang)
    except OSError as exc:
        fatal(os_error_text(exc, lang), 2, lang)
    if isinstance(code, int) and code:
        sys.exit(code)
