"""Several PDFs written side by side, each in a worker process.

WeasyPrint is pure Python for most of its work and holds the interpreter lock, so threads
would not help; processes do. Workers are spawned (not forked): the caller may hold threads,
such as the sandbox's emulator, that a fork would copy in an unknown state. A job carries
only text and bytes (``PdfJob``), and a worker answers with the PDF's bytes or the key and
values of the RenderError it met, which is raised again here in the caller's process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from reportgen.errors import RenderError
from reportgen.render.report import PdfJob

Outcome = bytes | tuple[str | None, dict[str, object], str]


def render_pdfs(jobs: Sequence[PdfJob], workers: int | None = None) -> dict[str, bytes]:
    """Each job's PDF by name, in the jobs' order: in up to ``workers`` processes (default:
    one per CPU) when there is more than one job and more than one CPU, else here."""
    count = min(len(jobs), workers or os.cpu_count() or 1)
    if count <= 1:
        return {job.name: job.render() for job in jobs}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        outcomes = list(pool.map(_render, jobs))
    found: dict[str, bytes] = {}
    for job, outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, tuple):
            key, values, message = outcome
            raise RenderError.keyed(key, **values) if key else RenderError(message)
        found[job.name] = outcome
    return found


def _render(job: PdfJob) -> Outcome:
    """In the worker: the PDF, or what its RenderError said (a keyed error does not pickle)."""
    try:
        return job.render()
    except RenderError as exc:
        return (exc.key, dict(exc.values), str(exc))
