"""Two interface metrics against each other, one point per council.

Pure: one row per council (name, x, y, flags) in, a Plotly figure out. The shortlist is ringed
and named, the reviewed areas are diamonds (shape as well as colour), England's values are
dashed reference lines, and hover gives each council's name and both values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import (
    HALF_CARD_NOTE_CHARS,
    MODEBAR_CLEARANCE,
    NOTE_LINE,
    Spec,
    chart_frame,
    wrapped_note,
)

COUNCILS_NAME = "Councils"
REVIEWED_NAME = "Reviewed areas"
SHORTLIST_NAME = "Shortlisted"
ENGLAND_NAME = "England"
COUNCIL_COLOUR = "rgba(80, 90, 95, 0.55)"
SHORTLIST_COLOUR = theme.COMPARATOR


@dataclass(frozen=True)
class Axis:
    """One metric on an axis: its title and how its numbers are written."""

    title: str
    unit: str = ""
    decimals: int = 1
    percent: bool = False

    @property
    def label(self) -> str:
        """The axis title: the metric, and its unit on a smaller second line."""
        return f"{self.title}<br><sup>{self.unit}</sup>" if self.unit else self.title

    def hover(self, letter: str) -> str:
        suffix = "%" if self.percent else ""
        return f"%{{{letter}:,.{self.decimals}f}}{suffix}"


@dataclass(frozen=True, kw_only=True)
class ScatterSpec(Spec):
    """The two axes and England's values."""

    x: Axis
    y: Axis
    england_x: float | None = None
    england_y: float | None = None
    empty_message: str = "No council has values on both metrics for this period."
    height: int = 640


def build(frame: pd.DataFrame, *, spec: ScatterSpec) -> go.Figure:
    """Councils with both values; an explanatory figure when there are none."""
    plotted = frame.dropna(subset=["x", "y"]) if not frame.empty else frame
    if plotted.empty:
        return spec.empty_figure()
    figure = go.Figure()
    hover = (
        "<b>%{customdata[0]}</b><br>"
        f"{spec.x.title}: {spec.x.hover('x')}<br>"
        f"{spec.y.title}: {spec.y.hover('y')}<extra>%{{fullData.name}}</extra>"
    )
    reviewed = plotted["reviewed"].fillna(False).astype(bool)
    shortlisted = plotted["shortlisted"].fillna(False).astype(bool)
    figure.add_trace(
        _points(
            plotted[~reviewed],
            name=COUNCILS_NAME,
            marker=dict(symbol="circle", size=8, color=COUNCIL_COLOUR),
            hover=hover,
        )
    )
    if reviewed.any():
        figure.add_trace(
            _points(
                plotted[reviewed],
                name=REVIEWED_NAME,
                marker=dict(
                    symbol="diamond", size=10, color=theme.AREA, line=dict(color="white", width=1)
                ),
                hover=hover,
            )
        )
    if shortlisted.any():
        rows = plotted[shortlisted]
        trace = _points(
            rows,
            name=SHORTLIST_NAME,
            marker=dict(symbol="circle-open", size=18, color=SHORTLIST_COLOUR, line=dict(width=3)),
            hover=hover,
        )
        trace.update(
            mode="markers+text",
            text=rows["name"].tolist(),
            textposition="top center",
            textfont=dict(size=12, color="#0B0C0C"),
        )
        figure.add_trace(trace)
    _england(figure, spec)
    _lay_out(figure, spec)
    return figure


def _points(rows: pd.DataFrame, *, name: str, marker: dict, hover: str) -> go.Scatter:
    return go.Scatter(
        x=rows["x"].tolist(),
        y=rows["y"].tolist(),
        mode="markers",
        name=name,
        marker=marker,
        customdata=[[n] for n in rows["name"]],
        hovertemplate=hover,
    )


def _england(figure: go.Figure, spec: ScatterSpec) -> None:
    """Dashed lines at England's values, with one legend entry for both."""
    line = dict(color=theme.ENGLAND, width=1.5, dash="dash")
    if spec.england_x is not None:
        figure.add_vline(x=spec.england_x, line=line, layer="below")
    if spec.england_y is not None:
        figure.add_hline(y=spec.england_y, line=line, layer="below")
    if spec.england_x is not None or spec.england_y is not None:
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="lines", line=line, name=ENGLAND_NAME, hoverinfo="skip"
            )
        )


def _lay_out(figure: go.Figure, spec: ScatterSpec) -> None:
    lines = wrapped_note(spec.source_note, HALF_CARD_NOTE_CHARS)
    framed = chart_frame(
        spec, title_y=1 - MODEBAR_CLEARANCE / spec.height, note_shift=-122, note_lines=lines
    )
    framed["annotations"] = [*figure.layout.annotations, *framed["annotations"]]
    figure.update_layout(
        **framed,
        hovermode="closest",
        margin=dict(
            t=104 + MODEBAR_CLEARANCE, b=170 + NOTE_LINE * max(len(lines) - 3, 0), l=80, r=16
        ),
        legend=dict(orientation="h", y=-0.24, yanchor="top", x=0),
        xaxis=dict(
            title=dict(text=spec.x.label),
            ticksuffix="%" if spec.x.percent else "",
            showgrid=True,
            gridcolor="#E5E6E7",
            zeroline=False,
        ),
        yaxis=dict(
            title=dict(text=spec.y.label),
            ticksuffix="%" if spec.y.percent else "",
            rangemode="normal",
        ),
        meta={"chart": "scatter"},
    )
