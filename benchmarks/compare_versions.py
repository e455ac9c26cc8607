"""Before/after of two checkouts of reportgen, measured in one session (issue 20's closing note).

Usage (by hand, not in CI; pytest does not collect it)::

    git worktree add --detach /tmp/before 4c4c7b7^
    .venv/bin/python benchmarks/compare_versions.py --before /tmp/before --after . \\
        --out /tmp/compare.json

The harness is this checkout's: the moto server with the sandbox company and the
server-side delay of ``bench_server.py`` (seeded once per size and delay, from this
checkout's sandbox, so both sides read the same account), and the measuring children
below. Only the code under test changes: each child puts ``--before`` or ``--after`` first
on ``sys.path`` and checks that ``reportgen`` comes from there. Every measurement is one run
in a fresh process (its peak RSS is its own), repeated ``--runs`` times, the two sides
interleaved (A B A B A B) so that the load of a shared machine falls on both; the table
gives medians. ``uptime``'s load is recorded before each block.

- collect: ``collect()`` + ``snapshot.save()`` against the server, with 0 and 50 ms per
  request; the server forgets its credential report before each run, so every collection
  waits for it as the first one does (moto answers STARTED once).
- evaluate: the catalogue read + ``evaluate()`` on that side's own snapshot (latency 0);
  html / pdf: ``render_report`` (ja, ``machine_outputs=False``) after an untimed load and
  evaluate, as ``bench_stage.py`` does; pdf also counts pages.
- lab check: ``reportgen lab check LESSON`` as a command (interpreter start included) on a
  lab started by ``reportgen lab start`` of the same side; the first check is left out.

The API of collect/evaluate/render_report and of ``lab start/check`` is the same at 4c4c7b7^
and today, so no adapter is needed; an older checkout may need one here.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import REGION, RESULT_PREFIX, TODAY, count_requests, emit, peak_rss_mib

HERE = Path(__file__).resolve().parent
SIDES = ("before", "after")
# The after side with Access Analyzer read in the collection region only, as before did
# (the current collector reads every enabled region: 17 in the sandbox).
ONE_REGION = "after-one-region"
LONG_RUN = 600  # seconds: a stage whose run takes longer is not repeated


# --- children ------------------------------------------------------------------------------


def _use_code(code: Path) -> str:
    """Put the checkout under test first on sys.path; the commit it is at."""
    sys.path.insert(0, str(code))
    import reportgen

    where = Path(reportgen.__file__).resolve()
    if not where.is_relative_to(code.resolve()):
        raise SystemExit(f"reportgen came from {where}, not {code}")
    head = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip()


def child_server(users: int, latency_ms: float) -> None:
    """bench_server.py's single account, plus 'reset' on stdin: forget the credential report."""
    import logging

    import bench_server
    from moto.moto_server import threaded_moto_server
    from moto.server import ThreadedMotoServer

    if latency_ms > 0:
        bench_server._add_latency(threaded_moto_server, latency_ms / 1000)
    from moto.iam.models import iam_backends

    from reportgen.sandbox.company import company
    from reportgen.sandbox.seed import seed

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = bench_server.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    started = time.perf_counter()
    spec = company(size=users, today=TODAY)
    seed(spec, TODAY)
    info = {
        "users_per_account": len(spec.users),
        "latency_ms": latency_ms,
        "seed_seconds": round(time.perf_counter() - started, 2),
    }
    print(f"READY http://127.0.0.1:{port} {json.dumps(info)}", flush=True)
    for line in sys.stdin:
        if line.strip() == "reset":
            for account in list(iam_backends):
                backend = iam_backends[account]["global"]
                backend.credential_report = None
                if hasattr(backend, "reportgen_report"):
                    del backend.reportgen_report
            print("RESET", flush=True)
    server.stop()


