"""The trainer's view of a room: trainee x lab grid and one row per result, as HTML and CSV."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from reportgen.errors import InputError
from reportgen.isotime import parse_utc
from reportgen.lang import text
from reportgen.render.html import jinja_environment
from reportgen.resources import data_dir
from reportgen.training.records import Integrity, LoadedRecord, printable


def parse_zone(name: str) -> tzinfo:
    """An IANA time zone (``Asia/Tokyo``); :class:`InputError` if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError.keyed("summary_unknown_zone", name=name) from None


@dataclass(frozen=True)
class Result:
    """One trainee's result in one lab, as the trainer reads it."""

    trainee: str
    lesson: str
    done: str  # best goals met / goals
    complete: bool
    hints: int
    attempts: int
    minutes: int | None
    last_failure: str
    checked_at: str
    integrity: Integrity


@dataclass(frozen=True)
class Summary:
    trainees: tuple[str, ...]
    lessons: tuple[str, ...]
    results: tuple[Result, ...]
    zone: str

    def cell(self, trainee: str, lesson: str) -> Result | None:
        return next((r for r in self.results if (r.trainee, r.lesson) == (trainee, lesson)), None)


def _moment(value: object) -> datetime | None:
    # Records are checked on loading (records.well_formed): a time is ISO 8601, within range.
    return parse_utc(value) if isinstance(value, str) and value else None


def _result(record: LoadedRecord, zone: tzinfo, lang: str) -> Result:
    data = record.data
    started = _moment(data.get("started_at"))
    ended = _moment(data.get("completed_at") or data.get("checked_at"))
    minutes = int((ended - started).total_seconds() // 60) if started and ended else None
    checked = _moment(data.get("checked_at"))
    failure = data.get("last_failure") or {}
    return Result(
        trainee=record.trainee,
        lesson=record.lesson,
        done=f"{data.get('best', data.get('passed', 0))}/{data.get('total', '?')}",
        complete=bool(data.get("completed_at") or data.get("complete")),
        hints=int(data.get("hints_used", 0)),
        attempts=int(data.get("attempts", 1)),
        minutes=minutes,
        last_failure=printable(str(failure.get(lang, ""))) if isinstance(failure, dict) else "",
        checked_at=checked.astimezone(zone).strftime("%Y-%m-%d %H:%M") if checked else "",
        integrity=record.integrity,
    )


def build_summary(records: Sequence[LoadedRecord], zone_name: str, lang: str) -> Summary:
    """Results in the trainer's time zone and language, trainees and labs in order."""
    zone = parse_zone(zone_name)
    results = tuple(_result(r, zone, lang) for r in records)
    return Summary(
        trainees=tuple(sorted({r.trainee for r in results})),
        lessons=tuple(sorted({r.lesson for r in results})),
        results=results,
        zone=zone_name,
    )


COLUMNS = (
    "summary_trainee",
    "summary_lesson",
    "summary_goals",
    "summary_done",
    "summary_hints",
    "summary_attempts",
    "summary_minutes",
    "summary_last_failure",
    "summary_checked_at",
    "summary_integrity",
)


def row(result: Result, lang: str) -> list[str]:
    yes, no = text("training", lang, "summary_yes"), text("training", lang, "summary_no")
    return [
        result.trainee,
        result.lesson,
        result.done,
        yes if result.complete else no,
        str(result.hints),
        str(result.attempts),
        "" if result.minutes is None else str(result.minutes),
        result.last_failure,
        result.checked_at,
        text("training", lang, f"integrity_{result.integrity.value}"),
    ]


def header(lang: str, zone: str) -> list[str]:
    return [text("training", lang, key, zone=zone) for key in COLUMNS]


def summary_csv(summary: Summary, lang: str) -> bytes:
    """UTF-8 with BOM (Excel in Japan opens it correctly), one row per trainee and lab."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(lang, summary.zone))
    for result in summary.results:
        writer.writerow([_neutral(cell) for cell in row(result, lang)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _neutral(cell: str) -> str:
    # A cell that starts like a formula is text in a spreadsheet, not something to run.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja_environment(data_dir("templates") / "lessons")


def summary_html(summary: Summary, lang: str) -> str:
    """One self-contained page: the grid, then the detail table."""

    def tr(key: str, **values: object) -> str:
        return text("training", lang, key, **values)

    return (
        _environment()
        .get_template("summary.html.j2")
        .render(
            lang=lang,
            summary=summary,
            header=header(lang, summary.zone),
            rows=[(r, row(r, lang)) for r in summary.results],
            tr=tr,
        )
    )
