"""Recent trend of an area's series and how long it has differed from a benchmark.

``recent_trend`` reproduces the Fingertips trend marker (OHID's PholioVisualisation
``TrendMarkerCalculator``): the five most recent points that have a 95 % interval, weighted
least squares of value on time (t = 1..5) with weights 1 / variance, the variance recovered
from the interval as ((upper − lower) / (2 × 1.96))²; the slope is significant when
(slope / SE)² exceeds the χ²(1) critical value at 99.8 % (9.5495) and keeps its sign when each
point in turn is left out, so one outlying year cannot make a trend.

``proportion_trend`` is Fingertips' separate test for proportions (DHSC's PHEindicatormethods
``assign_trend_markers``): the chi-square test for trend in proportions (Cochran–Armitage) on the
five most recent periods' counts and denominators, its direction the least-squares slope of the
log-odds on time, with the same leave-one-out check on that slope. Fingertips applies either
test only to non-overlapping annual periods; which series get which is decided by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats

from queries.stats._arrays import as_float
from queries.stats.intervals import check_confidence, z_value
from queries.stats.significance import NOT_COMPARED, direction

TREND_POINTS = 5
PROPORTION = "chi-square test for trend in proportions"
TREND_DIRECTIONS = ("increasing", "decreasing", "no significant change", "not enough data")


@dataclass(frozen=True)
class TrendResult:
    """Outcome of ``recent_trend``; slope is the change per period in the metric's units."""

    direction: str
    slope: float
    chi_square: float
    p_value: float
    points_used: int
    method: str = "weighted regression"


def recent_trend(
    values: npt.ArrayLike,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    *,
    points: int = TREND_POINTS,
    confidence: float = 0.998,
    interval_confidence: float = 0.95,
) -> TrendResult:
    """Fingertips trend over the last ``points`` usable periods of a series ordered oldest first.

    ``lower``/``upper`` are the points' intervals at ``interval_confidence``; points without a
    positive-width interval are skipped, as Fingertips does. ``confidence`` is the level of the
    slope test (Fingertips: 99.8 %; pass 0.95 for the laxer test).
    """
    check_confidence(confidence)
    if points < 3:
        raise ValueError("a trend with a leave-one-out check needs at least 3 points")
    value, low, high = np.broadcast_arrays(as_float(values), as_float(lower), as_float(upper))
    usable = np.isfinite(value) & np.isfinite(low) & np.isfinite(high) & (high > low)
    value, low, high = value[usable][-points:], low[usable][-points:], high[usable][-points:]
    if len(value) < points:
        return TrendResult("not enough data", np.nan, np.nan, np.nan, len(value))
    weights = 1 / ((high - low) / (2 * z_value(interval_confidence))) ** 2
    leave_one_out = np.where(np.eye(points, dtype=bool), 0.0, weights)
    slopes, variances = _weighted_slopes(value, np.vstack([weights, leave_one_out]))
    slope = float(slopes[0])
    chi_square = float(slope**2 / variances[0])
    robust = bool(np.all(slopes >= 0) or np.all(slopes < 0))
    significant = robust and chi_square > _critical_chi_square(confidence)
    if significant:
        label = "increasing" if slope > 0 else "decreasing"
    else:
        label = "no significant change"
    return TrendResult(label, slope, chi_square, float(stats.chi2.sf(chi_square, df=1)), points)


