"""A figure's traces and layout read as dicts: what a chart card says about a figure (its
height, a text summary, the words that speak of its series) without building it.

A trusted figure (``charts.frame.TrustedFigure``) holds its dicts in ``trusted_parts`` until
something builds it; reading them here, by attribute and without calling into the chart
builders, keeps the card off the charts' call chain."""

from __future__ import annotations

import plotly.graph_objects as go


def figure_parts(figure: go.Figure) -> tuple[list[dict], dict]:
    """The traces' and the layout's properties as set, as dicts (read, never change them):
    a trusted figure's own dicts, or a built figure's property dicts (what ``figure.data[i]``
    and ``figure.layout`` read)."""
    parts = vars(figure).get("trusted_parts")
    if parts is not None:
        return parts
    return figure._data, figure._layout
