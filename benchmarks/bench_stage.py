"""One offline stage on a snapshot file: load, evaluate, HTML or PDF render.

Usage: bench_stage.py STAGE SNAPSHOT [--repeat N] [--profile FILE]. The stages before
STAGE run untimed; STAGE is timed (best of N) and the process's peak RSS is reported.
``--profile`` writes a cProfile dump of one run of STAGE.
"""

from __future__ import annotations

import argparse
import cProfile
from pathlib import Path
from typing import Any

from common import best_of, emit, rss_mib

STAGES = ("load", "evaluate", "html", "pdf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()

    from reportgen.snapshot import document as snapshot

    data = args.snapshot.read_bytes()
    steps: dict[str, Any] = {"load": lambda: snapshot.loads(data, str(args.snapshot))}
    loaded = steps["load"]()
    if args.stage != "load":
        from reportgen.evaluate.catalogue import load_catalogue
        from reportgen.evaluate.run import evaluate

        catalogue = load_catalogue()
        steps["evaluate"] = lambda: evaluate(loaded, catalogue=catalogue)
        assessment = steps["evaluate"]()
    if args.stage in ("html", "pdf"):
        from reportgen.render import ReportOptions, render_report

        options = ReportOptions(snapshot_bytes=data, machine_outputs=False)

        def render() -> dict[str, bytes]:
            return render_report(assessment, loaded, catalogue, args.lang, (args.stage,), options)

        steps[args.stage] = render
    before = rss_mib()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(steps[args.stage])
        profiler.dump_stats(args.profile)
    seconds, value = best_of(args.repeat, steps[args.stage])
    result: dict[str, Any] = {"seconds": round(seconds, 3), "rss_before_mib": round(before, 1)}
    if args.stage == "evaluate":
        result["findings"] = len(value.findings)
    if args.stage in ("html", "pdf"):
        result["output_mib"] = round(sum(len(b) for b in value.values()) / 2**20, 2)
    if args.stage == "load":
        result["users"] = len(value.users)
    emit(result)


if __name__ == "__main__":
    main()
