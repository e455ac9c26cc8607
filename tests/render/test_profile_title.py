"""The profile is shown to readers by its title (terminal, cover); its id stays where a user
types it (--profile) and in the method appendix beside the title."""

from __future__ import annotations

from pathlib import Path

from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.run import evaluate
from reportgen.formats.table import summary
from reportgen.render import ReportOptions
from reportgen.render.context import build_context
from reportgen.snapshot import document as snapshots

SNAPSHOT = Path(__file__).parents[1] / "hardening" / "corpus" / "snapshots" / "ok_minimal.json"
TITLE_JA = "IAM 基本対策ベースライン（既定）"
TITLE_EN = "IAM essentials baseline (default)"


def test_profile_title_on_the_terminal_cover_and_method() -> None:
    """Terminal line and cover: the title; the method appendix: title and id."""
    catalogue = load_catalogue()
    snapshot = snapshots.load(SNAPSHOT)
    assessment = evaluate(snapshot, catalogue=catalogue)
    assert assessment.profile == "article"
    assert assessment.profile_name("ja") == TITLE_JA
    assert TITLE_JA in summary(assessment, catalogue, "ja")
    assert f"{TITLE_JA} / {TITLE_EN}" in summary(assessment, catalogue, "ja+en")
    context = build_context(assessment, snapshot, catalogue, ("ja", "en"), ReportOptions())
    cover = {str(f.label): f.value for f in context.cover.facts}
    shown = next(v for k, v in cover.items() if "プロファイル" in k)
    assert shown.get("ja") == TITLE_JA and shown.get("en") == TITLE_EN
    method = {str(f.label): f.value for f in context.method.facts}
    detail = next(v for k, v in method.items() if "プロファイル" in k)
    assert detail.get("en") == f"{TITLE_EN} (article)"
