"""Every kind of chart the dashboard draws, in one table: its name, the spec that describes it
and its pure builder. ``draw`` picks the builder from the spec, so a caller says what to draw
(a spec) and never which function draws it; adding a kind is one entry here. The profile
tiles' sparkline shares the ``Spec`` base but is an SVG image, not a figure: ``sparkline.svg``
draws it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    breakdown,
    funnel,
    hexmap,
    ranking,
    scatter,
    small_multiples,
    spc,
    spine,
    stacked,
    time_series,
)
from dashboard.charts.frame import Spec


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: ``build(frame, spec=spec, **data)`` returns its figure."""

    name: str
    spec: type[Spec]
    build: Callable[..., go.Figure]
    what: str


KINDS: dict[str, ChartKind] = {
    kind.name: kind
    for kind in (
        ChartKind(
            "time_series",
            time_series.TimeSeriesSpec,
            time_series.build,
            "the area vs its comparator mean and range vs England over time",
        ),
        ChartKind(
            "panels",
            breakdown.PanelSpec,
            breakdown.build,
            "the same, one panel per breakdown value, published and synthetic points apart",
        ),
        ChartKind(
            "stacked",
            stacked.StackedSpec,
            stacked.over_time,
            "the area's components stacked over time, in rates or shares",
        ),
        ChartKind(
            "share_bars",
            stacked.ShareBarsSpec,
            stacked.share_bars,
            "100 % bars of a mix (e.g. ratings) for the area, comparators and England",
        ),
        ChartKind("spc", spc.SpcSpec, spc.build, "an XmR chart of the area's series"),
        ChartKind(
            "ranking",
            ranking.RankingSpec,
            ranking.build,
            "every council ranked by value with intervals (caterpillar)",
        ),
        ChartKind(
            "funnel",
            funnel.FunnelSpec,
            funnel.build,
            "every council's value against its denominator, with control limits",
        ),
        ChartKind(
            "small_multiples",
            small_multiples.SmallMultiplesSpec,
            small_multiples.build,
            "one panel per reviewed area on a shared axis",
        ),
        ChartKind(
            "spine",
            spine.SpineSpec,
            spine.build,
            "where the area sits among councils on every judged metric",
        ),
        ChartKind(
            "hexmap",
            hexmap.HexMapSpec,
            hexmap.build,
            "every council as an equal hexagon coloured by quartile",
        ),
        ChartKind(
            "scatter",
            scatter.ScatterSpec,
            scatter.build,
            "two metrics against each other, one point per council",
        ),
    )
}
_BY_SPEC = {kind.spec: kind for kind in KINDS.values()}


def kind_of(spec: Spec) -> ChartKind:
    """The kind a spec describes (each spec class belongs to exactly one kind)."""
    try:
        return _BY_SPEC[type(spec)]
    except KeyError:
        raise TypeError(f"no chart kind is registered for {type(spec).__name__}") from None


def draw(frame: pd.DataFrame, spec: Spec, **data) -> go.Figure:
    """The figure ``spec`` describes for ``frame`` (``data``: a kind's extra frames, e.g. the
    funnel's ``limits``)."""
    return kind_of(spec).build(frame, spec=spec, **data)
