"""The catalogue loader's validation, and catalogue-wide rules for the shipped specs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reportgen.errors import CatalogueError
from reportgen.evaluate.catalogue import Catalogue, load_catalogue
from reportgen.evaluate.checkspec import CIS_VERSIONS
from reportgen.evaluate.findings import Finding, Section, Severity, Status
from reportgen.evaluate.messages import placeholders
from reportgen.evaluate.profiles import all_checks, load_profile, profile_names
from reportgen.evaluate.rules import REGISTRY
from tests.evaluate.conftest import TABLE, write_spec
from tests.evaluate.test_evaluate import SNAPSHOTS

TEXT = {"ja": "日本語", "en": "English"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"section": "nowhere"}, "unknown section 'nowhere'"),
        ({"severity": "urgent"}, "unknown severity 'urgent'"),
        ({"sources": ["credential_report", "guesswork"]}, "sources must be"),
        ({"resource_type": "bucket"}, "unknown resource_type 'bucket'"),
        ({"id": "other_id"}, "differs from the file name"),
        ({"title": {"ja": "題"}}, "title needs text in each of ja, en"),
        (
            {"message": {"fail": {"ja": "{user}が失敗", "en": "{arn} failed"}, "pass": TEXT}},
            "ja and en use different placeholders",
        ),
        (
            {"message": {"fail": {"ja": "{nothing}", "en": "{nothing}"}, "pass": TEXT}},
            "the rule produces no evidence named ['nothing']",
        ),
        (
            {
                "message": {"fail": {"ja": "{user}", "en": "{user}"}, "pass": TEXT},
                "evidence": ["arn"],
            },
            "missing from 'evidence'",
        ),
        ({"message": {"pass": TEXT}}, "needs at least 'pass' and 'fail'"),
        ({"parameters": {}}, "differ from those the rule reads"),
        (
            {"parameters": {"max_key_age_days": {"type": "int", "default": "ninety"}}},
            "default is not a int",
        ),
        (
            {
                "parameters": {
                    "max_key_age_days": {"type": "int", "default": 90},
                    "extra": {"type": "int", "default": 1},
                }
            },
            "differ from those the rule reads",
        ),
        (
            {"mappings": {"cis": {"8.0": "3.1"}, "security_hub": []}},
            "unknown CIS version '8.0'",
        ),
        ({"mappings": {"cis": {6.0: "2.13"}, "security_hub": []}}, "unknown CIS version 6.0"),
        (
            {"mappings": {"cis": {"6.0": 2.13}, "security_hub": []}},
            "mappings.cis.6.0: the item must be a quoted number",
        ),
        ({"mappings": {"cis": ["2.13"], "security_hub": []}}, "mappings.cis must be a mapping"),
    ],
)
def test_invalid_specs_fail_loudly(
    catalogue_dir: Path, overrides: dict[str, Any], message: str
) -> None:
    """Each kind of spec mistake raises CatalogueError naming the file and the problem."""
    write_spec(catalogue_dir, "access_key_rotated", **overrides)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(catalogue_dir)
    assert message in str(info.value)
    assert "access_key_rotated.yaml" in str(info.value)


def test_bad_yaml_names_file_and_line(catalogue_dir: Path) -> None:
    """Unparseable YAML is reported with its file and line."""
    path = catalogue_dir / "root_mfa_enabled.yaml"
    path.write_text("id: root_mfa_enabled\ntitle: {ja: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=rf"{re.escape(str(path))}:\d+: invalid YAML"):
        load_catalogue(catalogue_dir)


def test_spec_without_rule_and_rule_without_spec(catalogue_dir: Path) -> None:
    """A spec needs a rule and a rule needs a spec."""
    write_spec(catalogue_dir, "access_key_rotated", id="brand_new_check")
    (catalogue_dir / "access_key_rotated.yaml").rename(catalogue_dir / "brand_new_check.yaml")
    with pytest.raises(CatalogueError, match="rules without a spec file: access_key_rotated"):
        load_catalogue(catalogue_dir)
    write_spec(catalogue_dir, "access_key_rotated")
    with pytest.raises(CatalogueError, match="'brand_new_check' has no rule"):
        load_catalogue(catalogue_dir)


def test_version_is_a_stable_content_hash(catalogue_dir: Path) -> None:
    """The catalogue version changes with the specs' content and only then."""
    first = load_catalogue(catalogue_dir).version
    assert load_catalogue(catalogue_dir).version == first
    write_spec(catalogue_dir, "root_mfa_enabled", severity="low")
    assert load_catalogue(catalogue_dir).version != first