def child_collect(code: Path, endpoint: str, out: Path, one_region: bool) -> None:
    commit = _use_code(code)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    import boto3

    from reportgen.collect.account import CollectOptions, collect
    from reportgen.snapshot import document as snapshot

    counts = count_requests()
    session = boto3.Session(region_name=REGION)
    started = time.perf_counter()
    regions = (REGION,) if one_region else ()
    # The regional-sources option was analyzer_regions before the EC2 source joined it.
    names = {item.name for item in dataclasses.fields(CollectOptions)}
    key = "regions" if "regions" in names else "analyzer_regions"
    options = CollectOptions(region=REGION, endpoint_url=endpoint, **{key: regions})
    document = collect(session, options)
    snapshot.save(document, out, overwrite=True)
    seconds = time.perf_counter() - started
    emit(
        {
            "commit": commit,
            "seconds": round(seconds, 3),
            "requests": sum(counts.values()),
            "by_operation": dict(sorted(counts.items())),
            "snapshot_mib": round(out.stat().st_size / 2**20, 2),
            "not_ok": sorted(k for k, v in document["sources"].items() if v["status"] != "ok"),
        }
    )


def child_stage(code: Path, stage: str, path: Path) -> None:
    commit = _use_code(code)
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.run import evaluate
    from reportgen.snapshot import document as snapshot

    data = path.read_bytes()
    result: dict[str, Any] = {"commit": commit}
    started = time.perf_counter()
    loaded = snapshot.loads(data, str(path))
    result["load_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    catalogue = load_catalogue()
    result["catalogue_seconds"] = round(time.perf_counter() - started, 3)
    assessment = evaluate(loaded, catalogue=catalogue)
    result["evaluate_seconds"] = round(time.perf_counter() - started, 3)
    result["findings"] = len(assessment.findings)
    if stage == "evaluate":
        result["seconds"] = result["evaluate_seconds"]
        emit(result)
        return
    from reportgen.render import ReportOptions, render_report

    options = ReportOptions(snapshot_bytes=data, machine_outputs=False)
    started = time.perf_counter()
    files = render_report(assessment, loaded, catalogue, "ja", (stage,), options)
    result["seconds"] = round(time.perf_counter() - started, 3)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)  # before pypdf is imported
    result["output_mib"] = round(sum(len(b) for b in files.values()) / 2**20, 2)
    if stage == "pdf":
        from pypdf import PdfReader

        pdf = next(b for name, b in files.items() if name.endswith(".pdf"))
        result["pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
    emit(result)


# --- the driver ----------------------------------------------------------------------------


def run_child(*args: str, timeout: float = 1800) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=HERE,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            return result
    return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


class Server:
    def __init__(self, users: int, latency_ms: float) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "server", str(users)]
        command += [str(latency_ms)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE
        )
        assert self.process.stdout is not None and self.process.stdin is not None
        line = self.process.stdout.readline()
        if not line.startswith("READY "):
            self.close()
            raise SystemExit(f"server did not start: {line!r}")
        _, self.endpoint, info = line.split(" ", 2)
        self.info: dict[str, Any] = json.loads(info)

    def reset(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("reset\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "RESET":
            raise SystemExit("server did not reset")

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=120)


class Recorder:
    """Results as they come, written after each run (a long session keeps what it measured)."""

    def __init__(self, path: Path, codes: dict[str, Path]) -> None:
        self.path = path
        self.data: dict[str, Any] = {"blocks": {}}
        if path.exists():
            self.data = json.loads(path.read_text("utf-8"))
        self.data["codes"] = {side: str(code) for side, code in codes.items()}

    def block(self, key: str) -> dict[str, Any]:
        block: dict[str, Any] = self.data["blocks"].setdefault(key, {})
        block["load_before"] = load()
        for side in (*SIDES, ONE_REGION):
            block.setdefault(side, [])
        print(f"== {key}  ({block['load_before']})", flush=True)
        return block

    def add(self, block: dict[str, Any], side: str, result: dict[str, Any]) -> None:
        block[side].append(result)
        shown = {k: v for k, v in result.items() if k not in ("by_operation",)}
        print(f"   {side:6} {shown}", flush=True)
        self.path.write_text(json.dumps(self.data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def bench_collect(
    rec: Recorder,
    codes: dict[str, Path],
    users: int,
    latency: float,
    runs: int,
    work: Path,
) -> None:
    server = Server(users, latency)
    try:
        block = rec.block(f"collect/{users}/{latency:g}")
        block["server"] = server.info
        for _ in range(runs):
            for side in (*SIDES, ONE_REGION):
                server.reset()
                out = work / f"{side}-{users}.json" if latency == 0 else work / "scratch.json"
                code = codes[side.split("-")[0]]
                extra = ("one-region",) if side == ONE_REGION else ()
                rec.add(
                    block,
                    side,
                    run_child("collect", str(code), server.endpoint, str(out), *extra),
                )
    finally:
        server.close()


def bench_stage(
    rec: Recorder, codes: dict[str, Path], users: int, stage: str, runs: int, work: Path
) -> None:
    block = rec.block(f"{stage}/{users}")
    for _ in range(runs):
        for side in SIDES:
            snapshot = work / f"{side}-{users}.json"
            rec.add(block, side, run_child("stage", str(codes[side]), stage, str(snapshot)))
        if any(r.get("seconds", 0) > LONG_RUN for side in SIDES for r in block[side]):
            block["note"] = f"a run took over {LONG_RUN} s: {len(block['after'])} run(s) only"
            print("  ", block["note"], flush=True)
            break


def bench_lab(rec: Recorder, codes: dict[str, Path], lesson: str, runs: int, work: Path) -> None:
    labs: dict[str, tuple[subprocess.Popen[bytes], dict[str, str]]] = {}
    try:
        for side in SIDES:
            home = work / f"lab-{side}"
            home.mkdir(exist_ok=True)
            env = dict(os.environ, PYTHONPATH=str(codes[side]), REPORTGEN_LAB_HOME=str(home))
            env.pop("REPORTGEN_LAB_RECORDS", None)
            log = (work / f"lab-{side}.log").open("wb")
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "reportgen",
                    "lab",
                    "start",
                    lesson,
                    "--port",
                    "0",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=work,
            )
            labs[side] = (process, env)
            for _ in range(600):
                if b"export" in (work / f"lab-{side}.log").read_bytes():
                    break
                time.sleep(0.1)
            else:
                raise SystemExit(f"lab {side} did not start")
        block = rec.block(f"lab-check/{lesson}")
        for n in range(runs + 1):
            for side in SIDES:
                env = labs[side][1]
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "reportgen",
                        "lab",
                        "check",
                        lesson,
                        "--trainee",
                        "bench",
                    ],
                    capture_output=True,
                    env=env,
                    cwd=work,
                    check=False,
                )
                seconds = time.perf_counter() - started
                result = {
                    "seconds": round(seconds, 3),
                    "exit": done.returncode,
                    "first": n == 0,
                }
                if done.returncode not in (0, 1):
                    result["error"] = done.stderr.decode(errors="replace")[-300:]
                rec.add(block, side, result)
    finally:
        for process, _ in labs.values():
            process.terminate()
            process.wait(timeout=60)


