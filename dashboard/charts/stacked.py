"""Stacked charts: what a total is made of.

Two pure builders (two kinds in ``registry``):
- ``over_time`` (``StackedSpec``): the area's components (e.g. delayed days by reason) over
  time as stacked bars or areas, in rates or in shares of each period's total;
- ``share_bars`` (``ShareBarsSpec``): 100 % horizontal bars (e.g. CQC rating mix) for the
  area, the comparator group and England side by side, one panel per service type.
``to_shares`` turns values into percentages of their group so the view can export exactly
what is plotted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import (
    Spec,
    ValueSpec,
    card_frame,
    panel_heading,
    period_axis,
    trusted_figure,
)

FEW_COLOURS = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MANY_COLOURS = tuple(px.colors.qualitative.Safe)  # 11 colour-blind-safe colours
LABEL_MIN_SHARE = 6.0  # segments narrower than this carry no text label


def to_shares(frame: pd.DataFrame, *, by: list[str], value: str = "value") -> pd.Series:
    """Each row's ``value`` as a percentage of its group's total (groups keyed by ``by``);
    NaN where the group total is zero or missing."""
    totals = frame.groupby(by, sort=False, dropna=False)[value].transform("sum", min_count=1)
    return (frame[value] / totals.where(totals != 0) * 100).astype(float)


def colours_for(components: list[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Fixed colours where given, else the palette in component order."""
    palette = FEW_COLOURS if len(components) <= len(FEW_COLOURS) else MANY_COLOURS
    chosen = {}
    for index, component in enumerate(components):
        chosen[component] = (fixed or {}).get(component) or palette[index % len(palette)]
    return chosen


@dataclass(frozen=True, kw_only=True)
class StackedSpec(ValueSpec):
    """Components over time; ``order`` fixes stacking (bottom first) and legend order."""

    order: tuple[str, ...] = ()
    kind: str = "bar"  # or "area"
    colours: Mapping[str, str] = field(default_factory=dict)
    empty_message: str = "Not available in the published data."
    height: int = 460
    title_chars: int = 90
    max_ticks: int = 12


@dataclass(frozen=True, kw_only=True)
class ShareBarsSpec(Spec):
    """100 % bars: one bar per ``bar`` label within each ``group``, segments per component."""

    order: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    bars: tuple[str, ...] = ()
    colours: Mapping[str, str] = field(default_factory=lambda: dict(theme.RATING_COLOURS))
    empty_message: str = "Not available in the published data."
    height: int = 560
    title_chars: int = 90


def _nothing(frame: pd.DataFrame) -> bool:
    return frame.empty or frame["value"].isna().all()


def _ordered(found, preferred) -> list[str]:
    found = list(dict.fromkeys(found))
    return [c for c in preferred if c in found] + [c for c in found if c not in preferred]


def over_time(frame: pd.DataFrame, *, spec: StackedSpec) -> go.Figure:
    """Components stacked per period; a message figure when nothing has a value."""
    if _nothing(frame):
        return spec.empty_figure()
    labels = list(dict.fromkeys(frame["period_label"].tolist()))
    components = _ordered(frame["component"].tolist(), spec.order)
    colours = colours_for(components, spec.colours)
    by_component = _by_label(frame, labels, "component", "value")
    traces = []
    for component in components:
        trace = dict(
            x=labels,
            y=by_component[component],
            name=component,
            hovertemplate=f"{component}: {spec.value_format()}<extra></extra>",
        )
        if spec.kind == "area":
            trace.update(
                type="scatter",
                mode="lines",
                stackgroup="total",
                line=dict(width=0.5, color=colours[component]),
                fillcolor=colours[component],
            )
        else:
            trace.update(type="bar", marker=dict(color=colours[component]))
        traces.append(trace)
    layout = card_frame(spec, title_chars=spec.title_chars)
    layout.update(
        barmode="stack",
        bargap=0.15,
        xaxis=dict(period_axis(labels, max_ticks=spec.max_ticks), tickangle=0),
        yaxis=dict(ticksuffix=spec.suffix, **({"range": [0, 100]} if spec.percent else {})),
    )
    return trusted_figure(traces, layout)


