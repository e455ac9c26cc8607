"""Effective-permission checks on a large synthetic account (no AWS, no moto).

Usage: bench_least_privilege.py [--users N] [--repeat N] [--scp]. Builds N users in 1-3 of 40 groups
(each group 1-3 of 60 managed policies: customer policies with prefix wildcards, PassRole
scoped or not, Deny statements, conditions), 20 % of users with an inline policy of their own,
10 % with a directly attached policy, 5 % with a permissions boundary, and N/25 roles; then
times ``admin_equivalent_principal`` + ``privilege_escalation`` (best of N, one core). With
``--scp`` the account sits under an OU with SCPs (FullAWSAccess at each level, a guardrail Deny
on IAM user credentials and on leaving the organization), as a member account collected with
``collect --organization`` would.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from typing import Any

from common import best_of, emit

from reportgen.evaluate.actions import action_index
from reportgen.evaluate.rules import REGISTRY
from reportgen.snapshot.model import InlinePolicy, Snapshot
from reportgen.snapshot.services import ScpLevel, ScpPolicy, ServiceControlPolicies
from tests.factories import (
    ACCOUNT,
    NOW,
    allow,
    attached,
    make_group,
    make_policy,
    make_role,
    make_snapshot,
    make_user,
)

SERVICES = ["s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "logs", "cloudwatch", "kms", "rds"]
VERBS = ["Get*", "List*", "Describe*", "Put*", "Create*", "Delete*", "Update*", "*"]


def _document(rng: random.Random) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    for _ in range(rng.randint(1, 4)):
        actions = [f"{rng.choice(SERVICES)}:{rng.choice(VERBS)}" for _ in range(rng.randint(1, 6))]
        statement: dict[str, Any] = {"Effect": "Allow", "Action": actions, "Resource": "*"}
        if rng.random() < 0.2:
            statement["Resource"] = f"arn:aws:s3:::bucket-{rng.randint(1, 50)}/*"
        if rng.random() < 0.1:
            statement["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        statements.append(statement)
    if rng.random() < 0.2:
        statements.append(
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-{rng.randint(1, 9)}",
            }
        )
    if rng.random() < 0.1:
        statements.append({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def build(users: int, seed: int = 7) -> Snapshot:
    """The synthetic account."""
    rng = random.Random(seed)
    policies = [make_policy(f"Team{i}", _document(rng)) for i in range(60)]
    policies += [
        make_policy("AdministratorAccess", allow("*", "*"), aws=True),
        make_policy("ReadOnlyAccess", allow(["*:Get*", "*:List*", "*:Describe*"]), aws=True),
        make_policy(
            "PowerUserAccess",
            {
                "Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
                ]
            },
            aws=True,
        ),
    ]
    refs = [attached(p.name, aws=p.arn.startswith("arn:aws:iam::aws:")) for p in policies]
    groups = [make_group(f"g{i}", rng.sample(refs[:60], rng.randint(1, 3))) for i in range(40)]
    groups.append(make_group("Admins", [refs[60]]))
    found = []
    for n in range(users):
        inline = [InlinePolicy("own", _document(rng))] if rng.random() < 0.2 else []
        direct = [rng.choice(refs)] if rng.random() < 0.1 else []
        boundary = policies[rng.randrange(60)].arn if rng.random() < 0.05 else None
        names = tuple(g.name for g in rng.sample(groups, rng.randint(1, 3)))
        found.append(
            make_user(
                f"u{n:05d}",
                groups=names,
                inline=inline,
                policies=direct,
                permissions_boundary=boundary,
                credentials=False,
            )
        )
    roles = [
        make_role(
            f"app-{i}",
            rng.sample(refs, rng.randint(1, 2)),
            assume_role_policy={
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ]
            },
        )
        for i in range(max(1, users // 25))
    ]
    return make_snapshot(users=found, groups=groups, roles=roles, policies=tuple(policies))


def with_scps(snapshot: Snapshot) -> Snapshot:
    """The account under Root → OU Workloads, with a guardrail SCP on the OU."""
    full = ScpPolicy(
        "p-FullAWSAccess",
        "FullAWSAccess",
        "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        True,
        allow("*", "*"),
    )
    guardrail = {
        "Statement": [
            {
                "Effect": "Deny",
                "Action": ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"],
                "Resource": "*",
            },
            {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
        ]
    }
    levels = (
        ScpLevel("ROOT", "r-ab12", "Root", (full,)),
        ScpLevel(
            "ORGANIZATIONAL_UNIT",
            "ou-ab12-workload",
            "Workloads",
            (full, ScpPolicy("p-guard", "Guardrail", None, False, guardrail)),
        ),
        ScpLevel("ACCOUNT", ACCOUNT, "production", (full,)),
    )
    chain = ServiceControlPolicies("o-abc123", "999988887777", True, None, levels)
    return replace(snapshot, service_control_policies=chain)


def _cpu(step: Any) -> float:
    start = time.process_time()
    step()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scp", action="store_true", help="put the account under SCPs")
    args = parser.parse_args()
    snapshot = build(args.users)
    if args.scp:
        snapshot = with_scps(snapshot)
    start = time.perf_counter()
    action_index()  # read once per process
    first = time.perf_counter() - start

    def both() -> int:
        fresh = replace(snapshot)  # a new object: nothing cached from the previous run
        a = REGISTRY["admin_equivalent_principal"](fresh, {}, NOW)
        b = REGISTRY["privilege_escalation"](fresh, {}, NOW)
        return len(a) + len(b)

    seconds, findings = best_of(args.repeat, both)
    cpu = min(_cpu(both) for _ in range(args.repeat))
    emit(
        {
            "stage": "least_privilege",
            "users": args.users,
            "scp": args.scp,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
            "action_list_seconds": round(first, 3),
            "findings": findings,
        }
    )


if __name__ == "__main__":
    main()
