"""The organization report: per-account reports, the summary, failures listed, streaming."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import re
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws
from pypdf import PdfReader

from reportgen.cli import main
from reportgen.cli.report_cmd import report
from reportgen.collect import organization as orgs
from reportgen.collect.account import CollectOptions, collect
from reportgen.errors import InputError, OrganizationIncompleteError
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.pipeline import organization as org_report
from reportgen.pipeline.organization import OrgReportOptions, report_organization
from reportgen.render.context import ReportOptions
from reportgen.sandbox import fidelity
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.manifest import MANIFEST, read_manifest
from reportgen.snapshot.model import Snapshot

TODAY = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
MOTO_ACCOUNT = "123456789012"
ORG_ID = "o-sakura1234"
pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")
EVERYTHING = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def _weak() -> None:
    """People with console passwords and no MFA, a key, an admin inline policy."""
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_group(GroupName="Developers")
    for name in ("tanaka", "suzuki", "sato"):
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Aa1!aaaaaaaaaaaa")
    iam.create_access_key(UserName="suzuki")
    iam.put_user_policy(UserName="sato", PolicyName="everything", PolicyDocument=EVERYTHING)


def _tidy() -> None:
    """One user in a group, no password, a strict password policy and a security contact."""
    boto3.client("account", region_name="us-east-1").put_alternate_contact(
        AlternateContactType="SECURITY",
        Name="CSIRT",
        Title="CSIRT",
        EmailAddress="csirt@example.co.jp",
        PhoneNumber="+81-3-0000-0000",
    )
    iam = boto3.client("iam", region_name="us-east-1")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )
    iam.create_group(GroupName="Readers")
    iam.create_user(UserName="yamada")
    iam.add_user_to_group(GroupName="Readers", UserName="yamada")


def _empty() -> None:
    """Nothing but the account itself."""


VARIANTS: tuple[Callable[[], None], ...] = (_weak, _tidy, _empty)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Three small accounts collected from moto by the real collector, as snapshot text.

    moto answers with AWS's shapes (sandbox fidelity) whatever ran before in this process:
    stock moto loses RequireSymbols, so the worst-checks table depended on test order."""
    fidelity.install()
    folder = tmp_path_factory.mktemp("variants")
    texts = []
    for index, seed in enumerate(VARIANTS):
        with mock_aws():
            seed()
            options = CollectOptions(region="us-east-1", clock=lambda: TODAY, sleep=lambda _s: None)
            snapshot.save(collect(options=options), folder / f"{index}.json")
        texts.append((folder / f"{index}.json").read_text(encoding="utf-8"))
    return texts


def account_id(index: int) -> str:
    return f"{111100000000 + index:012d}"


