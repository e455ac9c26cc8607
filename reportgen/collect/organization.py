"""Collect every account of an AWS Organization: assume a role in each, one snapshot per account.

The management session lists the ACTIVE accounts and assumes ``role/<name>`` in each; a
bounded thread pool runs the ordinary collector per account and saves each snapshot at
once, so at most ``max_workers`` documents are ever in memory. A failing account is
recorded in ``manifest.json`` and never stops the others (DESIGN.md §1).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from reportgen import __version__
from reportgen.atomic import write_atomic
from reportgen.collect import account_settings, scp
from reportgen.collect.account import DEFAULT_REGION, CollectOptions, collect
from reportgen.collect.aws import DENIED, SourceFailed, client_config, client_error
from reportgen.errors import (
    CollectError,
    OutputExistsError,
    ReportgenError,
)
from reportgen.isotime import utc_text
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.manifest import MANIFEST, MANIFEST_SCHEMA
from reportgen.snapshot.model import Src

_NOT_IN_USE = "AWSOrganizationsNotInUseException"


class AccountStatus(enum.Enum):
    """How the collection of one member account ended."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class Member:
    """An ACTIVE account of the organization, as ListAccounts returned it."""

    id: str
    name: str


@dataclass(frozen=True)
class AccountOutcome:
    """One line of the manifest: the snapshot written for an account, or why there is none."""

    id: str
    name: str
    status: AccountStatus
    error: str | None = None
    snapshot: str | None = None
    sha256: str | None = None
    incomplete_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgOptions:
    """What to collect from the organization and where to write it.

    ``accounts`` limits the run to these ids (default: every ACTIVE account); ``exclude``
    drops ids. ``collect`` carries the endpoint, region, clock and timeouts for every
    account. ``started`` receives the number of accounts about to be collected and
    ``finished`` each outcome as it arrives (for a progress bar); both run in the caller's
    thread.
    """

    role_name: str
    output_dir: Path
    accounts: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_workers: int = 4
    overwrite: bool = False
    role_session_name: str = "reportgen-collector"
    collect: CollectOptions = field(default_factory=CollectOptions)
    started: Callable[[int], None] = field(default=lambda _total: None)
    finished: Callable[[AccountOutcome], None] = field(default=lambda _outcome: None)


