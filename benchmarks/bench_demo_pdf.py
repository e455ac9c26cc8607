"""The demo's PDF render, timed: what a user waits for after ``reportgen demo``.

Usage: bench_demo_pdf.py DEMO_DIR [--lang ja] [--repeat 3] [--profile FILE] [--output PDF]

DEMO_DIR is the output of ``reportgen demo -o DEMO_DIR --today 2026-12-04`` (its history,
review and responses files). The latest quarter is evaluated as the demo does (previous
quarters, the access review, the responses) and its report rendered to PDF, each run in a
fresh process: ``render_report`` for the PDF alone, split into the printable HTML (Jinja),
WeasyPrint's ``render`` (parse, cascade, boxes, layout) and ``write_pdf`` (paint, tags,
fonts, attachments, serialisation). Prints each run and the medians, with wall and CPU
time: on a shared machine the CPU time is the steadier figure. ``--output`` keeps the PDF
of the last run (to compare pages before and after a change).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import RESULT_PREFIX, ROOT, emit


def _demo_inputs(folder: Path, lang: str) -> Any:
    """A function rendering the demo's report in ``lang`` as PDF, as ``reportgen demo`` does."""
    from reportgen.evaluate.catalogue import load_catalogue
    from reportgen.evaluate.responses import load_responses
    from reportgen.evaluate.review import dumps, load_review
    from reportgen.evaluate.run import evaluate
    from reportgen.pipeline.demo_review import FISCAL_YEAR_START
    from reportgen.render import ReportOptions, render_report
    from reportgen.snapshot import document as snapshot

    catalogue = load_catalogue()
    loaded = sorted(
        (snapshot.load(path) for path in (folder / "history").glob("snapshot-*.json")),
        key=lambda item: item.collected_at,
    )
    assessments = [evaluate(item, catalogue=catalogue) for item in loaded]
    latest = loaded[-1]
    reviews = sorted((folder / "review").glob("review.*.json"))
    review = load_review(reviews[-1]) if reviews else None
    responses_path = folder / "review" / "responses.yaml"
    rule_files: dict[str, bytes] = {}
    if review is not None and responses_path.exists():
        responses = load_responses(responses_path, catalogue)
        assessments[-1] = evaluate(latest, catalogue=catalogue, review=review, responses=responses)
        rule_files = {"review.json": dumps(review), "responses.yaml": responses_path.read_bytes()}
    options = ReportOptions(
        org_name="Example Corp",
        fiscal_year_start=FISCAL_YEAR_START,
        snapshot_bytes=(folder / "snapshot.json").read_bytes(),
        previous=tuple(assessments[:-1]),
        review=review,
        rule_files=rule_files,
        machine_outputs=False,
    )
    return lambda: render_report(assessments[-1], latest, catalogue, lang, ("pdf",), options)


def _timed_stages() -> dict[str, float]:
    """Wrap the stages of a PDF render so that their wall and CPU times add up in the result."""
    import weasyprint
    import weasyprint.document

    from reportgen.render import report

    times: dict[str, float] = {}

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                times[label] = times.get(label, 0) + time.perf_counter() - wall
                times[label + "_cpu"] = times.get(label + "_cpu", 0) + time.process_time() - cpu

        setattr(owner, name, timed)

    wrap(report, "render_html", "html")
    wrap(weasyprint.HTML, "render", "weasyprint_render")
    wrap(weasyprint.document.Document, "write_pdf", "write_pdf")
    return times


def child(folder: Path, lang: str, profile: Path | None, output: Path | None) -> None:
    from pypdf import PdfReader

    render = _demo_inputs(folder, lang)
    times = _timed_stages()
    wall, cpu = time.perf_counter(), time.process_time()
    if profile:
        profiler = cProfile.Profile()
        files = profiler.runcall(render)
        profiler.dump_stats(profile)
    else:
        files = render()
    result: dict[str, Any] = {
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
    }
    pdf = files[f"report.{lang}.pdf"]
    if output:
        output.write_bytes(pdf)
    result["pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
    result["mib"] = round(len(pdf) / 2**20, 2)
    result.update({key: round(value, 2) for key, value in times.items()})
    emit(result)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.folder, args.lang, args.profile, args.output)
        return
    runs: list[dict[str, Any]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(max(args.repeat, 1)):
        command = [sys.executable, __file__, str(args.folder), "--lang", args.lang, "--child"]
        if args.profile:
            command += ["--profile", str(args.profile)]
        if args.output:
            command += ["--output", str(args.output)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        line = next(x for x in out.stdout.splitlines() if x.startswith(RESULT_PREFIX))
        runs.append(json.loads(line[len(RESULT_PREFIX) :]))
        print(json.dumps(runs[-1], sort_keys=True), flush=True)
    keys = [key for key, value in runs[0].items() if isinstance(value, int | float)]
    median = {key: round(statistics.median(run[key] for run in runs), 2) for key in keys}
    print("median " + json.dumps(median, sort_keys=True), flush=True)
    print("load " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)


if __name__ == "__main__":
    main()
