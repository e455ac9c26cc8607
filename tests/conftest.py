"""Shared test set-up: every test runs with fake AWS credentials and no real AWS config,
property tests run derandomized without a deadline, and the slow modules come first."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import settings

# Property tests are reproducible (the same examples on every run) and judged by what they
# find, not by the time an example takes on a loaded CI machine (the default 200 ms deadline
# failed a scoring property under load).
settings.register_profile("reportgen", derandomize=True, deadline=None)
settings.load_profile("reportgen")

# The suite allocates millions of short-lived objects (snapshots, findings, moto's models), and
# Python's default collector pace (a young collection every 700 allocations) rescanned them
# again and again: a young collection every 20,000 saves about a tenth of the suite's CPU
# (tests/evaluate + test_cheats + compare + review: 60.8 -> 55.0 s user on 2 cores).
gc.set_threshold(20_000, 20, 20)


@pytest.fixture(autouse=True)
def no_global_lang_from_another_test() -> Iterator[None]:
    """Each test starts with no global ``--lang`` chosen, as every run of the command line does.
    A test that invokes a subcommand directly (not through ``main``) otherwise inherited the
    ``--lang en`` of an earlier test in the same worker (evaluate's default table came out in
    English, depending on which files a worker had run before)."""
    from reportgen.cli.common import choose_output_lang

    choose_output_lang([])
    yield
    choose_output_lang([])


@pytest.fixture(autouse=True)
def isolated_aws_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test may read the developer's real AWS credentials or reach AWS."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    missing = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(missing))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(missing))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # Terminal tables follow COLUMNS: no test depends on the width of the shell running it.
    monkeypatch.delenv("COLUMNS", raising=False)
    yield


@pytest.fixture(autouse=True, scope="session")
def aws_like_regions() -> None:
    """Stock moto lists 38 regions (China and GovCloud included) and builds a region's whole
    EC2 model (about 0.2 s) on its first request; the collector reads EC2 instances in every
    enabled region, so one collection on stock moto cost about 8 s. The sandbox's region patch
    (AWS's 17 default regions; a region where nothing was created answers at once) holds for
    every test, so no result depends on which test happened to install it first. So does its
    emulation of IAM's ListOrganizationsFeatures, which stock moto lacks (every collection
    asks it), and its refusal of Organizations' reads to ordinary member accounts, which stock
    moto answers (an account collected alone reads its SCP chain)."""
    from reportgen.sandbox import orgreads, orgroot, regions

    regions.install()
    orgroot.install()
    orgreads.install()


@pytest.fixture(autouse=True)
def english_command_line() -> Iterator[None]:
    """Each test starts with the command line's language unset (English), whatever language an
    earlier test in the same worker ran ``reportgen`` in (``main`` sets it per run; a command
    invoked directly through Click's runner does not)."""
    from reportgen.cli import i18n

    i18n._CURRENT[0] = "en"
    yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding the most ``slow`` tests first (stable otherwise): with ``--dist loadfile``
    (pyproject.toml) each module runs on one worker, so its module-scoped fixtures (a rendered
    PDF, an account collected from moto) are built once, and the long modules start at once
    while the quick ones even out the end of a parallel run."""
    slow = Counter(item.path for item in items if item.get_closest_marker("slow"))
    first = {path: index for index, path in enumerate(dict.fromkeys(i.path for i in items))}
    items.sort(key=lambda item: (-slow[item.path], first[item.path]))
