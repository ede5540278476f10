"""The period axis every chart over time shares."""

from __future__ import annotations

import math
from collections.abc import Sequence

MAX_PERIOD_TICKS = 12


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
