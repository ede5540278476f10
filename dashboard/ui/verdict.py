"""The significance verdict of an area against a benchmark, as words with a colour.

The one place that decides better / similar / worse, so the statistics layer can change how
without the pages noticing. Colour always comes with the words, never alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from dashboard import theme
from dashboard.ui.elements import element
from queries.catalogue import Metric
from queries.stats import significance

BENCHMARKS = {"comparator_mean": "comparators", "england_value": "England"}
PHRASES = {
    "better": "Better than {}",
    "similar": "Similar to {}",
    "worse": "Worse than {}",
    "not compared": "Not compared with {}",
}


def verdict_for(row: Mapping | None, metric: Metric, benchmark: str = "england_value") -> str:
    """One of significance.VERDICTS: the area's 95 % interval against the benchmark value,
    read with the metric's polarity; no interval (or a context metric) is "not compared"."""
    if not row:
        return significance.NOT_COMPARED
    return significance.verdict_of(
        _number(row.get("area_lower")),
        _number(row.get("area_upper")),
        _number(row.get(benchmark)),
        metric.polarity,
        suppressed=bool(row.get("area_suppressed") or False),
    )


def verdict_badge(verdict: str, benchmark: str = "england_value") -> html.Span:
    """The verdict in words ("Worse than England") on its colour, text chosen for contrast."""
    phrase = PHRASES.get(verdict, "{}").format(BENCHMARKS.get(benchmark, benchmark))
    background = theme.VERDICT_COLOURS.get(verdict, theme.VERDICT_COLOURS["not compared"])
    foreground = "#0B0C0C" if verdict == "not compared" else "#FFFFFF"
    return element(
        html.Span,
        phrase,
        className=f"lsr-verdict lsr-verdict-{verdict.replace(' ', '-')}",
        style={"backgroundColor": background, "color": foreground},
    )


def _number(value: object) -> float:
    try:
        return float(value) if value is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")
