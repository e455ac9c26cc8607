"""A minimal IAM Access Analyzer for moto (moto 5.2 has none): analyzers per account and region.

Create, get, list and delete analyzers through the real API (in-process under
``mock_aws`` and through a ``ThreadedMotoServer`` in this process), so the
collector's ListAnalyzers per region and a trainee's ``create-analyzer`` work.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

import moto.backend_index as backend_index
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse
from moto.core.utils import utcnow

SERVICE = "accessanalyzer"
_URL_BASE = r"https?://access-analyzer\.(.+)\.amazonaws\.com"


class ResourceNotFound(JsonRESTError):
    code = 404

    def __init__(self, name: str) -> None:
        super().__init__("ResourceNotFoundException", f"Analyzer {name} does not exist")


class Conflict(JsonRESTError):
    code = 409

    def __init__(self, name: str) -> None:
        super().__init__("ConflictException", f"Analyzer {name} already exists")


@dataclass
class Analyzer:
    """One analyzer, shaped like the API's AnalyzerSummary."""

    arn: str
    name: str
    type: str
    created_at: datetime
    status: str = "ACTIVE"
    tags: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "name": self.name,
            "type": self.type,
            "createdAt": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": self.status,
            "tags": self.tags,
        }


class AccessAnalyzerBackend(BaseBackend):
    """The analyzers of one account in one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.analyzers: dict[str, Analyzer] = {}

    @property
    def _url_module(self) -> Any:
        return SimpleNamespace(
            url_bases=[_URL_BASE],
            url_paths={
                "{0}/analyzer$": AccessAnalyzerResponse.dispatch,
                "{0}/analyzer/(?P<analyzerName>[^/]+)$": AccessAnalyzerResponse.dispatch,
            },
        )

    def create_analyzer(
        self,
        name: str,
        analyzer_type: str,
        tags: dict[str, str] | None = None,
        created_at: datetime | None = None,
    ) -> Analyzer:
        if name in self.analyzers:
            raise Conflict(name)
        arn = f"arn:{self.partition}:access-analyzer:{self.region_name}:{self.account_id}"
        analyzer = Analyzer(
            arn=f"{arn}:analyzer/{name}",
            name=name,
            type=analyzer_type,
            created_at=created_at or utcnow(),
            tags=dict(tags or {}),
        )
        self.analyzers[name] = analyzer
        return analyzer

    def get_analyzer(self, name: str) -> Analyzer:
        if name not in self.analyzers:
            raise ResourceNotFound(name)
        return self.analyzers[name]

    def delete_analyzer(self, name: str) -> None:
        self.get_analyzer(name)
        del self.analyzers[name]

    def list_analyzers(self, analyzer_type: str | None) -> list[Analyzer]:
        return [a for a in self.analyzers.values() if analyzer_type in (None, a.type)]


class AccessAnalyzerResponse(BaseResponse):
    """REST-JSON handlers for the four analyzer operations."""

    def __init__(self) -> None:
        super().__init__(service_name=SERVICE)

    @property
    def _backend(self) -> AccessAnalyzerBackend:
        backend: AccessAnalyzerBackend = accessanalyzer_backends[self.current_account][self.region]
        return backend

    def _name_from_path(self) -> str:
        return unquote(str(self.path).rstrip("/").split("/")[-1])

    def create_analyzer(self) -> str:
        body = json.loads(self.body or "{}")
        analyzer = self._backend.create_analyzer(
            body["analyzerName"], body.get("type", "ACCOUNT"), body.get("tags")
        )
        return json.dumps({"arn": analyzer.arn})

    def get_analyzer(self) -> str:
        return json.dumps(
            {"analyzer": self._backend.get_analyzer(self._name_from_path()).summary()}
        )

    def delete_analyzer(self) -> str:
        self._backend.delete_analyzer(self._name_from_path())
        return "{}"

    def list_analyzers(self) -> str:
        analyzers = self._backend.list_analyzers(self._get_param("type"))
        return json.dumps({"analyzers": [a.summary() for a in analyzers]})


accessanalyzer_backends = BackendDict(AccessAnalyzerBackend, SERVICE)


def backend(account_id: str, region: str) -> AccessAnalyzerBackend:
    """The in-process analyzer backend of one account and region."""
    found: AccessAnalyzerBackend = accessanalyzer_backends[account_id][region]
    return found


def install() -> None:
    """Route ``access-analyzer`` requests to this module (idempotent).

    moto finds a service's backend by importing ``moto.<service>``; registering
    this module under that name plus a URL pattern is all its dispatchers need.
    """
    sys.modules.setdefault(f"moto.{SERVICE}", sys.modules[__name__])
    patterns: list[tuple[str, re.Pattern[str]]] = backend_index.backend_url_patterns
    if not any(name == SERVICE for name, _ in patterns):
        patterns.append((SERVICE, re.compile(_URL_BASE)))
