"""What every chart says about itself, and the one frame that says it: the bold title, the
muted subtitle (unit, period type, periods) and the source note (source, vintage, whether the
values are synthetic, the comparators; written by ``dashboard.text.source_note``) baked into
the figure, so an exported image explains itself the same way whichever chart it is. The empty
state is part of the frame too, and so are the pieces charts over time share: the period axis
and the comparator band, and the figure a chart built from plain dicts is wrapped in
(``trusted_figure``): ``go.Figure(...)`` checks and copies every property through its
validators, which on a chart of a few hundred points was most of its build, so a builder whose
dicts are tested to be valid plotly (each builder's test validates them through ``go.Figure``
and compares) is wrapped without that.
"""

from __future__ import annotations

import base64
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import to_typed_array_spec

from dashboard import theme

SOURCE_NAME = "lsr-source"  # the note's name: assets/export.js finds the source by it
MODEBAR_CLEARANCE = 36  # px above a title, so the modebar never covers it


@dataclass(frozen=True, kw_only=True)
class Spec:
    """The words around a chart. ``source_note`` carries the source, data vintage, the
    synthetic flag and the comparators (lines split by ``<br>``); ``height`` is the figure's
    height (charts sized by their content use it for the empty state only)."""

    title: str
    subtitle: str
    source_note: str
    empty_message: str = "No data for this selection."
    height: int = 480

    def empty_figure(self) -> go.Figure:
        """The figure that says why there is nothing to plot (``empty_message``) under the
        chart's title, instead of an empty axis."""
        figure = go.Figure(layout=dict(template=theme.TEMPLATE_NAME, height=self.height))
        figure.add_annotation(
            text=self.empty_message,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font=dict(size=16, color=theme.MUTED),
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        if self.title:
            figure.update_layout(title=dict(text=f"<b>{self.title}</b>", x=0, xanchor="left"))
        figure.update_layout(meta={"empty": True, "message": self.empty_message})
        return figure


@dataclass(frozen=True, kw_only=True)
class ValueSpec(Spec):
    """A chart of one metric's values: how its numbers are written."""

    decimals: int = 1
    percent: bool = False

    @property
    def suffix(self) -> str:
        return "%" if self.percent else ""

    def value_format(self, letter: str = "y") -> str:
        """A d3 hover format that matches the catalogue's display of the metric."""
        return f"%{{{letter}:,.{self.decimals}f}}{self.suffix}"

    def formatted(self, values: pd.Series) -> list[str]:
        """Values as text for hover data; a dash where missing."""
        return ["–" if pd.isna(v) else f"{v:,.{self.decimals}f}{self.suffix}" for v in values]


def svg_frame(spec: Spec) -> str:
    """The same words for a chart drawn as an SVG image rather than a Plotly figure (the
    profile tiles' sparklines): the title as its ``<title>``, the subtitle and source note as
    its ``<desc>``. The tile prints the numbers and keeps the image quiet, but a saved image
    still says what it shows and where it comes from."""
    note = re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", " · ", spec.source_note))
    description = " · ".join(part for part in (spec.subtitle, note) if part)
    return (
        f"<title>{escape(spec.title, quote=False)}</title>"
        f"<desc>{escape(description, quote=False)}</desc>"
    )


def chart_frame(
    spec: Spec,
    *,
    title_y: float,
    note_shift: int,
    height: int | None = None,
    title_lines: list[str] | None = None,
    note_lines: list[str] | None = None,
    **title_placement,
) -> dict:
    """Layout for the title and subtitle (top left, at ``title_y``) and the source note
    (``note_shift`` px below the plot area); builders add their margins and legend."""
    text = "<br>".join(title_lines) if title_lines else spec.title
    title = dict(
        text=f"<b>{text}</b>",
        x=0,
        xanchor="left",
        pad=dict(l=12),
        y=title_y,
        yanchor="top",
        subtitle=dict(text=spec.subtitle, font=dict(color=theme.MUTED, size=13)),
    )
    note = dict(
        text="<br>".join(note_lines) if note_lines else spec.source_note,
        name=SOURCE_NAME,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=note_shift,
        showarrow=False,
        align="left",
        font=dict(size=11, color=theme.MUTED),
    )
    return dict(
        template=theme.TEMPLATE_NAME,
        height=height or spec.height,
        title=title | title_placement,
        annotations=[note],
    )


TITLE_LINE = 21
PLOT_TITLE_CHARS = 90  # a full-width title longer than this would run under the modebar


AXIS_TITLE_SPACE = 60  # px under the plot for the x tick labels and a one-line axis title


def plot_frame(
    spec: Spec, *, bottom: int = 128, height: int | None = None, axis_title: bool = False
) -> dict:
    """The frame for a full-width chart: title in the top 84 px (a line more for each line
    a long title wraps onto, e.g. one naming a breakdown), the legend just under the plot
    (under the x axis title, placed in pixels, when the chart has one) and the source note
    under the legend."""
    lines = textwrap.wrap(spec.title, PLOT_TITLE_CHARS) or [spec.title]
    top = 84 + TITLE_LINE * (len(lines) - 1)
    framed = chart_frame(
        spec,
        title_y=0.97,
        note_shift=-(bottom - 32),
        height=height,
        title_lines=lines if len(lines) > 1 else None,
    )
    legend = dict(y=-0.14)
    if axis_title:
        plot_height = max(framed["height"] - top - bottom, 1)
        legend = dict(y=-AXIS_TITLE_SPACE / plot_height, yanchor="top")
    return framed | dict(margin=dict(t=top, b=bottom), legend=legend)


CARD_BOTTOM = 150  # x tick labels, legend (up to three rows) and a two-line source note
NOTE_LINE = 14  # px per line of the source note
HALF_CARD_NOTE_CHARS = 80  # a source note line across a half-width card (11 px text)


def wrapped_note(note: str, chars: int) -> list[str]:
    """The source note's lines, each wrapped at ``chars`` characters so it stays inside the
    chart (Plotly does not wrap text)."""
    return [
        wrapped for line in note.split("<br>") for wrapped in textwrap.wrap(line, chars) or [line]
    ]


def card_frame(spec: Spec, *, title_chars: int = 90) -> dict:
    """The frame for a chart in a card of any width: the title wrapped to ``title_chars``,
    title, legend and source note placed in pixels so small and large charts alike keep them
    apart."""
    lines = textwrap.wrap(spec.title, title_chars) or [spec.title]
    top = MODEBAR_CLEARANCE + TITLE_LINE * len(lines) + 40
    note_lines = wrapped_note(spec.source_note, int(title_chars * 1.75))
    bottom = CARD_BOTTOM + NOTE_LINE * max(len(note_lines) - 2, 0)
    plot_height = max(spec.height - top - bottom, 80)
    return chart_frame(
        spec,
        title_y=1,
        note_shift=-(CARD_BOTTOM - 34),
        title_lines=lines,
        note_lines=note_lines,
        font=dict(size=16),
        xref="container",
        yref="container",
        pad=dict(l=12, t=MODEBAR_CLEARANCE),
    ) | dict(
        margin=dict(t=top, b=bottom, l=56, r=16),
        legend=dict(y=-34 / plot_height, yanchor="top", font=dict(size=12), traceorder="normal"),
    )


def panel_heading(text: str, *, x: float, y: float) -> dict:
    """The bold name over one panel of a chart of several, its bottom left at (x, y) in paper
    units (the panel's top left corner)."""
    return dict(
        text=f"<b>{text}</b>",
        x=x,
        y=y,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=13, color="#0B0C0C"),
    )


