"""Every council's value in one period, ranked, with 95 % intervals: a caterpillar plot.

Pure: a ranking frame (``queries.explorer.ranking``: one row per council with ``position``,
``name``, ``role``, ``area_value``, ``area_lower``, ``area_upper``, ``vs_england``,
``england_value``) in, a figure out. The chosen area and its comparator peers stand out by
colour, marker and size; reviewed areas are ringed by an open square; England is a dashed line;
names are on hover and the area is labelled. The caller may pass only some councils (the
reviewed areas only) with ``spec.total`` the number ranked, so positions stay among all.
Traces and layout are plain dicts wrapped without Plotly's validation (``trusted_figure``), which
was most of the ranking view's render; the tests check they are what validation makes of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import ValueSpec, interval_bars, plot_frame, trusted_figure
from dashboard.charts.reviewed_marks import reviewed_rows, reviewed_trace

OTHER_NAME = "Other councils"
OTHER_REVIEWED_NAME = "Other reviewed areas"
PEERS_NAME = "Comparator peers"
ENGLAND_NAME = "England"
OTHER_COLOUR = "#8B9195"
FEW_COUNCILS = 12  # up to this many, every council's position is labelled
ROLE_STYLE = {  # role -> (legend name or None for the area's own name, colour, symbol, size)
    "other": (OTHER_NAME, OTHER_COLOUR, "circle", 6),
    "peer": (PEERS_NAME, theme.PEER, "diamond", 10),
    "area": (None, theme.AREA, "circle", 14),
}


@dataclass(frozen=True, kw_only=True)
class RankingSpec(ValueSpec):
    area_name: str
    empty_message: str = "No council has a value for this period."
    height: int = 520
    total: int | None = None  # councils ranked, when the frame holds only some of them
    reviewed_only: bool = False  # the frame holds the reviewed areas (and the area) only


def build(frame: pd.DataFrame, *, spec: RankingSpec) -> go.Figure:
    """Councils left to right from lowest to highest value; the area drawn last, on top."""
    ranked = frame[frame["position"].notna()].sort_values("position") if not frame.empty else frame
    if ranked.empty:
        return spec.empty_figure()
    total = spec.total or len(ranked)
    traces = []
    for role in ("other", "peer", "area"):
        rows = ranked[ranked["role"] == role]
        if role == "other" or not rows.empty:
            traces.append(_role_trace(rows, role, spec, total=total))
    reviewed = reviewed_rows(ranked)
    if not reviewed.empty:
        traces.append(
            reviewed_trace(reviewed["position"].astype(int), reviewed["area_value"], size=16)
        )
    england = ranked["england_value"].dropna()
    if not england.empty:
        traces.append(_england_trace(float(england.iloc[0]), total, spec))
    framed = plot_frame(spec, bottom=148, axis_title=True)
    xaxis = dict(
        title=dict(text="Councils ranked from lowest to highest value", font=dict(size=13)),
        range=[0, total + 1],
        showticklabels=True,
    )
    if total <= FEW_COUNCILS:
        # every council when there are few; else Plotly spaces the ticks by the axis's
        # width (every 10th, or every one of 20, turned the labels on end on a phone)
        xaxis["dtick"] = 1
    layout = framed | dict(
        hovermode="closest",
        xaxis=xaxis,
        yaxis=dict(ticksuffix=spec.suffix, rangemode="normal"),
        annotations=framed["annotations"] + _area_label(ranked, spec, total=total),
    )
    return trusted_figure(traces, layout)


def _hover(spec: RankingSpec) -> str:
    return (
        f"<b>%{{customdata[0]}}</b><br>{spec.value_format()}"
        " (95% CI %{customdata[1]}–%{customdata[2]})<br>Rank %{x} of %{customdata[4]}"
        "<br>vs England: %{customdata[3]}<extra></extra>"
    )


def _role_trace(rows: pd.DataFrame, role: str, spec: RankingSpec, *, total: int) -> dict:
    name, colour, symbol, size = ROLE_STYLE[role]
    if role == "other" and spec.reviewed_only:
        name = OTHER_REVIEWED_NAME
    values = rows["area_value"].astype(float)
    lower, upper = rows["area_lower"].astype(float), rows["area_upper"].astype(float)
    customdata = np.column_stack(
        [
            rows["name"].to_numpy(),
            spec.formatted(lower),
            spec.formatted(upper),
            rows["vs_england"].fillna("not compared").to_numpy(),
            np.full(len(rows), total),
        ]
    )
    error_y = interval_bars(
        values,
        lower,
        upper,
        color=colour,
        thickness=1 if role == "other" else 1.5,
        width=0 if role == "other" else 3,
    )
    return dict(
        type="scatter",
        x=rows["position"].astype(int).tolist(),
        y=values,
        mode="markers",
        name=name or spec.area_name,
        marker=dict(
            color=colour,
            symbol=symbol,
            size=size,
            line=dict(color="white", width=1 if role != "area" else 2),
        ),
        **error_y,
        customdata=customdata,
        hovertemplate=_hover(spec),
    )


def _england_trace(value: float, count: int, spec: RankingSpec) -> dict:
    return dict(
        type="scatter",
        x=[0, count + 1],
        y=[value, value],
        mode="lines",
        name=ENGLAND_NAME,
        line=dict(color=theme.ENGLAND, width=2, dash="dash"),
        hovertemplate=f"England: {spec.formatted([value])[0]}<extra></extra>",
    )


def _area_label(ranked: pd.DataFrame, spec: RankingSpec, *, total: int) -> list[dict]:
    """The area's name and rank over its point (none when the area is not ranked)."""
    area = ranked[ranked["role"] == "area"]
    if area.empty:
        return []
    row = area.iloc[0]
    return [
        dict(
            x=int(row["position"]),
            y=float(row["area_value"]),
            text=f"<b>{spec.area_name}</b> ({int(row['position'])} of {total})",
            showarrow=True,
            arrowhead=0,
            ax=0,
            ay=-44,
            xanchor=_label_anchor(int(row["position"]), total),
            font=dict(color=theme.AREA, size=13),
            bgcolor="rgba(255,255,255,0.85)",
        )
    ]


def _label_anchor(position: int, total: int) -> str:
    """The label reads away from the nearer edge, so an area ranked near either end keeps its
    name inside the chart (centred, "Liverpool (147 of 152)" ran off the right edge)."""
    across = position / (total + 1)  # the x axis runs from 0 to total + 1
    if across >= 0.8:
        return "right"
    return "left" if across <= 0.2 else "center"
