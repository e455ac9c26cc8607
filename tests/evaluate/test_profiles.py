"""Profiles: selection, overrides, and loud errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.findings import Status
from reportgen.evaluate.profiles import default_profile, load_profile, profile_names
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


# --- The shipped CIS profiles -------------------------------------------------------------

CIS_PROFILES = {"cis-v5": "5.0", "cis-v6": "6.0", "cis-v7": "7.0"}


@pytest.mark.parametrize(("name", "version"), sorted(CIS_PROFILES.items()))
def test_cis_profile_runs_every_mapped_check_and_only_supplements_besides(
    name: str, version: str
) -> None:
    """A CIS profile runs every check mapped to its version; any other check it runs has no
    CIS item in any version (a supplement such as dormant_user), so an item the benchmark
    dropped (v7: no_unused_setup_key, single_active_access_key) is not graded under it."""
    catalogue = load_catalogue()
    profile = load_profile(name, catalogue)
    assert profile.id == name and version in profile.title["en"]
    mapped = {s.id for s in catalogue.checks.values() if s.cis(version)}
    assert mapped <= set(profile.checks)
    for check_id in set(profile.checks) - mapped:
        assert not catalogue[check_id].mappings.get("cis"), (name, check_id)


def test_cis_profiles_share_the_benchmark_thresholds() -> None:
    """v6 and v7 keep v5's thresholds (45-day unused credentials, 90-day rotation, 14/24)."""
    catalogue = load_catalogue()
    v5, v6, v7 = (load_profile(n, catalogue) for n in ("cis-v5", "cis-v6", "cis-v7"))
    assert v6.checks == v5.checks
    assert set(v5.checks) - set(v7.checks) == {"no_unused_setup_key", "single_active_access_key"}
    for spec in catalogue.checks.values():
        if spec.id in v7.checks:
            assert v5.params(spec) == v6.params(spec) == v7.params(spec), spec.id
            assert spec.meets("cis", v7.params(spec)) == spec.meets("cis", v5.params(spec))


def test_profile_help_names_every_shipped_profile() -> None:
    """`--profile`'s help (en and ja) names each profile shipped in checks/profiles/."""
    from reportgen.cli.evaluate_cmd import evaluate_command
    from reportgen.cli.i18n import translate

    help_en = next(p.help for p in evaluate_command.params if p.name == "profile")
    assert help_en
    for name in profile_names(load_catalogue()):
        assert name in help_en, name
        assert name in translate("ja", help_en), name
