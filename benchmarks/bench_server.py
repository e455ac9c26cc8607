"""A seeded moto server for the collect benchmark: one sandbox account or an organization.

Usage: bench_server.py --users N [--org-accounts K] [--latency-ms L]. Prints
``READY <endpoint> <json>`` once seeded, then serves until its stdin closes (run.py holds
the pipe). ``--latency-ms`` delays every response by L ms on the server side, so that a
collection pays a real-AWS-like round trip per request (moto on loopback answers in ~1 ms;
AWS's IAM endpoint takes tens of ms): the collector's concurrency then shows as it would
against AWS, apart from moto's own slowness.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
import time
from dataclasses import replace
from typing import Any

from common import REGION, TODAY, peak_rss_mib


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _add_latency(module: Any, seconds: float) -> None:
    """Make the threaded server's WSGI application sleep before answering each request."""
    base = module.DomainDispatcherApplication

    class Delayed(base):  # type: ignore[misc, valid-type]
        def __call__(self, environ: Any, start_response: Any) -> Any:
            time.sleep(seconds)
            return super().__call__(environ, start_response)

    module.DomainDispatcherApplication = Delayed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--org-accounts", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()

    import boto3
    from moto.moto_server import threaded_moto_server
    from moto.server import ThreadedMotoServer

    if args.latency_ms > 0:
        _add_latency(threaded_moto_server, args.latency_ms / 1000)

    from reportgen.sandbox.company import company
    from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID, seed

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    spec = company(size=args.users, today=TODAY)
    info: dict[str, object] = {"users_per_account": len(spec.users), "latency_ms": args.latency_ms}
    if args.org_accounts:
        orgs = boto3.client(
            "organizations",
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        orgs.create_organization(FeatureSet="ALL")
        accounts = [DEFAULT_ACCOUNT_ID]
        for n in range(args.org_accounts - 1):
            status = orgs.create_account(AccountName=f"member-{n:02d}", Email=f"m{n}@example.jp")
            accounts.append(status["CreateAccountStatus"]["AccountId"])
        for account_id in accounts:
            # S3 bucket names are global: each account's trail needs its own bucket.
            trails = tuple(replace(t, bucket=f"{t.bucket}-{account_id}") for t in spec.trails)
            seed(replace(spec, trails=trails), TODAY, account_id)
        info["accounts"] = len(accounts)
    else:
        seed(spec, TODAY)
        info["accounts"] = 1
    info["seed_seconds"] = round(time.perf_counter() - started, 2)
    info["server_rss_mib"] = round(peak_rss_mib(), 1)
    print(f"READY {endpoint} {json.dumps(info)}", flush=True)
    sys.stdin.read()  # serve until run.py closes the pipe
    server.stop()


if __name__ == "__main__":
    main()
