"""The check rules, one small pure function per check; importing this package registers them.

The modules are imported explicitly (no folder walking), one per article section.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from reportgen.evaluate.rules import (  # noqa: F401  (imported for their @rule registrations)
    access_keys,
    groups,
    least_privilege,
    logging,
    mfa,
    password_policy,
    review,
    root,
    unused,
)
from reportgen.evaluate.rules.base import REGISTRY, UNKNOWN_EVIDENCE, Params, Result, Rule, rule

__all__ = ["REGISTRY", "UNKNOWN_EVIDENCE", "Params", "Result", "Rule", "reason_texts", "rule"]


@lru_cache(maxsize=1)
def reason_texts() -> Mapping[str, Mapping[str, str]]:
    """Texts (ja/en) for the ``reason`` codes of UNKNOWN findings, from ``reasons.yaml``."""
    path = Path(__file__).with_name("reasons.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(code): dict(texts) for code, texts in data.items()}
