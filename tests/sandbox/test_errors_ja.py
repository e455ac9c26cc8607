"""Sandbox errors are keyed: a lab's ``account:`` mistakes and the server's refusals in Japanese."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from reportgen.cli.i18n import error_text
from reportgen.errors import InputError, LabError
from reportgen.sandbox.awspolicies import aws_policy_arn
from reportgen.sandbox.company import company
from reportgen.sandbox.server import sandbox_server
from reportgen.sandbox.spec import spec_from_mapping
from tests.sandbox.conftest import TODAY


@pytest.mark.parametrize(
    ("data", "ja", "en"),
    [
        (
            {"userz": []},
            "account：不正なキーがあります：userz。",
            "account: unknown keys: userz",
        ),
        (
            {"users": [{"name": "a"}]},
            "account.users[0]：必要なキーがありません：age_days。",
            "account.users[0]: missing keys: age_days",
        ),
        (
            {"users": [{"name": "a", "age_days": "old"}]},
            "account.users[0].age_days：整数のはずですが、'old' です。",
            "account.users[0].age_days: expected a whole number, got 'old'",
        ),
        (
            {"root": {"mfa": "yes"}},
            "account.root.mfa：bool の値のはずですが、'yes' です。",
            "account.root.mfa: expected bool, got 'yes'",
        ),
        (
            {"users": {"name": "a"}},
            "account.users：リストで書いてください。",
            "account.users: expected a list",
        ),
    ],
)
def test_spec_errors_read_in_japanese(data: dict[str, Any], ja: str, en: str) -> None:
    """An `account:` mistake names the place and the fault in Japanese; English as before."""
    with pytest.raises(InputError) as raised:
        spec_from_mapping(data)
    assert error_text(raised.value, "ja") == ja
    assert str(raised.value) == en


def test_a_tag_that_is_not_a_pair_is_an_input_error() -> None:
    """A tag written with three values is one keyed error naming the place, not a traceback."""
    data = {"users": [{"name": "a", "age_days": 1, "tags": [["team", "app", "x"]]}]}
    with pytest.raises(InputError) as raised:
        spec_from_mapping(data)
    assert str(raised.value) == "account.users[0].tags[0]: expected 2 values, got 3"
    assert error_text(raised.value, "ja") == (
        "account.users[0].tags[0]：値は2個のはずですが、3個あります。"
    )


def test_unknown_aws_managed_policy_and_company_size_read_in_japanese() -> None:
    """An unknown AWS managed policy and a company size out of range, in Japanese."""
    with pytest.raises(InputError) as policy:
        aws_policy_arn("ReadOnlyAccesss")
    assert error_text(policy.value, "ja") == "AWS 管理ポリシー ReadOnlyAccesss はありません。"
    assert str(policy.value) == "unknown AWS managed policy: ReadOnlyAccesss"
    with pytest.raises(InputError) as size:
        company(5001, today=TODAY)
    assert (
        error_text(size.value, "ja")
        == "会社の規模は 10〜5000 人で指定してください（指定値：5001）。"
    )
    assert str(size.value) == "company size must be 10 to 5000, got 5001"


def test_server_refusals_read_in_japanese() -> None:
    """A non-loopback host and a taken port: the refusal and the OS reason in Japanese."""
    with pytest.raises(LabError) as host, sandbox_server(host="0.0.0.0"):
        pass
    assert error_text(host.value, "ja") == (
        "サンドボックスのサーバーはループバックアドレスでのみ待ち受けます。0.0.0.0 は使えません。"
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(LabError) as taken, sandbox_server(port=port):
            pass
    assert error_text(taken.value, "ja") == (
        f"127.0.0.1:{port} で待ち受けできません（アドレスは既に使用されています）。"
    )
    assert str(taken.value) == f"cannot listen on 127.0.0.1:{port}: Address already in use"


def test_every_keyed_error_of_training_and_sandbox_has_both_texts() -> None:
    """Each ``keyed("k", …)`` in training/ and sandbox/ has ``error.k`` in en and ja, and the
    values it passes are exactly the placeholders of both texts (no KeyError at raise time)."""
    import ast
    import string
    from pathlib import Path

    from reportgen.lang import messages

    root = Path(__file__).resolve().parents[2] / "reportgen"
    catalogues = {lang: messages("cli", lang) for lang in ("en", "ja")}
    found = []
    for path in sorted([*root.joinpath("training").glob("*.py"), *root.glob("sandbox/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "keyed" or not isinstance(node.args[0], ast.Constant):
                continue
            key = f"error.{node.args[0].value}"
            given = {k.arg for k in node.keywords}
            for lang, catalogue in catalogues.items():
                fields = {
                    name.partition("!")[0]
                    for _, name, _, _ in string.Formatter().parse(catalogue.get(key, ""))
                    if name
                }
                assert key in catalogue and fields == given, (path.name, key, lang)
            found.append(key)
    assert len(found) >= 50
