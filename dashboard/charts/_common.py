"""Pieces every chart builder shares: the empty-state figure and the period axis."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import theme


def empty_figure(message: str, *, title: str | None = None, height: int = 360) -> go.Figure:
    """A figure that says why there is nothing to plot, instead of an empty axis."""
    figure = go.Figure(layout=dict(template=theme.TEMPLATE_NAME, height=height))
    figure.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=16, color=theme.MUTED),
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if title:
        figure.update_layout(title=dict(text=f"<b>{title}</b>", x=0, xanchor="left"))
    figure.update_layout(meta={"empty": True, "message": message})
    return figure


MAX_PERIOD_TICKS = 12
QUARTER_LABEL = re.compile(r"^(\d{4}/\d{2}) Q([1-4])$")  # "2016/17 Q1", as queries.periods


def period_axis(labels: Sequence[str], *, max_ticks: float = MAX_PERIOD_TICKS) -> dict:
    """A category x axis in period order, so periods show as "2016/17 Q4", never 2016.75.

    Quarterly axes tick at the start of each financial year (Q1, April), labelled "2016/17":
    the quarters are financial quarters and the sources publish by financial year, so a tick
    in January would split a reporting year. Long runs tick every n-th year. Other period
    types label every n-th period, so labels stay horizontal and legible."""
    axis = dict(type="category", categoryorder="array", categoryarray=list(labels))
    years = [(label, m.group(1)) for label in labels if (m := QUARTER_LABEL.match(str(label)))]
    starts = [(label, year) for label, year in years if label.endswith("Q1")]
    if years and len(years) == len(labels) and len(starts) >= 2:
        step = max(1, math.ceil(len(starts) / max_ticks))
        shown = starts[::step]
        return dict(
            axis,
            tickmode="array",
            tickvals=[label for label, _ in shown],
            ticktext=[year for _, year in shown],
        )
    step = max(1, math.ceil(len(labels) / max_ticks))
    return dict(axis, tickmode="linear", tick0=0, dtick=step)


def number_format(decimals: int, *, percent: bool) -> str:
    """A d3 hover format that matches the catalogue's display of the metric."""
    return f"%{{y:,.{decimals}f}}" + ("%" if percent else "")


def source_annotation(text: str, *, yshift: int = -96) -> dict:
    """The source, vintage and synthetic note under the plot, so exported images carry it."""
    return dict(
        text=text,
        name="lsr-source",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=yshift,
        showarrow=False,
        align="left",
        font=dict(size=11, color=theme.MUTED),
    )


def title_block(title: str, subtitle: str, *, y: float) -> dict:
    """The bold title with a muted subtitle, left-aligned at ``y`` (paper fraction), so an
    exported image names what it shows."""
    return dict(
        text=f"<b>{title}</b>",
        x=0,
        xanchor="left",
        pad=dict(l=12),
        y=y,
        yanchor="top",
        subtitle=dict(text=subtitle, font=dict(color=theme.MUTED, size=13)),
    )
