"""Tiny trend line for a metric tile: area, comparator mean and England, no axes.

It shows direction, not values: the tile prints the numbers, so the sparkline stays quiet
(static, no hover) and uses the same fixed colours as the full chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts._common import empty_figure, period_axis


@dataclass(frozen=True)
class SparklineSpec:
    """Size of the sparkline and the message when there is nothing to draw."""

    height: int = 56
    empty_message: str = "No series"


# The sparkline needs only the theme's fonts and colours; a small template is much cheaper to
# apply than the full one, and keeps the same look.
_TEMPLATE = go.layout.Template(
    layout=dict(font=dict(family=theme.FONT_FAMILY), paper_bgcolor="white", plot_bgcolor="white")
)

LINES = (
    ("comparator_mean", "Comparator mean", dict(color=theme.COMPARATOR, width=1.5)),
    ("england_value", "England", dict(color=theme.ENGLAND, width=1.5, dash="dot")),
    ("area_value", "Area", dict(color=theme.AREA, width=2.5)),
)


def build(frame: pd.DataFrame, *, spec: SparklineSpec) -> go.Figure:
    """Area over comparator and England lines, periods as a category axis."""
    if frame.empty or "area_value" not in frame.columns or frame["area_value"].isna().all():
        figure = empty_figure(spec.empty_message, height=spec.height)
        figure.update_layout(margin=dict(l=0, r=0, t=0, b=0))
        figure.update_annotations(font=dict(size=11))
        return figure
    labels = frame["period_label"].tolist()
    # One constructor call with plain dicts: a profile page draws ~40 sparklines, and building
    # them trace by trace (each add/update re-validating the figure) cost ~70 ms apiece.
    traces = [
        dict(
            type="scatter",
            x=labels,
            y=frame[column].tolist(),
            mode="lines",
            name=name,
            line=line,
            hoverinfo="skip",
        )
        for column, name, line in LINES
        if column in frame.columns
    ]
    layout = dict(
        template=_TEMPLATE,
        height=spec.height,
        showlegend=False,
        margin=dict(l=2, r=2, t=2, b=2),
        hovermode=False,
        xaxis=dict(period_axis(labels), visible=False),
        yaxis=dict(visible=False, rangemode="normal"),
    )
    return go.Figure(data=traces, layout=layout)
