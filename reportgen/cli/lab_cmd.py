"""``reportgen lab start|check|reset|report|summary``: hands-on labs against a local server."""

from __future__ import annotations

import getpass
import os
import signal
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import click

from reportgen.cli.common import (
    LANG_CHOICES,
    force_option,
    given_output_lang,
    output_lang,
    write_outputs,
)
from reportgen.lang import LANGS, parse_langs, text

HOME_VARIABLE = "REPORTGEN_LAB_HOME"
# The line that closes `lab check`, by what checking again can bring (hints.NextCheck).
_CLOSING = {
    "more": "lab_hint_more",
    "last": "lab_hint_last",
    "reset": "lab_hint_reset",
    "repair": "lab_hint_repair",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _stop_on_terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the lab as Ctrl-C does: server stopped, state removed


def lab_home() -> Path:
    """Where running labs leave their state: ``$REPORTGEN_LAB_HOME`` or ``~/.reportgen/labs``."""
    configured = os.environ.get(HOME_VARIABLE)
    home = Path(configured) if configured else Path.home() / ".reportgen" / "labs"
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return home


class Say:
    """Prints UI texts of the ``training`` catalogue in one or both languages."""

    def __init__(self, lang: str) -> None:
        self.langs = parse_langs(lang)

    @property
    def colon(self) -> str:
        """Japanese alone takes a full-width colon; English and bilingual lines an ASCII one."""
        return "：" if self.langs == ("ja",) else ": "

    def text(self, key: str, lang: str, **values: object) -> str:
        return text("training", lang, key, **values)

    def __call__(self, key: str, **values: object) -> None:
        for lang in self.langs:
            click.echo(self.text(key, lang, **values))

    def pick(self, texts: Mapping[str, str]) -> list[str]:
        return [texts[lang] for lang in self.langs]


lang_choice = click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=given_output_lang,
    help="Language (default: the global --lang, else the lab's).",
)


@click.group("lab")
def lab() -> None:
    """Hands-on IAM labs on a local emulated AWS account (127.0.0.1 only)."""


@lab.command("start")
@click.argument("lesson_ref", metavar="LESSON")
@click.option("--port", default=5580, show_default=True, help="Local port (0: any free port).")
@click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=output_lang,
    show_default="ja",
    help="Language.",
)
def start(lesson_ref: str, port: int, lang: str) -> None:
    """Start LESSON's lab in the foreground and print the environment to use; Ctrl-C stops it."""
    from reportgen.training.labspec import load_lab
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import start_lab, stop_lab, trainee_environment

    lesson = find_lesson(lesson_ref, load_lessons())
    home = lab_home()
    say = Say(lang)
    server, state = start_lab(lesson, home, _now, port, lang)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        say("lab_started", title=" / ".join(lesson.text(x).title for x in say.langs))
        click.echo()
        say("lab_env_intro")
        _print_environment(trainee_environment(state))
        say("lab_env_again", lesson=lesson.id)
        click.echo()
        for lang_code in say.langs:
            click.secho(say.text("lab_task", lang_code), bold=True)
            click.echo(load_lab(lesson).task[lang_code])
        say("lab_check_hint", lesson=lesson.id)
        say("lab_stop")
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_lab(server, home, lesson.id)


def _print_environment(variables: Mapping[str, str]) -> None:
    for name, value in variables.items():
        click.echo(f"  export {name}={value}")
    click.echo("  unset AWS_PROFILE AWS_SESSION_TOKEN")


@lab.command("env")
@click.argument("lesson_ref", metavar="LESSON")
@lang_choice
def env(lesson_ref: str, lang: str | None) -> None:
    """Print again the environment for LESSON's running lab (the lines to paste in a shell)."""
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import read_state, trainee_environment

    lesson = find_lesson(lesson_ref, load_lessons())
    state = read_state(lab_home(), lesson.id)
    Say(lang or state.lang)("lab_env_intro")
    _print_environment(trainee_environment(state))


@lab.command("selftest")
@click.option("--port", default=5580, show_default=True, help="The port the lab will use.")
@lang_choice
def selftest(port: int, lang: str | None) -> None:
    """Check this machine for the labs: Python, the aws CLI and a free local port."""
    from reportgen.training.selftest import run_selftest

    say = Say(lang or output_lang())
    problems = 0
    for item in run_selftest(port):
        mark = "selftest_ok" if item.ok else "selftest_ng"
        label = " / ".join(say.text(mark, x) for x in say.langs)
        detail = " / ".join(say.text(item.key, x, **item.values) for x in say.langs)
        click.echo(f"[{label}] {detail}")
        problems += not item.ok
    if problems:
        raise click.exceptions.Exit(1)


