"""The frozen view model the report templates show; built by :mod:`reportgen.render.context`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from reportgen.render.charts import BarChart
from reportgen.render.i18n import Text

if TYPE_CHECKING:
    from reportgen.render.workpaper import WorkpaperView


@dataclass(frozen=True)
class Badge:
    """A coloured label: ``kind`` is the CSS class (``fail``, ``pass``, ``critical``…)."""

    kind: str
    label: Text


@dataclass(frozen=True)
class Field:
    """A labelled value (cover facts, evidence items, method facts)."""

    label: Text
    value: Text


@dataclass(frozen=True)
class ResourceRow:
    """One affected resource of a check, with the message and the evidence that decided it."""

    name: str
    resource_id: str
    status: Badge
    message: Text
    evidence: tuple[Field, ...]
    exception: Text | None


@dataclass(frozen=True)
class ConsoleSteps:
    lang: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class CheckView:
    """One check in its chapter: verdict, why, affected resources and the fix."""

    id: str
    anchor: str
    title: Text
    severity: Badge
    status: Badge
    rationale: Text
    counts: tuple[tuple[Badge, int], ...]
    rows: tuple[ResourceRow, ...]
    limit: int
    console: tuple[ConsoleSteps, ...]
    cli: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def shown_rows(self) -> tuple[ResourceRow, ...]:
        return self.rows[: self.limit]

    @property
    def hidden(self) -> int:
        return max(0, len(self.rows) - self.limit)

    @property
    def appendix_rows(self) -> tuple[ResourceRow, ...]:
        """The rows past the limit that the PDF's appendix D lists: UNKNOWN ones are in the
        data-gaps chapter already, which lists every UNKNOWN finding."""
        return tuple(r for r in self.rows[self.limit :] if r.status.kind != "unknown")

    @property
    def hidden_unknown(self) -> int:
        return self.hidden - len(self.appendix_rows)


@dataclass(frozen=True)
class ChapterView:
    """One article section: why it matters, its score and its checks."""

    key: str
    anchor: str
    number: int
    title: Text
    summary: Text
    why: Text
    score: Text
    tone: str
    beside: Text
    checks: tuple[CheckView, ...]


@dataclass(frozen=True)
class RiskView:
    check_id: str
    anchor: str
    title: Text
    severity: Badge
    section: Text
    affected: int
    example: Text
    """The message of the first affected resource: the risk in plain words."""


@dataclass(frozen=True)
class CountRow:
    """Counts of one severity, one cell per status column."""

    severity: Badge
    cells: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class SummaryView:
    score: Text
    grade: str
    tone: str
    beside: Text
    """The raw score and grade (when exceptions changed them), the coverage and the cap: the
    line that stands next to the score wherever it is shown."""
    chart: BarChart
    statuses: tuple[Badge, ...]
    counts: tuple[CountRow, ...]
    totals: tuple[int, ...]
    risks: tuple[RiskView, ...]
    unknown_findings: int  # UNKNOWN for lack of data
    gap_sources: tuple[Text, ...]  # the sources those findings miss
    review_findings: int  # UNKNOWN "needs review": the data is there, a person must judge
    checks_total: int
    checks_failed: int
    partial: Text | None = None
    """The partial-data notice beside the score when sources are missing (an import)."""


@dataclass(frozen=True)
class ExceptionRow:
    state: Badge
    check: Text
    check_id: str
    resource: str
    reason: str
    approver: str
    expires: Text
    ticket: str
    matched: int
    problem: Text | None = None
    expires_iso: str = ""
    """``expires`` as an ISO date: the HTML sorts its column by it."""


@dataclass(frozen=True)
class SourceRow:
    name: str
    status: Badge
    message: Text
    """The collector's note in each language (reportgen's own notes translated, AWS's
    error texts as written)."""


@dataclass(frozen=True)
class GapRow:
    """UNKNOWN findings of one check that say the same: the message once, every resource."""

    check: Text
    check_id: str
    resources: tuple[str, ...]
    message: Text


@dataclass(frozen=True)
class KeyView:
    slot: int
    active: bool
    age: Text
    last_used: Text


@dataclass(frozen=True)
class UserRow:
    name: str
    arn: str
    groups: tuple[str, ...]
    console: Badge
    mfa: Badge
    keys: tuple[KeyView, ...]
    last_activity: Text
    findings: int
    console_enabled: bool
    mfa_missing: bool
    last_activity_iso: str = ""
    """``last_activity`` as an ISO date (empty when never): the HTML sorts its column by it."""


@dataclass(frozen=True)
class InventoryView:
    """Appendix A. The PDF shows ``summary_rows`` unless ``full``; the HTML shows every row."""

    rows: tuple[UserRow, ...]
    summary_rows: tuple[UserRow, ...]
    full: bool
    facts: tuple[Field, ...]
    pdf_max: int = 0
    """The most users the PDF lists in full by default (``PDF_INVENTORY_MAX``)."""

    def rows_for(self, medium: str) -> tuple[UserRow, ...]:
        return self.rows if self.full or medium == "html" else self.summary_rows

    def is_complete(self, medium: str) -> bool:
        return len(self.rows_for(medium)) == len(self.rows)

    @property
    def counts_shown(self) -> tuple[str, str]:
        """The PDF's limit and the number of users, with thousands separators (1,000)."""
        return f"{self.pdf_max:,}", f"{len(self.rows):,}"


