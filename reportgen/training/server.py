"""The lab server: moto on 127.0.0.1 in this process, seeded, with a request log and controls.

moto runs in-process (``ThreadedMotoServer``) because backdated history can only be
written into its backends from the same process (moto-notes §4.2); ``sandbox_server``
is not used because it offers no hook to wrap the WSGI app. The wrapper records who
signed each request (for graded process) and answers ``/_reportgen_lab/`` requests that
carry the lab's token: the request log, and a reset to the starting state.
"""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from moto.iam.models import iam_backends
from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer

from reportgen.errors import LabError
from reportgen.sandbox import awspolicies, fidelity
from reportgen.sandbox.seed import seed
from reportgen.training.grading import RequestRecord
from reportgen.training.labspec import LabSpec

CONTROL_PREFIX = "/_reportgen_lab/"
TOKEN_HEADER = "X-Reportgen-Lab-Token"
_CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/")
_SECRET_PARAM = re.compile(r"password|secret|privatekey", re.IGNORECASE)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Credentials:
    """An access key pair handed out by the lab (never a real AWS credential)."""

    access_key_id: str
    secret_access_key: str


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _action_and_params(environ: dict[str, Any], body: bytes) -> tuple[str | None, dict[str, str]]:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:  # JSON protocol (CloudTrail): "CloudTrail_20131101.StartLogging"
        try:
            decoded = json.loads(body or b"{}")
        except ValueError:
            decoded = {}
        params = (
            {k: v for k, v in decoded.items() if isinstance(v, str)}
            if isinstance(decoded, dict)
            else {}
        )
        return target.rsplit(".", 1)[-1], params
    pairs = dict(parse_qsl(body.decode("utf-8", "replace"))) if body else {}
    pairs.update(parse_qsl(environ.get("QUERY_STRING", "")))
    return pairs.pop("Action", None), pairs


def _ensure_free(port: int) -> None:
    # ThreadedMotoServer binds in its own thread and would wait forever on a taken port.
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise LabError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
                "is another lab running? choose another --port"
            ) from None


class LabServer:
    """One running lab: the moto server, its seed and the request log."""

    def __init__(
        self,
        lab: LabSpec,
        trainee: Credentials,
        token: str,
        clock: Callable[[], datetime],
        port: int = 0,
    ) -> None:
        self.lab = lab
        self.trainee = trainee
        self.token = token
        self.clock = clock
        self.port = port
        self._server: ThreadedMotoServer | None = None
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise LabError("the lab server is not running")
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> str:
        """Bind 127.0.0.1 (never another interface), seed, and return the endpoint URL."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        _ensure_free(self.port)
        fidelity.install()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        server.start()
        self._server = server
        inner = server._server  # werkzeug's server; it looks ``app`` up on every request
        if inner is None:
            raise LabError("the moto server did not start")
        inner.app = self._wrap(inner.app)
        self.reseed()
        return self.endpoint

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def reseed(self) -> None:
        """Wipe every moto backend and write the lab's starting state again."""
        moto_api_backend.reset()
        with self._lock:
            self._log.clear()
        seed(self.lab.account, self.clock(), self.lab.account_id)
        iam = iam_backends[self.lab.account_id]["aws"]
        for name in self.lab.aws_policies:
            awspolicies.ensure(iam, name)
        if self.lab.trainee_user is not None:
            # The trainee's key keeps its id across resets, so their shell keeps working.
            key = iam.create_access_key(self.lab.trainee_user)
            key.access_key_id = self.trainee.access_key_id
            key.secret_access_key = self.trainee.secret_access_key

    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._log)

    def _key_user(self, key_id: str | None) -> str | None:
        if key_id is None:
            return None
        iam = iam_backends[self.lab.account_id]["aws"]
        for user in list(iam.users.values()):
            if any(k.access_key_id == key_id for k in user.access_keys):
                return str(user.name)
        return None

    def _record(self, environ: dict[str, Any]) -> None:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        key_id = match.group(1) if match else None
        action, params = _action_and_params(environ, body)
        safe = {k: v for k, v in params.items() if not _SECRET_PARAM.search(k)}
        with self._lock:
            self._log.append(
                RequestRecord(len(self._log) + 1, key_id, self._key_user(key_id), action, safe)
            )

    def _control(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        if (
            not _is_loopback(environ.get("REMOTE_ADDR", ""))
            or environ.get("HTTP_" + TOKEN_HEADER.upper().replace("-", "_")) != self.token
        ):
            start("403 Forbidden", [("Content-Type", "application/json")])
            return [b'{"error": "forbidden"}']
        command = environ.get("PATH_INFO", "")[len(CONTROL_PREFIX) :]
        method = environ.get("REQUEST_METHOD")
        if command == "requests" and method == "GET":
            payload: Any = [asdict(r) for r in self.requests()]
        elif command == "reset" and method == "POST":
            self.reseed()
            payload = {"reset": True}
        else:
            start("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "unknown command"}']
        start("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(payload).encode("utf-8")]

    def _wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
            if environ.get("PATH_INFO", "").startswith(CONTROL_PREFIX):
                return self._control(environ, start)
            self._record(environ)
            return app(environ, start)

        return middleware
