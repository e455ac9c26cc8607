"""Rules for logging: CloudTrail everywhere, log file validation, a fresh credential report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from reportgen.evaluate.findings import Status
from reportgen.evaluate.rules.base import Params, Result, rule
from reportgen.evaluate.rules.helpers import SKEW, Ev, unknown
from reportgen.snapshot.model import Snapshot, Src


@rule("cloudtrail_multi_region_logging", evidence=("trail", "count", "trails"))
def cloudtrail_multi_region_logging(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """A multi-region trail is logging and records read and write management events.

    When no trail passes but one could (its status or selectors were unreadable): UNKNOWN.
    """
    account = snapshot.account
    trails = sorted(snapshot.trails, key=lambda t: t.arn)
    evidence: Ev = {"count": len(trails), "trails": ", ".join(t.name for t in trails) or None}
    candidates = [
        t
        for t in trails
        if t.is_multi_region and t.is_logging is not False and t.management_events_all is not False
    ]
    good = [t for t in candidates if t.is_logging and t.management_events_all]
    if good:
        yield Result(
            Status.PASS, account.id, account.display_name, {**evidence, "trail": good[0].name}
        )
    elif candidates:
        yield unknown(
            account.id,
            account.display_name,
            "trail_status_unreadable",
            Src.CLOUDTRAIL,
            evidence={**evidence, "trail": candidates[0].name},
        )
    else:
        yield Result(Status.FAIL, account.id, account.display_name, {**evidence, "trail": None})


@rule("cloudtrail_log_validation", evidence=("trail", "arn", "region"))
def cloudtrail_log_validation(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """Each trail has log file integrity validation turned on; no trail at all is one FAIL for
    the account (a missing control fails every check that needs it)."""
    if not snapshot.trails:
        account = snapshot.account
        evidence_a: Ev = {"trail": None, "arn": None, "region": None, "reason": "no_trail"}
        yield Result(Status.FAIL, account.id, account.display_name, evidence_a, "account")
    for trail in sorted(snapshot.trails, key=lambda t: t.arn):
        evidence_t: Ev = {"trail": trail.name, "arn": trail.arn, "region": trail.home_region}
        status = Status.PASS if trail.log_file_validation else Status.FAIL
        yield Result(status, trail.arn, trail.name, evidence_t)


@rule(
    "credential_report_fresh",
    params=("max_age_hours",),
    evidence=("generated", "hours", "threshold"),
)
def credential_report_fresh(
    snapshot: Snapshot, params: Params, as_of: datetime
) -> Iterator[Result]:
    """The credential report was generated at most ``max_age_hours`` before collection (the
    snapshot's time, not as_of: freshness is a property of the evidence)."""
    limit: int = params["max_age_hours"]
    account = snapshot.account
    report = snapshot.credential_report
    generated = report.generated_time if report else None
    if generated is None:
        yield unknown(
            account.id,
            account.display_name,
            "report_time_missing",
            evidence={"generated": None, "hours": None, "threshold": limit},
        )
        return
    hours = round((snapshot.collected_at - generated) / timedelta(hours=1), 1)
    evidence_g: Ev = {"generated": generated.isoformat(), "hours": hours, "threshold": limit}
    if generated > snapshot.collected_at + SKEW:
        yield unknown(account.id, account.display_name, "date_in_future", evidence=evidence_g)
        return
    status = Status.FAIL if hours > limit else Status.PASS
    yield Result(status, account.id, account.display_name, evidence_g)
