"""The check rules, one small pure function per check; importing this package registers them.

The modules are imported explicitly (no folder walking), one per article section.
"""

from __future__ import annotations

from reportgen.evaluate.rules import (  # noqa: F401  (imported for their @rule registrations)
    access_keys,
    groups,
    least_privilege,
    logging,
    mfa,
    password_policy,
    privilege,
    review,
    roles,
    root,
    unused,
)
from reportgen.evaluate.rules.base import REGISTRY, UNKNOWN_EVIDENCE, Params, Result, Rule, rule

__all__ = ["REGISTRY", "UNKNOWN_EVIDENCE", "Params", "Result", "Rule", "rule"]