def median(results: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in results if key in r and not r.get("first")]
    return statistics.median(values) if values else None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "table":
        print(table(merged([Path(name) for name in sys.argv[2:]])))
        return
    if len(sys.argv) > 1 and sys.argv[1] in ("server", "collect", "stage"):
        mode, *rest = sys.argv[1:]
        if mode == "server":
            child_server(int(rest[0]), float(rest[1]))
        elif mode == "collect":
            child_collect(Path(rest[0]), rest[1], Path(rest[2]), rest[3:] == ["one-region"])
        else:
            child_stage(Path(rest[0]), rest[1], Path(rest[2]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="compare_versions.py table FILE...: the table of earlier results",
    )
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="raw results (JSON)")
    parser.add_argument("--sizes", default="40,500,5000")
    parser.add_argument("--latency-ms", default="0,50")
    parser.add_argument("--stages", default="collect,evaluate,html,pdf,lab")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lesson", default="02")
    parser.add_argument("--work", type=Path, help="keep snapshots here (default: a temp folder)")
    args = parser.parse_args()
    codes = {"before": args.before.resolve(), "after": args.after.resolve()}
    stages = args.stages.split(",")
    rec = Recorder(args.out, codes)
    with tempfile.TemporaryDirectory(prefix="reportgen-compare-") as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        if "lab" in stages:
            bench_lab(rec, codes, args.lesson, args.runs, work)
        for users in (int(s) for s in args.sizes.split(",")):
            if "collect" in stages:
                for latency in (float(x) for x in args.latency_ms.split(",")):
                    bench_collect(rec, codes, users, latency, args.runs, work)
            for stage in ("evaluate", "html", "pdf"):
                if stage in stages:
                    bench_stage(rec, codes, users, stage, args.runs, work)
    print(table(rec.data))


