"""Shared fixtures for the sandbox tests: a fixed today and a fresh in-process moto."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

TODAY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def aws() -> Iterator[None]:
    """A fresh in-process moto for one test (the top-level conftest sets dummy credentials)."""
    with mock_aws():
        yield


@pytest.fixture
def iam(aws: None) -> Any:
    return boto3.client("iam", region_name="us-east-1")


def report_rows(client: Any) -> dict[str, dict[str, str]]:
    """Generate and fetch the credential report; rows keyed by user name."""
    client.generate_credential_report()
    content = client.get_credential_report()["Content"].decode()
    return {row["user"]: row for row in csv.DictReader(io.StringIO(content))}
