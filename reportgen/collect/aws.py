"""The AWS side of collection: client configuration and retry budgets, response timestamps,
error texts and request counting (docs/performance.md).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import boto3
from botocore.client import ClientCreator
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
)
from botocore.loaders import Loader, create_loader
from botocore.utils import parse_timestamp as botocore_parse_timestamp

from reportgen.errors import CollectError

# Error codes that mean "not allowed to read this" (the source is ``denied``, not ``error``).
DENIED = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "403"}
)


# A network cut: the collection of the account stops (no partial snapshot is written).
FATAL_NETWORK = (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError)


class SourceFailed(Exception):
    """A source that ends ``denied`` or ``error`` with ``message`` (recorded, never fatal)."""

    def __init__(self, status: str, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


# Adaptive retries absorb throttling and 5xx (tests/collect/test_faults.py); 8 retries ride
# out bursts when an organization's accounts are collected in parallel.
MAX_RETRIES = 8
# IAM list calls return 100 items a page unless asked; 1,000 is their maximum. For 5,000
# users that is 5 pages of authorization details instead of 50 (docs/performance.md).
IAM_PAGE = {"PageSize": 1000}


# Optional sources (their failure makes their checks UNKNOWN, never the run fail) get a short
# budget instead of MAX_RETRIES adaptive retries: a few attempts, short timeouts, a total cap.
OPTIONAL_ATTEMPTS = 3
OPTIONAL_CAP_SECONDS = 30.0
OPTIONAL_SERVICES = frozenset({"accessanalyzer", "cloudtrail", "account", "ec2", "sso-admin"})


def optional_config() -> Config:
    """The short retry budget of optional sources (standard mode, no client-side throttling)."""
    return Config(
        retries={"mode": "standard", "total_max_attempts": OPTIONAL_ATTEMPTS},
        connect_timeout=5,
        read_timeout=10,
    )


def client_config() -> Config:
    """A fresh botocore Config per client: botocore rewrites the ``retries`` dict it is given."""
    return Config(
        retries={"mode": "adaptive", "max_attempts": MAX_RETRIES},
        connect_timeout=10,
        read_timeout=60,
    )


def fast_timestamp(value: Any) -> datetime:
    """botocore's response timestamps, ISO 8601 read by ``datetime.fromisoformat`` (about 20x
    faster than dateutil, which dominated parsing GetAccountAuthorizationDetails); anything
    else, or an ISO string without a time zone, goes to botocore's own parser."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    found: datetime = botocore_parse_timestamp(value)
    return found


def use_fast_timestamps(session: boto3.Session) -> None:
    """Install :func:`fast_timestamp` in this session's response parsers only."""
    factory = session._session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=fast_timestamp)


@functools.cache
def _service_models() -> Loader:
    return create_loader()


def share_service_models(session: boto3.Session) -> None:
    """Read botocore's service models once per process instead of once per session.

    A fresh session parses the JSON model of every service it makes a client for (about
    0.4 s for a collection's seven services), and `lab check`, the organisation collector and
    the demo make a session per run or per account. The loader's cache only grows by the
    models read; a model is read-only once loaded.
    """
    session._session.register_component("data_loader", _service_models())


# Sessions (by their event emitter) whose client classes are built once per service.
_CLASSES: weakref.WeakKeyDictionary[Any, dict[tuple[str, int], type]] = weakref.WeakKeyDictionary()


def _cached_class(original: Callable[..., type]) -> Callable[..., type]:
    def create_client_class(self: ClientCreator, service_name: str, service_model: Any) -> type:
        classes = _CLASSES.get(self._event_emitter)
        if classes is None:
            return original(self, service_name, service_model)
        key = (service_name, id(service_model._service_description))
        if key not in classes:
            classes[key] = original(self, service_name, service_model)
        return classes[key]

    return create_client_class


def share_client_classes(session: boto3.Session) -> None:
    """Build each service's client class once per session instead of once per client.

    botocore makes a new class, with a method per operation, for every client; EC2 has about
    700 operations (some 60 ms a class), and the regional sources make an EC2 client in every
    enabled region. A class holds no per-client state: clients of one session and service can
    share it (with the shared models, the service description is the same object).
    """
    if not getattr(ClientCreator, "_reportgen_shared", False):
        ClientCreator._create_client_class = _cached_class(ClientCreator._create_client_class)
        ClientCreator._reportgen_shared = True
    _CLASSES.setdefault(session._session.get_component("event_emitter"), {})


def client_error(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    code = error.get("Code", "Error")
    message = str(error.get("Message") or "")
    if message.lstrip().startswith("<"):
        # Some endpoints (moto's JSON services among them) answer with an XML error body.
        found = re.search(r"<Message>(.*?)</Message>", message, re.S)
        message = found.group(1) if found else ""
    message = message.strip().splitlines()[0][:200] if message.strip() else ""
    operation = getattr(exc, "operation_name", "")
    return f"{operation}: {code}: {message}".strip(": ")


def reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def attempt(source: str, step: Callable[[], Any]) -> tuple[str, Any]:
    """Run one source's reads: ``("ok", data)``, or its status (``denied``, ``error``, or what
    a ``SourceFailed`` says) and AWS's text. A network cut stops the account's collection."""
    try:
        return "ok", step()
    except SourceFailed as failed:
        return failed.status, failed.message
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        return ("denied" if code in DENIED else "error"), client_error(exc)
    except FATAL_NETWORK as exc:
        # No partial snapshot is written.
        raise CollectError.keyed("aws_connection_lost", source=source, reason=reason(exc)) from None
    except BotoCoreError as exc:  # ReadTimeoutError included
        return "error", reason(exc)


def request_counter(session: boto3.Session) -> Callable[[], Mapping[str, int]]:
    """Count the HTTP requests a session sends (retries included), keyed ``service.Operation``."""
    counts: dict[str, int] = {}

    def count(event_name: str = "", **_: Any) -> None:
        key = ".".join(event_name.split(".")[1:3])
        counts[key] = counts.get(key, 0) + 1

    session.events.register("before-send", count)
    return lambda: dict(counts)