def build_org(
    folder: Path, variants: list[str], count: int, failed: tuple[int, ...] = ()
) -> list[str]:
    """``count`` accounts (variants in turn, each under its own id) and the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for index in range(count):
        ident = account_id(index)
        name = f"sakura-{index:02d}"
        if index in failed:
            error = f"cannot assume arn:aws:iam::{ident}:role/Audit: AccessDenied"
            outcomes.append(
                orgs.AccountOutcome(ident, name, orgs.AccountStatus.FAILED, error=error)
            )
            continue
        document = json.loads(variants[index % len(variants)].replace(MOTO_ACCOUNT, ident))
        digest = snapshot.save(document, folder / f"{ident}.json")
        outcomes.append(
            orgs.AccountOutcome(
                ident, name, orgs.AccountStatus.OK, snapshot=f"{ident}.json", sha256=digest
            )
        )
    result = orgs.OrgResult(
        organization_id=ORG_ID,
        management_account_id=account_id(0),
        partition="aws",
        collected_at=TODAY,
        accounts=tuple(outcomes),
        manifest=folder / MANIFEST,
    )
    (folder / MANIFEST).write_bytes(orgs.manifest_bytes(result, "Audit"))
    return [o.id for o in outcomes]


@pytest.fixture(scope="module")
def org_folder(tmp_path_factory: pytest.TempPathFactory, variants: list[str]) -> Path:
    """Five accounts, the fourth of which the collector could not reach."""
    folder = tmp_path_factory.mktemp("org") / "snapshots"
    build_org(folder, variants, 5, failed=(3,))
    return folder


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(report, args)
    code = result.exit_code
    if result.exception is not None and hasattr(result.exception, "exit_code"):
        code = result.exception.exit_code
    return code, result.output


def test_folder_writes_account_reports_and_summary(org_folder: Path, tmp_path: Path) -> None:
    """A folder gives one sub-folder per collected account and the summary beside them."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        report, [str(org_folder), "--lang", "ja", "--format", "html", "-o", str(out)]
    )
    assert isinstance(result.exception, OrganizationIncompleteError)
    assert result.exception.exit_code == 3
    assert "111100000003" in str(result.exception)
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    expected = ["summary.ja.html", "summary.json", "summary.csv"]
    for index in (0, 1, 2, 4):
        ident = account_id(index)
        expected += [f"{ident}/{n}" for n in (*org_report.MACHINE_FILES, "report.ja.html")]
    assert names == sorted(expected)
    assert result.output.count(str(out)) == len(expected)
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["schema"] == "reportgen.org-summary/1"
    assert [a["account_id"] for a in data["accounts"]] == [account_id(i) for i in (0, 1, 2, 4)]
    assert [m["account_id"] for m in data["missing"]] == ["111100000003"]
    first = data["accounts"][0]
    assert {"overall", "grade", "coverage", "sections", "statuses", "failing_checks"} <= set(first)
    table = (out / "summary.csv").read_bytes()
    assert table.startswith(b"\xef\xbb\xbf")
    assert len(table.decode("utf-8-sig").splitlines()) == 1 + 5


def test_main_exits_3_after_writing_everything(org_folder: Path, tmp_path: Path) -> None:
    """Through the real entry point a failed account gives exit code 3 and a one-line error."""
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stopped:
        main(["report", str(org_folder / "manifest.json"), "--format", "html", "-o", str(out)])
    assert stopped.value.code == 3
    assert (out / "summary.ja.html").exists()


def test_complete_organization_exits_0(variants: list[str], tmp_path: Path) -> None:
    """Without failed accounts the run succeeds and says every account was reported."""
    build_org(tmp_path / "snaps", variants, 3)
    code, _ = _run(
        [str(tmp_path / "snaps"), "--lang", "en", "--format", "html", "-o", str(tmp_path / "o")]
    )
    assert code == 0
    page = (tmp_path / "o" / "summary.en.html").read_text(encoding="utf-8")
    assert "Every account of the organization was collected and reported." in page


