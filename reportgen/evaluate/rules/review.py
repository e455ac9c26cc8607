"""The follow-up of the access review: a principal the reviewers decided to remove is gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from reportgen.evaluate.findings import Status
from reportgen.evaluate.review import Decision
from reportgen.evaluate.rules.base import Inputs, Params, Result, input_rule
from reportgen.evaluate.rules.helpers import Ev, unknown
from reportgen.snapshot.model import Snapshot, Src

EVIDENCE = ("principal", "reviewer", "reviewed_on", "ticket", "review_snapshot", "reason")


@input_rule("review_decisions_carried_out", evidence=EVIDENCE)
def review_decisions_carried_out(
    snapshot: Snapshot, params: Params, as_of: datetime, inputs: Inputs
) -> Iterator[Result]:
    """Each principal marked 削除 (remove) in the review: FAIL while it still exists.

    Without a review, or a review that removes nobody, the check does not apply; a review of
    another account or of a later snapshot cannot be followed up (UNKNOWN).
    """
    account = snapshot.account
    review = inputs.review
    blank: Ev = {k: None for k in EVIDENCE}
    if review is None:
        yield _account(
            snapshot, {**blank, "principal": account.display_name, "reason": "no_review"}
        )
        return
    blank["review_snapshot"] = review.snapshot_sha256[:12]
    if review.account_id != account.id or review.collected_at > snapshot.collected_at:
        code = "review_other_account" if review.account_id != account.id else "review_is_later"
        yield unknown(
            account.id, account.display_name, code, Src.AUTHORIZATION_DETAILS, "account", blank
        )
        return
    removals = [d for d in review.decisions if d.decision is Decision.REMOVE]
    if not removals:
        yield _account(
            snapshot, {**blank, "principal": account.display_name, "reason": "no_removals"}
        )
        return
    existing = {u.arn for u in snapshot.users} | {r.arn for r in snapshot.roles}
    for decision in removals:
        evidence: Ev = {
            **blank,
            "principal": decision.name,
            "reviewer": decision.reviewer,
            "reviewed_on": decision.reviewed_on.isoformat(),
            "ticket": decision.ticket,
        }
        status = Status.FAIL if decision.arn in existing else Status.PASS
        yield Result(status, decision.arn, decision.name, evidence, resource_type=decision.kind)


def _account(snapshot: Snapshot, evidence: Ev) -> Result:
    account = snapshot.account
    return Result(
        Status.NOT_APPLICABLE, account.id, account.display_name, evidence, resource_type="account"
    )
