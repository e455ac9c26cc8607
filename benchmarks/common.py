"""Shared by the benchmark scripts: the fixed date, timing, peak memory and result output."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
REGION = "ap-northeast-1"
RESULT_PREFIX = "BENCH-RESULT "


def rss_mib() -> float:
    """The current resident set size of this process (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    """The peak resident set size of this process so far (getrusage maxrss), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """Wall time of the block in seconds, in ``result["seconds"]``."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - start


def best_of(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``step`` (seconds) and the last result."""
    times: list[float] = []
    value: Any = None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        value = step()
        times.append(time.perf_counter() - start)
    return min(times), value


def emit(result: dict[str, Any]) -> None:
    """Print one result line for ``run.py`` (which reads the child's stdout)."""
    result.setdefault("peak_rss_mib", round(peak_rss_mib(), 1))
    print(RESULT_PREFIX + json.dumps(result, sort_keys=True), flush=True)


def count_requests() -> dict[str, int]:
    """Count every HTTP request any botocore client in this process sends (retries included)."""
    import botocore.session

    counts: dict[str, int] = {}
    original = botocore.session.Session.create_client

    def count(event_name: str = "", **_: Any) -> None:
        key = ".".join(event_name.split(".")[1:3])
        counts[key] = counts.get(key, 0) + 1

    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-send", count)
        return client

    botocore.session.Session.create_client = create_client
    return counts
