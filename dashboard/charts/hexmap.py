"""Every council as one equal hexagon, coloured by its quartile on a metric.

Pure: one row per council (hex position, name, formatted value, quartile, flags) in, a Plotly
figure out. Equal tiles keep small urban councils as visible as large counties. The layout is
"odd-r" (odd rows shifted half a hex right, ``r`` grows northwards), drawn in data units with
a locked aspect ratio so hexes tile exactly at any width. Colours are a sequential,
colour-blind-safe scale (ColorBrewer YlGnBu) from quartile 1 (best, lightest) to quartile 4
(worst, darkest), always named in the legend and on hover; the shortlist is outlined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.frame import (
    HALF_CARD_NOTE_CHARS,
    MODEBAR_CLEARANCE,
    NOTE_LINE,
    Spec,
    chart_frame,
    wrapped_note,
)

QUARTILE_COLOURS = {1: "#FFFFCC", 2: "#A1DAB4", 3: "#41B6C4", 4: "#225EA8"}
QUARTILE_NAMES = {
    1: "Quartile 1 (best 25%)",
    2: "Quartile 2",
    3: "Quartile 3",
    4: "Quartile 4 (worst 25%)",
}
NO_DATA_NAME = "No data or suppressed"
NO_DATA_COLOUR = "#DADADA"
SHORTLIST_NAME = "Shortlisted"
SHORTLIST_LINE = "#0B0C0C"
REVIEWED_NAME = "Reviewed area"
TILE_EDGE = "#6F777B"
RADIUS = 1 / math.sqrt(3)  # centre to corner, so neighbouring centres are 1 apart
ROW_HEIGHT = 1.5 * RADIUS
COLUMNS = ("area_code", "name", "q", "r", "value_text", "quartile", "shortlisted", "reviewed")


@dataclass(frozen=True, kw_only=True)
class HexMapSpec(Spec):
    """The metric's name titles the legend; the subtitle gives unit and period."""

    metric_name: str
    empty_message: str = "No hex layout is published for these councils."
    height: int = 680


def centre(q: int, r: int) -> tuple[float, float]:
    """The hex centre in data units (odd rows shifted half a hex right)."""
    return q + 0.5 * (r % 2), r * ROW_HEIGHT


def corners(q: int, r: int) -> list[tuple[float, float]]:
    """The six corners of a pointy-topped hex, closed back to the first."""
    x, y = centre(q, r)
    points = [
        (
            x + RADIUS * math.cos(math.radians(90 + 60 * k)),
            y + RADIUS * math.sin(math.radians(90 + 60 * k)),
        )
        for k in range(6)
    ]
    return [*points, points[0]]


