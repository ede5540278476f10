"""Attach the statistics to query results: intervals where the source gave none, verdicts
against England and the comparator mean, and the recent trend.

Kept apart from the SQL so the same judgement is made for the CLI, the tiles, the explorer
and every export.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from queries import stats
from queries.catalogue import Metric
from queries.series_columns import SeriesColumns, as_columns

CONFIDENCE = 0.95


def _interval(metric: Metric, numerator: object, denominator: object):
    """The metric's interval where counts allow one (Wilson needs numerator ≤ denominator)."""
    num, den = _numbers(numerator), _numbers(denominator)
    usable = np.isfinite(num) & np.isfinite(den) & (num >= 0) & (den > 0)
    if metric.ci_method == "wilson":
        usable &= num <= den
    num, den = np.where(usable, num, 0.0), np.where(usable, den, 1.0)
    lower, upper = stats.interval(metric.ci_method, num, den, CONFIDENCE, metric.multiplier)
    return np.where(usable, lower, np.nan), np.where(usable, upper, np.nan)


def fill_intervals(frame: pd.DataFrame, metric: Metric, prefix: str) -> pd.DataFrame:
    """Fill ``<prefix>_lower/_upper`` from ``<prefix>_numerator/_denominator`` where empty."""
    numerator, denominator = f"{prefix}_numerator", f"{prefix}_denominator"
    if frame.empty or numerator not in frame or denominator not in frame:
        return frame
    lower, upper = _interval(metric, frame[numerator], frame[denominator])
    frame[f"{prefix}_lower"] = _filled(frame[f"{prefix}_lower"], lower)
    frame[f"{prefix}_upper"] = _filled(frame[f"{prefix}_upper"], upper)
    return frame


def _filled(given, computed: np.ndarray) -> np.ndarray:
    """The bounds given where there are any, else those computed from the counts."""
    given = _numbers(given)
    return np.where(np.isnan(given), computed, given)


def _numbers(values: object, *, copy: bool = False) -> np.ndarray:
    """Values as floats, whatever is not a number NaN (``pd.to_numeric(errors="coerce")``);
    float arrays as they are (the spine passes arrays, where pandas' conversion was most of
    the work)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return np.array(values, dtype=float) if copy else np.asarray(values, dtype=float)
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, copy=copy)


def filled_interval(
    metric: Metric, lower: object, upper: object, numerator: object, denominator: object
) -> tuple[float, float]:
    """One value's interval: the bounds given, each filled from the counts where empty (as
    ``fill_intervals`` does for a frame)."""
    computed_lower, computed_upper = _interval(
        metric, pd.Series([numerator]), pd.Series([denominator])
    )
    return float(_filled([lower], computed_lower)[0]), float(_filled([upper], computed_upper)[0])


def filled_intervals(
    metrics: list[Metric], lower: object, upper: object, numerator: object, denominator: object
) -> tuple[np.ndarray, np.ndarray]:
    """``filled_interval`` for many values at once, each of its own metric: the intervals are
    computed once per interval method and multiplier, not once per value."""
    lower, upper = _numbers(lower, copy=True), _numbers(upper, copy=True)
    numerator, denominator = _numbers(numerator), _numbers(denominator)
    groups: dict[tuple, list[int]] = {}
    for position, metric in enumerate(metrics):
        groups.setdefault((metric.ci_method, metric.multiplier), []).append(position)
    for rows in groups.values():
        computed_lower, computed_upper = _interval(
            metrics[rows[0]], numerator[rows], denominator[rows]
        )
        lower[rows] = _filled(lower[rows], computed_lower)
        upper[rows] = _filled(upper[rows], computed_upper)
    return lower, upper


def attach_verdicts(frame: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """``vs_england`` and ``vs_comparator``: better / similar / worse / not compared."""
    if frame.empty:
        frame["vs_england"] = pd.Series(dtype=str)
        frame["vs_comparator"] = pd.Series(dtype=str)
        return frame
    lower = frame["area_lower"].astype(float).to_numpy()
    upper = frame["area_upper"].astype(float).to_numpy()
    for column, verdicts in _verdicts(frame, lower, upper, metric.polarity).items():
        frame[column] = verdicts
    return frame


BENCHMARKS = (  # verdict column, benchmark value, the benchmark's synthetic flag
    ("vs_england", "england_value", "england_is_synthetic"),
    ("vs_comparator", "comparator_mean", "comparator_is_synthetic"),
)


def _verdicts(frame: pd.DataFrame, lower, upper, polarity) -> dict[str, np.ndarray]:
    """``vs_england`` and ``vs_comparator`` of every row, from the area's interval; a real
    value is never judged against a synthetic benchmark (nor the reverse): "not compared"."""
    suppressed = frame["area_suppressed"].fillna(False).astype(bool).to_numpy()
    out = {}
    for column, benchmark, flag in BENCHMARKS:
        benchmark_values = frame[benchmark].astype(float).to_numpy(copy=True)
        benchmark_values[_kinds_differ(frame, flag)] = np.nan
        out[column] = stats.verdict(lower, upper, benchmark_values, polarity, suppressed)
    return out


def _kinds_differ(frame: pd.DataFrame, benchmark_flag: str) -> np.ndarray:
    """Rows whose area value and benchmark are one real, one synthetic."""
    if "area_is_synthetic" not in frame or benchmark_flag not in frame:
        return np.zeros(len(frame), dtype=bool)
    area, benchmark = frame["area_is_synthetic"], frame[benchmark_flag]
    known = area.notna().to_numpy() & benchmark.notna().to_numpy()
    return (
        known & (area.fillna(False).astype(bool) != benchmark.fillna(False).astype(bool)).to_numpy()
    )


def one_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest run of periods whose area values are all real or all synthetic: a trend,
    run or control limit is never computed across real and synthetic values, so a mixed
    series is split and only its most recent part is judged."""
    start = one_kind_start(SeriesColumns.of(frame))
    return frame.iloc[start:] if start else frame


