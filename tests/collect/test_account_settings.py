"""Alternate contacts, identity providers and IAM Identity Center, collected from moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.account.models import AccountBackend
from moto.core.exceptions import JsonRESTError
from moto.iam.exceptions import IAMException
from moto.iam.models import IAMBackend
from moto.ssoadmin.models import Instance, SSOAdminBackend, ssoadmin_backends

from reportgen.collect.account import CollectOptions, collect
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.profiles import Profile
from reportgen.evaluate.run import evaluate
from reportgen.resources import data_dir
from reportgen.sandbox import fidelity
from reportgen.snapshot import document as snapshot
from reportgen.snapshot.model import SourceStatus, Src

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*does not match an error shape")

REGION = "ap-northeast-1"
FAST = CollectOptions(sleep=lambda _s: None, region=REGION)
CHECKS = ("security_contact_registered", "central_identity")


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def put_contact(kind: str, name: str = "Sakura CSIRT") -> None:
    boto3.client("account", region_name=REGION).put_alternate_contact(
        AlternateContactType=kind,
        Name=name,
        Title="CSIRT",
        EmailAddress=f"{kind.lower()}@example.co.jp",
        PhoneNumber="+81-3-0000-0000",
    )


def refuse(monkeypatch: pytest.MonkeyPatch, cls: Any, method: str, code: str, **only: str) -> None:
    """Make a moto backend method answer with an AWS error (only for matching arguments)."""
    original = getattr(cls, method)
    text = f"User: arn:aws:iam::123456789012:user/c is not authorized ({code})"

    class Refused(IAMException):
        pass

    Refused.code = code

    def failing(self: Any, *args: Any, **kwargs: Any) -> Any:
        if all(kwargs.get(k) == v for k, v in only.items()):
            raise Refused(text) if cls is IAMBackend else JsonRESTError(code, text)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, failing)


def findings(document: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """Save, load and evaluate the document; the two checks' findings by check id."""
    path = tmp_path / "snapshot.json"
    snapshot.save(document, path)
    catalogue = load_catalogue(data_dir("checks"))
    profile = Profile("two", {"ja": "2", "en": "2"}, {"ja": "", "en": ""}, CHECKS)
    result = evaluate(snapshot.load(path), profile, catalogue=catalogue)
    return {f.check_id: f for f in result.findings}


def test_contacts_are_read_and_a_missing_type_is_none(aws: None, tmp_path: Path) -> None:
    """SECURITY and BILLING registered, OPERATIONS not (ResourceNotFoundException): source ok,
    OPERATIONS null, and the security contact check passes naming the contact."""
    put_contact("SECURITY")
    put_contact("BILLING", "Keiri")
    document = collect(boto3.Session(), FAST)
    assert document["sources"][Src.ALTERNATE_CONTACTS] == {"status": "ok", "message": None}
    contacts = document["data"][Src.ALTERNATE_CONTACTS]["contacts"]
    assert contacts["SECURITY"]["EmailAddress"] == "security@example.co.jp"
    assert contacts["BILLING"]["Name"] == "Keiri"
    assert contacts["OPERATIONS"] is None
    assert "errors" not in document["data"][Src.ALTERNATE_CONTACTS]
    found = findings(document, tmp_path)["security_contact_registered"]
    assert found.status is Status.PASS
    assert (found.evidence["contact"], found.evidence["email"]) == (
        "Sakura CSIRT",
        "security@example.co.jp",
    )
    assert (found.evidence["registered_contacts"], found.evidence["unregistered_contacts"]) == (
        "BILLING, SECURITY",
        "OPERATIONS",
    )


def test_no_security_contact_fails(aws: None, tmp_path: Path) -> None:
    """AWS's ResourceNotFoundException for SECURITY is "none registered": FAIL, not UNKNOWN."""
    document = collect(boto3.Session(), FAST)
    assert document["data"][Src.ALTERNATE_CONTACTS]["contacts"] == {
        "SECURITY": None,
        "BILLING": None,
        "OPERATIONS": None,
    }
    assert findings(document, tmp_path)["security_contact_registered"].status is Status.FAIL


@pytest.mark.parametrize(
    ("code", "status"), [("AccessDeniedException", "denied"), ("InternalServerException", "error")]
)
def test_security_contact_unreadable_is_unknown(
    aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: str, status: str
) -> None:
    """GetAlternateContact(SECURITY) refused: the source is denied (or error) with AWS's
    message, no data is kept, and the check is UNKNOWN naming the source, never PASS."""
    put_contact("SECURITY")
    refuse(monkeypatch, AccountBackend, "get_alternate_contact", code)
    document = collect(boto3.Session(), FAST)
    source = document["sources"][Src.ALTERNATE_CONTACTS]
    assert source["status"] == status and "GetAlternateContact" in source["message"]
    assert Src.ALTERNATE_CONTACTS not in document["data"]
    found = findings(document, tmp_path)["security_contact_registered"]
    assert found.status is Status.UNKNOWN
    assert (found.evidence["source"], found.evidence["reason"]) == (
        "alternate_contacts",
        f"source_{status}",
    )


