"""The collector sources a lab's grading reads: ``lab check`` collects only these.

A goal or invariant stated as a check needs the sources its spec declares (the evaluator
makes a check UNKNOWN when one is missing, and an UNKNOWN never meets a goal); one stated
as an assertion needs what its kind reads. Every lab needs the principals and their
credentials, the counts that cross-check them and what the hint ladder compares.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.evaluate.catalogue import Catalogue
from reportgen.snapshot.model import Src
from reportgen.training.labspec import Goal, Invariant, LabSpec

ALWAYS = frozenset(
    {
        Src.CALLER_IDENTITY,
        Src.CREDENTIAL_REPORT,
        Src.AUTHORIZATION_DETAILS,
        # GetAccountSummary's counts tell truncated authorization details (crosscheck.py).
        Src.ACCOUNT_SUMMARY,
        # The account's name in the reasons of account-wide findings.
        Src.ACCOUNT_ALIASES,
        # A user's MFA devices are part of the goal fingerprint (footprint.py).
        Src.VIRTUAL_MFA_DEVICES,
    }
)

# What each assertion kind reads beyond ALWAYS (users, groups, roles, policies and their
# versions, the credential report). A kind missing here makes the lab collect everything
# (tests/lessons/test_needs.py keeps every kind listed).
KIND_SOURCES: Mapping[str, frozenset[Src]] = {
    "user_exists": frozenset(),
    "user_absent": frozenset(),
    "user_in_group": frozenset(),
    "group_has_policy": frozenset(),
    "user_has_policy": frozenset(),
    "user_lacks_policy": frozenset(),
    "no_active_keys": frozenset(),
    "signed_by": frozenset(),  # the lab server's request log
    "old_versions_safe": frozenset(),
    "escalated_by": frozenset(),  # the request log and the account id
    "can_sign_in": frozenset(),
    "trail_logging": frozenset({Src.CLOUDTRAIL}),
    "no_admin_except": frozenset(),
    "can": frozenset(),
    "cannot": frozenset(),
    "group_members": frozenset(),
    "has_active_key": frozenset(),
    "trust_only": frozenset(),
}


def lab_sources(lab: LabSpec, catalogue: Catalogue) -> frozenset[Src] | None:
    """The sources that decide every goal and invariant of ``lab``; ``None``: all of them
    (a check or an assertion kind whose needs are not known)."""
    needed = set(ALWAYS)
    items: tuple[Goal | Invariant, ...] = (*lab.goals, *lab.invariants)
    for item in items:
        if item.check is not None:
            spec = catalogue.checks.get(item.check.check_id)
            if spec is None:
                return None
            needed.update(Src(name) for name in spec.sources)
        if item.assertion is not None:
            extra = KIND_SOURCES.get(item.assertion.kind)
            if extra is None:
                return None
            needed.update(extra)
    return frozenset(needed)
