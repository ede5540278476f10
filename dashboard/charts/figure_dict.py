"""Figures built from plain dicts, without plotly's per-property validation.

``go.Figure(...)`` checks and copies every property through its validators: on a chart of a
few hundred points and annotations that is most of the time a page spends building it. A
builder whose dicts are tested to be valid plotly wraps them in ``trusted_figure`` instead;
the figure is the same ``go.Figure`` (``figure.data``, ``figure.layout`` read as usual) and
serialises the same. It lives with the rest of what every chart shares (``frame``), so a chart
built from it crosses no extra file; this name stays for the builders that import it here.
"""

from __future__ import annotations

from dashboard.charts.frame import AS_IS, TrustedFigure, trusted_figure

__all__ = ["AS_IS", "TrustedFigure", "trusted_figure"]