@pytest.fixture(scope="module")
def summary_page(org_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("page")
    _run(
        [
            str(org_folder),
            "--lang",
            "ja+en",
            "--format",
            "html",
            "--org-name",
            "桜商事",
            "-o",
            str(out),
        ]
    )
    return (out / "summary.ja+en.html").read_text(encoding="utf-8")


def test_summary_lists_the_failed_account_with_its_error(summary_page: str) -> None:
    """An account the collector could not reach is listed, with the collector's error."""
    assert "111100000003" in summary_page and "sakura-03" in summary_page
    assert "role/Audit: AccessDenied" in summary_page
    assert "未収集" in summary_page and "Not collected" in summary_page


def test_heatmap_has_a_row_per_account_worst_first(summary_page: str) -> None:
    """The heatmap has one row per reported account, lowest score first, coloured by grade."""
    heatmap = summary_page.split('<table class="heatmap">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<span class="acct-id mono">(\d{12})</span>', heatmap)
    assert sorted(rows) == [account_id(i) for i in (0, 1, 2, 4)]
    overall = [float(v) for v in re.findall(r'<td class="overall h-[a-e]">([\d.]+)</td>', heatmap)]
    assert len(overall) == 4 and overall == sorted(overall)
    assert re.search(r'<td class="h-[a-e]">[\d.]+</td>', heatmap)
    assert "ルートユーザーの保護" in summary_page and "Protecting the root user" in summary_page


def test_worst_checks_count_failing_accounts(summary_page: str) -> None:
    """The worst checks table counts accounts failing each check, most accounts first, then
    most severe: root without MFA (critical) fails in all four reporting accounts and leads."""
    worst = summary_page.split('<table class="worst">', 1)[1].split("</table>", 1)[0]
    assert worst.index("root_mfa_enabled") < worst.index("cloudtrail_multi_region_logging")
    counts = [int(n) for n in re.findall(r'<td class="num"><b>(\d+)</b></td>', worst)]
    assert counts == sorted(counts, reverse=True) and counts[0] == 4


def test_summary_links_each_account_report(summary_page: str) -> None:
    """The HTML summary links every account's own report by relative path."""
    for index in (0, 1, 2, 4):
        assert f'href="{account_id(index)}/report.ja+en.html"' in summary_page


def test_summary_is_deterministic(org_folder: Path, tmp_path: Path) -> None:
    """Two runs over the same folder give byte-identical summaries."""
    pages = []
    for name in ("a", "b"):
        _run([str(org_folder), "--format", "html", "-o", str(tmp_path / name)])
        pages.append((tmp_path / name / "summary.ja.html").read_bytes())
    assert pages[0] == pages[1]


def test_altered_snapshot_is_not_reported(variants: list[str], tmp_path: Path) -> None:
    """A snapshot whose bytes differ from the manifest's SHA-256 is listed, not assessed."""
    ids = build_org(tmp_path / "snaps", variants, 3)
    path = tmp_path / "snaps" / f"{ids[1]}.json"
    path.write_bytes(path.read_bytes() + b"\n")
    code, _ = _run([str(tmp_path / "snaps"), "--format", "html", "-o", str(tmp_path / "o")])
    assert code == 3
    assert not (tmp_path / "o" / ids[1]).exists()
    page = (tmp_path / "o" / "summary.ja.html").read_text(encoding="utf-8")
    assert "検証エラー" in page and "SHA-256" in page


def test_existing_files_need_force(org_folder: Path, tmp_path: Path) -> None:
    """A second run into the same folder writes nothing without --force."""
    args = [str(org_folder), "--format", "html", "-o", str(tmp_path)]
    assert _run(args)[0] == 3
    code, output = _run(args)
    assert code == 2 and output == ""
    assert _run([*args, "--force"])[0] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the manifest"),
        (b"{not json", "not a JSON manifest"),
        (b'{"schema": "reportgen.snapshot/1"}', "not a reportgen.org-manifest/1"),
        (b'{"schema": "reportgen.org-manifest/1", "accounts": [{}]}', "malformed manifest"),
        (
            b'{"schema": "reportgen.org-manifest/1", "accounts": [{"id": "111111111111",'
            b' "status": "ok", "snapshot": "../x.json"}]}',
            "file name in the folder",
        ),
    ],
)
def test_bad_manifest_is_an_input_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    """A missing or malformed manifest is a one-line input error naming the file."""
    if content is not None:
        (tmp_path / "manifest.json").write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_manifest(tmp_path)


def test_previous_is_refused_for_an_organization(org_folder: Path, tmp_path: Path) -> None:
    """--previous names one account's snapshot, so it is a usage error with a folder."""
    result = CliRunner().invoke(
        report, [str(org_folder), "--previous", str(org_folder), "-o", str(tmp_path)]
    )
    assert result.exit_code == 2 and "--history" in result.output


@pytest.fixture
def live_snapshots(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[Snapshot]]]:
    """Every Snapshot the report loads, weakly referenced."""
    seen: list[weakref.ref[Snapshot]] = []
    loads = snapshot.loads

    def tracking(data: bytes, name: str = "<snapshot>") -> Snapshot:
        current = loads(data, name)
        seen.append(weakref.ref(current))
        return current

    monkeypatch.setattr(snapshot, "loads", tracking)
    yield seen