def _outline(rows: pd.DataFrame) -> tuple[list[float | None], list[float | None]]:
    """All the rows' hex outlines as one path, hexes separated by gaps (None)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for q, r in zip(rows["q"], rows["r"], strict=True):
        for x, y in corners(int(q), int(r)):
            xs.append(x)
            ys.append(y)
        xs.append(None)
        ys.append(None)
    return xs, ys


def _outlines(rows: pd.DataFrame, name: str, **style) -> go.Scatter:
    """The rows' hexes drawn as one trace (filled or outlined by ``style``), kept out of the
    legend: a swatch trace names them there."""
    xs, ys = _outline(rows)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name=name,
        legendgroup=name,
        showlegend=False,
        hoverinfo="skip",
        **style,
    )


def build(frame: pd.DataFrame, *, spec: HexMapSpec) -> go.Figure:
    """Filled hexes per quartile (and "no data"), hover points at the centres, the shortlist
    outlined on top and reviewed areas marked with a dot."""
    if frame.empty:
        return spec.empty_figure()
    frame = frame.reset_index(drop=True)
    quartile = pd.to_numeric(frame["quartile"], errors="coerce")
    figure = go.Figure()
    groups = [(quartile == q, QUARTILE_NAMES[q], QUARTILE_COLOURS[q]) for q in (1, 2, 3, 4)]
    groups.append((quartile.isna(), NO_DATA_NAME, NO_DATA_COLOUR))
    for mask, name, colour in groups:
        rows = frame[mask]
        if rows.empty:
            continue
        figure.add_trace(
            _outlines(
                rows, name, fill="toself", fillcolor=colour, line=dict(color=TILE_EDGE, width=0.6)
            )
        )
        figure.add_trace(_hover_points(rows, name=name))
        figure.add_trace(_legend_entry(name, marker=dict(color=colour)))
    shortlisted = frame[frame["shortlisted"].fillna(False).astype(bool)]
    if not shortlisted.empty:
        figure.add_trace(
            _outlines(shortlisted, SHORTLIST_NAME, line=dict(color=SHORTLIST_LINE, width=3))
        )
        figure.add_trace(
            _legend_entry(
                SHORTLIST_NAME,
                marker=dict(color="#FFFFFF", line=dict(color=SHORTLIST_LINE, width=3)),
            )
        )
    reviewed = frame[frame["reviewed"].fillna(False).astype(bool)]
    if not reviewed.empty:
        points = [centre(int(q), int(r)) for q, r in zip(reviewed["q"], reviewed["r"], strict=True)]
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in points],
                y=[y for _, y in points],
                mode="markers",
                marker=dict(
                    symbol="circle", size=6, color="#FFFFFF", line=dict(color="#0B0C0C", width=1.5)
                ),
                name=REVIEWED_NAME,
                hoverinfo="skip",
            )
        )
    _lay_out(figure, spec)
    _frame_tiles(figure, frame)
    return figure


LEGEND_SPACE = 5.5  # hex widths kept free on the left for the legend


def _frame_tiles(figure: go.Figure, frame: pd.DataFrame) -> None:
    """Axis ranges around the tiles, with room on the left so the legend covers no hex."""
    points = [centre(int(q), int(r)) for q, r in zip(frame["q"], frame["r"], strict=True)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    figure.update_xaxes(range=[min(xs) - 1 - LEGEND_SPACE, max(xs) + 1])
    figure.update_yaxes(range=[min(ys) - 1, max(ys) + 1])


def _legend_entry(name: str, *, marker: dict) -> go.Scatter:
    """A hexagon swatch for the legend (the tiles themselves are polygons)."""
    swatch = dict(symbol="hexagon", size=16, line=dict(color=TILE_EDGE, width=1)) | marker
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker=swatch,
        name=name,
        legendgroup=name,
        hoverinfo="skip",
    )


def _hover_points(rows: pd.DataFrame, *, name: str) -> go.Scatter:
    """Invisible markers at the hex centres that carry the hover text."""
    points = [centre(int(q), int(r)) for q, r in zip(rows["q"], rows["r"], strict=True)]
    return go.Scatter(
        x=[x for x, _ in points],
        y=[y for _, y in points],
        mode="markers",
        marker=dict(size=14, color="rgba(0,0,0,0)"),
        customdata=list(zip(rows["name"], rows["value_text"], strict=True)),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}}<br>{name}<extra></extra>",
        name=name,
        legendgroup=name,
        showlegend=False,
    )


def _lay_out(figure: go.Figure, spec: HexMapSpec) -> None:
    lines = wrapped_note(spec.source_note, HALF_CARD_NOTE_CHARS)
    figure.update_layout(
        **chart_frame(
            spec, title_y=1 - MODEBAR_CLEARANCE / spec.height, note_shift=-8, note_lines=lines
        ),
        hovermode="closest",
        margin=dict(l=8, r=8, t=124 + MODEBAR_CLEARANCE, b=22 + NOTE_LINE * max(len(lines), 3)),
        legend=dict(
            orientation="v",
            x=0,
            xanchor="left",
            y=1,
            yanchor="top",
            bgcolor="rgba(255,255,255,0.85)",
            title=dict(text=spec.metric_name, font=dict(size=12)),
            font=dict(size=12),
        ),
        xaxis=dict(visible=False, fixedrange=False),
        yaxis=dict(visible=False, scaleanchor="x", scaleratio=1, rangemode="normal"),
        meta={"chart": "hexmap"},
    )
