"""The period axis every chart over time shares."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

MAX_PERIOD_TICKS = 12
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