@lab.command("check")
@click.argument("lesson_ref", metavar="LESSON")
@click.option("--trainee", help="Name on the completion record (default: your login name).")
@click.option(
    "--records",
    type=click.Path(path_type=Path),
    envvar="REPORTGEN_LAB_RECORDS",
    help="Folder for results, e.g. the room's shared folder (default: the lab home's records).",
)
@lang_choice
def check(lesson_ref: str, trainee: str | None, records: Path | None, lang: str | None) -> None:
    """Grade the work done so far in LESSON's lab, with hints for what is missing."""
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import check_lab, read_state

    lesson = find_lesson(lesson_ref, load_lessons())
    home = lab_home()
    state = read_state(home, lesson.id)
    say = Say(lang or state.lang)
    who = trainee or os.environ.get("REPORTGEN_TRAINEE") or getpass.getuser()
    outcome = check_lab(lesson, home, _now, who, records or home / "records")
    say("lab_result_title", title=" / ".join(lesson.text(x).title for x in say.langs))
    for result in outcome.results:
        mark = "lab_goal_pass" if result.passed else "lab_goal_fail"
        label = " / ".join(say.text(mark, x) for x in say.langs)
        click.secho(f"[{label}] " + " / ".join(say.pick(result.goal.title)), bold=not result.passed)
        level = outcome.hint_levels.get(result.goal.id)
        if level is None:
            continue
        why = " / ".join(say.text("lab_reason", x) for x in say.langs)
        for line in say.pick(result.reason) if result.reason else ():
            click.echo(f"    {why}{say.colon}{line}")
        missing = outcome.gone.get(result.goal.id)
        if missing:
            say("lab_resource_gone", names=", ".join(missing), lesson=lesson.id)
            continue
        if level <= len(result.goal.hints):
            hint = " / ".join(say.text("lab_hint", x, level=level) for x in say.langs)
            for line in say.pick(result.goal.hints[level - 1]):
                click.echo(f"    {hint}{say.colon}{line}")
        else:
            for command in result.goal.commands(say.langs):
                click.echo(f"    $ {command}")
    if outcome.broken:
        say("lab_invariants_intro")
        label = " / ".join(say.text("lab_invariant_broken", x) for x in say.langs)
        for broken in outcome.broken:
            click.secho(f"[{label}] " + " / ".join(say.pick(broken.invariant.title)), bold=True)
            for line in say.pick(broken.reason):
                click.echo(f"    {line}")
    say("lab_score", passed=outcome.passed, total=len(outcome.results))
    if outcome.complete:
        say("lab_all_done")
    else:
        say(_CLOSING[outcome.next_check.value], lesson=lesson.id)
        raise click.exceptions.Exit(1)  # like a --fail-under gate: goals not met yet


@lab.command("reset")
@click.argument("lesson_ref", metavar="LESSON")
@lang_choice
def reset(lesson_ref: str, lang: str | None) -> None:
    """Put LESSON's running lab back to its starting state."""
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import reset_lab

    lesson = find_lesson(lesson_ref, load_lessons())
    state = reset_lab(lab_home(), lesson.id)
    say = Say(lang or state.lang)
    say("lab_reset_done", title=" / ".join(lesson.text(x).title for x in say.langs))


@lab.command("report")
@click.argument("lesson_ref", metavar="[LESSON]", required=False)
@lang_choice
@click.option("--format", "formats", default="html", show_default=True, help="html, pdf.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path(), help="Output folder."
)
@force_option
def report(
    lesson_ref: str | None, lang: str | None, formats: str, output: Path, force: bool
) -> None:
    """Render the lab account's current compliance report with the normal pipeline."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.run import evaluate
    from reportgen.render import ReportOptions, parse_formats, render_report
    from reportgen.training.lessons import find_lesson, load_lessons
    from reportgen.training.runner import collect_lab, latest_state, read_state

    home = lab_home()
    if lesson_ref:
        state = read_state(home, find_lesson(lesson_ref, load_lessons()).id)
    else:
        state = latest_state(home)
    snapshot, data = collect_lab(state, home, _now)
    catalogue = load_catalogue()
    assessment = evaluate(snapshot, catalogue=catalogue)
    options = ReportOptions(snapshot_bytes=data)
    files = render_report(
        assessment, snapshot, catalogue, lang or state.lang, parse_formats(formats), options
    )
    write_outputs(output, files, force=force)


@lab.command("summary")
@click.argument("folders", type=click.Path(path_type=Path), nargs=-1)
@click.option(
    "--lang", type=click.Choice(LANGS), default=output_lang, show_default="ja", help="Language."
)
@click.option(
    "--tz", "zone", default="Asia/Tokyo", show_default=True, help="Time zone for the times shown."
)
@click.option("--format", "formats", default=None, help="html, csv (written to -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output folder.")
@force_option
def summary(
    folders: tuple[Path, ...],
    lang: str,
    zone: str,
    formats: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """The room's results from one or more records FOLDERS: a table here, or HTML/CSV with -o."""
    from reportgen.errors import InputError
    from reportgen.training.records import load_records
    from reportgen.training.summary import build_summary, header, row, summary_csv, summary_html

    default = lab_home() / "records"
    records = load_records(folders or ((default,) if default.is_dir() else ()))
    result = build_summary(records, zone, lang)
    if output is None:
        if not records:
            click.echo(text("training", lang, "summary_empty"))
            return
        click.echo("\t".join(header(lang, zone)))
        for item in result.results:
            click.echo("\t".join(row(item, lang)))
        return
    wanted = [f.strip() for f in (formats or "html,csv").split(",") if f.strip()]
    if not wanted or set(wanted) - {"html", "csv"}:
        raise InputError.keyed("unknown_summary_format", formats=formats)
    files: dict[str, bytes] = {}
    if "html" in wanted:
        files["summary.html"] = summary_html(result, lang).encode("utf-8")
    if "csv" in wanted:
        files["summary.csv"] = summary_csv(result, lang)
    write_outputs(output, files, force=force)
