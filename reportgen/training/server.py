"""The lab server: moto on 127.0.0.1 in this process, seeded, with a request log and controls.

moto runs in-process (``ThreadedMotoServer``) because backdated history can only be
written into its backends from the same process (moto-notes §4.2); ``sandbox_server``
is not used because it offers no hook to wrap the WSGI app. The wrapper records who
signed each request (for graded process) and answers ``/_reportgen_lab/`` requests that
carry the lab's token: the request log, and a reset to the starting state.

A web page the trainee opens must not reach the lab: requests from another ``Origin`` or to
another ``Host`` are refused, moto's CORS headers are dropped, and moto's own admin API
(``/moto-api/``: dashboard, data dump, reset) needs the lab's token like the controls.
Requests signed with an inactive or deleted key are refused as AWS refuses them.
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
from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from moto.iam.models import iam_backends
from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer

from reportgen.errors import LabError
from reportgen.sandbox import awspolicies, fidelity, iamrules
from reportgen.sandbox.seed import seed
from reportgen.training.control import CONTROL_PREFIX, TOKEN_HEADER, Credentials
from reportgen.training.grading import RequestRecord
from reportgen.training.labspec import LabSpec

MOTO_ADMIN_PREFIX = "/moto-api"
_CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/")
_SECRET_PARAM = re.compile(r"password|secret|privatekey", re.IGNORECASE)
_TOKEN_ENVIRON = "HTTP_" + TOKEN_HEADER.upper().replace("-", "_")
_INVALID_KEY_XML = (
    b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender'
    b"</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the "
    b"request is invalid.</Message></Error><RequestId>reportgen-lab</RequestId></ErrorResponse>"
)
_INVALID_KEY_JSON = (
    b'{"__type": "UnrecognizedClientException", '
    b'"message": "The security token included in the request is invalid."}'
)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _host_is_loopback(host_header: str) -> bool:
    host = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    host = host.strip("[]")
    return host == "localhost" or _is_loopback(host)


def _without_cors(start: StartResponse) -> StartResponse:
    """Drop moto's ``Access-Control-*`` headers: no other origin may read lab answers."""

    def wrapped(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
        kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        return start(status, kept, *rest)

    return wrapped


def _refuse(start: StartResponse, status: str, body: bytes, kind: str = "json") -> list[bytes]:
    ctype = "text/xml" if kind == "xml" else "application/json"
    start(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
    return [body]


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
            raise LabError.keyed("lab_port_taken", port=port, error=exc) from None


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
            # The trainee's key keeps its id across resets, so their shell keeps working;
            # it is registered under that id so moto records its last use.
            key = iam.create_access_key(self.lab.trainee_user)
            iam.access_keys.pop(key.access_key_id, None)
            key.access_key_id = self.trainee.access_key_id
            key.secret_access_key = self.trainee.secret_access_key
            iam.access_keys[key.access_key_id] = key

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

    def _record(self, environ: dict[str, Any]) -> str | None:
        """Log the request; the signing key's id (``None`` for an unsigned request)."""
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
        return key_id

    def _foreign(self, environ: dict[str, Any]) -> bool:
        """A request from a web page of another origin, or through a name that is not ours."""
        if not _host_is_loopback(environ.get("HTTP_HOST", "")):
            return True  # DNS rebinding: a hostile name that resolves to 127.0.0.1
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return False
        own = {f"http://{environ.get('HTTP_HOST', '')}"}
        return origin not in own

    def _control(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        if not self._authorised(environ):
            return _refuse(start, "403 Forbidden", b'{"error": "forbidden"}')
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

    def _authorised(self, environ: dict[str, Any]) -> bool:
        return (
            _is_loopback(environ.get("REMOTE_ADDR", ""))
            and environ.get(_TOKEN_ENVIRON) == self.token
        )

    def _wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            if self._foreign(environ):
                return _refuse(start, "403 Forbidden", b'{"error": "foreign origin"}')
            if path.startswith(CONTROL_PREFIX):
                return self._control(environ, start)
            if path.startswith(MOTO_ADMIN_PREFIX) and not self._authorised(environ):
                return _refuse(start, "403 Forbidden", b'{"error": "forbidden"}')
            key_id = self._record(environ)
            if iamrules.refused_key(self.lab.account_id, key_id):
                if environ.get("HTTP_X_AMZ_TARGET"):
                    return _refuse(start, "400 Bad Request", _INVALID_KEY_JSON)
                return _refuse(start, "403 Forbidden", _INVALID_KEY_XML, "xml")
            return app(environ, _without_cors(start))

        return middleware
