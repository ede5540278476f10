"""Queries behind the metric explorer's ranking, funnel and reviewed-areas views.

Each returns a tidy frame with period labels and the statistics already attached (intervals
where the source gave none, the verdict against England, the funnel flag), so the dashboard
only draws and exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from queries import judgements, periods, stats
from queries.catalogue import Metric, load_catalogue
from queries.series import EARLIEST, LATEST
from queries.stats import overdispersion
from queries.store import DataStore, request_parameters

FUNNEL_METHODS = ("wilson", "byar")
FUNNEL_POINTS = 200


@dataclass(frozen=True)
class Selection:
    """One metric as the explorer shows it: which period type and breakdown, which groups."""

    metric_id: str
    period_type: str
    method: str = "default"
    breakdown: str = "all"
    breakdown_value: str = "all"

    @property
    def metric(self) -> Metric:
        return load_catalogue().get(self.metric_id)

    def parameters(self) -> dict:
        return request_parameters(self)


def ranking(
    store: DataStore,
    selection: Selection,
    *,
    area_code: str,
    period_start: date,
    funnel_adjustment: str | None = None,
) -> pd.DataFrame:
    """Every council in one period: counts, value, 95 % interval, verdict vs England, funnel
    flag, and ``position`` (1 = lowest value) among the councils with a value.

    The funnel flag is read against the limits ``funnel_adjustment`` names (none,
    multiplicative or additive overdispersion; None: the catalogue's default for the metric).
    """
    metric = selection.metric
    frame = store.query(
        "explorer_ranking",
        **selection.parameters(),
        area=area_code,
        period_start=period_start,
    )
    frame["period_start"] = period_start
    frame["period_label"] = periods.label(period_start, selection.period_type)
    frame = judgements.fill_intervals(frame, metric, "area")
    suppressed = frame["area_suppressed"].fillna(False).astype(bool)
    frame["vs_england"] = stats.verdict(
        frame["area_lower"].astype(float).to_numpy(),
        frame["area_upper"].astype(float).to_numpy(),
        frame["england_value"].astype(float).to_numpy(),
        metric.polarity,
        suppressed.to_numpy(),
    )
    frame["funnel_benchmark"] = funnel_benchmark(frame, metric)
    dispersion = funnel_dispersion(frame, metric, funnel_adjustment)
    frame["funnel_flag"] = _funnel_flags(frame, metric, dispersion)
    plotted = frame["area_value"].notna() & ~suppressed
    frame["position"] = frame["area_value"].where(plotted).rank(method="first").astype("Int64")
    return frame.sort_values(["position", "name"], na_position="last").reset_index(drop=True)


def funnel_benchmark(frame: pd.DataFrame, metric: Metric) -> float:
    """England's value; the councils' pooled value (Σ numerators ÷ Σ denominators) when the
    source publishes no England row for the period."""
    england = frame["england_value"].dropna()
    if not england.empty:
        return float(england.iloc[0])
    usable = frame["area_numerator"].notna() & frame["area_denominator"].gt(0)
    usable &= ~frame["area_suppressed"].fillna(False).astype(bool)
    denominator = frame.loc[usable, "area_denominator"].sum()
    if not denominator:
        return float("nan")
    return float(frame.loc[usable, "area_numerator"].sum() / denominator * metric.multiplier)


def funnel_dispersion(
    frame: pd.DataFrame, metric: Metric, adjustment: str | None = None
) -> overdispersion.Dispersion:
    """The overdispersion estimate behind the funnel: from the councils' counts in this period,
    with ``adjustment`` (None: the catalogue's default) deciding whether it widens the limits."""
    method = overdispersion.check_method(adjustment or metric.funnel_overdispersion)
    if method == "none" or metric.ci_method not in FUNNEL_METHODS or frame.empty:
        return overdispersion.Dispersion(method, float("nan"), 0.0, 0)
    benchmark = frame["funnel_benchmark"].dropna()
    if benchmark.empty or benchmark.iloc[0] <= 0:
        return overdispersion.Dispersion(method, float("nan"), 0.0, 0)
    numerator, denominator, usable = _usable_counts(frame, metric)
    return overdispersion.estimate(
        numerator[usable],
        denominator[usable],
        float(benchmark.iloc[0]),
        ci_method=metric.ci_method,
        multiplier=metric.multiplier,
        method=method,
    )


def _usable_counts(frame: pd.DataFrame, metric: Metric) -> tuple[np.ndarray, ...]:
    numerator = frame["area_numerator"].astype(float).to_numpy()
    denominator = frame["area_denominator"].astype(float).to_numpy()
    usable = np.isfinite(numerator) & np.isfinite(denominator) & (denominator > 0)
    usable &= ~frame["area_suppressed"].fillna(False).astype(bool).to_numpy()
    if metric.ci_method == "wilson":
        usable &= numerator <= denominator
    return numerator, denominator, usable


def _funnel_flags(
    frame: pd.DataFrame, metric: Metric, dispersion: overdispersion.Dispersion
) -> np.ndarray:
    benchmark = frame["funnel_benchmark"].astype(float).to_numpy()
    if metric.ci_method not in FUNNEL_METHODS or frame.empty or np.isnan(benchmark).all():
        return np.full(len(frame), stats.significance.NOT_COMPARED)
    numerator, denominator, usable = _usable_counts(frame, metric)
    flags = stats.funnel_flag(
        np.where(usable, numerator, 0.0),
        np.where(usable, denominator, 1.0),
        benchmark,
        ci_method=metric.ci_method,
        multiplier=metric.multiplier,
        dispersion=dispersion,
    )
    return np.where(usable, flags, stats.significance.NOT_COMPARED)


def funnel_curve(
    ranked: pd.DataFrame, metric: Metric, dispersion: overdispersion.Dispersion | None = None
) -> pd.DataFrame:
    """95 % and 99.8 % limits around the benchmark across the councils' denominator range
    (empty when the metric has no count-based interval or no council has a denominator),
    widened by ``dispersion`` when it adjusts."""
    denominators = ranked.loc[ranked["funnel_flag"] != "not compared", "area_denominator"]
    benchmark = ranked["funnel_benchmark"].dropna()
    if metric.ci_method not in FUNNEL_METHODS or denominators.empty or benchmark.empty:
        return pd.DataFrame()
    low, high = float(denominators.min()), float(denominators.max())
    grid = np.geomspace(max(low * 0.9, 1.0), high * 1.1, FUNNEL_POINTS)
    return stats.funnel_limits(
        float(benchmark.iloc[0]),
        grid,
        ci_method=metric.ci_method,
        multiplier=metric.multiplier,
        dispersion=dispersion,
    )


def reviewed_series(
    store: DataStore,
    selection: Selection,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
) -> pd.DataFrame:
    """Each reviewed council's series with its own comparator mean and England, per period,
    judged against both (``vs_england``, ``vs_comparator``) from the council's interval."""
    frame = store.query(
        "explorer_reviewed",
        **selection.parameters(),
        period_from=period_from or EARLIEST,
        period_to=period_to or LATEST,
    )
    frame = judgements.attach_verdicts(
        judgements.fill_intervals(frame, selection.metric, "area"), selection.metric
    )
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    frame["period_label"] = periods.labels(frame["period_start"], selection.period_type)
    synthetic = ["area_is_synthetic", "comparator_is_synthetic", "england_is_synthetic"]
    frame["is_synthetic"] = frame[synthetic].fillna(False).astype(bool).any(axis=1)
    return frame