MAX_PERIOD_TICKS = 12
BAND_NAME = "Comparator range (min–max)"
VALUE_COLUMNS = (  # a series has something to plot when one of these has a value
    "area_value",
    "comparator_mean",
    "comparator_min",
    "comparator_max",
    "england_value",
)


QUARTER_LABEL = re.compile(r"^(\d{4}/\d{2}) Q([1-4])$")  # "2016/17 Q1", as queries.periods


def period_axis(labels: Sequence[str], *, max_ticks: float = MAX_PERIOD_TICKS) -> dict:
    """A category x axis in period order, so periods show as "2016/17 Q4", never 2016.75.

    Quarterly axes spanning two or more financial years tick at the start of each (Q1, April),
    labelled "2016/17": the quarters are financial quarters and the sources publish by
    financial year, so a January tick would split a reporting year. Long runs tick every n-th
    year. Other axes label every n-th period, so labels stay horizontal and legible."""
    axis = dict(type="category", categoryorder="array", categoryarray=list(labels))
    years = [(label, m.group(1)) for label in labels if (m := QUARTER_LABEL.match(str(label)))]
    starts = [(label, year) for label, year in years if label.endswith("Q1")]
    if years and len(years) == len(labels) and len(starts) >= 2:
        shown = starts[:: max(1, math.ceil(len(starts) / max_ticks))]
        return dict(
            axis,
            tickmode="array",
            tickvals=[label for label, _ in shown],
            ticktext=[year for _, year in shown],
        )
    step = max(1, math.ceil(len(labels) / max_ticks))
    return dict(axis, tickmode="linear", tick0=0, dtick=step)


