"""Training labs: start a seeded local server, grade the trainee's work, reset, record results.

Safety: a lab only ever talks to a loopback endpoint, and every boto3 session it makes is
configured explicitly (no AWS config or credentials file, no profile, no configured endpoint)
with the lab's own keys, whatever the process environment says; the environment is never
changed.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import json
import os
import secrets
import string
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES

from reportgen.atomic import write_atomic
from reportgen.collect.account import CollectOptions, collect
from reportgen.errors import LabError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.run import evaluate
from reportgen.snapshot import document as snapshots
from reportgen.snapshot.model import Snapshot, Src
from reportgen.training.control import CONTROL_PREFIX, TOKEN_HEADER, Credentials
from reportgen.training.footprint import goal_fingerprints
from reportgen.training.grading import (
    GoalResult,
    InvariantResult,
    RequestRecord,
    check_invariants,
    grade,
    needs_request_log,
)
from reportgen.training.hints import (
    HintPace,
    NextCheck,
    advance_hints,
    fingerprint,
    gone,
    hints_path,
    next_check,
    seeded_names,
)
from reportgen.training.invariants import policy_versions
from reportgen.training.labspec import load_lab
from reportgen.training.lessons import Lesson
from reportgen.training.needs import lab_sources
from reportgen.training.records import SCHEMA, write_record

if TYPE_CHECKING:  # the server imports moto: only `lab start` needs it (docs/performance.md)
    from reportgen.training.server import LabServer

LAB_REGION = "ap-northeast-1"
DEFAULT_PORT = 5580


@dataclass(frozen=True)
class LabState:
    """What ``lab start`` leaves for ``check``/``reset``/``report``: the state file's content."""

    lesson_id: str
    endpoint: str
    region: str
    token: str
    trainee: Credentials
    grader: Credentials
    lang: str
    started_at: str
    pid: int


@dataclass(frozen=True)
class CheckOutcome:
    """One ``lab check``: the goals, which hint rung each failing goal is on, the record."""

    lesson_id: str
    results: tuple[GoalResult, ...]
    hint_levels: Mapping[str, int]
    record: Mapping[str, Any]
    invariants: tuple[InvariantResult, ...] = ()
    gone: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pace: HintPace = field(default_factory=HintPace)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def broken(self) -> tuple[InvariantResult, ...]:
        return tuple(r for r in self.invariants if not r.held)

    @property
    def complete(self) -> bool:
        return self.passed == len(self.results) and not self.broken

    @property
    def next_check(self) -> NextCheck:
        """What checking again can bring (when not complete)."""
        return next_check(self.results, self.hint_levels, self.gone, self.pace)


def require_loopback(endpoint: str) -> None:
    """Refuse any endpoint that is not http(s) on 127.0.0.0/8, ::1 or ``localhost``."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    loopback = host == "localhost"
    with contextlib.suppress(ValueError):
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    if parts.scheme not in ("http", "https") or not loopback:
        raise LabError.keyed("lab_not_local", endpoint=endpoint)


# Settings that a lab session takes from neither the environment nor ~/.aws.
_FIXED_SETTINGS: Mapping[str, object] = {
    "config_file": os.devnull,
    "credentials_file": os.devnull,
    "ignore_configured_endpoint_urls": True,
    "use_fips_endpoint": False,
    "use_dualstack_endpoint": False,
}


def _session_variables() -> dict[str, tuple[Any, Any, Any, Any]]:
    """botocore's session variables with every environment variable name removed."""
    table: dict[str, tuple[Any, Any, Any, Any]] = {}
    for name, (config_name, _env, default, convert) in BOTOCORE_DEFAUT_SESSION_VARIABLES.items():
        table[name] = (config_name, None, _FIXED_SETTINGS.get(name, default), convert)
    return table


def lab_session(credentials: Credentials, region: str = LAB_REGION) -> boto3.Session:
    """A session with the lab's explicit keys and settings, blind to the user's AWS set-up.

    botocore reads no ``AWS_*`` variable and no ``~/.aws`` file for it, and the process
    environment is left as it is (other threads may be using it).
    """
    core = botocore.session.Session(session_vars=_session_variables())
    return boto3.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        region_name=region,
        botocore_session=core,
    )


