"""Figures built from plain dicts, without plotly's per-property validation.

``go.Figure(...)`` checks and copies every property through its validators: on a chart of a
few hundred points and annotations that is most of the time a page spends building it. A
builder whose dicts are tested to be valid plotly wraps them here instead; the figure is the
same ``go.Figure`` (``figure.data``, ``figure.layout`` read as usual) and serialises the same.
"""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
import plotly.io as pio


def trusted_figure(data: list[dict], layout: dict) -> go.Figure:
    """``go.Figure(data, layout)`` for dicts known to be valid: each trace names its ``type``;
    a template named by string is expanded as validation would expand it."""
    template = layout.get("template")
    if isinstance(template, str):
        layout = layout | {"template": _template_json(template)}
    return go.Figure(data=data, layout=layout, _validate=False)


@cache
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def plain_layout(figure: go.Figure) -> dict:
    """The figure's layout as the plain dicts plotly keeps it in (what ``to_json`` writes
    out), without building plotly's layout objects: reading ``figure.layout.annotations``
    builds an object per annotation, which on a spine of ~70 notes cost more than drawing
    it. Read it, do not change it."""
    return figure._layout  # noqa: SLF001 - plotly's own store of the layout
