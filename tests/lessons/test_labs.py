"""Lab safety, grading rules, the hint ladder and completion records."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from reportgen.errors import LabError
from reportgen.evaluate.findings import Assessment, Finding, Score, Section, Severity, Status
from reportgen.training import runner as labs
from reportgen.training.grading import (
    RequestRecord,
    assertion_met,
    check_goal_met,
    check_goal_verdict,
)
from reportgen.training.labspec import Assertion, CheckGoal
from reportgen.training.lessons import find_lesson, load_lessons
from reportgen.training.server import CONTROL_PREFIX, TOKEN_HEADER
from tests.factories import attached, make_group, make_snapshot, make_user

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LESSONS = load_lessons()


def live_now() -> datetime:
    return datetime.now(UTC)


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:5580", "http://localhost:1", "http://[::1]:5580", "https://127.0.0.2/"],
)
def test_loopback_endpoints_are_accepted(endpoint: str) -> None:
    """Labs accept http(s) endpoints on the loopback interface."""
    labs.require_loopback(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://iam.amazonaws.com",
        "http://10.0.0.5:5580",
        "http://0.0.0.0:5580",
        "http://192.168.1.2",
        "ftp://127.0.0.1/",
        "http://127.0.0.1.example.com/",
    ],
)
def test_anything_but_loopback_is_refused(endpoint: str) -> None:
    """A lab refuses any endpoint that could be real AWS or another machine."""
    with pytest.raises(LabError, match="local endpoint"):
        labs.require_loopback(endpoint)


def test_lab_session_ignores_the_users_aws_setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lab session uses only the lab's key and region, whatever the environment holds, and
    leaves the process environment untouched."""
    (tmp_path / "config").write_text("[profile prod]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALUSERKEY00001")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://iam.amazonaws.com")
    before = dict(os.environ)
    session = labs.lab_session(labs.Credentials("AKIALAB0000000000001", "s"))
    assert session.get_credentials().access_key == "AKIALAB0000000000001"
    assert session.region_name == labs.LAB_REGION
    client = session.client("iam", endpoint_url="http://127.0.0.1:1")
    assert client.meta.endpoint_url == "http://127.0.0.1:1"
    assert session.client("sts").meta.endpoint_url != "https://iam.amazonaws.com"
    assert dict(os.environ) == before


@pytest.fixture
def lab01(tmp_path: Path) -> Iterator[tuple[Path, labs.LabState]]:
    lesson = find_lesson("01", LESSONS)
    server, state = labs.start_lab(lesson, tmp_path, live_now, port=0)
    try:
        yield tmp_path, state
    finally:
        labs.stop_lab(server, tmp_path, lesson.id)


