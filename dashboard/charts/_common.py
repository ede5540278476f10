"""Pieces the charts over time share: the period axis, optional columns and the comparator
band."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard import theme

MAX_PERIOD_TICKS = 12
BAND_NAME = "Comparator range (min–max)"
VALUE_COLUMNS = (  # a series has something to plot when one of these has a value
    "area_value",
    "comparator_mean",
    "comparator_min",
    "comparator_max",
    "england_value",
)


def period_axis(labels: Sequence[str]) -> dict:
    """A category x axis in period order, so periods show as "2016/17 Q4", never 2016.75;
    long series label every n-th period so labels stay horizontal and legible."""
    step = max(1, math.ceil(len(labels) / MAX_PERIOD_TICKS))
    return dict(
        type="category",
        categoryorder="array",
        categoryarray=list(labels),
        tickmode="linear",
        tick0=0,
        dtick=step,
    )


def column(frame: pd.DataFrame, name: str, default=np.nan) -> pd.Series:
    """A column the frame may lack (e.g. no intervals published), as ``default`` values."""
    return frame[name] if name in frame.columns else pd.Series(default, index=frame.index)


def band_traces(frame: pd.DataFrame, labels: list[str], **lower) -> list[dict]:
    """The peers' min–max range: the upper edge, then the lower edge filled up to it (which
    carries the legend entry; ``lower`` adds to it, e.g. ``showlegend``)."""
    edge = dict(type="scatter", x=labels, mode="lines", line=dict(width=0), hoverinfo="skip")
    return [
        dict(
            edge,
            y=column(frame, "comparator_max"),
            showlegend=False,
            legendgroup="band",
            name="Comparator maximum",
        ),
        dict(
            edge,
            **lower,
            y=column(frame, "comparator_min"),
            fill="tonexty",
            fillcolor=theme.COMPARATOR_BAND,
            legendgroup="band",
            name=BAND_NAME,
        ),
    ]