def test_billing_refused_alone_is_kept_as_an_error_beside_the_contacts(
    aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """BILLING and OPERATIONS are only evidence: their refusal is noted, SECURITY still decides."""
    put_contact("SECURITY")
    refuse(
        monkeypatch,
        AccountBackend,
        "get_alternate_contact",
        "AccessDeniedException",
        alternate_contact_type="BILLING",
    )
    document = collect(boto3.Session(), FAST)
    section = document["data"][Src.ALTERNATE_CONTACTS]
    assert document["sources"][Src.ALTERNATE_CONTACTS]["status"] == "ok"
    assert set(section["contacts"]) == {"SECURITY", "OPERATIONS"}
    assert "AccessDeniedException" in section["errors"]["BILLING"]
    loaded = snapshot.load(_saved(document, tmp_path))
    assert set(loaded.alternate_contacts) == {"SECURITY", "OPERATIONS"}
    assert findings(document, tmp_path)["security_contact_registered"].status is Status.PASS


def _saved(document: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "saved.json"
    snapshot.save(document, path)
    return path


def add_instance(region: str) -> None:
    ssoadmin_backends["123456789012"][region].instances.append(Instance("123456789012", region))


def test_identity_providers_and_instances_are_recorded(tmp_path: Path) -> None:
    """SAML and OIDC providers are listed with their ARNs; Identity Center's instances with the
    region they were read in."""
    fidelity.install()  # stock moto gives every account and region an instance; AWS does not
    with mock_aws():
        add_instance(REGION)
        _providers_and_instances(tmp_path)


def _providers_and_instances(tmp_path: Path) -> None:
    iam = boto3.client("iam", region_name=REGION)
    iam.create_saml_provider(Name="Okta", SAMLMetadataDocument="<EntityDescriptor/>" * 100)
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["0" * 40],
    )
    document = collect(boto3.Session(), FAST)
    providers = document["data"][Src.IDENTITY_PROVIDERS]
    assert [p["Arn"].rsplit("/", 1)[-1] for p in providers["saml"]] == ["Okta"]
    assert providers["oidc"] == [
        {"Arn": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}
    ]
    center = document["data"][Src.IDENTITY_CENTER]
    assert center["region"] == REGION
    assert [i["Status"] for i in center["instances"]] == ["ACTIVE"]
    loaded = snapshot.load(_saved(document, tmp_path))
    assert [(p.kind, p.arn.rsplit("/", 1)[-1]) for p in loaded.identity_providers] == [
        ("saml", "Okta"),
        ("oidc", "token.actions.githubusercontent.com"),
    ]
    assert loaded.identity_center_region == REGION
    assert len(loaded.identity_center_instances) == 1


def test_identity_center_is_read_in_the_collection_region_only(tmp_path: Path) -> None:
    """One ListInstances, in the collection region: an instance in another region is not seen
    (with the sandbox's fidelity, an account has none until one is created)."""
    fidelity.install()
    with mock_aws():
        add_instance("us-east-1")
        document = collect(boto3.Session(), FAST)
    assert document["data"][Src.IDENTITY_CENTER] == {"region": REGION, "instances": []}


@pytest.mark.parametrize(
    ("cls", "method", "source"),
    [
        (SSOAdminBackend, "list_instances", Src.IDENTITY_CENTER),
        (IAMBackend, "list_saml_providers", Src.IDENTITY_PROVIDERS),
        (IAMBackend, "list_open_id_connect_providers", Src.IDENTITY_PROVIDERS),
    ],
)
def test_a_denied_identity_source_makes_central_identity_unknown(
    aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cls: Any, method: str, source: Src
) -> None:
    """ListInstances or a provider list refused: that source is denied and central_identity is
    UNKNOWN naming it, never PASS or N/A."""
    refuse(monkeypatch, cls, method, "AccessDeniedException")
    document = collect(boto3.Session(), FAST)
    assert document["sources"][source]["status"] in ("denied", "error")
    found = findings(document, tmp_path)["central_identity"]
    assert found.status is Status.UNKNOWN
    assert found.evidence["source"] == source.value


def test_the_document_with_every_new_source_validates(aws: None) -> None:
    """The three sources are ok and their data pass the snapshot schema."""
    put_contact("SECURITY")
    document = collect(boto3.Session(), FAST)
    snapshot.validate(json.loads(snapshot.dumps(document)))
    sources = (Src.ALTERNATE_CONTACTS, Src.IDENTITY_PROVIDERS, Src.IDENTITY_CENTER)
    assert {document["sources"][s]["status"] for s in sources} == {SourceStatus.OK.value}
