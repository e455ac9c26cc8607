"""A small fixed account, assessment and catalogue for the renderer's tests and golden files."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from reportgen.evaluate import scoring
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.checkspec import CheckSpec, SectionSpec
from reportgen.evaluate.findings import (
    AppliedException,
    Assessment,
    EvidenceValue,
    ExceptionReport,
    ExceptionState,
    Finding,
    Section,
    Severity,
    Status,
)
from reportgen.snapshot.model import Snapshot, SourceStatus, User
from tests.factories import ACCOUNT, make_key, make_row, make_snapshot, make_user, user_arn

AS_OF = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SHA = "9f2c" + "0" * 56 + "beef"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=http://x>"


def ago(days: int) -> datetime:
    return AS_OF - timedelta(days=days)


def _lang(ja: str, en: str) -> Mapping[str, str]:
    return MappingProxyType({"ja": ja, "en": en})


def _spec(
    check_id: str,
    section: Section,
    severity: Severity,
    title: tuple[str, str],
    fail: tuple[str, str],
    cis: Mapping[str, str],
    hub: tuple[str, ...],
    cli: tuple[str, ...] = (),
) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        section=section,
        severity=severity,
        resource_type="user",
        sources=("credential_report",),
        parameters={},
        mappings=MappingProxyType({"cis": dict(cis), "security_hub": list(hub)}),
        title=_lang(*title),
        rationale=_lang(f"{title[0]}が重要である。", f"{title[1]} matters."),
        messages={
            Status.FAIL: _lang(*fail),
            Status.PASS: _lang("問題はない。", "No problem found."),
        },
        console_steps=MappingProxyType(
            {
                "ja": ("IAM コンソールを開く。", "設定を直す。"),
                "en": ("Open IAM.", "Fix it."),
            }
        ),
        cli=cli,
        references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",),
        evidence=(),
        path=Path(f"{check_id}.yaml"),
    )


def make_catalogue() -> Catalogue:
    """Six checks over five sections, with texts in both languages."""
    specs = (
        _spec(
            "root_mfa_enabled",
            Section.ROOT,
            Severity.CRITICAL,
            ("ルートユーザーで MFA が有効であること", "MFA is enabled for the root user"),
            ("ルートユーザーに MFA が設定されていない。", "The root user has no MFA."),
            {"3.0": "1.5", "4.0": "1.5", "5.0": "1.4", "6.0": "2.4", "7.0": "2.5"},
            ("IAM.9",),
        ),
        _spec(
            "console_user_mfa",
            Section.MFA,
            Severity.HIGH,
            ("コンソールを使うユーザーに MFA があること", "Console users have MFA"),
            (
                "{user} は MFA なしでコンソールにサインインできる。",
                "{user} can sign in without MFA.",
            ),
            {"3.0": "1.10", "4.0": "1.10", "5.0": "1.9", "6.0": "2.9", "7.0": "2.10"},
            ("IAM.5",),
            ("aws iam enable-mfa-device --user-name {user} --serial-number <ARN>",),
        ),
        _spec(
            "access_key_rotated",
            Section.ACCESS_KEYS,
            Severity.MEDIUM,
            ("アクセスキーを定期的に更新していること", "Access keys are rotated"),
            (
                "{user} のキーは{age_days}日前に作成された。",
                "{user}'s key is {age_days} days old.",
            ),
            {"3.0": "1.14", "4.0": "1.14", "5.0": "1.13", "6.0": "2.13", "7.0": "2.12"},
            ("IAM.3",),
            (
                "aws iam update-access-key --user-name {user} --access-key-id <KEY>"
                " --status Inactive",
            ),
        ),
        _spec(
            "user_in_group",
            Section.GROUPS,
            Severity.LOW,
            ("ユーザーがグループに所属していること", "Users belong to a group"),
            ("{user} はどのグループにも所属していない。", "{user} is in no group."),
            {},
            (),
        ),
        _spec(
            "cloudtrail_multi_region_logging",
            Section.LOGGING,
            Severity.HIGH,
            ("全リージョンで CloudTrail が記録していること", "CloudTrail logs in all regions"),
            ("記録中のマルチリージョン証跡がない。", "No multi-region trail is logging."),
            {"3.0": "3.1", "4.0": "3.1", "5.0": "3.1", "6.0": "4.1", "7.0": "4.1"},
            ("CloudTrail.1",),
        ),
    )
    sections = {
        s: SectionSpec(
            s,
            _lang(f"分野 {s.value}", f"Section {s.value}"),
            _lang(f"{s.value} の概要である。", f"About {s.value}."),
            _lang(f"{s.value} が重要な理由である。", f"Why {s.value} matters."),
        )
        for s in Section
    }
    return Catalogue(
        version="test-catalogue-1",
        folder=Path(),
        checks=MappingProxyType({s.id: s for s in specs}),
        sections=MappingProxyType(sections),
        unknown=_lang(
            "{source} のデータがないため判定できない：{reason}", "No {source} data: {reason}"
        ),
        labels=MappingProxyType({}),
    )


def make_users(extra: int = 0) -> tuple[User, ...]:
    """alice (fine), bob (no MFA, old key), two hostile names, ``extra`` plain users."""
    people = [
        make_user(
            "alice",
            credentials=make_row(
                "alice", keys=[make_key(1, last_rotated=ago(30), last_used_date=ago(1))]
            ),
        ),
        make_user(
            "bob",
            groups=(),
            credentials=make_row(
                "bob",
                mfa_active=False,
                password_last_used=ago(5),
                keys=[make_key(1, last_rotated=ago(200), last_used_date=ago(3))],
            ),
        ),
        make_user(
            HOSTILE, credentials=make_row(HOSTILE, mfa_active=False, password_last_used=ago(9))
        ),
        make_user(HOSTILE_IMG, credentials=make_row(HOSTILE_IMG, password_enabled=False, keys=[])),
    ]
    people += [
        make_user(
            f"user{i:04d}",
            credentials=make_row(
                f"user{i:04d}", mfa_active=i % 3 != 0, password_last_used=ago(i % 60)
            ),
        )
        for i in range(extra)
    ]
    return tuple(people)


def _finding(
    check_id: str,
    section: Section,
    severity: Severity,
    status: Status,
    name: str,
    evidence: Mapping[str, EvidenceValue],
    suppressed: AppliedException | None = None,
    resource_type: str = "user",
) -> Finding:
    arn = user_arn(name) if resource_type == "user" else f"arn:aws:iam::{ACCOUNT}:root"
    return Finding(
        check_id, section, severity, status, resource_type, arn, name, evidence, suppressed
    )


def make_snapshot_for(users: tuple[User, ...]) -> Snapshot:
    return make_snapshot(
        users=users,
        collected_at=AS_OF - timedelta(hours=2),
        source_status={"cloudtrail": SourceStatus.DENIED},
        sha256=SHA,
    )


def make_findings(users: tuple[User, ...]) -> tuple[Finding, ...]:
    exc = AppliedException(
        "user_in_group",
        user_arn("alice"),
        "break-glass account",
        "CISO Tanaka",
        date(2026, 12, 10),
        "SEC-42",
    )
    findings = [
        _finding(
            "root_mfa_enabled",
            Section.ROOT,
            Severity.CRITICAL,
            Status.PASS,
            "<root_account>",
            {},
            resource_type="root",
        ),
        _finding(
            "cloudtrail_multi_region_logging",
            Section.LOGGING,
            Severity.HIGH,
            Status.UNKNOWN,
            ACCOUNT,
            {
                "source": "cloudtrail",
                "source_status": "denied",
                "source_message": "AccessDenied",
                "reason": "source_denied",
            },
            resource_type="account",
        ),
        _finding(
            "user_in_group",
            Section.GROUPS,
            Severity.LOW,
            Status.SUPPRESSED,
            "alice",
            {"user": "alice"},
            exc,
        ),
    ]
    for user in users:
        row = user.credentials
        if row is None:
            continue
        if row.password_enabled is True:
            status = Status.PASS if row.mfa_active else Status.FAIL
            findings.append(
                _finding(
                    "console_user_mfa",
                    Section.MFA,
                    Severity.HIGH,
                    status,
                    user.name,
                    {"user": user.name},
                )
            )
        for key in row.active_keys:
            age = (
                (AS_OF - key.last_rotated).days if isinstance(key.last_rotated, datetime) else None
            )
            status = Status.FAIL if age is not None and age > 90 else Status.PASS
            findings.append(
                _finding(
                    "access_key_rotated",
                    Section.ACCESS_KEYS,
                    Severity.MEDIUM,
                    status,
                    user.name,
                    {
                        "user": user.name,
                        "key_id": f"AKIA{key.slot}",
                        "age_days": age,
                        "last_used": "2026-11-25",
                    },
                )
            )
        if user.name != "alice":
            status = Status.PASS if user.groups else Status.FAIL
            findings.append(
                _finding(
                    "user_in_group",
                    Section.GROUPS,
                    Severity.LOW,
                    status,
                    user.name,
                    {"user": user.name},
                )
            )
    return tuple(findings)


def make_assessment(snapshot: Snapshot, findings: tuple[Finding, ...]) -> Assessment:
    exceptions = (
        ExceptionReport(
            "user_in_group",
            user_arn("alice"),
            "break-glass account",
            "CISO Tanaka",
            date(2026, 12, 10),
            "SEC-42",
            ExceptionState.EXPIRING,
            1,
        ),
        ExceptionReport(
            "console_user_mfa",
            user_arn("carol"),
            "left the company",
            "Suzuki",
            date(2026, 10, 1),
            None,
            ExceptionState.EXPIRED,
            0,
        ),
        ExceptionReport(
            "access_key_rotated",
            "arn:aws:iam::*:user/svc-*",
            "vendor tool",
            "Sato",
            date(2027, 6, 30),
            "SEC-7",
            ExceptionState.STALE,
            0,
        ),
    )
    return Assessment(
        account_id=ACCOUNT,
        account_aliases=("example-prod",),
        partition="aws",
        collected_at=snapshot.collected_at,
        as_of=AS_OF,
        snapshot_sha256=SHA,
        tool_version="0.1.0",
        catalogue_version="test-catalogue-1",
        profile="article",
        check_ids=(
            "root_mfa_enabled",
            "console_user_mfa",
            "user_in_group",
            "access_key_rotated",
            "cloudtrail_multi_region_logging",
        ),
        findings=findings,
        overall=scoring.score(findings),
        sections=scoring.section_scores(findings),
        exceptions=exceptions,
    )


def waivers_file(assessment: Assessment) -> dict[str, bytes]:
    """The exceptions file the case's exceptions came from, as a PDF must attach it (a PDF
    whose attachments cannot reproduce its findings is refused)."""
    text = "".join(
        f"- check: {e.check_id}\n  resource: '{e.resource}'\n  reason: {e.reason}\n"
        f"  approver: {e.approver}\n  expires: {e.expires.isoformat()}\n"
        for e in assessment.exceptions
    )
    return {"exceptions.yaml": text.encode()} if text else {}


def small_case(extra_users: int = 0) -> tuple[Assessment, Snapshot, Catalogue]:
    """The fixed case every render test uses (``extra_users`` makes it larger)."""
    users = make_users(extra_users)
    snapshot = make_snapshot_for(users)
    return make_assessment(snapshot, make_findings(users)), snapshot, make_catalogue()
