"""Cross-checks between a snapshot's sources: the data's presence and shape decide, not the flag.

A source that says ``ok`` without its data, or data of another account, makes the snapshot
invalid. Data that is merely partial (a truncated page, a region not read, counts that
disagree, a user one source knows and the other does not) turns the source ``incomplete`` or
marks the principals concerned, so that the checks reading them say UNKNOWN with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reportgen.errors import SnapshotError
from reportgen.snapshot.model import (
    CredentialReport,
    Group,
    ManagedPolicy,
    Role,
    Source,
    SourceStatus,
    Src,
    User,
)

# Sources whose ``ok`` promises a ``data`` entry (the collector always writes one; ``null`` is
# only meaningful for the password policy: "no policy set").
DATA_SOURCES = frozenset(Src) - {Src.CALLER_IDENTITY}

# GetAccountSummary keys compared with the authorization details (customer-managed policies
# only: the summary's ``Policies`` does not count AWS managed ones).
SUMMARY_COUNTS = (
    ("Users", "UserDetailList"),
    ("Groups", "GroupDetailList"),
    ("Roles", "RoleDetailList"),
)


def require_data(sources: Mapping[str, Source], data: Mapping[str, Any], name: str) -> None:
    """Refuse a snapshot whose source says ``ok`` but whose data is missing."""
    for source in sorted(DATA_SOURCES):
        found = sources.get(source.value)
        if found is not None and found.ok and source.value not in data:
            raise SnapshotError(
                f"{name}: invalid: sources/{source.value} says ok but data/{source.value} "
                "is missing (a snapshot must carry the data it claims)"
            )


def arn_account(arn: str) -> tuple[str, str] | None:
    """(partition, account id) of an IAM ARN; ``None`` when it is not an ARN with an account."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    return parts[1], parts[4]


def foreign(arn: str, partition: str, account_id: str) -> bool:
    """True when ``arn`` names another account or partition (AWS managed policies excepted)."""
    found = arn_account(arn)
    if found is None:
        return True
    if found[1] == "aws" and ":policy/" in arn:  # arn:aws:iam::aws:policy/…
        return found[0] != partition
    return found != (partition, account_id)


def check_accounts(
    name: str,
    partition: str,
    account_id: str,
    report: CredentialReport | None,
    principals: Iterable[tuple[str, str]],
    caller: Mapping[str, Any] | None,
) -> None:
    """Refuse data of another account: report rows (by line), principals (by place), caller."""
    rows = ([report.root] if report and report.root else []) + list(report.rows if report else ())
    for row in sorted(rows, key=lambda r: r.line):
        if foreign(row.arn, partition, account_id):
            raise SnapshotError(
                f"{name}: credential report line {row.line}: {row.arn} is not an ARN of "
                f"account {account_id} ({partition})"
            )
    for where, arn in principals:
        if foreign(arn, partition, account_id):
            raise SnapshotError(
                f"{name}: invalid at {where}: {arn} is not an ARN of account {account_id}"
            )
    if caller and str(caller.get("Account", account_id)) != account_id:
        raise SnapshotError(
            f"{name}: invalid: the caller identity is of account {caller.get('Account')}, "
            f"the snapshot of {account_id}"
        )


_NAME_KEYS = {
    "UserDetailList": "UserName",
    "GroupDetailList": "GroupName",
    "RoleDetailList": "RoleName",
    "Policies": "PolicyName",
}


def check_unique(name: str, details: Mapping[str, Any] | None, place: str) -> None:
    """Refuse authorization details that list one user, group, role or managed policy twice.

    IAM names are unique per account, and an ARN names one thing: a second entry can only be
    a crafted or mangled file, and whichever copy won would decide the verdict (a harmless
    copy hiding an administrator one).
    """
    for listed, key in _NAME_KEYS.items():
        seen: dict[str, int] = {}
        for index, entry in enumerate((details or {}).get(listed) or []):
            if not isinstance(entry, Mapping):
                continue
            ids = [f"Arn {entry.get('Arn')}"]
            if listed != "Policies":  # managed policy names repeat across paths and owners
                ids.append(f"{key} {entry.get(key)}")
            for ident in ids:
                if ident in seen:
                    raise SnapshotError(
                        f"{name}: invalid at {place}/{listed}/{index}: {ident} is listed twice "
                        f"(also at {place}/{listed}/{seen[ident]})"
                    )
                seen[ident] = index


