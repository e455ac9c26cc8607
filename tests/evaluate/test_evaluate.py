"""The evaluator: unknown sources, declared sources, order, time as an input."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from reportgen.errors import InputError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Section, Status
from reportgen.evaluate.profiles import all_checks
from reportgen.evaluate.rules import REGISTRY
from reportgen.evaluate.rules.base import Inputs
from reportgen.evaluate.run import evaluate
from reportgen.snapshot.model import InlinePolicy, MfaDevice, Snapshot, Source, SourceStatus, Src
from tests.evaluate.conftest import TABLE, defaults
from tests.factories import (
    ACCOUNT,
    NA,
    NOW,
    ago,
    allow,
    attached,
    make_certificate,
    make_contacts,
    make_ec2_instance,
    make_group,
    make_key,
    make_password_policy,
    make_policy,
    make_review,
    make_role,
    make_root,
    make_row,
    make_snapshot,
    make_trail,
    make_user,
)


def _trust(principal: dict[str, str]) -> dict[str, object]:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    return {"Version": "2012-10-17", "Statement": [statement]}


def bad_snapshot() -> Snapshot:
    """An account where most checks have something to fail."""
    alice = make_user(
        "alice",
        inline=[InlinePolicy("policy-editor", allow("iam:CreatePolicyVersion"))],
        credentials=make_row(
            "alice",
            mfa_active=False,
            password_last_used=ago(200),
            keys=[make_key(1, last_rotated=ago(300), last_used_date=NA), make_key(2)],
        ),
    )
    bob = make_user(
        "bob",
        groups=(),
        policies=[attached("AdministratorAccess"), attached("AWSCloudShellFullAccess")],
        credentials=make_row(
            "bob", password_enabled=False, created=ago(300), password_last_used=NA
        ),
    )
    return make_snapshot(
        users=[alice, bob],
        root=make_root(mfa_active=False, password_last_used=ago(3), keys=[make_key(1)]),
        policies=(
            make_policy("AdministratorAccess", allow("*", "*"), aws=True),
            make_policy("S3All", allow("s3:*")),
        ),
        roles=(
            make_role(
                "Other",
                [attached("AdministratorAccess")],
                assume_role_policy=_trust({"AWS": "*"}),
                instance_profiles=(f"arn:aws:iam::{ACCOUNT}:instance-profile/web",),
            ),
            make_role(
                "Partner",
                assume_role_policy=_trust({"AWS": "arn:aws:iam::999999999999:root"}),
                last_used=None,
            ),
        ),
        password_policy=make_password_policy(minimum_length=8, reuse_prevention=5),
        trails=(make_trail(is_multi_region=False, log_file_validation=False),),
        analyzers=(),
        server_certificates=(make_certificate("old", ago(10)),),
        alternate_contacts=make_contacts(security=False),
        identity_providers=(),
        generated=NOW - timedelta(hours=30),
        # one instance with a role (through the profile "web"), one with none: needs review
        instances=(make_ec2_instance("web"), make_ec2_instance("batch", profile=None)),
    )


def mixed_snapshot() -> Snapshot:
    """Root with a virtual MFA device, no password policy, a healthy user and an administrator
    (through a group) signing in without MFA."""
    device = MfaDevice(
        f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device",
        f"arn:aws:iam::{ACCOUNT}:root",
        ago(10),
    )
    boss = make_user("boss", groups=("Admins",), credentials=make_row("boss", mfa_active=False))
    return make_snapshot(
        users=[make_user("alice"), boss],
        groups=(make_group(), make_group("Admins", [attached("AdministratorAccess")])),
        policies=(make_policy(), make_policy("AdministratorAccess", allow("*", "*"), aws=True)),
        virtual_mfa_devices=(device,),
        password_policy=None,
    )


SNAPSHOTS = {"healthy": make_snapshot, "bad": bad_snapshot, "mixed": mixed_snapshot}


def blank(snapshot: Snapshot, source: str) -> Snapshot:
    """The snapshot with one source denied and its data emptied."""
    statuses = dict(snapshot.sources)
    statuses[source] = Source(source, SourceStatus.DENIED, "AccessDenied")
    data: dict[str, object] = {
        Src.CREDENTIAL_REPORT: {
            "credential_report": None,
            "users": tuple(replace(u, credentials=None) for u in snapshot.users),
        },
        Src.AUTHORIZATION_DETAILS: {"users": (), "groups": (), "roles": (), "policies": ()},
        Src.PASSWORD_POLICY: {"password_policy": None},
        Src.ACCOUNT_SUMMARY: {"account_summary": None},
        Src.VIRTUAL_MFA_DEVICES: {"virtual_mfa_devices": ()},
        Src.CLOUDTRAIL: {"trails": ()},
        Src.ACCESS_ANALYZER: {"analyzer_regions": (), "analyzers": ()},
        Src.SERVER_CERTIFICATES: {"server_certificates": ()},
        Src.ALTERNATE_CONTACTS: {"alternate_contacts": {}},
        Src.IDENTITY_PROVIDERS: {"identity_providers": ()},
        Src.IDENTITY_CENTER: {"identity_center_instances": (), "identity_center_region": None},
        Src.EC2_INSTANCES: {"instances": (), "instance_regions": None},
        Src.ORGANIZATION_FEATURES: {"organization_features": None},
    }.get(source, {})
    return replace(snapshot, sources=statuses, **data)


# The run's inputs: an access review that removed the fixtures' Support role.
INPUTS = Inputs(review=make_review())

# Account aliases and caller identity name the account; they are not evidence for any check.
BLANKABLE = [s.value for s in Src if s not in (Src.ACCOUNT_ALIASES, Src.CALLER_IDENTITY)]


@pytest.mark.parametrize("variant", sorted(SNAPSHOTS))
@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_rules_read_only_their_declared_sources(check_id: str, variant: str) -> None:
    """Emptying and denying any source a check does not declare leaves its results unchanged."""
    snapshot = SNAPSHOTS[variant]()
    params = defaults(check_id)
    before = REGISTRY[check_id](snapshot, params, NOW, INPUTS)
    for source in BLANKABLE:
        if source in TABLE[check_id]["sources"]:
            continue
        after = REGISTRY[check_id](blank(snapshot, source), params, NOW, INPUTS)
        assert after == before, f"{check_id} reads undeclared source {source}"


def test_the_fixtures_make_every_check_fail(mini_catalogue: Catalogue) -> None:
    """Between them the fixtures fail every check, so the source guard above can catch a read;
    a check that never fails (its gaps need review) has a PASS and a review item instead."""
    never = {c for c, spec in load_catalogue().checks.items() if spec.never_fails}
    failing, judged = set(), set()
    for build in SNAPSHOTS.values():
        assessment = evaluate(
            build(), all_checks(mini_catalogue), catalogue=mini_catalogue, review=make_review()
        )
        failing |= {f.check_id for f in assessment.findings if f.status is Status.FAIL}
        judged |= {
            (f.check_id, f.status, str(f.evidence.get("reason", ""))[:12])
            for f in assessment.findings
            if f.check_id in never
        }
    assert never == {"ec2_instance_roles"}
    assert failing == set(REGISTRY) - never
    for check_id in never:
        assert {(check_id, Status.PASS, ""), (check_id, Status.UNKNOWN, "needs_review")} <= judged


@pytest.mark.parametrize("status", [SourceStatus.ABSENT, SourceStatus.DENIED, SourceStatus.ERROR])
@pytest.mark.parametrize("source", [s.value for s in Src])
def test_no_pass_without_its_source(
    mini_catalogue: Catalogue, source: str, status: SourceStatus
) -> None:
    """A check whose source is absent, denied or failed yields one UNKNOWN naming it, never PASS."""
    snapshot = make_snapshot(source_status={source: status})
    assessment = evaluate(snapshot, all_checks(mini_catalogue), catalogue=mini_catalogue)
    for spec in mini_catalogue.checks.values():
        if source not in spec.sources:
            continue
        mine = [f for f in assessment.findings if f.check_id == spec.id]
        assert len(mine) == 1 and mine[0].status is Status.UNKNOWN, spec.id
        evidence = mine[0].evidence
        assert (evidence["source"], evidence["source_status"]) == (source, status.value)
        assert evidence["reason"] == f"source_{status.value}"
        assert mine[0].resource_id == ACCOUNT


def test_a_source_missing_from_the_document_counts_as_absent(mini_catalogue: Catalogue) -> None:
    """A snapshot without an entry for a source is treated as absent."""
    snapshot = make_snapshot()
    sources = {k: v for k, v in snapshot.sources.items() if k != Src.CLOUDTRAIL}
    assessment = evaluate(
        replace(snapshot, sources=sources), all_checks(mini_catalogue), catalogue=mini_catalogue
    )
    trail = [f for f in assessment.findings if f.check_id == "cloudtrail_log_validation"]
    assert [f.status for f in trail] == [Status.UNKNOWN]


def test_findings_are_in_section_check_resource_order(mini_catalogue: Catalogue) -> None:
    """Findings come in chapter order, then check id, then resource id."""
    findings = evaluate(
        bad_snapshot(), all_checks(mini_catalogue), catalogue=mini_catalogue
    ).findings
    order = list(Section)
    keys = [(order.index(f.section), f.check_id, f.resource_id) for f in findings]
    assert keys == sorted(keys)


def test_evaluation_is_repeatable(mini_catalogue: Catalogue) -> None:
    """The same inputs give the same assessment."""
    one = evaluate(bad_snapshot(), all_checks(mini_catalogue), catalogue=mini_catalogue)
    two = evaluate(bad_snapshot(), all_checks(mini_catalogue), catalogue=mini_catalogue)
    assert one == two


def test_as_of_defaults_to_collection_time_and_moves_ages(mini_catalogue: Catalogue) -> None:
    """Ages are measured at as_of (default collected_at), never at the wall clock."""
    snap = make_snapshot(
        users=[make_user(credentials=make_row(keys=[make_key(1, last_rotated=ago(80))]))]
    )
    profile = all_checks(mini_catalogue)
    now = evaluate(snap, profile, catalogue=mini_catalogue)
    later = evaluate(snap, profile, as_of=NOW + timedelta(days=20), catalogue=mini_catalogue)
    rotated = lambda a: [f.status for f in a.findings if f.check_id == "access_key_rotated"]  # noqa: E731
    assert now.as_of == NOW and rotated(now) == [Status.PASS]
    assert rotated(later) == [Status.FAIL]


def test_naive_as_of_is_refused(mini_catalogue: Catalogue) -> None:
    """as_of without a time zone is an input error."""
    with pytest.raises(InputError):
        evaluate(make_snapshot(), as_of=datetime(2026, 1, 1), catalogue=mini_catalogue)


def test_assessment_header(mini_catalogue: Catalogue) -> None:
    """The assessment carries the snapshot's identity and the catalogue version."""
    assessment = evaluate(make_snapshot(), catalogue=mini_catalogue)
    assert (assessment.account_id, assessment.profile) == (ACCOUNT, "all")
    assert assessment.catalogue_version == mini_catalogue.version
    assert assessment.check_ids == mini_catalogue.ids
