"""Property tests: any input either loads or raises the project's own error, never a crash."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.errors import CredentialReportError, ReportgenError, SnapshotError
from reportgen.snapshot import credreport
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.redact import redact_document

CORPUS = Path(__file__).parent / "corpus"
VALID = json.loads((CORPUS / "snapshots" / "ok_minimal.json").read_text())
REPORT = (CORPUS / "reports" / "ok_plain.csv").read_text()
HEADER, *ROWS = REPORT.splitlines()

# Deterministic: the same examples on every run and every machine.
FAST = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

CELLS = st.one_of(
    st.sampled_from(
        [
            "true",
            "FALSE",
            "N/A",
            "no_information",
            "not_supported",
            "2026-01-02T03:04:05+00:00",
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05",
            "2026-13-45T99:99:99+00:00",
            "",
            "<root_account>",
            "arn:aws:iam::123456789012:user/x",
            "arn:",
            '"',
            "\x00",
            "\ufeff",
            "\r",
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def reports(draw: st.DrawFn) -> str:
    """Credential-report-like CSV: real or damaged header, rows of plausible and hostile cells."""
    columns = list(credreport.COLUMNS)
    header = draw(
        st.one_of(
            st.just(columns),
            st.permutations(columns),
            st.lists(st.sampled_from([*columns, "extra", ""]), max_size=25),
        )
    )
    rows = draw(
        st.lists(
            st.one_of(
                st.sampled_from(ROWS).map(lambda r: r.split(",")),
                st.lists(CELLS, min_size=len(columns), max_size=len(columns)),
                st.lists(CELLS, max_size=30),
            ),
            max_size=5,
        )
    )
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (
        bom
        + ending.join(",".join(r) for r in [header, *rows])
        + draw(st.sampled_from(["", ending]))
    )


@FAST
@given(st.text(max_size=400))
def test_any_text_parses_or_raises_a_report_error(text: str) -> None:
    """Arbitrary text is a report or a CredentialReportError, nothing else."""
    with contextlib.suppress(CredentialReportError):
        credreport.parse(text)


@FAST
@given(reports())
def test_any_report_like_csv_parses_or_raises_a_report_error(text: str) -> None:
    """Damaged headers, short rows, bad dates and control characters: a clean error or a report."""
    try:
        parsed = credreport.parse(text)
    except CredentialReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(row.arn.startswith("arn:") for row in parsed.rows)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_load_or_raise_a_snapshot_error(data: bytes) -> None:
    """Arbitrary bytes are a snapshot or a SnapshotError."""
    try:
        snapshot.loads(data, "fuzz.json")
    except SnapshotError as exc:
        assert str(exc).startswith("fuzz.json: ")


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["2026-01-01T00:00:00Z", "arn:aws:iam::123456789012:user/x", "ok"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


PATHS = [p for p in _paths(VALID) if p]


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The valid corpus snapshot with one to three places replaced, deleted or extended."""
    document: dict[str, Any] = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            action = draw(st.sampled_from(["replace", "delete", "extend"]))
            if action == "replace":
                parent[last] = draw(JSON_VALUES)
            elif action == "delete":
                del parent[last]
            elif isinstance(parent[last], dict):
                parent[last][draw(st.text(max_size=8))] = draw(JSON_VALUES)
            elif isinstance(parent[last], list):
                parent[last].append(draw(JSON_VALUES))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    return document


@FAST
@given(mutated_documents())
def test_any_mutated_snapshot_loads_or_raises_a_snapshot_error(document: dict[str, Any]) -> None:
    """Wrong types, missing parts and extra fields anywhere: a model or a SnapshotError."""
    data = json.dumps(document).encode()
    try:
        snapshot.loads(data, "mutant.json")
    except SnapshotError as exc:
        assert str(exc).startswith("mutant.json: ") and "\n" not in str(exc)


@settings(FAST, max_examples=60)
@given(mutated_documents())
def test_whatever_loads_also_redacts_into_a_loadable_snapshot(document: dict[str, Any]) -> None:
    """Redaction never turns a loadable snapshot into one that does not load."""
    try:
        snapshot.loads(json.dumps(document).encode())
    except SnapshotError:
        return
    try:
        redacted = redact_document(document, b"k" * 32)
    except ReportgenError:
        return  # a refused redaction is a clean error too
    snapshot.loads(snapshot.dumps(redacted), "redacted.json")


@settings(FAST, max_examples=100)
@given(mutated_documents())
def test_whatever_loads_also_evaluates(document: dict[str, Any]) -> None:
    """The loader lets through only what the checks can handle: evaluation never crashes."""
    from reportgen.evaluate import run as evaluate

    try:
        loaded = snapshot.loads(json.dumps(document).encode())
    except SnapshotError:
        return
    with contextlib.suppress(ReportgenError):
        evaluate.evaluate(loaded)
