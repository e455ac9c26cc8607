"""The fictional company's account (桜商事, sakura-shoji) at any size and any of four quarters.

``company()`` gives the :class:`AccountSpec`; ``build_company()`` adds the expected
findings; ``history()`` gives four quarters (91 days apart, the last one ``today``)
with the expected new, resolved and persisting failures between them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from reportgen.errors import InputError
from reportgen.sandbox.cast import CAST, OSAKA, VIRGINIA
from reportgen.sandbox.expect import Changes, Expectations, compare, expectations
from reportgen.sandbox.people import crowd
from reportgen.sandbox.seed import DEFAULT_ACCOUNT_ID
from reportgen.sandbox.spec import (
    TOKYO,
    AccountSpec,
    AnalyzerSpec,
    ContactSpec,
    GroupSpec,
    InstanceSpec,
    KeySpec,
    PasswordPolicySpec,
    PolicySpec,
    RoleSpec,
    RootSpec,
    ServerCertificateSpec,
    TrailSpec,
)
from reportgen.sandbox.timeline import QUARTER_DAYS, KeyLife, Person, Usage

MIN_SIZE, MAX_SIZE = len([p for p in CAST if p.deleted is None]), 5000
ALIAS = "sakura-shoji"
REGIONS = (TOKYO, OSAKA, VIRGINIA)
CONTACTS = (
    ContactSpec("SECURITY", "Sakura Shoji CSIRT", "security@sakura-shoji.example", "CSIRT"),
    ContactSpec("BILLING", "Keiri-bu", "keiri@sakura-shoji.example", "Accounting"),
)

# The web servers get S3 access through their role; the old batch server in Osaka has no role
# (it reads S3 with an access key kept on the server): ec2_instance_roles asks for a review.
INSTANCES = (
    InstanceSpec("app-web-1", TOKYO, role="app-ec2-role"),
    InstanceSpec("app-web-2", TOKYO, role="app-ec2-role", state="stopped"),
    InstanceSpec("legacy-batch-1", OSAKA),
)


def _statement(actions: str | list[str], resource: str = "*") -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
    }


POLICIES = (
    PolicySpec("dev-s3-full", _statement("s3:*"), age_days=900),
    PolicySpec("legacy-full-access", _statement("*"), age_days=1400),
    PolicySpec(
        "ci-deploy",
        _statement(
            [
                "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:DescribeStacks",
                "s3:PutObject",
            ]
        ),
        age_days=800,
    ),
)
GROUPS = (
    GroupSpec("Admins", age_days=1500, managed_policies=("AdministratorAccess",)),
    GroupSpec(
        "Developers",
        age_days=1500,
        managed_policies=("PowerUserAccess", "AWSCloudShellFullAccess", "dev-s3-full"),
    ),
    GroupSpec(
        "Operators", age_days=1500, managed_policies=("ReadOnlyAccess", "legacy-full-access")
    ),
    GroupSpec("ReadOnly", age_days=1500, managed_policies=("ReadOnlyAccess",)),
    GroupSpec("Auditors", age_days=1200, managed_policies=("SecurityAudit",)),
)


def _trust(principal: dict[str, str]) -> dict[str, object]:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    return {"Version": "2012-10-17", "Statement": [statement]}


@dataclass(frozen=True)
class Company:
    """The company at one moment: what to seed, when, and what the evaluator should find."""

    spec: AccountSpec
    as_of: datetime
    expected: Expectations


@dataclass(frozen=True)
class History:
    """The company at several moments, oldest first; ``changes[i]`` is moment i → i + 1."""

    quarters: tuple[Company, ...]
    changes: tuple[Changes, ...]


def quarter_date(today: datetime, quarter: int) -> datetime:
    """Quarter 3 is ``today``, quarter 2 is 91 days earlier, and so on down to quarter 0."""
    if not 0 <= quarter <= 3:
        raise InputError(f"quarter must be 0 to 3, got {quarter}")
    return today - timedelta(days=QUARTER_DAYS * (3 - quarter))


def company(
    size: int = 40, seed: int = 7, today: datetime | None = None, quarter: int | None = None
) -> AccountSpec:
    """The company's :class:`AccountSpec` (``today`` is required; quarter None = today)."""
    return build_company(size, seed, _required(today), quarter).spec


