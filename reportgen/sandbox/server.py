"""A local moto server (loopback only) for labs and the demo, plus users with keys for it.

The server runs in a thread of this process, so :func:`~reportgen.sandbox.seed.seed`
can write history into it directly; trainees and the collector reach it over HTTP.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from moto.iam.models import iam_backends
from moto.server import ThreadedMotoServer

from reportgen.errors import LabError
from reportgen.sandbox import awspolicies, fidelity
from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID, IAM_REGION

DEFAULT_REGION = "ap-northeast-1"


@dataclass(frozen=True)
class Credentials:
    """An access key made for a trainee or the collector."""

    user: str
    access_key_id: str
    secret_access_key: str


@dataclass(frozen=True)
class SandboxServer:
    """A running sandbox server."""

    host: str
    port: int
    account_id: str = DEFAULT_ACCOUNT_ID

    @property
    def endpoint_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def environment(self, credentials: Credentials, region: str = DEFAULT_REGION) -> dict[str, str]:
        """The variables with which the aws CLI or boto3 reach this server as ``credentials``."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": credentials.access_key_id,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_access_key,
            "AWS_DEFAULT_REGION": region,
        }


def _loopback(host: str) -> str:
    address = "127.0.0.1" if host == "localhost" else host
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LabError.keyed("sandbox_not_loopback", host=host)
    return address


def _ensure_free(address: str, port: int) -> None:
    # ThreadedMotoServer binds in its thread and would wait forever on a taken port.
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError as error:
            raise LabError.keyed(
                "sandbox_cannot_listen", address=address, port=port, error=error
            ) from error


@contextmanager
def sandbox_server(
    port: int = 0, host: str = "127.0.0.1", quiet: bool = True
) -> Iterator[SandboxServer]:
    """Run a moto server on ``host``:``port`` (0: a free port) with the fidelity patches.

    Its state is this process's moto state: do not enter ``mock_aws()`` while it runs
    (that would reset it), and seed it with :func:`~reportgen.sandbox.seed.seed`.
    ``quiet`` keeps werkzeug's per-request log lines off the trainee's terminal.
    """
    address = _loopback(host)
    _ensure_free(address, port)
    fidelity.install()
    requests_log = logging.getLogger("werkzeug")
    level = requests_log.level
    if quiet:
        requests_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address=address, port=port, verbose=False)
    server.start()
    try:
        bound_host, bound_port = server.get_host_and_port()
        yield SandboxServer(bound_host, bound_port)
    finally:
        server.stop()
        requests_log.setLevel(level)


def create_user_with_key(
    name: str,
    policy: Mapping[str, Any] | None = None,
    managed_policies: Sequence[str] = (),
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> Credentials:
    """Create an IAM user with an inline ``policy`` and/or AWS managed policies, and a key.

    Works in-process (``mock_aws``) and for a :func:`sandbox_server` alike. The key's
    first use sets its "last used" date, as on AWS.
    """
    fidelity.install()
    iam = iam_backends[account_id]["aws"]
    if name in iam.users:
        raise LabError(f"user {name} already exists in the sandbox")
    user = iam.create_user(region_name=IAM_REGION, user_name=name)
    if policy is not None:
        iam.put_user_policy(name, f"{name}-policy", json.dumps(policy))
    for reference in managed_policies:
        awspolicies.ensure(iam, reference).attach_to(user)
    key = iam.create_access_key(name)
    return Credentials(name, key.access_key_id, key.secret_access_key)
