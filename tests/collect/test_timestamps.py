"""The collector's fast timestamp parser reads what botocore reads, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from botocore.utils import parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

from reportgen.collect.aws import fast_timestamp

MOMENTS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
OFFSETS = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(MOMENTS, OFFSETS, st.sampled_from(["isoformat", "Z", "seconds"]))
def test_same_moment_as_botocore(moment: datetime, offset: timezone, style: str) -> None:
    """Every ISO 8601 spelling AWS uses gives the same instant as botocore's parser."""
    local = moment.astimezone(offset)
    if style == "Z":
        text = moment.isoformat().replace("+00:00", "Z")
    elif style == "seconds":
        text = local.replace(microsecond=0).isoformat()
    else:
        text = local.isoformat()
    assert fast_timestamp(text) == parse_timestamp(text)


def test_other_forms_go_to_botocore() -> None:
    """Epoch numbers and zone-less strings are botocore's to read."""
    assert fast_timestamp(1_700_000_000) == parse_timestamp(1_700_000_000)
    assert fast_timestamp("2026-11-28T09:00:00") == parse_timestamp("2026-11-28T09:00:00")
    assert fast_timestamp("Fri, 28 Nov 2026 09:00:00 GMT") == parse_timestamp(
        "Fri, 28 Nov 2026 09:00:00 GMT"
    )
