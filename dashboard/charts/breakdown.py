"""A metric by breakdown value (or a single series) over time, one panel per value: the area
vs the comparator mean (with the peers' min–max band) vs England.

Pure: a tidy frame (one row per panel and period, as ``queries.family.breakdown_series``
returns with a ``panel`` label column) in, a Plotly figure out. The area's points say where
they come from: filled circles are published data, open diamonds synthetic demo values, each
with its own legend entry, so a printed chart keeps the distinction.
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
    band_edges,
    card_frame,
    column,
    panel_heading,
    period_axis,
    trusted_figure,
)

PUBLISHED_MARKER = dict(symbol="circle", size=7, color=theme.AREA)
SYNTHETIC_MARKER = dict(
    symbol="diamond-open", size=8, color=theme.SYNTHETIC_MARK, line=dict(width=2)
)
REFERENCE_LINES = (  # column, legend name, legend group, style
    ("comparator_mean", "Comparator mean", "comparator", dict(color=theme.COMPARATOR, width=2.5)),
    ("england_value", "England", "england", dict(color=theme.ENGLAND, width=2, dash="dash")),
)
PUBLISHED_NAME = "Published data"
SYNTHETIC_NAME = "Synthetic (demo values)"
MAX_COLUMNS = 3


@dataclass(frozen=True, kw_only=True)
class PanelSpec(ValueSpec):
    """``panels`` fixes the panel order (labels in ``panel``)."""

    area_name: str
    panels: tuple[str, ...] = ()
    empty_message: str = "Not available in the published data."
    height: int = 440
    title_chars: int = 90  # wrap longer titles (narrow cards take fewer)
    max_ticks: int = 12  # period labels per panel, so they stay horizontal


def build(frame: pd.DataFrame, *, spec: PanelSpec) -> go.Figure:
    """One panel per label in ``spec.panels`` (or in ``frame['panel']``); a message figure
    when nothing has a value. Built from dicts known to be valid, without validation."""
    present = [c for c in VALUE_COLUMNS if c in frame.columns]
    if frame.empty or not present:
        return spec.empty_figure()
    labels = list(dict.fromkeys(frame["period_label"].tolist()))
    aligned = _Aligned(frame, labels)
    if all(np.isnan(aligned.values[c]).all() for c in present):
        return spec.empty_figure()
    panels = _panels(frame, spec)
    grid = _Grid(len(panels))
    x_axis = period_axis(labels, max_ticks=spec.max_ticks / grid.columns)  # every panel's
    shown: set[str] = set()  # legend entries already drawn: each appears once
    traces, axes, titles = [], {}, []
    for index, panel in enumerate(panels):
        part = aligned.panel(panel)
        suffix = "" if index == 0 else str(index + 1)
        for trace in _traces(part, labels, spec, shown=shown):
            trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
            traces.append(trace)
        x_domain, y_domain = grid.domains(index)
        axes[f"xaxis{suffix}"] = dict(
            x_axis,
            tickangle=0,
            domain=x_domain,
            anchor=f"y{suffix}",
        )
        axes[f"yaxis{suffix}"] = dict(
            domain=y_domain,
            anchor=f"x{suffix}",
            ticksuffix=spec.suffix,
            rangemode="tozero",
        )
        if len(panels) > 1:
            titles.append(panel_heading(panel, x=x_domain[0], y=y_domain[1]))
    return trusted_figure(traces, _layout(spec, axes, titles))


PLOTTED = (  # the value columns a panel draws, as floats (NaN where missing)
    "area_value",
    "area_lower",
    "area_upper",
    "comparator_mean",
    "comparator_min",
    "comparator_max",
    "england_value",
)


class _Aligned:
    """The frame's plotted columns as numpy arrays, and each panel's rows placed on the
    period labels (NaN, and not synthetic, where a panel lacks a period): what reindexing
    each panel's rows by label gives, without a pandas frame per panel."""

    def __init__(self, frame: pd.DataFrame, labels: list[str]):
        slot = {label: index for index, label in enumerate(labels)}
        self.size = len(labels)
        self.slots = np.fromiter(
            (slot[label] for label in frame["period_label"].tolist()), np.intp, len(frame)
        )
        self.panels = frame["panel"].to_numpy() if "panel" in frame.columns else None
        self.values = {name: _floats(frame[name]) for name in PLOTTED if name in frame.columns}
        synthetic = column(frame, "area_is_synthetic", False)
        self.synthetic = synthetic.fillna(False).astype(bool).to_numpy()

    def panel(self, panel: str) -> dict[str, np.ndarray]:
        rows = (
            np.flatnonzero(self.panels == panel)
            if self.panels is not None
            else np.arange(len(self.slots))
        )
        slots = self.slots[rows]
        if len(np.unique(slots)) != len(slots):
            raise ValueError(f"panel {panel!r} has a period twice")
        part = {}
        for name in PLOTTED:
            placed = np.full(self.size, np.nan)
            if name in self.values:
                placed[slots] = self.values[name][rows]
            part[name] = placed
        synthetic = np.zeros(self.size, dtype=bool)
        synthetic[slots] = self.synthetic[rows]
        part["area_is_synthetic"] = synthetic
        return part


