"""What one area's data profile says: its context, comparator group and, per section, the
findings, headline tiles, charts and a short table.

Built from the explorer's series view (the same `metric_series` rows `lsr query` prints) and the
explorer's chart builder, so the report, the pages and the CLI state the same numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import methods_and_sources, series_view, text
from dashboard.profile.report.sections import SectionSpec, section_metrics
from dashboard.ui.pickers import METHOD_NAMES
from dashboard.urls import ExplorerState
from queries import findings, recent_change, series
from queries.areas import AreaDirectory
from queries.catalogue import Metric
from queries.store import DataStore

HEADLINES_PER_SECTION = 4
CHART_WIDTH = 680  # CSS pixels across the A4 text block (180 mm at 96 px per inch)
CHART_HEIGHT = 400  # the builder's title, legend and source note stay inside
PRINT_TITLE_SIZE = 15  # long metric names stay within the printed width
PRINT_PERIOD_TICKS = 7  # horizontal period labels fit across the narrower printed chart


@dataclass(frozen=True)
class MetricBlock:
    """One metric of a section: its explorer view, finding and latest judged row."""

    metric: Metric
    view: series_view.ExplorerView
    finding: findings.Finding
    latest: dict | None
    trend: str

    @property
    def has_series(self) -> bool:
        """Two or more periods with a value: worth a chart over time."""
        return int(self.view.frame["area_value"].notna().sum()) >= 2

    @property
    def synthetic(self) -> bool:
        """Any synthetic value in the plotted series (the chart's flag)."""
        return self.view.synthetic

    @property
    def latest_synthetic(self) -> bool:
        """The latest value, the one tiles, tables and findings state, is synthetic."""
        return self.finding.is_synthetic


@dataclass(frozen=True)
class SectionContent:
    spec: SectionSpec
    blocks: tuple[MetricBlock, ...]
    unavailable: tuple[str, ...]
    sentences: tuple[str, ...]

    @property
    def headlines(self) -> tuple[MetricBlock, ...]:
        """The metrics given a tile and a chart: interface metrics and significant findings
        first, then catalogue order; only those with a series to draw."""
        drawn = [block for block in self.blocks if block.has_series]
        ranked = sorted(
            drawn,
            key=lambda b: (not b.metric.interface_dashboard, -b.finding.significant),
        )
        return tuple(ranked[:HEADLINES_PER_SECTION])

    @property
    def synthetic(self) -> bool:
        return any(block.synthetic for block in self.blocks)


@dataclass(frozen=True)
class ReportContent:
    area: dict  # the areas row
    method: str
    peers: pd.DataFrame  # area_code, name, rank
    period_to: date | None
    data_version: str
    generated_on: date
    sections: tuple[SectionContent, ...]
    datasets: pd.DataFrame
    sources: list[tuple[str, str, str, str | None]]

    @property
    def area_name(self) -> str:
        return str(self.area["name"])

    @property
    def method_name(self) -> str:
        return METHOD_NAMES.get(self.method, self.method)

    @property
    def synthetic(self) -> bool:
        return any(section.synthetic for section in self.sections)

    @property
    def finding_count(self) -> int:
        """Findings about a published value that the sections open with (tallies and "no
        figures" sentences not counted)."""
        return sum(
            block.finding.sentences[0] in section.sentences
            for section in self.sections
            for block in section.blocks
            if block.finding.significant >= 0
        )

    @property
    def file_stem(self) -> str:
        """``Liverpool-data-profile``; any run of other characters becomes one hyphen."""
        return re.sub(r"[^A-Za-z0-9]+", "-", self.area_name).strip("-") + "-data-profile"


def report_content(
    store: DataStore,
    *,
    area_code: str,
    method: str,
    period_to: date | None,
    generated_on: date,
    directory: AreaDirectory | None = None,
) -> ReportContent:
    """Every section's metrics queried once, judged and summed up in sentences."""
    directory = directory or AreaDirectory.load(store)
    area_name = directory.name(area_code)
    version = store.version
    sections = []
    for grouped in section_metrics():
        blocks = tuple(
            _block(store, metric, area_code, method, period_to, area_name)
            for metric in grouped.metrics
        )
        sentences = findings.section_findings(
            [block.finding for block in blocks], title=grouped.spec.title
        )
        sections.append(SectionContent(grouped.spec, blocks, grouped.unavailable, tuple(sentences)))
    return ReportContent(
        area=directory.areas.loc[area_code].to_dict() | {"area_code": area_code},
        method=method,
        peers=series.comparator_peers(store, area_code, method),
        period_to=period_to,
        data_version=version,
        generated_on=generated_on,
        sections=tuple(sections),
        datasets=methods_and_sources.datasets_table(store),
        sources=methods_and_sources.catalogue_sources(),
    )


def _block(
    store: DataStore,
    metric: Metric,
    area_code: str,
    method: str,
    period_to: date | None,
    area_name: str,
) -> MetricBlock:
    state = ExplorerState(
        metric_id=metric.id,
        area=area_code,
        method=method,
        period_type=metric.default_period_type,
        period_to=period_to,
    )
    view = series_view.explorer_view(store, state, area_name=area_name, hover_peers=False)
    frame = view.frame
    finding = findings.metric_finding(frame, metric, area_name=area_name)
    shown = frame[frame["area_value"].notna() | frame["area_suppressed"].fillna(False)]
    latest = shown.iloc[-1].to_dict() if not shown.empty else None
    trend = _recent_change_words(findings.comparable_history(frame), metric)
    return MetricBlock(metric=metric, view=view, finding=finding, latest=latest, trend=trend)


def _recent_change_words(history: pd.DataFrame, metric: Metric) -> str:
    """The table's "recent change": the trend's direction (annual), the SPC variation
    (monthly, quarterly) or why there is none, as the tiles decide it."""
    change = recent_change.recent_change(history, metric, metric.default_period_type)
    if change.kind == recent_change.TREND:
        return change.direction or "not enough data"
    if change.kind == recent_change.SPC:
        words = recent_change.VARIATION_WORDS.get(change.variation or "")
        return f"SPC: {words}" if words else "SPC: too few values"
    return "not tested"


def chart(block: MetricBlock) -> go.Figure:
    """The explorer's chart of the metric, sized for the A4 text block."""
    figure = series_view.figure(block.view)
    periods_drawn = len(block.view.frame)
    figure.update_layout(
        width=CHART_WIDTH, height=CHART_HEIGHT, margin_b=150, title_font_size=PRINT_TITLE_SIZE
    )
    figure.update_xaxes(dtick=max(1, math.ceil(periods_drawn / PRINT_PERIOD_TICKS)))
    for note in figure.layout.annotations:  # the source note in three lines, none cut off
        if str(note.text or "").startswith("Source:"):
            note.text = note.text.replace(" · Data vintage", "<br>Data vintage")
    return figure


def value_text(metric: Metric, latest: dict | None, column: str = "area_value") -> str:
    """A latest value as the tiles print it: suppressed, missing or formatted."""
    if latest is None:
        return "not available"
    if column == "area_value" and latest.get("area_suppressed"):
        return "suppressed"
    return metric.format_value(latest.get(column))


def context_facts(area: dict) -> list[tuple[str, str]]:
    """The area's context, as the profile page's header lists it."""
    return [
        ("Type", text.LA_TYPE_NAMES.get(area.get("la_type"), area.get("la_type") or "–")),
        ("Region", area.get("region") or "–"),
        ("Population", text.whole_number(area.get("pop_all"))),
        ("Aged 65+", text.percent(area.get("pct_65plus"))),
        ("Aged 85+", text.percent(area.get("pct_85plus"))),
    ]
