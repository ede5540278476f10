"""One figure for a window of periods (e.g. Feb-Apr 2017), as review data profiles quote them.

Each place's periods are pooled, never averaged: Σ numerators ÷ Σ denominators, so every
period counts by its denominator. For delayed transfers the stored numerator is delayed days
and the denominator person-days (days × population aged 18+), so the window is weighted by
person-days, exactly as a quarter's figure is built from its months; a count rate's window is
its total count over its summed population, so it keeps the per-period unit (the average
month of the window). The interval comes from the pooled counts by the metric's own method;
the comparator figure is the mean of the peers' pooled figures, as for single periods. A
window that mixes real and synthetic values, or an area period that is suppressed, gets no
figure: those would be statistics nobody can defend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries import stats
from queries.catalogue import Metric

CONFIDENCE = 0.95


class WindowError(ValueError):
    """The window cannot give one honest figure (no counts, or real and synthetic mixed)."""


@dataclass(frozen=True)
class Pooled:
    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float
    periods: int


def weighting(metric: Metric) -> str:
    """What the periods of a window are weighted by, in words: their denominators, which for
    the per-day measures are days (× population: person-days)."""
    if "per day" not in metric.unit:
        return "denominator"
    return "person-days" if metric.population_base else "days"


def pool(metric: Metric, numerator: pd.Series, denominator: pd.Series) -> Pooled:
    """The pooled figure of one place's periods (rows with both counts), with its interval."""
    num = pd.to_numeric(numerator, errors="coerce").to_numpy(dtype=float)
    den = pd.to_numeric(denominator, errors="coerce").to_numpy(dtype=float)
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0)
    if not usable.any():
        return Pooled(np.nan, np.nan, np.nan, np.nan, np.nan, 0)
    total_num = float(num[usable].sum())
    total_den = float(den[usable].sum())
    lower, upper = stats.interval(
        metric.ci_method, [total_num], [total_den], CONFIDENCE, metric.multiplier
    )
    value = total_num / total_den * metric.multiplier
    return Pooled(value, float(lower[0]), float(upper[0]), total_num, total_den, int(usable.sum()))


def aggregate(metric: Metric, series: pd.DataFrame, peers: pd.DataFrame) -> dict:
    """One row for the window: the area's pooled figure and interval, the comparator mean, min
    and max of the peers' pooled figures, England's pooled figure, and the verdicts."""
    if series.empty:
        raise WindowError(f"no {metric.id} periods in the window")
    if series[["area_numerator", "area_denominator"]].isna().all().all() and not bool(
        series["area_suppressed"].fillna(False).any()
    ):
        raise WindowError(
            f"{metric.id} has no numerator and denominator to pool, so --aggregate cannot "
            "give one figure for a window; query the periods one by one"
        )
    flags = pd.concat(
        [series["area_is_synthetic"], series["england_is_synthetic"]], ignore_index=True
    ).dropna()
    if flags.nunique() > 1:
        raise WindowError(
            f"the window mixes real and synthetic {metric.id} values; narrow --from/--to"
        )
    suppressed = bool(series["area_suppressed"].fillna(False).any())
    area = pool(metric, series["area_numerator"], series["area_denominator"])
    if suppressed:
        area = Pooled(np.nan, np.nan, np.nan, np.nan, np.nan, area.periods)
    england = pool(metric, series["england_numerator"], series["england_denominator"])
    peer_values = _peer_figures(metric, peers)
    comparator_mean = float(np.mean(peer_values)) if peer_values else np.nan
    verdicts = {
        name: str(
            stats.verdict([area.lower], [area.upper], [benchmark], metric.polarity, [suppressed])[0]
        )
        for name, benchmark in (("vs_england", england.value), ("vs_comparator", comparator_mean))
    }
    return {
        "periods": len(series),
        "area_periods": area.periods,
        "weighted_by": weighting(metric),
        "area": area.value,
        "area_lower": area.lower,
        "area_upper": area.upper,
        "area_numerator": area.numerator,
        "area_denominator": area.denominator,
        "area_suppressed": suppressed,
        "comparator_mean": comparator_mean,
        "comparator_min": float(np.min(peer_values)) if peer_values else np.nan,
        "comparator_max": float(np.max(peer_values)) if peer_values else np.nan,
        "comparator_n": len(peer_values),
        "england": england.value,
        "england_lower": england.lower,
        "england_upper": england.upper,
        **verdicts,
        "synthetic": bool(flags.any()) if len(flags) else False,
    }


def _peer_figures(metric: Metric, peers: pd.DataFrame) -> list[float]:
    """Each peer's pooled figure over the window (peers with a suppressed period left out)."""
    if peers.empty:
        return []
    figures = []
    for _, rows in peers.groupby("peer_code", sort=False):
        if rows["suppressed"].fillna(False).any():
            continue
        figure = pool(metric, rows["numerator"], rows["denominator"])
        if np.isfinite(figure.value):
            figures.append(figure.value)
    return figures
