"""One metric's series for one area as an explorer link (``ExplorerState``) selects it: the
plotted rows, their labels, the metadata that travels with them (title, unit, source, vintage,
synthetic flag) and the chart over time they make.

Shared below the features: the Metric explorer shows it (and exports it, ``explore.view``) and
the data profile (``profile.report``) prints the same chart for each headline metric, so a PDF
and a page can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import time_series
from dashboard.urls import ALL, ExplorerState
from queries import headline_series, series
from queries.catalogue import Metric, load_catalogue
from queries.store import DataStore


@dataclass(frozen=True)
class ExplorerView(text.PlottedProvenance):
    """One explorer selection: every period available and the rows actually plotted."""

    state: ExplorerState
    metric: Metric
    area_name: str
    periods: list[tuple[str, str]]  # (ISO start date, label) for every period available
    frame: pd.DataFrame  # the plotted rows, one per period
    peer_count: int

    @property
    def breakdown_text(self) -> str | None:
        """The breakdown on show ("Responsible org: Social care"), None for all."""
        if self.state.breakdown == ALL:
            return None
        return breakdown_label(self.metric, self.state.breakdown, self.state.breakdown_value)

    @property
    def what(self) -> str:
        """The metric and its breakdown: every explorer chart's title starts with it, so its
        image, CSV and their file names say which breakdown they show."""
        breakdown = self.breakdown_text
        return f"{self.metric.short} ({breakdown})" if breakdown else self.metric.short

    @property
    def title(self) -> str:
        return f"{self.what} — {self.area_name} vs comparators vs England"

    @property
    def unit(self) -> str:
        """The unit of the period type on show ("… per quarter" for a counted rate)."""
        return self.metric.unit_for(self.state.period_type)

    @property
    def subtitle(self) -> str:
        parts = [self.unit, text.period_type_name(self.state.period_type)]
        if not self.frame.empty:
            labels = self.frame["period_label"]
            parts.append(f"{labels.iloc[0]} to {labels.iloc[-1]}")
        return " · ".join(parts)

    @property
    def comparator_text(self) -> str:
        return f"{self.peer_count} similar councils, method “{self.state.method}”"

    @property
    def suppressed_count(self) -> int:
        return int(self.frame["area_suppressed"].fillna(False).astype(bool).sum())

    def source_note(
        self,
        *,
        synthetic: bool | None = None,
        vintage: str | None = None,
        comparators: str | None = None,
    ) -> str:
        """The footnote baked into the figure, so an exported image names its source; other
        views pass the flags of what they plot."""
        return text.source_note(
            self.source_name,
            vintage or self.vintage,
            synthetic=self.synthetic if synthetic is None else synthetic,
            comparators=comparators or self.comparator_text,
        )


def warm(store: DataStore) -> None:
    """Build what a new explorer view looks itself up in: every area's headline series under
    the default comparator method (the other methods' are built when first asked for) and
    every metric's availability."""
    method = series.comparator_methods(store)["method"].iloc[0]  # the default comes first
    headline_series.headline_series(store, method)
    series.metric_availability(store, "")


def breakdown_label(metric: Metric, breakdown: str, value: str) -> str:
    """A label like "Reason: Nursing home"; the raw code when the catalogue lacks it."""
    try:
        label = metric.label_for(breakdown, value)
    except KeyError:
        label = value
    return text.breakdown_text(breakdown, [label])


def explorer_view(
    store: DataStore, state: ExplorerState, *, area_name: str, hover_peers: bool = True
) -> ExplorerView:
    """Query the whole series once (a headline series: a slice of the look-up over every
    area); the period range is applied here, so the pickers can offer every period while the
    chart shows the chosen ones. Static charts (the report pack) pass ``hover_peers=False``
    and skip the peers' hover text."""
    metric = load_catalogue().get(state.metric_id)
    request = series.SeriesRequest(
        metric_id=state.metric_id,
        area_code=state.area,
        method=state.method,
        period_type=state.period_type,
        breakdown=state.breakdown,
        breakdown_value=state.breakdown_value,
    )
    full = series.metric_series(store, request, every_area=True)
    peers = series.peer_values(store, request, every_area=True) if hover_peers else _NO_PEERS
    starts = pd.to_datetime(full["period_start"]).dt.date
    in_range = pd.Series(True, index=full.index)
    if state.period_from:
        in_range &= starts >= state.period_from
    if state.period_to:
        in_range &= starts <= state.period_to
    frame = _plotted(full[in_range], peers, metric)
    return ExplorerView(
        state=state,
        metric=metric,
        area_name=area_name,
        periods=[
            (s.isoformat(), label) for s, label in zip(starts, full["period_label"], strict=True)
        ],
        frame=frame,
        peer_count=int(full["comparator_expected"].max()) if not full.empty else 0,
    )


_NO_PEERS = pd.DataFrame(columns=["period_label", "value", "suppressed", "peer_name"])


def _plotted(frame: pd.DataFrame, peers: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).copy()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    synthetic = [
        c
        for c in ("area_is_synthetic", "comparator_is_synthetic", "england_is_synthetic")
        if c in frame.columns
    ]
    frame["is_synthetic"] = frame[synthetic].fillna(False).astype(bool).any(axis=1)
    hover = peer_hover_text(peers, metric)
    frame["peer_hover"] = [hover.get(label, "") for label in frame["period_label"]]
    return frame


def peer_hover_text(peers: pd.DataFrame, metric: Metric) -> dict[str, str]:
    """Per period label, each peer's value (highest first) as hover lines."""
    ordered = peers.sort_values(["period_label", "value"], ascending=[True, False])
    lines: dict[str, list[str]] = {}
    for label, name, value, suppressed in zip(
        ordered["period_label"].tolist(),
        ordered["peer_name"].tolist(),
        ordered["value"].tolist(),
        ordered["suppressed"].tolist(),
        strict=True,
    ):
        text = "suppressed" if bool(suppressed) else metric.format_value(value)
        lines.setdefault(str(label), []).append(f"<br>  {name}: {text}")
    return {label: "".join(parts) for label, parts in lines.items()}


def figure(view: ExplorerView) -> go.Figure:
    """The explorer chart for this view."""
    spec = time_series.TimeSeriesSpec(
        title=view.title,
        subtitle=view.subtitle,
        area_name=view.area_name,
        source_note=view.source_note(),
        decimals=view.metric.decimals,
        percent=view.metric.is_percentage,
        empty_message=empty_message(view) or "",
    )
    return time_series.build(view.frame, spec=spec)


def empty_message(view: ExplorerView) -> str | None:
    """Why nothing can be plotted, or None when something can."""
    if not view.periods:
        return "No data is published for this metric and selection."
    values = [c for c in time_series.VALUE_COLUMNS if c in view.frame.columns]
    if view.frame.empty or view.frame[values].isna().all().all():
        return "No data in the chosen period range."
    return None