def column(frame: pd.DataFrame, name: str, default=np.nan) -> pd.Series:
    """A column the frame may lack (e.g. no intervals published), as ``default`` values."""
    return frame[name] if name in frame.columns else pd.Series(default, index=frame.index)


def interval_bars(
    values: pd.Series, lower: pd.Series, upper: pd.Series, **style
) -> dict[str, dict]:
    """``{"error_y": ...}``: the 95 % interval as asymmetric error bars in ``style`` (colour,
    thickness, width), to unpack into a trace; empty when no value has an interval."""
    if not (lower.notna() & upper.notna()).any():
        return {}
    return {
        "error_y": dict(
            type="data",
            symmetric=False,
            array=(upper - values).clip(lower=0),
            arrayminus=(values - lower).clip(lower=0),
            **style,
        )
    }


def band_traces(frame: pd.DataFrame, labels: list[str], **lower) -> list[dict]:
    """The peers' min–max range: the upper edge, then the lower edge filled up to it (which
    carries the legend entry; ``lower`` adds to it, e.g. ``showlegend``)."""
    return band_edges(
        column(frame, "comparator_max"), column(frame, "comparator_min"), labels, **lower
    )


def band_edges(maximum, minimum, labels: list[str], **lower) -> list[dict]:
    """``band_traces`` from the peers' maximum and minimum values (series or arrays)."""
    edge = dict(type="scatter", x=labels, mode="lines", line=dict(width=0), hoverinfo="skip")
    return [
        dict(
            edge,
            y=maximum,
            showlegend=False,
            legendgroup="band",
            name="Comparator maximum",
        ),
        dict(
            edge,
            **lower,
            y=minimum,
            fill="tonexty",
            fillcolor=theme.COMPARATOR_BAND,
            legendgroup="band",
            name=BAND_NAME,
        ),
    ]


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
    """``go.Figure(data, layout)`` for dicts known to be valid, without Plotly's per-property
    validation (on a chart of a few hundred points that was most of its build): each trace
    names its ``type``; a template named by string is expanded as validation would expand
    it. The figure is the same ``go.Figure`` and serialises the same; each builder keeps a
    test that its dicts are what validation makes of them."""
    template = layout.get("template")
    if isinstance(template, str):
        layout = layout | {"template": _template_json(template)}
    return TrustedFigure(data, layout)


@cache
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


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
