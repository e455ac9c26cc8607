"""Collect from a running bench_server over HTTP: one account, or the organization.

Usage: bench_collect.py ENDPOINT OUT [--organization --max-workers N]. Prints one
result line: wall time, peak RSS of this process, and the HTTP requests sent.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from common import REGION, count_requests, emit, stopwatch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("out", type=Path)
    parser.add_argument("--organization", action="store_true")
    parser.add_argument("--max-workers", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

    import boto3

    from reportgen.collect.account import CollectOptions, collect
    from reportgen.collect.organization import OrgOptions, collect_organization
    from reportgen.snapshot import document as snapshot

    counts = count_requests()
    options = CollectOptions(region=REGION, endpoint_url=args.endpoint)
    session = boto3.Session(region_name=REGION)
    result: dict[str, object] = {}
    if args.organization:
        with stopwatch() as timer:
            outcome = collect_organization(
                session,
                OrgOptions(
                    role_name="OrganizationAccountAccessRole",
                    output_dir=args.out,
                    max_workers=args.max_workers,
                    overwrite=True,
                    collect=options,
                ),
            )
        result["accounts_ok"] = len(outcome.accounts) - len(outcome.failed)
        result["accounts_failed"] = len(outcome.failed)
    else:
        with stopwatch() as timer:
            document = collect(session, options)
            snapshot.save(document, args.out, overwrite=True)
        result["incomplete"] = sorted(
            k for k, v in document["sources"].items() if v["status"] != "ok"
        )
        result["snapshot_mib"] = round(args.out.stat().st_size / 2**20, 2)
    # The first GenerateCredentialReport is needed; further ones are polls.
    polls = max(counts.get("iam.GenerateCredentialReport", 0) - 1, 0)
    result.update(
        seconds=round(timer["seconds"], 2),
        requests=sum(counts.values()),
        requests_without_report_polls=sum(counts.values()) - polls,
        by_operation=dict(sorted(counts.items())),
    )
    emit(result)


if __name__ == "__main__":
    main()