def test_accounts_are_streamed(
    variants: list[str], tmp_path: Path, live_snapshots: list[weakref.ref[Snapshot]]
) -> None:
    """At most one account's snapshot is alive while any file is written, none at the end."""
    build_org(tmp_path / "snaps", variants, 4)  # enough to see one account at a time
    live_snapshots.clear()  # saving reads each snapshot back once: count the report's only
    alive_at_write: list[int] = []

    def sink(name: str, content: bytes) -> None:
        gc.collect()
        alive_at_write.append(sum(ref() is not None for ref in live_snapshots))

    options = OrgReportOptions(lang="en", formats=("html",), report=ReportOptions())
    summary = report_organization(tmp_path / "snaps", load_catalogue(), options, sink)
    gc.collect()
    assert len(live_snapshots) == 4 and len(summary.accounts) == 4
    assert max(alive_at_write) == 1
    assert all(ref() is None for ref in live_snapshots)


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory, variants: list[str]) -> Path:
    """Two accounts, the second of which the collector could not reach (one PDF to render)."""
    folder = tmp_path_factory.mktemp("small-org") / "snapshots"
    build_org(folder, variants, 2, failed=(1,))
    return folder


@pytest.mark.slow
def test_summary_pdf(small_org: Path, tmp_path: Path) -> None:
    """The summary PDF is archival, attaches the manifest and reads in both languages."""
    org_folder = small_org
    out = tmp_path / "out"
    code, _ = _run([str(org_folder), "--lang", "ja+en", "--format", "pdf", "-o", str(out)])
    assert code == 3
    pdf = PdfReader(io.BytesIO((out / "summary.ja+en.pdf").read_bytes()))
    manifest = (org_folder / "manifest.json").read_bytes()
    assert pdf.attachments["manifest.json"] == [manifest]
    assert hashlib.sha256(manifest).hexdigest()
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "組織サマリー" in text and "Organization Summary" in text
    assert account_id(1) in text  # the account without a report is named
    assert (out / account_id(0) / "report.ja+en.pdf").exists()


def test_each_account_is_announced_on_stderr_in_the_cli_language(
    org_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One progress line per account on stderr, numbered, in the command line's language."""
    out = tmp_path / "out"
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "report", str(org_folder), "--format", "html", "-o", str(out)])
    err = capsys.readouterr().err
    assert f"[1/5] アカウント {account_id(0)} の報告書を作成しています…" in err
    assert f"[5/5] アカウント {account_id(4)}" in err
    again = ["--lang", "en", "report", str(org_folder), "--format", "html", "-o", str(out)]
    with pytest.raises(SystemExit):
        main([*again, "--force"])
    assert f"[1/5] account {account_id(0)}: writing its report…" in capsys.readouterr().err


def test_summary_cover_names_the_profile_by_its_title(summary_page: str) -> None:
    """The organization summary shows the profile's title, not its id."""
    assert "IAM 基本対策ベースライン（既定）" in summary_page


def test_languages_share_an_organization_folder(
    org_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ja then en into one folder without --force: each account's machine outputs of the same
    assessment are kept; the same language again needs --force."""
    out = tmp_path / "out"
    base = ["report", str(org_folder), "--format", "html", "-o", str(out)]
    with pytest.raises(SystemExit):  # exit 3: one account of the fixture has no report
        main([*base, "--lang", "ja"])
    first = out / account_id(0) / "findings.json"
    kept = first.read_bytes()
    with pytest.raises(SystemExit) as second:
        main([*base, "--lang", "en"])
    assert second.value.code == 3
    assert (out / account_id(0) / "report.en.html").is_file()
    assert (out / "summary.en.html").is_file() and first.read_bytes() == kept
    capsys.readouterr()
    with pytest.raises(SystemExit) as again:
        main([*base, "--lang", "en"])
    assert again.value.code == 2 and "--force" in capsys.readouterr().err
