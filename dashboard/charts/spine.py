"""Spine chart: where an area sits among councils on every judged metric, England central.

Pure: one row per metric in (as ``dashboard.profile.view.spine_frame`` prepares it), a figure
out. Each row is scaled on its own so England sits in the middle and the furthest of the
lowest council, the highest council and the area just reaches an edge; rows are flipped so
"better" is always to the right. The area marker's colour, its shape and the words beside the
row all say the verdict, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import Spec, chart_frame, trusted_figure

RANGE_COLOUR = "#DEE0E2"
QUARTILE_COLOUR = "#A9AEB2"
VERDICT_SYMBOLS = {
    "better": "circle",
    "similar": "square",
    "worse": "diamond",
    "not compared": "circle-open",
}
VERDICT_WORDS = {
    "better": "Better than England",
    "similar": "Similar to England",
    "worse": "Worse than England",
    "not compared": "Not compared",
}
VERDICT_LEGEND = {
    "better": "better than England",
    "similar": "similar to England",
    "worse": "worse than England",
    "not compared": "not compared (no interval)",
}
CENTRE = 0.5
REQUIRED_COLUMNS = (
    "label",
    "polarity",
    "area_value",
    "england_value",
    "range_min",
    "range_q1",
    "range_q3",
    "range_max",
    "vs_england",
    "value_text",
)


@dataclass(frozen=True, kw_only=True)
class SpineSpec(Spec):
    """``range_name`` says whose range the bars show; the height follows the rows
    (``height`` is the empty state's)."""

    area_name: str
    range_name: str = "all councils"
    empty_message: str = "No metric has a value to place on the spine."
    height: int = 320
    row_height: int = 30


PLACED = ("area_value", "range_min", "range_q1", "range_q3", "range_max")


def positions(frame: pd.DataFrame) -> pd.DataFrame:
    """Each value as a position from 0 (worst) to 1 (best) with the centre at 0.5.

    The centre is England when England's value is comparable (within one range-width of the
    councils' range); otherwise (e.g. England published as a total, not a rate) the median of
    the middle half, and ``england_shown`` is False.
    """
    return pd.DataFrame(_placed(_columns(frame)))


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The frame's columns as arrays: numbers as floats, words as they are."""
    numbers = (*PLACED, "england_value", "comparator_mean")
    return {
        name: frame[name].to_numpy(dtype=float, na_value=np.nan)
        if name in numbers
        else frame[name].to_numpy()
        for name in frame.columns
    }


def _placed(rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``positions`` of the rows' arrays (row by row, as numpy arrays: a page draws one
    spine of ~30 rows, where pandas' per-operation overhead was most of the work)."""
    low, high = rows["range_min"], rows["range_max"]
    england = rows["england_value"]
    with np.errstate(invalid="ignore"):
        span = np.where(high > low, high - low, np.maximum(np.abs(high), 1.0))
        comparable = ~np.isnan(england) & (england >= low - span) & (england <= high + span)
        centre = np.where(comparable, england, (rows["range_q1"] + rows["range_q3"]) / 2)
        reach = np.fmax(
            np.fmax(np.abs(high - centre), np.abs(centre - low)),
            np.abs(rows["area_value"] - centre),
        )
        reach = np.where(reach > 0, reach, 1.0)
    flip = np.where(rows["polarity"] == "lower_is_better", -1.0, 1.0)

    def place(column: str) -> np.ndarray:
        return CENTRE + flip * (rows[column] - centre) / (2 * reach)

    placed = {name: place(name) for name in PLACED}
    if "comparator_mean" in rows:
        placed["comparator_mean"] = place("comparator_mean")
    placed["england_shown"] = comparable
    # after a flip the "min" edge can be on the right: bars need left <= right
    placed["range_left"] = np.fmin(placed["range_min"], placed["range_max"])
    placed["range_right"] = np.fmax(placed["range_min"], placed["range_max"])
    placed["middle_left"] = np.fmin(placed["range_q1"], placed["range_q3"])
    placed["middle_right"] = np.fmax(placed["range_q1"], placed["range_q3"])
    return placed


def build(frame: pd.DataFrame, *, spec: SpineSpec) -> go.Figure:
    """The spine for ``frame``; a message figure when no row has a value or a range."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"spine frame lacks column(s): {', '.join(missing)}")
    columns = _columns(frame)
    kept = ~np.isnan(columns["range_max"])
    if not kept.any():
        return spec.empty_figure()
    columns = {name: values[kept] for name, values in columns.items()}
    placed = _placed(columns)
    rows = list(range(int(kept.sum())))
    traces = [
        dict(
            type="bar",
            y=rows,
            base=placed[f"{edge}_left"].astype(object),  # as validation leaves it
            x=placed[f"{edge}_right"] - placed[f"{edge}_left"],
            orientation="h",
            marker=dict(color=colour),
            width=0.62,
            name=name,
            hoverinfo="skip",
        )
        for edge, colour, name in (
            ("range", RANGE_COLOUR, f"Range of {spec.range_name} (lowest to highest)"),
            ("middle", QUARTILE_COLOUR, "Middle half (25th to 75th percentile)"),
        )
    ]
    traces.append(_england_trace(columns, placed, rows))
    if "comparator_mean" in placed and (~np.isnan(placed["comparator_mean"])).any():
        traces.append(_comparator_trace(placed, rows))
    for verdict in VERDICT_SYMBOLS:
        trace = _area_trace(columns, placed, verdict, spec)
        if trace is not None:
            traces.append(trace)
    return trusted_figure(traces, _layout(columns, spec))


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two columns side by side, as ``frame[[a, b]].to_numpy()`` gives them (objects)."""
    return np.column_stack([first.astype(object), second.astype(object)])


def _england_trace(columns: dict, placed: dict, rows: list[int]) -> dict:
    hover = "england_text" in columns
    return _tick(
        np.where(placed["england_shown"], CENTRE, np.nan),
        rows,
        size=26,
        colour=theme.ENGLAND,
        name="England",
        customdata=_pairs(columns["label"], columns["england_text"]) if hover else None,
        hovertemplate="%{customdata[0]}<br>England: %{customdata[1]}<extra></extra>"
        if hover
        else None,
    )


def _comparator_trace(placed: dict, rows: list[int]) -> dict:
    return _tick(
        placed["comparator_mean"],
        rows,
        size=16,
        colour=theme.COMPARATOR,
        name="Comparator mean",
        hoverinfo="skip",
    )


def _tick(x, rows: list[int], *, size: int, colour: str, name: str, **hover) -> dict:
    """A vertical tick on each row: England's value, the comparator mean."""
    given = {key: value for key, value in hover.items() if value is not None}
    return dict(
        type="scatter",
        x=x,
        y=rows,
        mode="markers",
        marker=dict(
            symbol="line-ns-open", size=size, color=colour, line=dict(color=colour, width=3)
        ),
        name=name,
        **given,
    )


def _area_trace(columns: dict, placed: dict, verdict: str, spec: SpineSpec) -> dict | None:
    mask = (columns["vs_england"] == verdict) & ~np.isnan(placed["area_value"])
    if not mask.any():
        return None
    colour = theme.VERDICT_COLOURS[verdict]
    open_symbol = verdict == "not compared"
    marker_colour = theme.MUTED if open_symbol else colour
    return dict(
        type="scatter",
        x=placed["area_value"][mask],
        y=np.flatnonzero(mask),
        mode="markers",
        marker=dict(
            symbol=VERDICT_SYMBOLS[verdict],
            size=13,
            color=marker_colour,
            line=dict(color="#0B0C0C" if not open_symbol else marker_colour, width=1.5),
        ),
        name=f"{spec.area_name}: {VERDICT_LEGEND[verdict]}",
        customdata=_pairs(columns["label"][mask], columns["value_text"][mask]),
        hovertemplate=(
            f"%{{customdata[0]}}<br>{spec.area_name}: %{{customdata[1]}}"
            f"<br>{VERDICT_WORDS[verdict]}<extra></extra>"
        ),
    )


def _layout(columns: dict[str, np.ndarray], spec: SpineSpec) -> dict:
    rows = len(columns["label"])
    plot_height = max(rows * spec.row_height, 120)
    top, bottom = 104, 150
    framed = chart_frame(
        spec, title_y=1, note_shift=-96, height=plot_height + top + bottom, yref="container"
    )
    note = framed.pop("annotations")
    layout = dict(
        **framed,
        barmode="overlay",
        hovermode="closest",
        bargap=0.3,
        margin=dict(l=16, r=16, t=top, b=bottom),
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top", yref="paper"),
        xaxis=dict(
            range=[-0.02, 1.02],
            visible=False,
            fixedrange=True,
            domain=[0.34, 0.74],
        ),
        yaxis=dict(
            range=[rows - 0.5, -0.5],
            visible=False,
            fixedrange=True,
        ),
    )
    annotations = []
    for row, (label, value_text, verdict) in enumerate(
        zip(columns["label"], columns["value_text"], columns["vs_england"], strict=True)
    ):
        annotations.append(
            dict(
                text=label,
                xref="paper",
                x=0.33,
                xanchor="right",
                y=row,
                yref="y",
                showarrow=False,
                font=dict(size=13),
            )
        )
        annotations.append(
            dict(
                text=f"{value_text} · {VERDICT_WORDS.get(verdict, verdict)}",
                xref="paper",
                x=0.75,
                xanchor="left",
                y=row,
                yref="y",
                showarrow=False,
                font=dict(
                    size=13,
                    color=theme.VERDICT_COLOURS.get(verdict, theme.MUTED)
                    if verdict != "not compared"
                    else "#505A5F",
                ),
            )
        )
    for x, text, anchor in (
        (0.34, "◀ Worse", "left"),
        (0.54, "England", "center"),
        (0.74, "Better ▶", "right"),
    ):
        annotations.append(
            dict(
                text=f"<b>{text}</b>",
                xref="paper",
                x=x,
                xanchor=anchor,
                yref="paper",
                y=1,
                yanchor="bottom",
                yshift=6,
                showarrow=False,
                font=dict(size=12, color="#505A5F"),
            )
        )
    return layout | dict(annotations=[*annotations, *note])