def new_credentials() -> Credentials:
    """A random key pair shaped like AWS's (moto accepts any well-formed key)."""
    alphabet = string.ascii_uppercase + string.digits
    key_id = "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))
    return Credentials(key_id, secrets.token_urlsafe(30)[:40])


def state_path(home: Path, lesson_id: str) -> Path:
    return home / f"{lesson_id}.lab.json"


def write_state(home: Path, state: LabState) -> Path:
    path = state_path(home, state.lesson_id)
    write_atomic(path, json.dumps(asdict(state), indent=2).encode("utf-8"))
    path.chmod(0o600)
    return path


def read_state(home: Path, lesson_id: str) -> LabState:
    """The running lab of ``lesson_id``; :class:`LabError` if none was started."""
    path = state_path(home, lesson_id)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise LabError.keyed("lab_not_running", lesson=lesson_id) from None
    raw["trainee"] = Credentials(**raw["trainee"])
    raw["grader"] = Credentials(**raw["grader"])
    state = LabState(**raw)
    require_loopback(state.endpoint)
    return state


def latest_state(home: Path) -> LabState:
    """The most recently started lab (for ``lab report`` without a lesson)."""
    files = sorted(home.glob("*.lab.json"), key=lambda p: p.stat().st_mtime)
    if not files:
        raise LabError.keyed("lab_none_running")
    return read_state(home, files[-1].name.removesuffix(".lab.json"))


def start_lab(
    lesson: Lesson,
    home: Path,
    clock: Callable[[], datetime],
    port: int = DEFAULT_PORT,
    lang: str = "ja",
) -> tuple[LabServer, LabState]:
    """Start and seed the lab server for ``lesson``; the caller keeps the process alive."""
    from reportgen.training.server import LabServer

    lab = load_lab(lesson)
    trainee, grader = new_credentials(), new_credentials()
    server = LabServer(lab, trainee, secrets.token_urlsafe(24), clock, port)
    endpoint = server.start()
    state = LabState(
        lesson_id=lesson.id,
        endpoint=endpoint,
        region=LAB_REGION,
        token=server.token,
        trainee=trainee,
        grader=grader,
        lang=lang,
        started_at=clock().astimezone(UTC).isoformat(),
        pid=os.getpid(),
    )
    write_state(home, state)
    hints_path(home, lesson.id).unlink(missing_ok=True)
    return server, state


def stop_lab(server: LabServer, home: Path, lesson_id: str) -> None:
    server.stop()
    state_path(home, lesson_id).unlink(missing_ok=True)


def trainee_environment(state: LabState) -> dict[str, str]:
    """The variables a trainee sets in their shell to work against the lab."""
    return {
        "AWS_ENDPOINT_URL": state.endpoint,
        "AWS_ACCESS_KEY_ID": state.trainee.access_key_id,
        "AWS_SECRET_ACCESS_KEY": state.trainee.secret_access_key,
        "AWS_DEFAULT_REGION": state.region,
        "AWS_REGION": state.region,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }


def _control(state: LabState, command: str, method: str) -> Any:
    require_loopback(state.endpoint)
    request = urllib.request.Request(
        state.endpoint + CONTROL_PREFIX + command,
        method=method,
        headers={TOKEN_HEADER: state.token},
        data=b"" if method == "POST" else None,
    )
    # The endpoint is loopback-only (checked above); no proxy may see the token.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=60) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LabError.keyed(
            "lab_no_answer", endpoint=state.endpoint, error=exc, lesson=state.lesson_id
        ) from None


def request_log(state: LabState) -> tuple[RequestRecord, ...]:
    return tuple(
        RequestRecord(
            seq=int(r["seq"]),
            access_key_id=r["access_key_id"],
            key_user=r["key_user"],
            action=r["action"],
            params=dict(r["params"]),
        )
        for r in _control(state, "requests", "GET")
    )


