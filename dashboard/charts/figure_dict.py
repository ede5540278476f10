"""Figures built from plain dicts, without plotly's per-property validation.

``go.Figure(...)`` checks and copies every property through its validators, and serialising
it deep-copies every trace again: on a page of a dozen charts that is most of the time the
server spends on a new view. A builder whose dicts are tested to be valid plotly wraps them in
a ``TrustedFigure`` instead: a ``go.Figure`` that serialises straight from the dicts and builds
the plotly objects only when something reads or changes it (``figure.data``,
``figure.layout``, ``update_layout`` ...), so it reads and serialises the same. Until then
its ``trusted_parts`` attribute holds the dicts (``dashboard.ui.figure_parts`` reads them).
"""

from __future__ import annotations

import base64
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import to_typed_array_spec


class TrustedFigure(go.Figure):
    """``go.Figure(data, layout, _validate=False)``, built lazily: until an attribute of the
    figure is needed, it holds only the dicts (``trusted_parts``: the traces and the layout;
    None once built), and ``to_plotly_json`` encodes them as plotly would (numpy arrays and
    pandas series as base64 typed arrays)."""

    def __init__(self, data=None, layout=None):
        if isinstance(data, dict):  # a figure dict, as __reduce__ (copy, pickle) passes it
            data, layout = data.get("data"), data.get("layout")
        object.__setattr__(self, "trusted_parts", (list(data or []), dict(layout or {})))

    def __getattr__(self, name: str):
        """Called only for attributes the instance lacks: before the first, plotly's state.
        Builds the figure from the dicts, then answers."""
        parts = self.__dict__.get("trusted_parts")
        if parts is None or name == "trusted_parts":
            raise AttributeError(name)
        object.__setattr__(self, "trusted_parts", None)  # built from here on
        go.Figure.__init__(self, data=parts[0], layout=parts[1], _validate=False)
        return object.__getattribute__(self, name)

    def to_plotly_json(self) -> dict:
        parts = self.__dict__.get("trusted_parts")
        if parts is None:
            return super().to_plotly_json()
        data, layout = parts
        seen: dict = {}
        return {"data": _encoded(data, seen), "layout": _encoded(layout, seen)}


def trusted_figure(data: list[dict], layout: dict) -> go.Figure:
    """``go.Figure(data, layout)`` for dicts known to be valid: each trace names its ``type``;
    a template named by string is expanded as validation would expand it."""
    template = layout.get("template")
    if isinstance(template, str):
        layout = layout | {"template": _template_json(template)}
    return TrustedFigure(data, layout)


PLAIN = (str, int, float, bool, type(None))
# keys whose values go out as they are: plotly's own template JSON, and the keys plotly's
# to_dict never encodes as typed arrays (_plotly_utils.utils.is_skipped_key)
AS_IS = frozenset(("template", "geojson", "layer", "layers", "range"))


def _encoded(value, seen: dict | None = None):
    """``value`` with its arrays as plotly's ``to_dict`` writes them, in new containers. A
    list met again (a figure's traces share their x labels) is encoded once (``seen``)."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if seen is None:
        seen = {}
    if isinstance(value, dict):
        return {key: item if key in AS_IS else _encoded(item, seen) for key, item in value.items()}
    if isinstance(value, list | tuple):
        found = seen.get(id(value))
        if found is None:
            found = [item if type(item) in PLAIN else _encoded(item, seen) for item in value]
            seen[id(value)] = found
        return found
    if kind is np.ndarray and value.dtype == np.float64 and value.ndim == 1 and value.size:
        return {"dtype": "f8", "bdata": base64.b64encode(np.ascontiguousarray(value)).decode()}
    if is_homogeneous_array(value):
        return to_typed_array_spec(value)
    return value


@cache
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()
