"""The spec of each kind of family chart: titles, number format, stacking order from the
catalogue, sizes for wide and half-width cards; the chart registry draws it."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts import breakdown as breakdown_chart
from dashboard.charts import registry, spc, stacked
from dashboard.families.definitions import RATING_BARS, SPC, STACK, TREND
from dashboard.spc import model as spc_model
from queries import family
from queries.catalogue import Metric

COMPARATOR_BAR = "Comparator group (mean)"
ENGLAND_BAR = "England"


def component_label(metric: Metric, breakdown: str, code: str) -> str:
    """Catalogue label of a stacked component; delay reasons keep their code ("Dii: …")."""
    label = family.value_label(metric, breakdown, code)
    return f"{code}: {label}" if breakdown == "reason" else label


def figure(view, *, area_name: str, show: str) -> go.Figure:
    """A family chart view's figure (a ``family_charts.ChartView``): the spec its kind needs,
    drawn by the chart registry."""
    return registry.draw(view.frame, SPECS[view.chart.kind](view, area_name, show))


def _stacked(view, area_name: str, show: str) -> stacked.StackedSpec:
    return stacked.StackedSpec(
        title=view.title,
        subtitle=view.subtitle,
        source_note=view.source_note,
        order=tuple(
            component_label(view.metric, view.chart.breakdown, code)
            for code in view.metric.breakdowns.get(view.chart.breakdown, {})
        ),
        percent=show == "shares" or view.metric.is_percentage,
        decimals=view.metric.decimals,
        kind="area" if view.period_type in ("month", "rolling_12m", "snapshot") else "bar",
        colours=theme.RATING_COLOURS if view.chart.breakdown == "rating" else {},
        empty_message=view.empty_message or "",
    )


def _share_bars(view, area_name: str, show: str) -> stacked.ShareBarsSpec:
    return stacked.ShareBarsSpec(
        title=view.title,
        subtitle=view.subtitle,
        source_note=view.source_note,
        order=tuple(view.metric.breakdowns["rating"].values()),
        bars=(area_name, COMPARATOR_BAR, ENGLAND_BAR),
        colours=theme.RATING_COLOURS,
        empty_message=view.empty_message or "",
    )


def _panels(view, area_name: str, show: str) -> breakdown_chart.PanelSpec:
    return breakdown_chart.PanelSpec(
        title=view.title,
        subtitle=view.subtitle,
        area_name=area_name,
        source_note=view.source_note,
        panels=tuple(dict.fromkeys(view.frame.get("panel", []))),
        decimals=view.metric.decimals,
        percent=view.metric.is_percentage,
        empty_message=view.empty_message or "",
        height=460 if view.chart.size == "wide" else 440,
        title_chars=90 if view.chart.size == "wide" else 48,
        max_ticks=10 if view.chart.size == "wide" else 5,
    )


def _spc(view, area_name: str, show: str) -> spc.SpcSpec:
    """The XmR chart with the metric's target line and the Making Data Count icons."""
    metric = view.metric
    return spc.SpcSpec(
        title=view.title,
        subtitle=view.subtitle,
        source_note=view.source_note,
        decimals=metric.decimals,
        percent=metric.is_percentage,
        context=metric.polarity == "context",
        empty_message=view.empty_message or "",
        height=460,
        target=metric.target.value if metric.target else None,
        target_label=metric.target.label if metric.target else "Target",
        variation_icon=spc_model.variation_icon(view.frame, metric),
        assurance_icon=spc_model.assurance_icon(view.frame, metric),
    )


SPECS = {TREND: _panels, STACK: _stacked, RATING_BARS: _share_bars, SPC: _spc}  # by ChartDef.kind
