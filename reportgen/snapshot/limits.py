"""Size limits of the inputs, checked before any heavy work (docs/errors.md, "Size limits").

IAM holds at most 5,000 users per account, and at most 5,000 roles and 5,000 customer managed
policies with raised quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
Anything beyond is not one real account: it is refused in one line instead of taking
minutes and gigabytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

MAX_FILE_BYTES = 100 * 1024 * 1024  # a 5,000-user snapshot is about 5 MiB
MAX_REPORT_BYTES = 16 * 1024 * 1024  # a 5,001-row credential report is about 2 MiB
MAX_USERS = 5_000
MAX_REPORT_ROWS = MAX_USERS + 1  # the users and <root_account>
MAX_ENTRIES = {
    "UserDetailList": MAX_USERS,
    "GroupDetailList": 5_000,
    "RoleDetailList": 5_000,
    "Policies": 10_000,  # customer managed (5,000) and the AWS managed ones in use
}


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``limit`` before reading it."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # the reader reports it
    if size > limit:
        raise InputError.keyed(
            "limit_file_size", path=path, size=f"{size / 1048576:.0f}", limit=limit // 1048576
        )


def check_report_rows(name: str, content: str) -> None:
    """Refuse a credential report with more rows than an account can have."""
    if len(content) > MAX_REPORT_BYTES:
        raise InputError.keyed("limit_report_bytes", name=name, limit=MAX_REPORT_BYTES // 1048576)
    # Lines that hold something, less the header: blank lines (a final one, CRLF files) do not
    # count, so 5,000 users and <root_account> pass and one more user does not.
    rows = sum(1 for line in content.splitlines() if line.strip()) - 1
    if rows > MAX_REPORT_ROWS:
        raise InputError.keyed("limit_report_rows", name=name, rows=rows, users=MAX_USERS)


def check_details(name: str, details: Mapping[str, Any]) -> None:
    """Refuse authorization details with more entries than IAM allows in one account."""
    for key, limit in MAX_ENTRIES.items():
        items = details.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise InputError.keyed(
                "limit_entries", name=name, entries=key, count=len(items), limit=limit
            )
