"""What the lab server and the commands that talk to it share: the control path, the token
header and the lab's key pairs.

Kept apart from ``server`` so that ``lab check``, ``reset`` and ``report`` do not import moto
(about 1.3 s of CPU on every run; docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTROL_PREFIX = "/_reportgen_lab/"
TOKEN_HEADER = "X-Reportgen-Lab-Token"


@dataclass(frozen=True)
class Credentials:
    """An access key pair handed out by the lab (never a real AWS credential)."""

    access_key_id: str
    secret_access_key: str