class _Grid:
    """Panels left to right, at most MAX_COLUMNS a row, with gaps between them."""

    GAP_X, GAP_Y = 0.07, 0.16

    def __init__(self, count: int):
        self.columns = min(count, MAX_COLUMNS)
        self.rows = -(-count // self.columns)

    def domains(self, index: int) -> tuple[list[float], list[float]]:
        row, column = divmod(index, self.columns)
        width = (1 - self.GAP_X * (self.columns - 1)) / self.columns
        height = (1 - self.GAP_Y * (self.rows - 1)) / self.rows
        left = column * (width + self.GAP_X)
        top = 1 - row * (height + self.GAP_Y)
        return [left, left + width], [top - height, top]


def _floats(values: pd.Series) -> np.ndarray:
    """The values as floats, NaN where missing (float columns as they are, without a copy)."""
    found = values.to_numpy()
    return found if found.dtype == np.float64 else values.to_numpy(dtype=float, na_value=np.nan)


def _panels(frame: pd.DataFrame, spec: PanelSpec) -> list[str]:
    found = list(dict.fromkeys(frame["panel"])) if "panel" in frame.columns else [""]
    ordered = [p for p in spec.panels if p in found]
    return ordered + [p for p in found if p not in ordered]


def _traces(
    part: dict[str, np.ndarray], labels: list[str], spec: PanelSpec, *, shown: set[str]
) -> list[dict]:
    value = spec.value_format()
    first = not shown
    common = dict(x=labels, showlegend=first)
    shown.add("lines")
    area = part["area_value"]
    synthetic = part["area_is_synthetic"]
    traces = [
        *band_edges(part["comparator_max"], part["comparator_min"], labels, showlegend=first),
        *(
            dict(
                type="scatter",
                **common,
                y=part[name],
                mode="lines",
                name=legend,
                legendgroup=group,
                line=line,
                hovertemplate=f"{legend}: {value}<extra></extra>",
            )
            for name, legend, group, line in REFERENCE_LINES
        ),
        dict(
            type="scatter",
            **common,
            y=area,
            mode="lines",
            name=spec.area_name,
            legendgroup="area",
            line=dict(color=theme.AREA, width=3),
            hoverinfo="skip",
        ),
    ]
    has_value = ~np.isnan(area)
    for name, marker, mask in (
        (PUBLISHED_NAME, PUBLISHED_MARKER, ~synthetic),
        (SYNTHETIC_NAME, SYNTHETIC_MARKER, synthetic),
    ):
        plotted = mask & has_value
        points = np.where(plotted, area, np.nan)
        has_points = bool(plotted.any())
        bars = _interval_bars(part, points, marker["color"])
        traces.append(
            dict(
                type="scatter",
                x=labels,
                y=points,
                mode="markers",
                name=name,
                legendgroup=name,
                marker=marker,
                **({"error_y": bars} if bars else {}),
                showlegend=has_points and name not in shown,
                hovertemplate=f"{spec.area_name} ({name.lower()}): {value}<extra></extra>",
            )
        )
        if has_points:
            shown.add(name)
    return traces


def _interval_bars(part: dict[str, np.ndarray], points: np.ndarray, colour: str) -> dict | None:
    """The area's 95 % interval as error bars on its points, where the data have one."""
    lower, upper = part["area_lower"], part["area_upper"]
    has = ~(np.isnan(points) | np.isnan(lower) | np.isnan(upper))
    if not has.any():
        return None
    return dict(
        type="data",
        symmetric=False,
        array=np.where(has, np.maximum(upper - points, 0), np.nan),
        arrayminus=np.where(has, np.maximum(points - lower, 0), np.nan),
        color=colour,
        thickness=1.2,
        width=3,
    )


def _layout(spec: PanelSpec, axes: dict, titles: list[dict]) -> dict:
    layout = card_frame(spec, title_chars=spec.title_chars)
    if titles:  # panel titles need a line of their own above the panels
        layout["margin"]["t"] += 20
    layout["annotations"] = [*titles, *layout["annotations"]]
    layout.update(hovermode="x unified", **axes)
    return layout
