"""The sandbox server: loopback only, fidelity installed, reachable with boto3 over HTTP."""

from __future__ import annotations

import socket
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reportgen.errors import LabError
from reportgen.sandbox.company import build_company
from reportgen.sandbox.seed import seed
from reportgen.sandbox.server import create_user_with_key, sandbox_server
from tests.sandbox.conftest import TODAY, report_rows


@pytest.fixture(autouse=True)
def empty_moto() -> None:
    """The server serves this process's moto state, which an earlier test in the same worker
    may have left filled (``demo --organization`` runs the same emulator): start empty."""
    with mock_aws():
        pass  # entering and leaving mock_aws resets every moto backend


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_non_loopback_addresses_are_refused(host: str) -> None:
    """The server never listens beyond this machine."""
    with pytest.raises(LabError, match="loopback"), sandbox_server(host=host):
        pass


def test_a_taken_port_is_an_error_not_a_hang() -> None:
    """Asking for a port that is in use fails at once with a LabError."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(LabError, match="cannot listen"), sandbox_server(port=port):
            pass


@pytest.mark.slow
def test_seeded_company_over_http() -> None:
    """A trainee's key reads the seeded company over HTTP: report, trails, analyzers, identity."""
    built = build_company(10, 7, TODAY)
    with sandbox_server() as server:
        assert server.endpoint_url.startswith("http://127.0.0.1:")
        seed(built.spec, TODAY)
        trainee = create_user_with_key("trainee", managed_policies=["ReadOnlyAccess"])
        env = server.environment(trainee)
        session = boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_DEFAULT_REGION"],
        )

        def client(name: str) -> Any:
            return session.client(name, endpoint_url=env["AWS_ENDPOINT_URL"])

        rows = report_rows(client("iam"))
        assert rows["<root_account>"]["access_key_1_active"] == "true"
        assert rows["sato.kenji"]["mfa_active"] == "false"
        assert "trainee" in rows
        identity = client("sts").get_caller_identity()["Arn"]
        assert identity == "arn:aws:iam::123456789012:user/trainee"
        assert [a["name"] for a in client("accessanalyzer").list_analyzers()["analyzers"]] == [
            "account-analyzer"
        ]
        names = {t["Name"] for t in client("cloudtrail").describe_trails()["trailList"]}
        assert names == {"tokyo-trail", "audit-trail"}
