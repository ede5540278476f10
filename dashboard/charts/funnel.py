"""Funnel plot: each council's value against its denominator, with 95 % and 99.8 % control
limits around England for one period.

Pure: the ranking frame (``queries.explorer.ranking``, with ``funnel_flag``) and the limits
(``queries.explorer.funnel_curve``) in, a figure out. A point's side and level show in its
marker (triangle up/down, filled beyond 99.8 %, open beyond 95 %) and its colour follows the
metric's polarity; the chosen area and its peers are ringed, reviewed areas squared. The
caller may pass only some councils (the reviewed areas only); the limits stay England's.
Traces and layout are plain dicts wrapped without Plotly's validation (``trusted_figure``); the
tests check they are what validation makes of them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import ValueSpec, plot_frame, trusted_figure
from dashboard.charts.reviewed_marks import reviewed_rows, reviewed_trace

LIMIT_TRACES = (  # (column, legend name or None when the pair's other line names it, style)
    ("lower_99_8", "99.8 % limits", dict(color=theme.ENGLAND, width=1.5, dash="dash")),
    ("lower_95", "95 % limits", dict(color=theme.MUTED, width=1.5, dash="dot")),
    ("benchmark", "England", dict(color=theme.ENGLAND, width=2)),
    ("upper_95", None, dict(color=theme.MUTED, width=1.5, dash="dot")),
    ("upper_99_8", None, dict(color=theme.ENGLAND, width=1.5, dash="dash")),
)
FLAGS = ("above 99.8", "above 95", "within", "below 95", "below 99.8")
SYMBOLS = {
    "above 99.8": "triangle-up",
    "above 95": "triangle-up-open",
    "within": "circle",
    "below 95": "triangle-down-open",
    "below 99.8": "triangle-down",
}
WITHIN_COLOUR = "#8B9195"
PEERS_NAME = "Comparator peers"
AXIS_LINE_HEIGHT = 22  # px added below the plot for each extra line of the axis title


@dataclass(frozen=True, kw_only=True)
class FunnelSpec(ValueSpec):
    area_name: str
    polarity: str
    denominator_title: str
    empty_message: str = "No council has counts for a funnel plot in this period."
    height: int = 520
    limits_adjusted: bool = False  # widened for overdispersion: the legend says so


def flag_name(flag: str, polarity: str) -> str:
    """Legend text for a funnel flag, saying what it means for this metric."""
    if flag == "within":
        return "Within 95 % limits"
    side, level = flag.split(" ")
    judgement = ""
    if polarity != "context":
        good = "above" if polarity == "higher_is_better" else "below"
        judgement = " (better)" if side == good else " (worse)"
    return f"{side.capitalize()} {level} % limit{judgement}"


def flag_colour(flag: str, polarity: str) -> str:
    if flag == "within" or polarity == "context":
        return WITHIN_COLOUR if flag == "within" else theme.VERDICT_COLOURS["similar"]
    good = "above" if polarity == "higher_is_better" else "below"
    return theme.VERDICT_COLOURS["better" if flag.startswith(good) else "worse"]


def build(frame: pd.DataFrame, *, limits: pd.DataFrame, spec: FunnelSpec) -> go.Figure:
    """Limits first (lowest to highest), then councils by flag, then peers and the area."""
    points = frame[frame["funnel_flag"].isin(FLAGS)] if not frame.empty else frame
    if points.empty or limits.empty:
        return spec.empty_figure()
    axis_title = _wrapped(spec.denominator_title)
    traces = []
    for column, name, style in LIMIT_TRACES:
        if name and spec.limits_adjusted and column != "benchmark":
            name = f"{name} (overdispersion-adjusted)"
        traces.append(_limit_trace(limits, column, name, style, spec))
    for flag in FLAGS:
        rows = points[points["funnel_flag"] == flag]
        if not rows.empty:
            traces.append(_flag_trace(rows, flag, spec))
    reviewed = reviewed_rows(points)
    if not reviewed.empty:
        traces.append(reviewed_trace(reviewed["area_denominator"], reviewed["area_value"], size=17))
    for role in ("peer", "area"):
        rows = points[points["role"] == role]
        if not rows.empty:
            traces.append(_ring_trace(rows, role, spec))
    framed = plot_frame(spec, bottom=96 + AXIS_LINE_HEIGHT * (len(axis_title.split("<br>")) - 1))
    layout = framed | dict(
        hovermode="closest",
        xaxis=dict(
            title=dict(text=axis_title, font=dict(size=13)),
            tickformat="~s",
            showgrid=True,
            gridcolor="#F0F0F0",
            zeroline=False,
            rangemode="tozero",
        ),
        yaxis=dict(ticksuffix=spec.suffix, rangemode="normal"),
        legend=framed["legend"] | dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"),
    )
    return trusted_figure(traces, layout)


def _wrapped(text: str, width: int = 90) -> str:
    """Break a long axis title onto lines (Plotly does not wrap)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _limit_trace(
    limits: pd.DataFrame, column: str, name: str | None, style: dict, spec: FunnelSpec
) -> dict:
    level = "99.8" if column.endswith("99_8") else "95"
    label = "England" if column == "benchmark" else f"{level} % limit"
    return dict(
        type="scatter",
        x=limits["denominator"],
        y=limits[column],
        mode="lines",
        name=name or f"{label} (upper)",
        legendgroup=column.replace("lower_", "").replace("upper_", ""),
        showlegend=name is not None,
        line=dict(style),
        hovertemplate=f"{label}: {spec.value_format()}<extra></extra>",
    )


def _customdata(rows: pd.DataFrame, spec: FunnelSpec) -> np.ndarray:
    return np.column_stack(
        [
            rows["name"].to_numpy(),
            [flag_name(f, spec.polarity) for f in rows["funnel_flag"]],
            [f"{v:,.0f}" for v in rows["area_numerator"].astype(float)],
        ]
    )


def _hover(spec: FunnelSpec) -> str:
    return (
        f"<b>%{{customdata[0]}}</b><br>{spec.value_format()}"
        "<br>%{customdata[2]} of %{x:,.0f}<br>%{customdata[1]}<extra></extra>"
    )


def _flag_trace(rows: pd.DataFrame, flag: str, spec: FunnelSpec) -> dict:
    return dict(
        type="scatter",
        x=rows["area_denominator"],
        y=rows["area_value"],
        mode="markers",
        name=flag_name(flag, spec.polarity),
        marker=dict(
            color=flag_colour(flag, spec.polarity),
            symbol=SYMBOLS[flag],
            size=8 if flag == "within" else 10,
            line=dict(width=2) if flag.endswith(" 95") else dict(color="white", width=0.5),
        ),
        customdata=_customdata(rows, spec),
        hovertemplate=_hover(spec),
    )


def _ring_trace(rows: pd.DataFrame, role: str, spec: FunnelSpec) -> dict:
    """A ring around the peers' and the area's points (the area's is labelled)."""
    area = role == "area"
    return dict(
        type="scatter",
        x=rows["area_denominator"],
        y=rows["area_value"],
        mode="markers+text" if area else "markers",
        name=spec.area_name if area else PEERS_NAME,
        **({"text": rows["name"]} if area else {}),
        textposition="top center",
        textfont=dict(color=theme.AREA, size=13),
        marker=dict(
            symbol="circle-open",
            size=20 if area else 15,
            color=theme.AREA if area else theme.PEER,
            line=dict(width=3 if area else 2),
        ),
        customdata=_customdata(rows, spec),
        hovertemplate=_hover(spec),
    )
