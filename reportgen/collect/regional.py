"""Regional sources: the account's enabled regions, then one list call (plus pages) per region
(IAM Access Analyzer analyzers, EC2 instances).

The regions are read concurrently by a small pool, so that wall time is bound by the slowest
region rather than their sum; the request count grows with regions, never with users
(docs/performance.md). These are optional sources with a short retry budget and a total cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from reportgen.collect.aws import (
    DENIED,
    OPTIONAL_ATTEMPTS,
    OPTIONAL_CAP_SECONDS,
    SourceFailed,
    client_error,
    reason,
)

GAVE_UP = f"gave up after {OPTIONAL_CAP_SECONDS:.0f} s"
ClientFor = Callable[[str, str], Any]
"""Makes (or returns) a boto3 client: ``client_for(service, region)``."""

T = TypeVar("T")


def enabled_regions(ec2: Any) -> tuple[tuple[str, ...], str | None]:
    """The regions enabled for the account (EC2 DescribeRegions without AllRegions), or none
    and why (denied, unreachable: the regional checks are then judged UNKNOWN)."""
    try:
        answer = ec2.describe_regions(AllRegions=False)
    except ClientError as exc:
        return (), client_error(exc)
    except BotoCoreError as exc:
        return (), reason(exc)
    names = sorted(str(r["RegionName"]) for r in answer.get("Regions") or ())
    return tuple(names), None if names else "DescribeRegions listed no region"


def pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    items: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        items.extend(page.get(key, []))
    return items


def each_region(
    regions: Sequence[str],
    read: Callable[[str], T],
    workers: int,
    start: float,
    late: Callable[[str], T] | None = None,
) -> list[T]:
    """``read`` in every region with at most ``workers`` threads. Past the total cap a region
    still waiting gets ``late(region)``, or raises :class:`SourceFailed` without ``late``."""

    def capped(region: str) -> T:
        if time.monotonic() - start > OPTIONAL_CAP_SECONDS:
            if late is not None:
                return late(region)
            raise SourceFailed("error", GAVE_UP)
        return read(region)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(regions)))) as pool:
        return list(pool.map(capped, regions))


def failed(exc: ClientError | BotoCoreError, start: float) -> SourceFailed:
    """The source failure for an error after the short retry budget (denied or error)."""
    spent = time.monotonic() - start
    if isinstance(exc, ClientError):
        text = client_error(exc)
        code = exc.response.get("Error", {}).get("Code", "")
    else:
        text, code = reason(exc), ""
    status = "denied" if code in DENIED else "error"
    return SourceFailed(status, f"{text} (up to {OPTIONAL_ATTEMPTS} attempts, {spent:.1f} s)")


def with_enabled(found: dict[str, Any], enabled: tuple[str, ...], why: str | None) -> None:
    """Record which regions exist (or why that is not known) beside the regions read."""
    if enabled:
        found["enabled_regions"] = list(enabled)
    else:
        found["enabled_regions_error"] = why


def access_analyzer(
    client_for: ClientFor,
    regions: Sequence[str],
    enabled: tuple[str, ...],
    why: str | None,
    workers: int,
) -> dict[str, Any]:
    """One ListAnalyzers per region, the regions read concurrently; an optional source: a
    failure after the short retry budget, or past the total cap, is recorded as its error.

    The account's enabled regions come first (EC2 DescribeRegions lists those enabled or
    opted in) and every one is read, so that the snapshot says which exist: without that
    list the regions read cannot stand for the account and the check is UNKNOWN.
    ``--analyzer-region`` narrows what is read; an enabled region left out keeps the check
    UNKNOWN too, never PASS.
    """
    start = time.monotonic()
    clients = {region: client_for("accessanalyzer", region) for region in regions}

    def read(region: str) -> list[Any]:
        return [
            {k: a.get(k) for k in ("name", "arn", "type", "status", "createdAt")}
            for a in pages(clients[region], "list_analyzers", "analyzers")
        ]

    try:
        lists = each_region(regions, read, workers, start)
    except (ClientError, BotoCoreError) as exc:
        raise failed(exc, start) from None
    found: dict[str, Any] = {"regions": dict(zip(regions, lists, strict=True))}
    with_enabled(found, enabled, why)
    return found


# Instances that exist or can run again; terminated ones linger in DescribeInstances for about
# an hour and can never use credentials again.
LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"]
_INSTANCE_PAGE = 1000  # DescribeInstances' maximum MaxResults


def _instance(entry: dict[str, Any]) -> dict[str, Any]:
    """What the instance-role check needs: id, state, instance profile ARN, Name tag, launch."""
    profile = (entry.get("IamInstanceProfile") or {}).get("Arn")
    name = next((t.get("Value") for t in entry.get("Tags") or [] if t.get("Key") == "Name"), None)
    found = {
        "InstanceId": entry["InstanceId"],
        "State": (entry.get("State") or {}).get("Name"),
        "IamInstanceProfile": profile,
        "LaunchTime": entry.get("LaunchTime"),
    }
    if name:
        found["Name"] = name
    return found


def ec2_instances(
    client_for: ClientFor,
    regions: Sequence[str],
    enabled: tuple[str, ...],
    why: str | None,
    workers: int,
) -> dict[str, Any]:
    """EC2 DescribeInstances (pages of 1,000, live states only) in every region, concurrently.

    A region that fails (refused by a region-restricting SCP, unreachable) is kept under
    ``errors`` and judged UNKNOWN on its own; the source fails only when no region could be
    read. Like Access Analyzer, the enabled regions are recorded beside the regions read.
    """
    start = time.monotonic()
    clients = {region: client_for("ec2", region) for region in regions}

    def read(region: str) -> list[Any] | str:
        try:
            reservations = pages(
                clients[region],
                "describe_instances",
                "Reservations",
                Filters=[{"Name": "instance-state-name", "Values": LIVE_STATES}],
                PaginationConfig={"PageSize": _INSTANCE_PAGE},
            )
        except ClientError as exc:
            errors[region] = exc
            return client_error(exc)
        except BotoCoreError as exc:
            errors[region] = exc
            return reason(exc)
        return [_instance(i) for r in reservations for i in r.get("Instances") or []]

    errors: dict[str, ClientError | BotoCoreError] = {}
    answers = each_region(regions, read, workers, start, late=lambda _region: GAVE_UP)
    read_ok = {r: a for r, a in zip(regions, answers, strict=True) if isinstance(a, list)}
    failures = {r: a for r, a in zip(regions, answers, strict=True) if isinstance(a, str)}
    if failures and not read_ok:
        first = next((errors[r] for r in regions if r in errors), None)
        raise failed(first, start) if first else SourceFailed("error", GAVE_UP)
    found: dict[str, Any] = {"regions": read_ok}
    if failures:
        found["errors"] = failures
    with_enabled(found, enabled, why)
    return found