def _by_label(frame: pd.DataFrame, labels: list[str], key: str, value: str) -> dict:
    """Each ``key`` value's ``value`` per period label, as a list in label order (None where
    it has no row or value): what reindexing each one's rows by label gives, in one pass with
    numpy. None, not NaN: both go out as null, but a NaN anywhere makes plotly's JSON
    encoder decode and encode the whole answer again to replace it."""
    slot = {label: index for index, label in enumerate(labels)}
    slots = np.fromiter((slot[label] for label in frame["period_label"].tolist()), np.intp)
    keys = frame[key].to_numpy()
    values = frame[value].to_numpy(dtype=float, na_value=np.nan)
    placed = {}
    for name in dict.fromkeys(keys.tolist()):
        rows = np.flatnonzero(keys == name)
        if len(np.unique(slots[rows])) != len(rows):
            raise ValueError(f"{name!r} has a period twice")
        line = np.full(len(labels), np.nan)
        line[slots[rows]] = values[rows]
        placed[name] = [None if value != value else value for value in line.tolist()]
    return placed


def share_bars(frame: pd.DataFrame, *, spec: ShareBarsSpec) -> go.Figure:
    """Horizontal 100 % bars, one panel per group headed by its name (first group and bar at
    the top); a message figure when nothing has a value.

    Panels, not a two-level axis: the group names of a two-level axis stood left of the bar
    names, so on a phone the long ones ("Domiciliary care agency") were cut off at the edge and
    the bars squeezed to a sliver. A heading above each panel takes no width."""
    if _nothing(frame):
        return spec.empty_figure()
    groups = _ordered(frame["group"], spec.groups)
    bars = list(reversed(_ordered(frame["bar"], spec.bars)))  # plotted bottom-up
    components = _ordered(frame["component"], spec.order)
    colours = colours_for(components, spec.colours)
    indexed = frame.set_index(["group", "bar", "component"])["value"]
    layout = card_frame(spec, title_chars=spec.title_chars)
    slot, heading = _group_slots(layout, len(groups))
    traces, headings = [], []
    for index, group in enumerate(groups):
        suffix = "" if index == 0 else str(index + 1)
        for component in components:
            values = [indexed.get((group, bar, component)) for bar in bars]
            values = [None if v is None or pd.isna(v) else float(v) for v in values]
            traces.append(
                _share_trace(component, colours[component], group, bars, values)
                | dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}", showlegend=index == 0)
            )
        top, last = 1 - index * slot - heading, index == len(groups) - 1
        layout[f"xaxis{suffix}"] = dict(
            range=[0, 100],
            ticksuffix="%",
            showgrid=True,
            gridcolor="#E5E6E7",
            anchor=f"y{suffix}",
            showticklabels=last,
            ticks="outside" if last else "",
            **({"matches": "x"} if index else {}),
        )
        layout[f"yaxis{suffix}"] = dict(
            domain=[max(top - slot + heading, 0.0), top],
            anchor=f"x{suffix}",
            automargin=True,
            type="category",
            categoryorder="array",
            categoryarray=bars,
        )
        headings.append(panel_heading(group, x=0, y=top))
    layout["annotations"] = [*layout["annotations"], *headings]
    layout["margin"]["r"] = SHARE_RIGHT_MARGIN
    layout.update(
        barmode="stack",
        bargap=0.15,
        hovermode="closest",
        uniformtext=dict(minsize=10, mode="hide"),  # a share too narrow to say legibly says none
    )
    return trusted_figure(traces, layout)


GROUP_HEADING = 24  # px above each panel for its group's name
SHARE_RIGHT_MARGIN = 28  # px: half of the "100%" tick label, centred on the plot's right edge


def _group_slots(layout: dict, count: int) -> tuple[float, float]:
    """Each group's share of the plot height and, within it, its heading's (in paper units,
    from the pixels the card frame leaves for the plot)."""
    margin = layout["margin"]
    plot_height = max(layout["height"] - margin["t"] - margin["b"], 80)
    slot = 1 / count
    return slot, min(GROUP_HEADING / plot_height, slot / 3)


def _share_trace(
    component: str, colour: str, group: str, bars: list[str], values: list[float | None]
) -> dict:
    return dict(
        type="bar",
        orientation="h",
        x=values,
        y=bars,
        name=component,
        legendgroup=component,
        marker=dict(color=colour, line=dict(color="white", width=1)),
        text=[f"{v:.0f}%" if v is not None and v >= LABEL_MIN_SHARE else "" for v in values],
        textposition="inside",
        insidetextanchor="middle",
        textfont=dict(color=_text_colour(colour)),
        hovertemplate=f"{component}: %{{x:.1f}}%<extra>{group}: %{{y}}</extra>",
    )


def _text_colour(background: str) -> str:
    """White on dark segments, near-black on light ones (WCAG contrast)."""
    hex_colour = background.lstrip("#")
    if len(hex_colour) != 6:
        return "#0B0C0C"
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return "#FFFFFF" if 0.299 * red + 0.587 * green + 0.114 * blue < 150 else "#0B0C0C"