def merged(paths: list[Path]) -> dict[str, Any]:
    """The blocks of several result files; a later file's block replaces an earlier one."""
    blocks: dict[str, Any] = {}
    for path in paths:
        blocks.update(json.loads(path.read_text("utf-8"))["blocks"])
    return {"blocks": blocks}


def _seconds(results: list[dict[str, Any]]) -> str:
    values = [r["seconds"] for r in results if "seconds" in r and not r.get("first")]
    if not values:
        return ""
    if len(values) == 1:
        return f"{values[0]:.2f} s (1 run)"
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def _ratio(block: dict[str, Any]) -> str:
    """The median of after/before within each round (A B): the load of the moment cancels."""
    pairs = zip(block["before"], block["after"], strict=False)
    ratios = [
        a["seconds"] / b["seconds"]
        for b, a in pairs
        if "seconds" in a and "seconds" in b and not b.get("first")
    ]
    return f"{statistics.median(ratios):.2f}" if ratios else ""


def table(data: dict[str, Any]) -> str:
    """The before/after table in Markdown: median seconds (fastest–slowest run); after ÷
    before: the median of the rounds' ratios; "1 region": after, with Access Analyzer read
    in the collection region only."""
    commits = [r.get("commit") for b in data["blocks"].values() for r in b["after"]]
    usual = statistics.mode([c for c in commits if c] or [""])
    lines = [
        "| users | stage | before | after | after ÷ before | after, 1 region "
        "| peak RSS before → after | requests / pages / findings, before → after |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, block in data["blocks"].items():
        stage, *where = key.split("/")
        label = stage if stage != "collect" else f"collect, {where[1]} ms"
        commit = next((r["commit"] for r in block["after"] if r.get("commit")), usual)
        if commit != usual:
            label += f" (after: {commit})"
        users = f"{int(where[0]):,}" if stage != "lab-check" else f"lab {where[0]}"
        cells = [_seconds(block.get(side, [])) for side in (*SIDES, ONE_REGION)]
        cells.insert(2, _ratio(block))
        rss = [median(block[side], "peak_rss_mib") for side in SIDES]
        memory = "" if None in rss else f"{rss[0]:,.0f} → {rss[1]:,.0f} MiB"
        detail = []
        for name in ("requests", "pages", "findings"):
            if name == "findings" and stage != "evaluate":
                continue
            values = [median(block[side], name) for side in SIDES]
            if None not in values:
                detail.append(f"{values[0]:,.0f} → {values[1]:,.0f} {name}")
        lines.append(
            f"| {users} | {label} | {' | '.join(cells)} | {memory} | {'; '.join(detail)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