def proportion_trend(
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    times: npt.ArrayLike | None = None,
    *,
    points: int = TREND_POINTS,
    confidence: float = 0.998,
) -> TrendResult:
    """Fingertips trend for a proportion over the last ``points`` periods, oldest first.

    ``times`` are the periods' positions (default 1..n, as Fingertips' calculator uses; R's
    assign_trend_markers passes the years). A missing or impossible count among those periods
    means no trend ("not enough data"), as Fingertips reports "cannot be calculated". The slope
    is the change in log-odds per unit of time.
    """
    check_confidence(confidence)
    if points < 3:
        raise ValueError("a trend with a leave-one-out check needs at least 3 points")
    count, total = np.broadcast_arrays(as_float(numerators), as_float(denominators))
    time = np.arange(1.0, count.size + 1) if times is None else as_float(times)
    count, total, time = count[-points:], total[-points:], time[-points:]
    usable = np.isfinite(count) & np.isfinite(total) & (count >= 0) & (total > 0) & (count <= total)
    events = count.sum()
    if count.size < points or not usable.all() or not 0 < events < total.sum():
        return TrendResult("not enough data", np.nan, np.nan, np.nan, int(usable.sum()), PROPORTION)
    chi_square = _chi_square_for_trend(count, total, time)
    slope = _log_odds_slope(count, total, time)
    leave_one_out = np.where(~np.eye(points, dtype=bool))[1].reshape(points, points - 1)
    signs = np.sign(
        [_log_odds_slope(count[keep], total[keep], time[keep]) for keep in leave_one_out]
    )
    robust = bool(np.all(signs == np.sign(slope)))
    significant = robust and chi_square > _critical_chi_square(confidence)
    label = "no significant change"
    if significant:
        label = "increasing" if slope > 0 else "decreasing"
    p_value = float(stats.chi2.sf(chi_square, df=1))
    return TrendResult(label, slope, chi_square, p_value, points, PROPORTION)


def _chi_square_for_trend(count: np.ndarray, total: np.ndarray, time: np.ndarray) -> float:
    """Cochran–Armitage chi-square (1 df) for a linear trend in proportions over ``time``."""
    people, events = total.sum(), count.sum()
    numerator = people * (people * (count * time).sum() - events * (total * time).sum()) ** 2
    spread = people * (total * time**2).sum() - (total * time).sum() ** 2
    return float(numerator / (events * (people - events) * spread))


def _log_odds_slope(count: np.ndarray, total: np.ndarray, time: np.ndarray) -> float:
    """Unweighted least-squares slope of log(p / (1 − p)) on time; where a proportion is 0 or
    1 the log-odds are infinite and the sign of the chi-square statistic's score stands in."""
    proportion = count / total
    with np.errstate(divide="ignore"):
        log_odds = np.log(proportion / (1 - proportion))
    if np.isfinite(log_odds).all():
        return float(np.polyfit(time, log_odds, 1)[0])
    score = total.sum() * (count * time).sum() - count.sum() * (total * time).sum()
    return float(np.sign(score))


def consistent_run(
    benchmark: npt.ArrayLike,
    *,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    values: npt.ArrayLike | None = None,
) -> tuple[str, int]:
    """How long the area has been on the same side of the benchmark, up to the latest period.

    With ``lower``/``upper`` the side is significance-based ("significantly higher than England
    for 3 years" is ``("higher", 3)``); with ``values`` it is the plain comparison. Series are
    ordered oldest first; ``benchmark`` is one value or one per period. Returns the latest
    direction ("higher" | "similar" | "lower" | "not compared") and its run length (0 when the
    latest period is not compared).
    """
    if lower is not None and upper is not None:
        sides = direction(lower, upper, benchmark)
    elif values is not None:
        sides = direction(values, values, benchmark)
    else:
        raise ValueError("consistent_run needs lower and upper, or values")
    sides = np.atleast_1d(sides)
    if sides.size == 0 or sides[-1] == NOT_COMPARED:
        return NOT_COMPARED, 0
    breaks = np.flatnonzero(sides != sides[-1])
    run = sides.size - 1 - breaks[-1] if breaks.size else sides.size
    return str(sides[-1]), int(run)


def _weighted_slopes(value: np.ndarray, weight_sets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least-squares slope of value on t = 1..n and its variance, per row of weights."""
    time = np.arange(1, value.size + 1, dtype=float)
    total = weight_sets.sum(axis=1)
    sum_t = weight_sets @ time
    sum_y = weight_sets @ value
    sum_ty = weight_sets @ (time * value)
    sum_tt = weight_sets @ (time**2)
    determinant = total * sum_tt - sum_t**2
    return (total * sum_ty - sum_t * sum_y) / determinant, total / determinant


@lru_cache(maxsize=16)
def _critical_chi_square(confidence: float) -> float:
    """The chi-square (1 df) a slope must exceed at ``confidence`` (scipy's, remembered)."""
    return float(stats.chi2.ppf(confidence, df=1))