def details_gap(details: Mapping[str, Any], summary: Mapping[str, int] | None) -> str | None:
    """Why the authorization details are partial (a truncated page, counts below the
    account summary's), or ``None`` when nothing says so."""
    if details.get("IsTruncated") is True or details.get("Marker"):
        return "IsTruncated: true (a page of get-account-authorization-details is missing)"
    if not summary:
        return None
    short = []
    for key, listed in SUMMARY_COUNTS:
        expected = summary.get(key)
        found = len(details.get(listed) or [])
        if isinstance(expected, int) and found < expected:
            short.append(f"{listed} {found} < GetAccountSummary {key} {expected}")
    customer = [
        p for p in details.get("Policies") or [] if ":iam::aws:policy/" not in str(p.get("Arn"))
    ]
    expected = summary.get("Policies")
    if isinstance(expected, int) and len(customer) < expected:
        short.append(f"customer managed policies {len(customer)} < GetAccountSummary {expected}")
    return "; ".join(short) or None


def analyzer_gap(section: Mapping[str, Any]) -> str | None:
    """Why Access Analyzer data does not stand for the whole account, or ``None``.

    The collector lists the account's enabled regions in ``enabled_regions`` and reads each;
    without that list, one region read cannot stand for all (docs/snapshot.md).
    """
    read = sorted((section.get("regions") or {}).keys())
    enabled = section.get("enabled_regions")
    if not isinstance(enabled, list) or not enabled:
        why = section.get("enabled_regions_error")
        cause = f" (ec2:DescribeRegions: {why})" if why else ""
        return (
            f"the enabled regions were not listed{cause}; regions read: {', '.join(read) or 'none'}"
        )
    missing = sorted(set(map(str, enabled)) - set(read))
    if missing:
        return f"enabled regions not read: {', '.join(missing)}"
    return None


def incomplete(source: Source, message: str) -> Source:
    """``source`` marked incomplete (only an ``ok`` source can be)."""
    return Source(source.name, SourceStatus.INCOMPLETE, message) if source.ok else source


def principal_gaps(
    details_read: bool,
    users: Iterable[User],
    detail_user_arns: frozenset[str],
    groups: Iterable[Group],
    roles: Iterable[Role],
    policies: Iterable[ManagedPolicy],
) -> dict[str, str]:
    """Principals whose data is incomplete, with a reason code (``locale/*/reasons.po``).

    Only meaningful when the authorization details were read: a user the credential report
    lists but the details do not has unknown groups and policies, not empty ones. A group
    naming a managed policy the details do not hold leaves its members' permissions unknown.
    """
    if not details_read:
        return {}
    gaps: dict[str, str] = {}
    group_list = list(groups)
    known_groups = {g.name: g for g in group_list}
    known_policies = {p.arn for p in policies}
    principals: list[Group | Role] = [*group_list, *roles]
    for principal in principals:
        if any(p.arn not in known_policies for p in principal.attached_policies):
            gaps[principal.arn] = "policy_not_in_details"
    for user in users:
        member_of = [known_groups.get(g) for g in user.groups]
        if user.arn not in detail_user_arns:
            gaps[user.arn] = "user_not_in_details"
        elif any(g is None for g in member_of):
            gaps[user.arn] = "group_not_in_details"
        elif any(p.arn not in known_policies for p in user.attached_policies) or any(
            g is not None and g.arn in gaps for g in member_of
        ):
            gaps[user.arn] = "policy_not_in_details"
    return gaps
