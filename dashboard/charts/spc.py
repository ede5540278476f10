"""XmR (statistical process control) chart of one area's series, Making Data Count style.

Pure: a frame shaped like ``queries.stats.xmr`` output plus ``period_label``, ``category`` (the
point's variation: common cause or special cause improvement / concern / neither) and
``rules_text`` in, a figure out. Special-cause points differ by marker symbol as well as
colour, and the legend names each, so the chart never relies on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts._common import empty_figure, number_format, period_axis
from dashboard.charts.time_series import titled_layout

COMMON = "common cause"
IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
NEITHER = "special cause neither"
CATEGORIES = (COMMON, IMPROVEMENT, CONCERN, NEITHER)
COLOURS = {  # Making Data Count: grey, blue, orange, purple (darkened for contrast on white)
    COMMON: theme.MUTED,
    IMPROVEMENT: "#1D70B8",
    CONCERN: "#C75000",
    NEITHER: "#4C2C92",
}
SYMBOLS = {COMMON: "circle", IMPROVEMENT: "diamond", CONCERN: "square", NEITHER: "triangle-up"}
LEGEND_NAMES = {
    COMMON: "Common cause variation",
    IMPROVEMENT: "Special cause – improvement",
    CONCERN: "Special cause – concern",
    NEITHER: "Special cause – neither better nor worse",
}
MEAN_NAME = "Process mean"
LIMITS_NAME = "Process limits (±3σ)"
TWO_SIGMA_NAME = "±2σ"
VALUE_NAME = "Value"
LIMIT_COLOUR = "#3D3D3D"


@dataclass(frozen=True)
class SpcSpec:
    title: str
    subtitle: str
    source_note: str
    decimals: int = 1
    percent: bool = False
    context: bool = False  # a context metric: special causes are never better or worse
    baseline_points: int | None = None  # None: the limits come from every point
    empty_message: str = "No data for this selection."
    height: int = 500


def build(frame: pd.DataFrame, *, spec: SpcSpec) -> go.Figure:
    """The XmR chart; a message figure when there is no point to plot."""
    if frame.empty or frame["value"].isna().all():
        return empty_figure(spec.empty_message, title=spec.title, height=spec.height)
    labels = frame["period_label"].tolist()
    figure = go.Figure()
    for trace in (
        *_limit_traces(frame, labels),
        _value_line(frame, labels),
        *_point_traces(frame, labels, spec),
    ):
        figure.add_trace(trace)
    titled_layout(
        figure,
        title=spec.title,
        subtitle=spec.subtitle,
        source_note=spec.source_note,
        height=spec.height,
        bottom=130,
    )
    figure.update_layout(
        hovermode="closest",
        xaxis=period_axis(labels),
        yaxis=dict(ticksuffix="%" if spec.percent else "", rangemode="normal"),
        legend=dict(y=-0.12),
    )
    if spec.baseline_points and spec.baseline_points < len(labels):
        _mark_baseline(figure, spec.baseline_points)
    return figure


def _line(frame: pd.DataFrame, labels: list[str], column: str, **style) -> go.Scatter:
    return go.Scatter(x=labels, y=frame[column], mode="lines", hoverinfo="skip", **style)


def _limit_traces(frame: pd.DataFrame, labels: list[str]) -> list[go.Scatter]:
    """Limits (dashed) and 2σ lines (dotted), each pair one legend entry, then the mean."""
    limits = dict(color=LIMIT_COLOUR, width=1.5, dash="dash")
    two_sigma = dict(color=theme.MUTED, width=1, dash="dot")
    return [
        _line(frame, labels, "upper_limit", name=LIMITS_NAME, line=limits, legendgroup="limits"),
        _line(
            frame,
            labels,
            "lower_limit",
            name="Lower process limit",
            line=limits,
            legendgroup="limits",
            showlegend=False,
        ),
        _line(
            frame,
            labels,
            "upper_two_sigma",
            name=TWO_SIGMA_NAME,
            line=two_sigma,
            legendgroup="two_sigma",
        ),
        _line(
            frame,
            labels,
            "lower_two_sigma",
            name="Lower 2σ",
            line=two_sigma,
            legendgroup="two_sigma",
            showlegend=False,
        ),
        _line(frame, labels, "mean", name=MEAN_NAME, line=dict(color=LIMIT_COLOUR, width=2)),
    ]


def _value_line(frame: pd.DataFrame, labels: list[str]) -> go.Scatter:
    return go.Scatter(
        x=labels,
        y=frame["value"],
        mode="lines",
        name=VALUE_NAME,
        line=dict(color=theme.AREA, width=1.5),
        hoverinfo="skip",
        showlegend=False,
    )


def _point_traces(frame: pd.DataFrame, labels: list[str], spec: SpcSpec) -> list[go.Scatter]:
    """One trace per variation category the metric can have, so the legend explains each."""
    shown = (COMMON, NEITHER) if spec.context else (COMMON, IMPROVEMENT, CONCERN)
    categories = frame["category"]
    rules = frame["rules_text"] if "rules_text" in frame else pd.Series("", index=frame.index)
    value = number_format(spec.decimals, percent=spec.percent)
    traces = []
    for category in [*shown, *(c for c in CATEGORIES if c not in shown)]:
        mask = (categories == category).to_numpy()
        if category not in shown and not mask.any():
            continue
        special = category != COMMON
        traces.append(
            go.Scatter(
                x=[label for label, keep in zip(labels, mask, strict=True) if keep],
                y=frame.loc[mask, "value"],
                mode="markers",
                name=LEGEND_NAMES[category],
                marker=dict(
                    color=COLOURS[category],
                    symbol=SYMBOLS[category],
                    size=11 if special else 7,
                    line=dict(color="white", width=1),
                ),
                customdata=rules[mask].fillna("").to_numpy(),
                hovertemplate=(
                    f"%{{x}}: {value}<br>{LEGEND_NAMES[category]}"
                    + ("<br>%{customdata}" if special else "")
                    + "<extra></extra>"
                ),
            )
        )
    return traces


def _mark_baseline(figure: go.Figure, points: int) -> None:
    """A vertical line where the baseline that sets the limits ends."""
    figure.add_vline(x=points - 0.5, line=dict(color=theme.MUTED, width=1, dash="dashdot"))
    figure.add_annotation(
        x=points - 0.5,
        y=1,
        yref="paper",
        text=f"Limits from the first {points} periods",
        showarrow=False,
        xanchor="left",
        yanchor="top",
        xshift=4,
        bgcolor="rgba(255,255,255,0.85)",
        font=dict(size=11, color=theme.MUTED),
    )
