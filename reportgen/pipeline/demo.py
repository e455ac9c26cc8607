"""The demo: the sandbox company over several quarters, collected with the real collector.

Each quarter is seeded into a local moto server at its own date (the clock is frozen at
that date while seeding and collecting, so report times and ages agree) and collected
over HTTP through boto3, exactly as a real account would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reportgen.collect.account import CollectOptions, collect


@dataclass(frozen=True)
class DemoQuarter:
    """One collected quarter: its date and the snapshot document."""

    as_of: datetime
    document: dict[str, Any]


def collect_history(
    size: int = 40,
    seed: int = 7,
    today: datetime | None = None,
    quarters: int = 4,
    progress: Callable[[str], None] = lambda _msg: None,
) -> list[DemoQuarter]:
    """Seed and collect the sandbox company at ``quarters`` dates, oldest first."""
    import boto3
    from freezegun import freeze_time
    from moto.moto_api._internal.models import moto_api_backend

    from reportgen.sandbox.company import history
    from reportgen.sandbox.seed import seed as seed_account
    from reportgen.sandbox.server import sandbox_server
    from reportgen.sandbox.spec import TOKYO

    today = (today or datetime.now(UTC)).replace(microsecond=0)
    built = history(size=size, seed=seed, today=today)
    chosen = built.quarters[-max(1, min(quarters, len(built.quarters))) :]
    results: list[DemoQuarter] = []
    with sandbox_server() as server:
        for company in chosen:
            progress(company.as_of.date().isoformat())
            moto_api_backend.reset()
            with freeze_time(company.as_of, tick=True):
                seed_account(company.spec, company.as_of)
                # moto's default credentials: the collector leaves no user of its own behind.
                session = boto3.Session(
                    aws_access_key_id="testing",
                    aws_secret_access_key="testing",
                    region_name=TOKYO,
                )
                options = CollectOptions(
                    region=TOKYO,
                    endpoint_url=server.endpoint_url,
                    clock=_fixed(company.as_of),
                )
                document = collect(session, options)
            results.append(DemoQuarter(company.as_of, document))
    return results


def _fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment
