"""Small multiples: one panel per reviewed area, each its own line against its comparator mean
and England, on one shared y axis so panels compare at a glance.

Pure: a long frame (``queries.explorer.reviewed_series``: ``name``, ``period_label``,
``area_value``, ``comparator_mean``, ``england_value``) in, a figure out. Panels are in the
frame's order of names; titles are the area names, with a line under each from ``spec.notes``
(the view model's latest value and verdict) where it has one. The dicts are wrapped without
Plotly's validation (``trusted_figure``: validating 60 traces and 40 axes was most of the
reviewed view's render); the tests check they are what validation makes of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import ValueSpec, plot_frame, trusted_figure

LINES = (  # column, legend name, style
    ("england_value", "England", dict(color=theme.ENGLAND, width=1.5, dash="dash")),
    ("comparator_mean", "Its comparator mean", dict(color=theme.COMPARATOR, width=1.8)),
    ("area_value", "Reviewed area", dict(color=theme.AREA, width=2.2)),
)
PANEL_HEIGHT = 150
NOTE_HEIGHT = 16  # px more per row of panels when each title has a note line


@dataclass(frozen=True, kw_only=True)
class SmallMultiplesSpec(ValueSpec):
    """The figure's height follows its rows of panels; ``height`` is the empty state's."""

    highlight: str | None = None  # the selected area's name, when it is one of the panels
    notes: Mapping[str, str] = field(default_factory=dict)  # area name -> line under its title
    columns: int = 5
    empty_message: str = "No reviewed area has data for this selection."
    height: int = 360


def build(frame: pd.DataFrame, *, spec: SmallMultiplesSpec) -> go.Figure:
    """A grid of panels, ``spec.columns`` wide, sharing both axes."""
    if frame.empty or frame["area_value"].isna().all():
        return spec.empty_figure()
    names = list(dict.fromkeys(frame["name"]))
    labels = list(dict.fromkeys(frame.sort_values("period_start")["period_label"]))
    columns = min(spec.columns, len(names))
    rows = math.ceil(len(names) / columns)
    traces = []
    for index, (name, panel) in enumerate(frame.groupby("name", sort=False)):
        suffix = "" if index == 0 else str(index + 1)
        for column, legend, style in LINES:
            traces.append(
                dict(
                    type="scatter",
                    x=panel["period_label"].tolist(),
                    y=panel[column].tolist(),
                    xaxis=f"x{suffix}",
                    yaxis=f"y{suffix}",
                    mode="lines",
                    name=legend,
                    legendgroup=legend,
                    showlegend=index == 0,
                    line=dict(style),
                    hovertemplate=f"{name} · {legend}: {spec.value_format()}<extra></extra>",
                )
            )
    layout = _grid(names, labels, rows, columns, spec)
    panel_height = PANEL_HEIGHT + (NOTE_HEIGHT if spec.notes else 0)
    framed = plot_frame(spec, bottom=110, height=rows * panel_height + 230)
    layout["annotations"] += framed.pop("annotations")
    layout.update(
        framed,
        hovermode="closest",
        margin=dict(t=120, b=110),
        legend=dict(y=-0.3 / rows, yanchor="top"),
    )
    return trusted_figure(traces, layout)


def _grid(names: list[str], labels: list[str], rows: int, columns: int, spec) -> dict:
    """Axes and panel titles for a rows × columns grid, every axis matched to the first one
    (built directly: plotly's make_subplots takes most of a second for 20 panels)."""
    gap_x, gap_y = 0.055, (0.75 if spec.notes else 0.5) / (rows * 2.2)
    width = (1 - gap_x * (columns - 1)) / columns
    height = (1 - gap_y * (rows - 1)) / rows
    ticks = [labels[0], labels[-1]] if len(labels) > 1 else labels
    layout: dict = {"annotations": []}
    for index, name in enumerate(names):
        row, col = divmod(index, columns)
        suffix = "" if index == 0 else str(index + 1)
        left = col * (width + gap_x)
        top = 1 - row * (height + gap_y)
        bottom_row = index + columns >= len(names)
        matches = {} if index == 0 else {"matches": "x"}
        layout[f"xaxis{suffix}"] = dict(
            domain=[left, min(left + width, 1.0)],
            anchor=f"y{suffix}",
            **matches,
            type="category",
            categoryorder="array",
            categoryarray=labels,
            tickmode="array",
            tickvals=ticks,
            showticklabels=bottom_row,
            tickfont=dict(size=9),
            showgrid=False,
        )
        layout[f"yaxis{suffix}"] = dict(
            domain=[max(top - height, 0.0), top],
            anchor=f"x{suffix}",
            **({} if index == 0 else {"matches": "y"}),
            showticklabels=col == 0,
            ticksuffix=spec.suffix,
            tickfont=dict(size=10),
        )
        highlighted = name == spec.highlight
        title = f"<b>{name}</b>" if highlighted else name
        note = spec.notes.get(name)
        layout["annotations"].append(
            dict(
                text=f"{title}<br><span style='font-size:10px'>{note}</span>" if note else title,
                x=left + width / 2,
                y=top,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=12, color=theme.AREA if highlighted else "#0B0C0C"),
            )
        )
    return layout