@dataclass(frozen=True)
class OrgResult:
    """The organization run: every account's outcome (by account id) and the manifest path."""

    organization_id: str
    management_account_id: str
    partition: str
    collected_at: datetime
    accounts: tuple[AccountOutcome, ...]
    manifest: Path

    @property
    def failed(self) -> tuple[AccountOutcome, ...]:
        return tuple(a for a in self.accounts if a.status is AccountStatus.FAILED)


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    """``arn:<partition>:iam::<account>:role/<name>`` (a path may be part of ``role_name``)."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name.strip('/')}"


def collect_organization(session: boto3.Session, options: OrgOptions) -> OrgResult:
    """Collect the organization's accounts into ``options.output_dir`` and write the manifest.

    Raises :class:`CollectError` when the organization itself cannot be read and
    :class:`OutputExistsError` when a manifest is already there (without ``overwrite``);
    a failing member account is only recorded: check :attr:`OrgResult.failed`.
    """
    if options.max_workers < 1:
        raise CollectError.keyed("org_max_workers")
    manifest = Path(options.output_dir) / MANIFEST
    if manifest.exists() and not options.overwrite:
        raise OutputExistsError.keyed("output_exists", path=manifest)
    collected_at = options.collect.clock().astimezone(UTC)
    region = options.collect.region or session.region_name or DEFAULT_REGION
    org_client = _client(session, "organizations", region, options.collect)
    organization = _describe_organization(org_client)
    partition = organization["Arn"].split(":")[1]
    members = _list_members(org_client)
    chosen, outcomes = _select(members, options, organization["Id"])
    options.started(len(chosen))
    sts = _client(session, "sts", region, options.collect)
    features = _root_features(session, sts, region, options.collect, organization)
    # Each snapshot's collected_at is when its own account started; the manifest's is the run's.
    account_options = replace(
        options.collect, region=region, progress=lambda _s: None, organization_features=features
    )
    # Each member's SCP chain is read in its worker with the organization's client, sharing
    # the run's answers (root, OUs, policies) with the other members (collect/scp.py).
    wanted = options.collect.sources
    chains = (
        scp.ChainReader(org_client, organization)
        if wanted is None or Src.SERVICE_CONTROL_POLICIES in wanted
        else None
    )
    collector = _MemberCollector(sts, partition, region, options, account_options, chains)
    for outcome in outcomes:
        options.finished(outcome)
    pool = ThreadPoolExecutor(max_workers=options.max_workers, thread_name_prefix="org")
    try:
        futures = [pool.submit(collector.run, member) for member in chosen]
        for future in as_completed(futures):
            outcome = future.result()
            options.finished(outcome)
            outcomes.append(outcome)
    finally:
        # On Ctrl-C, accounts not yet started are dropped; running ones finish their file.
        pool.shutdown(wait=True, cancel_futures=True)
    result = OrgResult(
        organization_id=organization["Id"],
        management_account_id=organization.get("MasterAccountId", ""),
        partition=partition,
        collected_at=collected_at,
        accounts=tuple(sorted(outcomes, key=lambda o: o.id)),
        manifest=manifest,
    )
    write_atomic(manifest, manifest_bytes(result, options.role_name), overwrite=True)
    return result


def manifest_bytes(result: OrgResult, role_name: str) -> bytes:
    """The manifest as written: UTF-8 JSON, accounts sorted by id."""
    document = {
        "schema": MANIFEST_SCHEMA,
        "collected_at": utc_text(result.collected_at),
        "collector": {"tool": "reportgen", "version": __version__},
        "organization": {
            "id": result.organization_id,
            "management_account_id": result.management_account_id,
            "partition": result.partition,
        },
        "role_name": role_name,
        "summary": {
            "accounts": len(result.accounts),
            "ok": len(result.accounts) - len(result.failed),
            "failed": len(result.failed),
        },
        "accounts": [_manifest_entry(outcome) for outcome in result.accounts],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _manifest_entry(outcome: AccountOutcome) -> dict[str, Any]:
    return {
        "id": outcome.id,
        "name": outcome.name,
        "status": outcome.status.value,
        "error": outcome.error,
        "snapshot": outcome.snapshot,
        "sha256": outcome.sha256,
        "incomplete_sources": list(outcome.incomplete_sources),
    }


class _MemberCollector:
    """Assume the role in one account, collect it and save its snapshot (runs in a worker)."""

    def __init__(
        self,
        sts: Any,
        partition: str,
        region: str,
        options: OrgOptions,
        account_options: CollectOptions,
        chains: scp.ChainReader | None,
    ) -> None:
        self.sts = sts  # botocore clients are thread-safe; sessions are not
        self.partition = partition
        self.region = region
        self.options = options
        self.account_options = account_options
        self.chains = chains

    def run(self, member: Member) -> AccountOutcome:
        try:
            return self._collect(member)
        except ReportgenError as exc:
            return _failed(member, str(exc))
        except OSError as exc:
            return _failed(member, f"cannot write the snapshot: {exc.strerror or exc}")

    def _collect(self, member: Member) -> AccountOutcome:
        arn = role_arn(self.partition, member.id, self.options.role_name)
        member_session = self._assume(arn)
        account_options = self.account_options
        if self.chains is not None:
            chain = self.chains.outcome(member.id, member.name)
            account_options = replace(account_options, service_control_policies=chain)
        document = collect(member_session, account_options)
        answered = document["account"]["id"]
        if answered != member.id:
            return _failed(member, f"{arn} answered for account {answered}, not {member.id}")
        name = f"{member.id}.json"
        digest = snapshot.save(
            document, Path(self.options.output_dir) / name, overwrite=self.options.overwrite
        )
        incomplete = tuple(
            sorted(src for src, info in document["sources"].items() if info["status"] != "ok")
        )
        return AccountOutcome(
            id=member.id,
            name=member.name,
            status=AccountStatus.OK,
            snapshot=name,
            sha256=digest,
            incomplete_sources=incomplete,
        )

    def _assume(self, arn: str) -> boto3.Session:
        try:
            credentials = self.sts.assume_role(
                RoleArn=arn, RoleSessionName=self.options.role_session_name
            )["Credentials"]
        except ClientError as exc:
            raise CollectError.keyed(
                "org_assume_failed", arn=arn, reason=_client_error(exc)
            ) from None
        except BotoCoreError as exc:
            raise CollectError.keyed(
                "org_assume_failed", arn=arn, reason=_first_line(exc)
            ) from None
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=self.region,
        )


def _select(
    members: Iterable[Member], options: OrgOptions, organization_id: str
) -> tuple[list[Member], list[AccountOutcome]]:
    """The members to collect, and failures for requested ids that are not ACTIVE members."""
    by_id = {m.id: m for m in members}
    excluded = set(options.exclude)
    if options.accounts:
        wanted = [i for i in dict.fromkeys(options.accounts) if i not in excluded]
        missing = [
            _failed(Member(i, ""), f"not an ACTIVE account of organization {organization_id}")
            for i in wanted
            if i not in by_id
        ]
        return [by_id[i] for i in wanted if i in by_id], missing
    return [m for i, m in sorted(by_id.items()) if i not in excluded], []


def _failed(member: Member, message: str) -> AccountOutcome:
    return AccountOutcome(
        id=member.id, name=member.name, status=AccountStatus.FAILED, error=message
    )


def _client(session: boto3.Session, service: str, region: str, options: CollectOptions) -> Any:
    return session.client(
        service, region_name=region, endpoint_url=options.endpoint_url, config=client_config()
    )


def _describe_organization(client: Any) -> Mapping[str, Any]:
    try:
        organization: Mapping[str, Any] = client.describe_organization()["Organization"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == _NOT_IN_USE:
            raise CollectError.keyed("org_not_in_organization") from None
        raise CollectError.keyed("org_unreadable", detail=_client_error(exc)) from None
    except NoCredentialsError:
        raise CollectError.keyed("aws_no_credentials") from None
    except BotoCoreError as exc:
        raise CollectError.keyed("org_call_failed", reason=_first_line(exc)) from None
    return organization


def _root_features(
    session: boto3.Session,
    sts: Any,
    region: str,
    options: CollectOptions,
    organization: Mapping[str, Any],
) -> tuple[str, Any]:
    """IAM's centralized root access features, read once with the organization's credentials
    (the management account or IAM's delegated administrator) for every member: (status, data
    or AWS's message). A member account cannot read them itself."""
    try:
        caller = str(sts.get_caller_identity()["Account"])
        iam = _client(session, "iam", region, options)
        management = organization.get("MasterAccountId")
        return "ok", account_settings.organization_features(iam, caller, management)
    except SourceFailed as failed:
        return failed.status, failed.message
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        return ("denied" if code in DENIED else "error"), client_error(exc)
    except BotoCoreError as exc:
        return "error", _first_line(exc)


def _list_members(client: Any) -> list[Member]:
    members: list[Member] = []
    try:
        for page in client.get_paginator("list_accounts").paginate():
            for account in page.get("Accounts", []):
                # ``State`` replaces the deprecated ``Status``; older endpoints send only that.
                if (account.get("State") or account.get("Status")) == "ACTIVE":
                    members.append(Member(id=account["Id"], name=account.get("Name", "")))
    except ClientError as exc:
        raise CollectError.keyed("org_list_failed", reason=_client_error(exc)) from None
    except BotoCoreError as exc:
        raise CollectError.keyed("org_list_failed", reason=_first_line(exc)) from None
    return members


def _client_error(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    message = (error.get("Message") or "").splitlines()
    return f"{error.get('Code', 'Error')}: {message[0][:200] if message else ''}".rstrip(": ")


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
