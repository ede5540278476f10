"""Area vs comparator group vs England over time: the chart at the heart of the explorer.

Pure: a wide frame (one row per period, as ``queries.series.metric_series`` returns) in, a
Plotly figure out. The comparator is its mean line plus the peers' min–max band; the area
carries its confidence interval when the data has one. Title, subtitle and source are part of
the figure so exported images explain themselves. Traces and layout are plain dicts wrapped
without Plotly's validation (``frame.trusted_figure``): validating them was most of an explorer
render's chart time; the tests check the dicts are what validation makes of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import (
    VALUE_COLUMNS,
    ValueSpec,
    band_traces,
    column,
    interval_bars,
    period_axis,
    plot_frame,
    trusted_figure,
)


@dataclass(frozen=True, kw_only=True)
class TimeSeriesSpec(ValueSpec):
    """The area's name; the unit leads the subtitle rather than a rotated axis title that
    long units would overflow."""

    area_name: str


def build(frame: pd.DataFrame, *, spec: TimeSeriesSpec) -> go.Figure:
    """The figure for ``frame``; a message figure when no period has any value."""
    present = [c for c in VALUE_COLUMNS if c in frame.columns]
    if frame.empty or not present or frame[present].isna().all().all():
        return spec.empty_figure()
    labels = frame["period_label"].tolist()
    traces = [
        *band_traces(frame, labels),
        _comparator_trace(frame, labels, spec),
        _england_trace(frame, labels, spec),
        _area_trace(frame, labels, spec),
    ]
    return trusted_figure(traces, _layout(labels, spec))


def _comparator_trace(frame: pd.DataFrame, labels: list[str], spec: TimeSeriesSpec) -> dict:
    """Mean of the peers; hover lists the range and every peer's value."""
    value = spec.value_format()
    low = spec.formatted(column(frame, "comparator_min"))
    high = spec.formatted(column(frame, "comparator_max"))
    peers = column(frame, "peer_hover").fillna("")
    customdata = np.column_stack([low, high, peers])
    return dict(
        type="scatter",
        x=labels,
        y=column(frame, "comparator_mean"),
        mode="lines",
        name="Comparator mean",
        line=dict(color=theme.COMPARATOR, width=2.5),
        customdata=customdata,
        hovertemplate=(
            f"Comparator mean: {value} (range %{{customdata[0]}}–%{{customdata[1]}})"
            "%{customdata[2]}<extra></extra>"
        ),
    )


def _england_trace(frame: pd.DataFrame, labels: list[str], spec: TimeSeriesSpec) -> dict:
    return dict(
        type="scatter",
        x=labels,
        y=column(frame, "england_value"),
        mode="lines",
        name="England",
        line=dict(color=theme.ENGLAND, width=2, dash="dash"),
        hovertemplate=f"England: {spec.value_format()}<extra></extra>",
    )


def _area_trace(frame: pd.DataFrame, labels: list[str], spec: TimeSeriesSpec) -> dict:
    """The area on top, with 95 % interval error bars when the data has intervals."""
    values = column(frame, "area_value")
    lower, upper = column(frame, "area_lower"), column(frame, "area_upper")
    error_y = interval_bars(values, lower, upper, color=theme.AREA, thickness=1.2, width=4)
    return dict(
        type="scatter",
        x=labels,
        y=values,
        mode="lines+markers",
        name=spec.area_name,
        line=dict(color=theme.AREA, width=3),
        marker=dict(color=theme.AREA, size=7),
        **error_y,
        hovertemplate=f"{spec.area_name}: {spec.value_format()}<extra></extra>",
    )


def _layout(labels: list[str], spec: TimeSeriesSpec) -> dict:
    return plot_frame(spec) | dict(
        xaxis=period_axis(labels),
        yaxis=dict(ticksuffix=spec.suffix),  # the unit leads the subtitle
    )