def build_company(
    size: int,
    seed: int,
    today: datetime,
    quarter: int | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> Company:
    """The company at ``quarter`` (None: today) with its expected findings."""
    as_of = quarter_date(today, 3 if quarter is None else quarter)
    return _at(_people(size, seed), today, as_of, account_id)


def history(
    size: int = 40,
    seed: int = 7,
    today: datetime | None = None,
    dates: Sequence[datetime] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> History:
    """The company at four quarters (or at ``dates``, none after ``today``), oldest first."""
    today = _required(today)
    moments = sorted(dates) if dates else [quarter_date(today, q) for q in range(4)]
    if moments[-1] > today:
        raise InputError("history dates must not be later than today")
    people = _people(size, seed)
    quarters = tuple(_at(people, today, moment, account_id) for moment in moments)
    changes = tuple(compare(a.expected, b.expected) for a, b in itertools.pairwise(quarters))
    return History(quarters, changes)


def _required(today: datetime | None) -> datetime:
    if today is None or today.tzinfo is None:
        raise InputError("the company needs today as an aware UTC datetime")
    return today


def _people(size: int, seed: int) -> tuple[Person, ...]:
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise InputError.keyed("sandbox_size", low=MIN_SIZE, high=MAX_SIZE, size=size)
    taken = {p.name for p in CAST}
    return CAST + crowd(size - MIN_SIZE, random.Random(seed), taken)


def _at(people: tuple[Person, ...], today: datetime, as_of: datetime, account: str) -> Company:
    offset = (today - as_of).days
    users = [u for u in (p.user_at(offset) for p in people) if u is not None]
    spec = AccountSpec(
        users=tuple(sorted(users, key=lambda u: u.name)),
        groups=tuple(g for g in GROUPS if g.age_days >= offset),
        policies=POLICIES,
        roles=_roles(offset, account),
        root=_root(offset),
        password_policy=_password_policy(offset),
        trails=_trails(offset),
        analyzers=tuple(
            AnalyzerSpec(region, age_days=age - offset)
            for region, age in ((TOKYO, 250), (VIRGINIA, 100))
            if age >= offset
        ),
        regions=REGIONS,
        server_certificates=_certificates(offset),
        aliases=(ALIAS,),
        # A security contact (the CSIRT's shared address) but no identity provider and no
        # Identity Center: people sign in as IAM users with passwords (central_identity FAILs).
        contacts=CONTACTS,
        instances=INSTANCES,
    )
    return Company(spec, as_of, expectations(spec, as_of, account))


def _roles(offset: int, account: str) -> tuple[RoleSpec, ...]:
    return (
        RoleSpec(
            "support-role",
            _trust({"AWS": f"arn:aws:iam::{account}:root"}),
            age_days=1000 - offset,
            managed_policies=("AWSSupportAccess",),
        ),
        RoleSpec(
            "app-ec2-role",
            _trust({"Service": "ec2.amazonaws.com"}),
            age_days=700 - offset,
            last_used_days=1,
            managed_policies=("AmazonS3ReadOnlyAccess",),
        ),
        # An administrator role a partner's account may assume, without an ExternalId.
        RoleSpec(
            "partner-admin-role",
            _trust({"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:root"}),
            age_days=600 - offset,
            last_used_days=5,
            managed_policies=("AdministratorAccess",),
        ),
        # A Lambda execution role given AdministratorAccess "to get it working".
        RoleSpec(
            "ops-automation-lambda",
            _trust({"Service": "lambda.amazonaws.com"}),
            age_days=400 - offset,
            last_used_days=2,
            managed_policies=("AdministratorAccess",),
        ),
        # A batch job's role nobody has used for more than a year.
        RoleSpec(
            "legacy-batch-role",
            _trust({"Service": "ec2.amazonaws.com"}),
            age_days=1300 - offset,
            last_used_days=420,
            managed_policies=("AmazonS3ReadOnlyAccess",),
        ),
        # A service-linked role: AWS manages it and its policy; never flagged.
        RoleSpec(
            "AWSServiceRoleForSupport",
            _trust({"Service": "support.amazonaws.com"}),
            path="/aws-service-role/support.amazonaws.com/",
            age_days=1000 - offset,
            managed_policies=("AWSSupportServiceRolePolicy",),
        ),
    )


PARTNER_ACCOUNT = "210987654321"


ROOT_KEYS = (
    KeyLife(1300, usage=Usage(280, 2), deleted=200),  # removed after the first quarter's audit
    KeyLife(150, usage=Usage(0, 12), region=VIRGINIA),  # made again "just for a script"
)
ROOT_LOGIN = Usage(0, 3)
ROOT_CREATED = 2400


def _root(offset: int) -> RootSpec:
    keys = tuple(k for k in (life.at(offset) for life in ROOT_KEYS) if k is not None)
    return RootSpec(
        age_days=ROOT_CREATED - offset,
        password_last_used_days=ROOT_LOGIN.last_used(ROOT_CREATED, offset),
        keys=tuple(KeySpec(k.age_days, k.last_used_days, k.service, k.region) for k in keys),
    )


def _password_policy(offset: int) -> PasswordPolicySpec | None:
    if offset > 230:
        return None  # no policy until the first audit
    # Character classes since the policy was set; still short, no symbols, no reuse limit.
    return PasswordPolicySpec(
        minimum_length=8, require_numbers=True, require_uppercase=True, require_lowercase=True
    )


def _trails(offset: int) -> tuple[TrailSpec, ...]:
    trails = [TrailSpec("tokyo-trail", "sakura-shoji-cloudtrail-tokyo", multi_region=False)]
    if offset <= 240:  # an organisation-wide trail, whose logging someone stopped 150 days ago
        trails.append(
            TrailSpec(
                "audit-trail",
                "sakura-shoji-cloudtrail-audit",
                multi_region=True,
                logging=offset > 150,
                log_file_validation=False,
            )
        )
    return tuple(trails)


def _certificates(offset: int) -> tuple[ServerCertificateSpec, ...]:
    certificates = [
        ServerCertificateSpec("www-sakura-shoji-2024", 800 - offset, offset - 30, domain=_DOMAIN)
    ]
    if offset <= 50:
        certificates.append(
            ServerCertificateSpec(
                "www-sakura-shoji-2025", 50 - offset, 320 + offset, domain=_DOMAIN
            )
        )
    return tuple(certificates)


_DOMAIN = "www.sakura-shoji.example.jp"