def test_message_filling(mini_catalogue: Catalogue) -> None:
    """Messages are filled from evidence; UNKNOWN uses the common text with the reason's text."""
    unknown = Finding(
        "console_user_mfa",
        Section.MFA,
        Severity.HIGH,
        Status.UNKNOWN,
        "user",
        "a",
        "a",
        {"source": "credential_report", "reason": "user_not_in_report", "source_message": None},
    )
    assert mini_catalogue.message(unknown, "en").startswith(
        "unknown: credential_report the credential report has no row"
    )
    assert "認証情報レポート" in mini_catalogue.message(unknown, "ja")


# --- The shipped catalogue (checks/) --------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue()


def test_shipped_catalogue_is_exactly_the_readme_table(shipped: Catalogue) -> None:
    """The specs are the README's 26 checks with its sections, severities, resources, sources."""
    assert set(shipped.ids) == set(TABLE) == set(REGISTRY)
    for check_id, row in TABLE.items():
        spec = shipped[check_id]
        assert spec.section.value == row["section"], check_id
        assert spec.severity.value == row["severity"], check_id
        assert spec.resource_type == row["resource_type"], check_id
        assert list(spec.sources) == row["sources"], check_id
        expected = {k: tuple(v) if isinstance(v, list) else v for k, v in row["parameters"].items()}
        assert dict(spec.defaults) == expected, check_id


def test_readme_cis_column_is_the_specs_mapping(shipped: Catalogue) -> None:
    """The README's CIS column (v3 to v7) shows exactly each spec's CIS items."""
    assert len(CIS_VERSIONS) == 5
    for check_id, row in TABLE.items():
        spec = shipped[check_id]
        assert {v: spec.cis(v) for v in CIS_VERSIONS if spec.cis(v)} == row["cis"], check_id


def test_shipped_ids_are_well_formed_and_unique(shipped: Catalogue) -> None:
    """Ids are snake_case and unique."""
    assert len(set(shipped.ids)) == len(shipped.ids)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]+", i) for i in shipped.ids)


def test_shipped_texts_exist_in_both_languages(shipped: Catalogue) -> None:
    """Titles, rationale, remediation steps and the section texts are present in ja and en."""
    for spec in shipped.checks.values():
        for lang in ("ja", "en"):
            assert spec.text("title", lang) and spec.text("rationale", lang), spec.id
            assert spec.console_steps[lang], spec.id
    for section in shipped.sections.values():
        assert section.title["ja"] and section.title["en"]


@pytest.mark.parametrize("variant", sorted(SNAPSHOTS))
def test_every_message_can_be_filled_from_real_results(shipped: Catalogue, variant: str) -> None:
    """For every finding of the fixture accounts, its message's placeholders are in its evidence."""
    from reportgen.evaluate.run import evaluate

    assessment = evaluate(SNAPSHOTS[variant](), all_checks(shipped), catalogue=shipped)
    for finding in assessment.findings:
        for lang in ("ja", "en"):
            text = shipped.message(finding, lang)
            assert "{" not in text or "}" not in text, (finding.check_id, text)


def test_shipped_profiles_load(shipped: Catalogue) -> None:
    """Every shipped profile loads; the article profile omits root_hardware_mfa."""
    names = profile_names(shipped)
    assert "article" in names
    for name in names:
        load_profile(name, shipped)
    assert "root_hardware_mfa" not in load_profile("article", shipped).checks


def test_placeholders_parse() -> None:
    """Placeholders are the {names} of a message."""
    assert placeholders("{user} の {key_id} は {age_days} 日") == {"user", "key_id", "age_days"}


def test_fill_command_leaves_unknown_braces() -> None:
    """Remediation commands get evidence values; JSON braces and unknown names stay."""
    from reportgen.evaluate.messages import fill_command

    command = "aws iam x --user-name {user} --policy '{\"a\": 1}' --n {threshold} {nope}"
    assert fill_command(command, {"user": "bob", "threshold": 90}) == (
        "aws iam x --user-name bob --policy '{\"a\": 1}' --n 90 {nope}"
    )


def test_english_messages_have_no_parenthesised_plurals(shipped: Catalogue) -> None:
    """ "1 active access key(s)" reads as a machine's sentence: English messages are worded
    so that any count reads right (``Active access keys of user X: 1.``), in the catalogue and
    in the report's texts."""
    texts = [
        text["en"]
        for spec in shipped.checks.values()
        for text in (*spec.messages.values(), *spec.variants.values())
    ]
    report_po = Path(__file__).parents[2] / "locale" / "en" / "LC_MESSAGES" / "report.po"
    texts += report_po.read_text(encoding="utf-8").splitlines()
    assert [t for t in texts if re.search(r"\w\(s\)", t)] == []
