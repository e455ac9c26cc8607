"""Evaluate a snapshot: run the profile's checks, apply exceptions, score. Pure and repeatable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from reportgen import __version__
from reportgen.errors import InputError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.checkspec import CheckSpec
from reportgen.evaluate.exceptions import ExceptionEntry, apply_exceptions
from reportgen.evaluate.findings import Assessment, Finding, Section, Status
from reportgen.evaluate.profiles import Profile, default_profile
from reportgen.evaluate.responses import ResponseEntry, apply_responses
from reportgen.evaluate.review import Review
from reportgen.evaluate.rules import REGISTRY
from reportgen.evaluate.rules.base import NO_INPUTS, Inputs, Result
from reportgen.evaluate.rules.helpers import unknown
from reportgen.evaluate.scoring import score, section_scores
from reportgen.snapshot.model import Snapshot, Src

REVIEW_CHECK = "review_decisions_carried_out"
RULE_STATUSES = frozenset({Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE})


def evaluate(
    snapshot: Snapshot,
    profile: Profile | None = None,
    exceptions: Sequence[ExceptionEntry] | None = None,
    as_of: datetime | None = None,
    catalogue: Catalogue | None = None,
    tool_version: str = __version__,
    review: Review | None = None,
    responses: Sequence[ResponseEntry] = (),
) -> Assessment:
    """All findings and scores of ``snapshot`` under ``profile`` (default: the article's
    baseline) at ``as_of`` (default: when the snapshot was collected).

    With an access ``review``, its follow-up check runs even if the profile omits it;
    ``responses`` attach owners, due dates and responses to the FAIL findings they match."""
    catalogue = catalogue or load_catalogue()
    profile = profile or default_profile(catalogue)
    when = as_of or snapshot.collected_at
    if when.tzinfo is None:
        raise InputError("as_of must carry a time zone (UTC)")
    if when < snapshot.collected_at:
        # Ages would run backwards and pass: evidence cannot be assessed before it existed.
        raise InputError.keyed(
            "as_of_before_collection",
            as_of=when.isoformat(),
            collected=snapshot.collected_at.isoformat(),
        )
    check_ids = profile.checks
    if review is not None and REVIEW_CHECK not in check_ids:
        check_ids = (*check_ids, REVIEW_CHECK)
    inputs = Inputs(review=review)
    findings: list[Finding] = []
    for check_id in check_ids:
        spec = catalogue[check_id]
        findings.extend(run_check(spec, snapshot, profile, when, inputs))
    order = list(Section)
    findings.sort(key=lambda f: (order.index(f.section), f.check_id, f.resource_id))
    limited = [replace(e, max_days=profile.exception_max_days) for e in exceptions or ()]
    final, reports = apply_exceptions(findings, limited, when)
    final = apply_responses(final, responses)
    return Assessment(
        account_id=snapshot.account.id,
        account_aliases=snapshot.account.aliases,
        partition=snapshot.account.partition,
        collected_at=snapshot.collected_at,
        as_of=when,
        snapshot_sha256=snapshot.sha256,
        tool_version=tool_version,
        catalogue_version=catalogue.version,
        profile=profile.id,
        check_ids=check_ids,
        findings=final,
        overall=score(final),
        sections=section_scores(final),
        exceptions=reports,
        profile_title=profile.title,
        params={c: dict(profile.params(catalogue[c])) for c in check_ids},
        review_used=review is not None,
        responses_used=bool(responses),
    )


def run_check(
    spec: CheckSpec,
    snapshot: Snapshot,
    profile: Profile,
    as_of: datetime,
    inputs: Inputs = NO_INPUTS,
) -> list[Finding]:
    """One check's findings. If a source it reads is not ``ok``, the rule is not called: the
    check yields one UNKNOWN for the account naming that source."""
    blocked = [snapshot.source(name) for name in spec.sources if not snapshot.source(name).ok]
    if blocked:
        source = blocked[0]
        evidence = {
            "source": source.name,
            "source_status": source.status.value,
            "source_message": source.message,
            "reason": f"source_{source.status.value}",
            "sources": ", ".join(s.name for s in blocked),
        }
        account = snapshot.account
        return [
            Finding(
                spec.id,
                spec.section,
                spec.severity,
                Status.UNKNOWN,
                "account",
                account.id,
                account.display_name,
                evidence,
            )
        ]
    results = REGISTRY[spec.id](snapshot, profile.params(spec), as_of, inputs)
    # The net below is about principals; a check about EC2 instances judges none of them.
    if (
        Src.AUTHORIZATION_DETAILS in spec.sources
        and snapshot.principal_gaps
        and spec.resource_type != "instance"
    ):
        results = gaps_unknown(results, snapshot, spec.resource_type)
    findings = []
    for result in results:
        if result.status not in RULE_STATUSES:
            raise ValueError(f"rule {spec.id} returned {result.status}")
        findings.append(
            Finding(
                check_id=spec.id,
                section=spec.section,
                severity=spec.severity,
                status=result.status,
                resource_type=result.resource_type or spec.resource_type,
                resource_id=result.resource_id,
                resource_name=result.resource_name,
                evidence=dict(result.evidence),
            )
        )
    return findings


def gaps_unknown(results: list[Result], snapshot: Snapshot, resource_type: str) -> list[Result]:
    """A net under every rule reading the authorization details: a PASS about a principal
    whose data is incomplete becomes UNKNOWN, and a principal the rule did not judge at all
    gets an UNKNOWN of its own, so that a gap can never read as a clean result."""
    gaps = snapshot.principal_gaps
    judged = {r.resource_id for r in results}
    out = [
        unknown(
            r.resource_id,
            r.resource_name,
            gaps[r.resource_id],
            Src.AUTHORIZATION_DETAILS,
            r.resource_type,
            r.evidence,
        )
        if r.status is Status.PASS and r.resource_id in gaps
        else r
        for r in results
    ]
    for arn, reason in sorted(gaps.items()):
        kind = arn.split(":", 5)[-1].split("/", 1)[0]
        wanted = resource_type not in ("user", "group", "role") or kind == resource_type
        if arn not in judged and wanted:
            name = arn.rsplit("/", 1)[-1]
            out.append(unknown(arn, name, reason, Src.AUTHORIZATION_DETAILS, kind))
    return out