def judged_metrics(frame: pd.DataFrame, metrics: Mapping[str, Metric]) -> pd.DataFrame:
    """What ``fill_intervals`` (area) and ``attach_verdicts`` do, for a frame holding many
    metrics, each row judged by its own metric, in one pass over the frame rather than a
    frame per metric (the area profile judges every metric at once). Rows of metrics not in
    ``metrics`` are dropped."""
    frame = frame[frame["metric_id"].isin(list(metrics))].reset_index(drop=True)
    if frame.empty:
        return attach_verdicts(frame, next(iter(metrics.values()))) if metrics else frame
    lower = frame["area_lower"].astype(float).to_numpy(copy=True)
    upper = frame["area_upper"].astype(float).to_numpy(copy=True)
    polarity = np.empty(len(frame), dtype=object)
    numerator, denominator = frame["area_numerator"], frame["area_denominator"]
    for metric_id, rows in frame.groupby("metric_id", sort=False).indices.items():
        metric = metrics[metric_id]
        filled_lower, filled_upper = _interval(metric, numerator.iloc[rows], denominator.iloc[rows])
        lower[rows] = _filled(lower[rows], filled_lower)
        upper[rows] = _filled(upper[rows], filled_upper)
        polarity[rows] = metric.polarity
    return frame.assign(
        area_lower=lower, area_upper=upper, **_verdicts(frame, lower, upper, polarity)
    )


def judged_series(frame: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """A metric_series frame with intervals and verdicts for every period."""
    frame = fill_intervals(frame, metric, "area")
    frame = fill_intervals(frame, metric, "england")
    return attach_verdicts(frame, metric)


def trend(frame: pd.DataFrame) -> stats.TrendResult:
    """The Fingertips trend over the area's last five periods with intervals (of one kind)."""
    frame = one_kind(frame)
    return stats.recent_trend(
        frame["area_value"].astype(float),
        frame["area_lower"].astype(float),
        frame["area_upper"].astype(float),
    )


def consistency(frame: pd.DataFrame | SeriesColumns, benchmark: str) -> tuple[str, int]:
    """How many recent periods the area has been significantly higher/lower than a benchmark
    (counted within the latest run of real, or of synthetic, values)."""
    series = as_columns(frame)
    series = series.take(slice(one_kind_start(series), len(series)))
    return stats.consistent_run(
        series.floats(benchmark),
        lower=series.floats("area_lower"),
        upper=series.floats("area_upper"),
    )


def one_kind_start(series: SeriesColumns) -> int:
    """Where ``one_kind`` of the series starts: its first row (as a position)."""
    if series.empty or "area_is_synthetic" not in series:
        return 0
    present = ~np.isnan(series.floats("area_value")) & series.known("area_is_synthetic")
    if not present.any():
        return 0
    kinds = series.values("area_is_synthetic")[present]
    latest = kinds[-1]
    if all(kind == latest for kind in kinds):
        return 0
    differs = np.flatnonzero(present)[kinds != latest]
    return int(differs[-1]) + 1


def _floats(column: pd.Series) -> np.ndarray:
    """A column as float64 values, missing ones NaN (without copying it through a Series)."""
    return column.to_numpy(dtype=float, na_value=np.nan)
