"""Profiles: selection, overrides, and loud errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.profiles import default_profile, load_profile
from reportgen.evaluate.run import evaluate
from tests.factories import ago, make_key, make_row, make_snapshot, make_user


def write(folder: Path, text: str, name: str = "custom") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_selects_checks_and_overrides_parameters(catalogue_dir: Path) -> None:
    """A profile runs only its checks, with its parameter values."""
    (catalogue_dir / "profiles").mkdir()
    write(
        catalogue_dir / "profiles",
        """\
id: strict
checks: [access_key_unused, root_no_access_key]
parameters:
  access_key_unused: {max_unused_days: 45}
""",
        "strict",
    )
    catalogue = load_catalogue(catalogue_dir)
    profile = load_profile("strict", catalogue)
    assert profile.checks == ("root_no_access_key", "access_key_unused")  # catalogue order
    snap = make_snapshot(
        users=[make_user(credentials=make_row(keys=[make_key(1, last_used_date=ago(50))]))]
    )
    findings = evaluate(snap, profile, catalogue=catalogue).findings
    assert {f.check_id for f in findings} == set(profile.checks)
    assert [f.status for f in findings if f.check_id == "access_key_unused"] == [Status.FAIL]


def test_default_profile_is_article_when_present(catalogue_dir: Path) -> None:
    """Without a choice the article profile is used; without the file, every check."""
    catalogue = load_catalogue(catalogue_dir)
    assert default_profile(catalogue).id == "all"
    (catalogue_dir / "profiles").mkdir()
    write(catalogue_dir / "profiles", "id: article\nchecks: [root_mfa_enabled]\n", "article")
    assert default_profile(load_catalogue(catalogue_dir)).checks == ("root_mfa_enabled",)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("checks: [root_mfa_enabled, no_such_check]\n", "unknown check id 'no_such_check'", 1),
        ("checks:\n  - root_mfa_enabled\n  - nope\n", "unknown check id 'nope'", 3),
        (
            "checks: [access_key_unused]\nparameters:\n  access_key_unused: {max_days: 4}\n",
            "no parameter 'max_days'",
            3,
        ),
        (
            "checks: [access_key_unused]\nparameters:\n  access_key_unused:\n"
            "    max_unused_days: lots\n",
            "must be a int",
            4,
        ),
        (
            "checks: [root_mfa_enabled]\nparameters:\n  access_key_unused: {max_unused_days: 3}\n",
            "is not among the checks",
            3,
        ),
        ("checks: []\n", "at least one", 1),
        ("checks: [root_mfa_enabled]\nextra: 1\n", "unknown key 'extra'", 2),
        ("checks: [a\n", "invalid YAML", 2),
    ],
)
def test_bad_profiles_name_file_and_line(
    mini_catalogue: Catalogue, tmp_path: Path, text: str, message: str, line: int
) -> None:
    """Unknown checks, parameters, wrong types and bad YAML raise CatalogueError with file:line."""
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as info:
        load_profile(path, mini_catalogue)
    assert message in str(info.value)
    assert f"{path}:{line}" in str(info.value)


def test_unknown_profile_name(mini_catalogue: Catalogue) -> None:
    """Asking for a profile that does not exist says so."""
    with pytest.raises(CatalogueError, match="unknown profile 'nope'"):
        load_profile("nope", mini_catalogue)