def reset_lab(home: Path, lesson_id: str) -> LabState:
    """Bring the running lab back to its starting state and restart the hint ladder."""
    state = read_state(home, lesson_id)
    _control(state, "reset", "POST")
    hints_path(home, lesson_id).unlink(missing_ok=True)
    return state


def _short_sleep(seconds: float) -> None:
    # The lab server is in memory on this machine: a report is ready at once, so poll briskly.
    time.sleep(min(seconds, 0.05))


def collect_lab(
    state: LabState,
    home: Path,
    clock: Callable[[], datetime],
    sources: frozenset[Src] | None = None,
) -> tuple[Snapshot, bytes]:
    """Collect the lab account with the real collector: the snapshot and its file bytes.

    ``sources``: only these (``lab check`` reads what the lab grades, ``needs.lab_sources``);
    ``None``: every source, as ``lab report`` and ``reportgen collect`` do.
    """
    require_loopback(state.endpoint)
    document = collect(
        lab_session(state.grader, state.region),
        CollectOptions(
            endpoint_url=state.endpoint,
            region=state.region,
            # No lab grades Access Analyzer: one region keeps `lab check` as fast as before
            # (the check is then UNKNOWN in the lab's report, never PASS).
            regions=(state.region,),
            clock=clock,
            report_timeout=30,
            sleep=_short_sleep,
            sources=sources,
        ),
    )
    data = snapshots.dumps(document)
    return snapshots.loads(data, f"lab {state.lesson_id}"), data


def assess_lab(
    state: LabState, home: Path, clock: Callable[[], datetime]
) -> tuple[Snapshot, Assessment]:
    """Collect the lab account and evaluate every check of the catalogue."""
    snapshot, _, assessment = _assess(state, home, clock)
    return snapshot, assessment


def _assess(
    state: LabState,
    home: Path,
    clock: Callable[[], datetime],
    sources: frozenset[Src] | None = None,
) -> tuple[Snapshot, bytes, Assessment]:
    snapshot, data = collect_lab(state, home, clock, sources)
    catalogue = _catalogue()
    assessment = evaluate(snapshot, profile=all_checks(catalogue), catalogue=catalogue)
    return snapshot, data, assessment


@functools.cache
def _catalogue() -> Catalogue:
    return load_catalogue()


def check_lab(
    lesson: Lesson,
    home: Path,
    clock: Callable[[], datetime],
    trainee: str,
    records: Path,
) -> CheckOutcome:
    """Grade the trainee's work, advance the hint ladder and write the completion record."""
    lab = load_lab(lesson)
    state = read_state(home, lesson.id)
    snapshot, data, assessment = _assess(state, home, clock, lab_sources(lab, _catalogue()))
    log = request_log(state) if needs_request_log(lab) else ()
    versions = policy_versions(data)
    results = grade(lab, snapshot, assessment, log, _catalogue(), versions)
    invariants = check_invariants(lab, snapshot, assessment, log, _catalogue(), versions)
    pace = HintPace.from_environment()
    prints = goal_fingerprints(lab.goals, snapshot, versions)
    levels = advance_hints(home, lab, results, fingerprint(data), pace, prints)
    seeded = seeded_names(lab.account)
    missing = {r.goal.id: gone(r.goal, snapshot, seeded) for r in results if not r.passed}
    passed = sum(1 for r in results if r.passed)
    broken = [r for r in invariants if not r.held]
    failures = [r.reason for r in broken] + [r.reason for r in results if not r.passed]
    record = {
        "schema": SCHEMA,
        "trainee": trainee,
        "lesson": lesson.id,
        "started_at": state.started_at,
        "checked_at": clock().astimezone(UTC).isoformat(),
        "passed": passed,
        "total": len(results),
        "complete": passed == len(results) and not broken,
        "goals": {r.goal.id: r.passed for r in results},
        "broken": [r.invariant.id for r in broken],
        "hints_used": sum(levels.values()),
        "last_failure": dict(failures[0]) if failures else None,
    }
    write_record(records, record)
    return CheckOutcome(
        lesson.id,
        results,
        levels,
        record,
        invariants,
        {k: v for k, v in missing.items() if v},
        pace,
    )