@pytest.mark.slow
def test_lab_check_never_uses_the_users_real_credentials(
    lab01: tuple[Path, labs.LabState], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With real-looking credentials in the environment and in ~/.aws, grading uses only the
    lab's own grader key: the server never sees the user's key."""
    home, state = lab01
    real = tmp_path / "real-aws"
    real.mkdir()
    (real / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAREALFILEKEY00001\naws_secret_access_key = x\n"
        "[prod]\naws_access_key_id = AKIAREALPROFKEY00001\naws_secret_access_key = x\n"
    )
    (real / "config").write_text(
        "[default]\nregion = us-west-2\n[profile prod]\nregion = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(real / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(real / "config"))
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALENVKEY000001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")

    lesson = find_lesson("01", LESSONS)
    labs.check_lab(lesson, home, live_now, "t", home / "records")

    keys = {record.access_key_id for record in labs.request_log(state)}
    assert keys == {state.grader.access_key_id}
    assert os.environ["AWS_PROFILE"] == "prod"


def test_state_file_pointing_elsewhere_is_refused(tmp_path: Path) -> None:
    """A state file edited to point at a non-loopback endpoint is refused before any request."""
    state = labs.LabState(
        "01-root-user",
        "https://iam.amazonaws.com",
        "ap-northeast-1",
        "t",
        labs.Credentials("A", "B"),
        labs.Credentials("C", "D"),
        "ja",
        NOW.isoformat(),
        1,
    )
    labs.write_state(tmp_path, state)
    with pytest.raises(LabError, match="local endpoint"):
        labs.read_state(tmp_path, "01-root-user")


def test_missing_lab_says_how_to_start_it(tmp_path: Path) -> None:
    """Checking a lab that is not running tells the trainee which command starts it."""
    with pytest.raises(LabError, match="reportgen lab start 04-mfa"):
        labs.read_state(tmp_path, "04-mfa")


@pytest.mark.slow
def test_control_path_requires_the_token(lab01: tuple[Path, labs.LabState]) -> None:
    """Reset and the request log answer only requests that carry the lab's token."""
    _, state = lab01
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for token in ("wrong", ""):
        request = urllib.request.Request(
            state.endpoint + CONTROL_PREFIX + "reset",
            method="POST",
            data=b"",
            headers={TOKEN_HEADER: token},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(request, timeout=10)
        assert caught.value.code == 403


@pytest.mark.slow
def test_request_log_names_the_user_who_owns_the_signing_key(
    lab01: tuple[Path, labs.LabState],
) -> None:
    """Each request is logged with the IAM user whose key signed it, and no password."""
    _, state = lab01
    iam = boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=state.region,
        aws_access_key_id=state.trainee.access_key_id,
        aws_secret_access_key=state.trainee.secret_access_key,
    )
    iam.create_user(UserName="x")
    iam.create_login_profile(UserName="x", Password="Secret-Passw0rd!")
    log = labs.request_log(state)
    create = next(r for r in log if r.action == "CreateUser")
    assert create.key_user == "bootstrap" and create.params["UserName"] == "x"
    assert all("Secret-Passw0rd!" not in json.dumps(r.params) for r in log)


def _finding(check_id: str, name: str, status: Status, **evidence: str) -> Finding:
    return Finding(
        check_id,
        Section.GROUPS,
        Severity.LOW,
        status,
        "user",
        f"arn:aws:iam::123456789012:user/{name}",
        name,
        evidence,
    )


def _assessment(*findings: Finding) -> Assessment:
    return Assessment(
        "123456789012",
        (),
        "aws",
        NOW,
        NOW,
        "0" * 64,
        "0",
        "0",
        "all",
        (),
        findings,
        Score(None, 0, 0),
        {},
        (),
    )


@pytest.mark.parametrize(
    ("goal", "findings", "met"),
    [
        (CheckGoal("user_in_group", ("a",), False), [("a", Status.PASS)], True),
        (CheckGoal("user_in_group", ("a",), False), [("a", Status.FAIL)], False),
        (CheckGoal("user_in_group", ("a",), False), [("b", Status.PASS)], False),
        (CheckGoal("user_in_group", ("a",), True), [("b", Status.FAIL)], True),
        (
            CheckGoal("user_in_group", ("a", "b"), False),
            [("a", Status.PASS), ("b", Status.FAIL)],
            False,
        ),
        (
            CheckGoal("user_in_group", (), False),
            [("a", Status.PASS), ("b", Status.NOT_APPLICABLE)],
            False,
        ),
        (
            CheckGoal("user_in_group", (), False, na_ok=True),
            [("a", Status.PASS), ("b", Status.NOT_APPLICABLE)],
            True,
        ),
        (CheckGoal("user_in_group", ("a",), False), [("a", Status.NOT_APPLICABLE)], False),
        (CheckGoal("user_in_group", (), False), [], False),
        (CheckGoal("user_in_group", ("a",), False), [("a", Status.UNKNOWN)], False),
    ],
)
def test_check_goals(goal: CheckGoal, findings: list[tuple[str, Status]], met: bool) -> None:
    """A check goal needs PASS for each named resource (or all), N/A and absent only if the
    lab says so."""
    made = [_finding(goal.check_id, name, status) for name, status in findings]
    assert check_goal_met(goal, _assessment(*made)) is met


SNAP = make_snapshot(
    users=(
        make_user("dev", groups=("Developers",)),
        make_user("solo", groups=(), policies=(attached("AmazonS3ReadOnlyAccess"),)),
    ),
    groups=(make_group("Developers", (attached("AmazonEC2ReadOnlyAccess"),)),),
)
LOG = (
    RequestRecord(1, "AKIABOOT", "bootstrap", "CreateUser", {"UserName": "early"}),
    RequestRecord(2, "AKIAADMIN", "daily-admin", "CreateUser", {"UserName": "developer-user"}),
)


@pytest.mark.parametrize(
    ("kind", "args", "met"),
    [
        ("user_exists", {"user": "dev"}, True),
        ("user_exists", {"user": "ghost"}, False),
        ("user_absent", {"user": "ghost"}, True),
        ("user_in_group", {"user": "dev", "group": "Developers"}, True),
        ("user_in_group", {"user": "solo", "group": "Developers"}, False),
        ("group_has_policy", {"group": "Developers", "policy": "AmazonEC2ReadOnlyAccess"}, True),
        ("user_has_policy", {"user": "dev", "policy": "AmazonEC2ReadOnlyAccess"}, True),
        ("user_has_policy", {"user": "solo", "policy": "AmazonS3ReadOnlyAccess"}, True),
        ("user_lacks_policy", {"user": "solo", "policy": "AmazonS3ReadOnlyAccess"}, False),
        (
            "signed_by",
            {
                "action": "CreateUser",
                "params": {"UserName": "developer-user"},
                "user": "daily-admin",
            },
            True,
        ),
        (
            "signed_by",
            {"action": "CreateUser", "params": {"UserName": "early"}, "user": "daily-admin"},
            False,
        ),
    ],
)
def test_assertions(kind: str, args: dict[str, object], met: bool) -> None:
    """Lesson-specific assertions read the snapshot (and, for signed_by, the request log)."""
    assert assertion_met(Assertion(kind, args), SNAP, LOG) is met


@pytest.mark.parametrize(
    ("others", "en", "ja"),
    [
        (
            [_finding("user_in_group", "app-deploy", Status.PASS)],
            "app-deploy has nothing left that this goal checks (for example, its access keys "
            "were deleted).",
            "app-deploy には、この達成条件で確認する対象（アクセスキーなど）が残っていません。",
        ),
        ([], "app-deploy was not found.", "app-deploy が見つかりません。"),
    ],
)
def test_a_goal_without_findings_says_whether_the_principal_is_there(
    others: list[Finding], en: str, ja: str
) -> None:
    """A key goal whose user still exists but has no key left does not say the user "was not
    found" (lab 06 told a trainee who had deleted the old key that app-deploy was missing)."""
    goal = CheckGoal("access_key_rotated", ("app-deploy",), False)
    met, reason = check_goal_verdict(goal, _assessment(*others))
    assert not met and reason == {"en": en, "ja": ja}


def test_no_active_keys_needs_the_credential_report() -> None:
    """Without the user's report row, 'no active keys' cannot be confirmed."""
    snap = make_snapshot(users=(make_user("dev", credentials=None),))
    assert not assertion_met(Assertion("no_active_keys", {"user": "dev"}), snap, ())
    assert assertion_met(Assertion("no_active_keys", {"user": "gone"}), snap, ())


def test_a_taken_port_is_an_error_not_a_hang(lab01: tuple[Path, labs.LabState]) -> None:
    """Starting a lab on a port already in use fails at once with a hint to pick another."""
    home, state = lab01
    port = int(state.endpoint.rsplit(":", 1)[1])
    with pytest.raises(LabError, match="choose another --port"):
        labs.start_lab(find_lesson("02", LESSONS), home / "other", live_now, port=port)


def _raw(state: labs.LabState, path: str, method: str = "GET", **headers: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        state.endpoint + path,
        method=method,
        headers=headers,
        data=b"" if method == "POST" else None,
    )
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.slow
def test_moto_admin_api_needs_the_lab_token(lab01: tuple[Path, labs.LabState]) -> None:
    """/moto-api/data.json and /moto-api/reset answer only with the lab's token."""
    _, state = lab01
    assert _raw(state, "/moto-api/data.json") == 403
    assert _raw(state, "/moto-api/reset", "POST") == 403
    assert _raw(state, "/moto-api/data.json", **{TOKEN_HEADER: state.token}) == 200


@pytest.mark.slow
def test_other_origins_and_host_names_are_refused(lab01: tuple[Path, labs.LabState]) -> None:
    """A web page on another origin (or a rebound host name) cannot use the lab, even with
    a preflight; the lab sends no CORS headers."""
    _, state = lab01
    for origin in ("https://evil.example", "null", "http://localhost:9"):
        assert _raw(state, "/?Action=ListUsers", Origin=origin) == 403
        assert _raw(state, "/", "OPTIONS", Origin=origin) == 403
    assert _raw(state, "/", Host="evil.example") == 403
    iam = boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=state.region,
        aws_access_key_id=state.trainee.access_key_id,
        aws_secret_access_key=state.trainee.secret_access_key,
    )
    response = iam.list_users()
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert not any(name.startswith("access-control-") for name in headers)


@pytest.mark.slow
def test_inactive_key_is_refused_and_used_key_is_dated(
    lab01: tuple[Path, labs.LabState],
) -> None:
    """Once deactivated, the trainee's key is refused (InvalidClientTokenId) as on AWS; while
    active, its last use is recorded."""
    _, state = lab01
    iam = boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=state.region,
        aws_access_key_id=state.trainee.access_key_id,
        aws_secret_access_key=state.trainee.secret_access_key,
    )
    used = iam.get_access_key_last_used(AccessKeyId=state.trainee.access_key_id)
    assert "LastUsedDate" in used["AccessKeyLastUsed"]
    iam.update_access_key(
        UserName="bootstrap", AccessKeyId=state.trainee.access_key_id, Status="Inactive"
    )
    with pytest.raises(ClientError) as caught:
        iam.list_users()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"