@dataclass(frozen=True)
class MappingRow:
    check_id: str
    title: Text
    cis: tuple[Text, ...]
    security_hub: tuple[Text, ...]
    """Each control id; one our test only relates to reads 「1.11（関連）」/ "1.11 (related)"."""


@dataclass(frozen=True)
class CoverView:
    organisation: str
    account_id: str
    aliases: str
    date: Text
    period: Text
    facts: tuple[Field, ...]
    sha256: str


@dataclass(frozen=True)
class MethodView:
    facts: tuple[Field, ...]
    weights: Mapping[str, str]
    """Severity weights of the scoring formula, by severity name (``evaluate.scoring``)."""
    scp: Text
    """Whether the account's SCPs capped the effective-permission verdicts, and why (not)."""


@dataclass(frozen=True)
class DeltaRow:
    """A score before and after: ``direction`` is ``up``, ``down``, ``same`` or ``none``."""

    label: Text
    old: Text
    new: Text
    delta: Text
    direction: str
    overall: bool


@dataclass(frozen=True)
class ChangeRow:
    """One finding that appeared, went away, changed status or stayed open."""

    check_id: str
    anchor: str | None
    title: Text
    severity: Badge
    resource: str
    resource_id: str
    old_status: Badge | None
    new_status: Badge | None
    open_since: Text | None


@dataclass(frozen=True)
class ChangeList:
    """The findings of one kind of change; ``kind`` is the :class:`Change` value."""

    kind: str
    heading: Text
    intro: Text
    rows: tuple[ChangeRow, ...]
    limit: int

    @property
    def shown_rows(self) -> tuple[ChangeRow, ...]:
        return self.rows[: self.limit]

    @property
    def hidden(self) -> int:
        return max(0, len(self.rows) - self.limit)


@dataclass(frozen=True)
class CheckNoteRow:
    """A check compared on one side only, with its failing findings on the judged side."""

    check_id: str
    title: Text
    note: Text
    failing: int


@dataclass(frozen=True)
class TrendLine:
    """One row of the trend table: a score or a count, one value per assessment."""

    label: Text
    values: tuple[Text, ...]
    kind: str
    """``overall``, ``section`` or ``count`` (for the layout)."""


@dataclass(frozen=True)
class TrendView:
    """The trend chart (inline SVG made by :func:`reportgen.compare.trend.trend_svg`) and its table,
    one column per assessment (oldest first) and one row per score or count."""

    svg: Markup
    quarters: tuple[Text, ...]
    dates: tuple[Text, ...]
    lines: tuple[TrendLine, ...]


@dataclass(frozen=True)
class ComparisonView:
    """The chapter "changes since the last assessment" (``--previous`` / ``--history``)."""

    intro: Text
    headline: Text
    facts: tuple[Field, ...]
    scores: tuple[DeltaRow, ...]
    indicative: bool
    counts: tuple[tuple[Badge, int], ...]
    lists: tuple[ChangeList, ...]
    checks: tuple[CheckNoteRow, ...]
    trend: TrendView | None


@dataclass(frozen=True)
class ReportContext:
    """Everything one report shows, in its languages; templates only lay it out."""

    langs: tuple[str, ...]
    html_lang: str
    title: Text
    running_head: str
    cover: CoverView
    summary: SummaryView
    chapters: tuple[ChapterView, ...]
    exceptions: tuple[ExceptionRow, ...]
    sources: tuple[SourceRow, ...]
    gaps: tuple[GapRow, ...]
    inventory: InventoryView
    mapping: tuple[MappingRow, ...]
    cis_versions: tuple[str, ...]
    method: MethodView
    comparison: ComparisonView | None
    """The chapter comparing with the previous assessment; ``None`` without one."""
    workpaper: WorkpaperView | None = None
    """The audit workpaper pages and the cover's warnings (``render.workpaper``)."""

    @property
    def appendix_d(self) -> bool:
        """Whether the PDF has an appendix D (some check has non-UNKNOWN rows past its limit)."""
        return any(c.appendix_rows for c in self.truncated_checks)

    @property
    def truncated_checks(self) -> tuple[CheckView, ...]:
        """Checks whose resource list is cut in the chapter (full list in the HTML appendix)."""
        return tuple(c for chapter in self.chapters for c in chapter.checks if c.hidden)
