"""The benchmark, in one command: ``.venv/bin/python benchmarks/run.py`` (by hand, not in CI).

For each sandbox size it starts a seeded moto server (``bench_server.py``), collects from
it over HTTP (``bench_collect.py``), then times load, evaluate, HTML and PDF on the
snapshot (``bench_stage.py``), each measurement in its own process so that peak memory is
that measurement's own. An organization of 20 accounts is collected last. Results go to
``benchmarks/results.json`` and into the tables of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from common import RESULT_PREFIX, ROOT

HERE = Path(__file__).resolve().parent
DOC = ROOT / "docs" / "performance.md"
RESULTS = HERE / "results.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
STAGE_REPEAT = {"load": 3, "evaluate": 3, "html": 2, "pdf": 1}
TARGETS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "evaluate": ("< 1 s", lambda r: r["seconds"] < 1),
    "html": ("< 5 s", lambda r: r["seconds"] < 5),
    "pdf": ("< 30 s, < 1 GiB", lambda r: r["seconds"] < 30 and r["peak_rss_mib"] < 1024),
    "collect": ("≤ 15 requests", lambda r: r["requests_without_report_polls"] <= 15),
}
PACKAGES = ("boto3", "botocore", "moto", "jinja2", "weasyprint", "pydyf", "jsonschema")


def child(script: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run a bench script in a fresh interpreter and return its result line (or the error)."""
    command = [sys.executable, str(HERE / script), *args]
    print("  $", " ".join(command[1:]), flush=True)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=HERE
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            print("   ", {k: v for k, v in result.items() if k != "by_operation"}, flush=True)
            return result
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    print("    failed:", tail, flush=True)
    return {"error": tail[:300]}


class Server:
    """A bench_server.py child: seeded, serving until closed."""

    def __init__(self, users: int, org_accounts: int = 0, latency_ms: float = 0) -> None:
        command = [sys.executable, str(HERE / "bench_server.py"), "--users", str(users)]
        if org_accounts:
            command += ["--org-accounts", str(org_accounts)]
        if latency_ms:
            command += ["--latency-ms", str(latency_ms)]
        print("  $", " ".join(command[1:]), flush=True)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("READY "):
            self.close()
            raise SystemExit(f"bench_server.py did not start: {line!r}")
        _, self.endpoint, info = line.split(" ", 2)
        self.info: dict[str, Any] = json.loads(info)
        print("   ", self.info, flush=True)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def bench_size(users: int, work: Path, latencies: list[float]) -> dict[str, Any]:
    print(f"== {users} users", flush=True)
    path = work / f"snapshot-{users}.json"
    results: dict[str, Any] = {}
    for latency in latencies:
        server = Server(users, latency_ms=latency)
        try:
            key = "collect" if not latency else f"collect@{latency:g}ms"
            results.setdefault("server", server.info)
            results[key] = child("bench_collect.py", server.endpoint, str(path))
        finally:
            server.close()
    if "collect" not in results or "error" in results["collect"]:
        return results
    for stage, repeat in STAGE_REPEAT.items():
        results[stage] = child("bench_stage.py", stage, str(path), "--repeat", str(repeat))
    return results


def bench_org(accounts: int, users: int, workers: int, work: Path) -> dict[str, Any]:
    print(f"== organization: {accounts} accounts x {users} users", flush=True)
    server = Server(users, org_accounts=accounts)
    try:
        result = child(
            "bench_collect.py",
            server.endpoint,
            str(work / "org"),
            "--organization",
            "--max-workers",
            str(workers),
        )
        return {"server": server.info, "collect": result, "workers": workers}
    finally:
        server.close()


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    return {
        "cpu": f"{cpu} ({os.cpu_count()} CPUs visible)",
        "memory": f"{mem_kib / 2**20:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": versions,
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _cell(result: dict[str, Any] | None, key: str = "seconds", unit: str = " s") -> str:
    if not result:
        return "—"
    if "error" in result:
        return "failed"
    return f"{result[key]}{unit}"


def _verdict(stage: str, result: dict[str, Any] | None) -> str:
    stage = stage.split("@")[0]
    if stage not in TARGETS or not result or "error" in result:
        return ""
    text, check = TARGETS[stage]
    return f"{text}: {'met' if check(result) else '**missed**'}"


def markdown(data: dict[str, Any]) -> str:
    """The tables that go between the markers of docs/performance.md."""
    lines = ["Machine: " + "; ".join(f"{k}: {v}" for k, v in data["machine"].items()), ""]
    lines += [
        "| users | stage | wall time | peak RSS | detail | target |",
        "|---:|---|---:|---:|---|---|",
    ]
    for users, results in data["sizes"].items():
        latency_keys = sorted((k for k in results if k.startswith("collect@")), key=len)
        for stage in ("collect", *latency_keys, *STAGE_REPEAT):
            result = results.get(stage)
            if result is None:
                continue
            detail = ""
            if stage.startswith("collect") and "error" not in result:
                detail = (
                    f"{result['requests']} requests "
                    f"({result['requests_without_report_polls']} without report polls), "
                    f"snapshot {result['snapshot_mib']} MiB"
                )
            elif stage == "evaluate" and "error" not in result:
                detail = f"{result['findings']} findings"
            elif stage in ("html", "pdf") and "error" not in result:
                detail = f"{result['output_mib']} MiB"
            elif "error" in result:
                detail = result["error"].replace("|", "/")[:120]
            lines.append(
                f"| {int(users):,} | {stage} | {_cell(result)} | "
                f"{_cell(result, 'peak_rss_mib', ' MiB')} | {detail} | {_verdict(stage, result)} |"
            )
    org = data.get("organization")
    if org:
        result = org["collect"]
        lines += [
            "",
            "| organization | wall time | peak RSS (collector) | requests | outcome |",
            "|---|---:|---:|---:|---|",
            f"| {org['server']['accounts']} accounts × {org['server']['users_per_account']} users,"
            f" {org['workers']} workers | {_cell(result)} | "
            f"{_cell(result, 'peak_rss_mib', ' MiB')} | {result.get('requests', '—')} | "
            f"{result.get('accounts_ok', 0)} ok, {result.get('accounts_failed', 0)} failed |",
        ]
    return "\n".join(lines)


def update_doc(table: str) -> None:
    text = DOC.read_text("utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{DOC} lacks the {BEGIN} … {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="users per sandbox account")
    parser.add_argument("--org-accounts", type=int, default=20, help="0 skips the organization")
    parser.add_argument("--org-users", type=int, default=100, help="users in each org account")
    parser.add_argument("--max-workers", type=int, default=4)
    parser.add_argument(
        "--latency-ms",
        default="0,50",
        help="server-side delay per request for the collect runs (0: plain loopback)",
    )
    parser.add_argument(
        "--no-doc", action="store_true", help="do not rewrite results.json and the doc's tables"
    )
    args = parser.parse_args()
    data: dict[str, Any] = {"machine": machine(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as folder:
        work = Path(folder)
        for size in (int(s) for s in args.sizes.split(",")):
            latencies = [float(x) for x in args.latency_ms.split(",")]
            data["sizes"][str(size)] = bench_size(size, work, latencies)
        if args.org_accounts:
            data["organization"] = bench_org(
                args.org_accounts, args.org_users, args.max_workers, work
            )
    table = markdown(data)
    print(table)
    if not args.no_doc:  # a trial run leaves both the raw results and the doc alone
        RESULTS.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        update_doc(table)


if __name__ == "__main__":
    main()
