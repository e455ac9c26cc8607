"""Appendix C, how the report was made: the collection and evaluation facts, and what the
effective-permission verdicts of this account did and did not take into account (its SCPs)."""

from __future__ import annotations

from reportgen.evaluate import scoring
from reportgen.evaluate.actions import database_version
from reportgen.evaluate.catalogue import Catalogue
from reportgen.evaluate.findings import Assessment
from reportgen.evaluate.scp import APPLIED, NOT_READ, UNUSABLE, ScpState, scp_state
from reportgen.render import fmt
from reportgen.render.i18n import Text, Ui, plain
from reportgen.render.views import Field, MethodView
from reportgen.snapshot.entries import short
from reportgen.snapshot.model import Snapshot, SourceStatus, Src


def _profile_with_id(assessment: Assessment, lang: str) -> str:
    """The profile's title and, for ``--profile`` and verify, its id: ``Title (article)``."""
    name = assessment.profile_name(lang)
    return name if name == assessment.profile else f"{name} ({assessment.profile})"


def method_view(
    assessment: Assessment, snapshot: Snapshot, catalogue: Catalogue, ui: Ui
) -> MethodView:
    """Appendix C's facts, scoring weights and the account's SCP statement."""
    langs = ui.langs
    collector = snapshot.collector
    facts = (
        Field(ui("method.collected_at"), fmt.stamp(snapshot.collected_at, langs)),
        Field(ui("method.as_of"), fmt.stamp(assessment.as_of, langs)),
        Field(ui("method.collected_by"), plain(collector.caller_arn or "—", langs)),
        Field(ui("method.collector"), plain(f"{collector.tool} {collector.version}", langs)),
        Field(ui("method.endpoint"), plain(collector.endpoint or "—", langs)),
        Field(
            ui("method.profile"), Text(tuple((x, _profile_with_id(assessment, x)) for x in langs))
        ),
        Field(ui("method.catalogue_version"), plain(catalogue.version, langs)),
        Field(ui("method.iam_actions"), plain(database_version(), langs)),
        Field(ui("method.checks"), fmt.number(len(assessment.check_ids), langs)),
        Field(ui("method.sha256"), plain(assessment.snapshot_sha256, langs)),
    )
    weights = {sev.value: f"{weight:g}" for sev, weight in scoring.WEIGHTS.items()}
    return MethodView(facts=facts, weights=weights, scp=scp_text(snapshot, ui))


def scp_text(snapshot: Snapshot, ui: Ui) -> Text:
    """Whether the account's SCPs capped the effective-permission verdicts, and why (not)."""
    state = scp_state(snapshot)
    if state.code == APPLIED and state.chain is not None:
        levels = "; ".join(
            f"{label}: {', '.join(p.name for p in level.policies)}"
            for label, level in zip(state.chain.labels(), state.chain.levels, strict=True)
        )
        return ui("method.scp.applied", levels=levels)
    if state.code == NOT_READ:
        return _not_read(snapshot, state, ui)
    if state.code == UNUSABLE:
        names = {k: short(v) for k, v in state.names.items()}
        return ui("method.scp.unusable", detail=ui(f"method.scp.problem.{state.problem}", **names))
    return ui(f"method.scp.{state.code}")


def _not_read(snapshot: Snapshot, state: ScpState, ui: Ui) -> Text:
    source = snapshot.source(Src.SERVICE_CONTROL_POLICIES)
    if source.status in (SourceStatus.DENIED, SourceStatus.ERROR) and source.message:
        return ui("method.scp.not_read_because", detail=short(source.message))
    return ui("method.scp.not_read")
