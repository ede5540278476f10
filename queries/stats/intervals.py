"""Confidence intervals the way OHID Fingertips computes them.

Proportions use the Wilson score interval; counts and rates use Byar's approximation, with the
exact Poisson interval (chi-square quantiles) below ``EXACT_POISSON_BELOW`` events. Both count
intervals are also available on their own (funnel limits use the exact one at every count). Every
function is vectorised: array-likes in, float arrays out, NaN where no interval exists.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats

from queries.stats._arrays import as_float

CONFIDENCE_LEVELS = (0.95, 0.998)
CI_METHODS = ("wilson", "byar", "none")
EXACT_POISSON_BELOW = 10

Interval = tuple[np.ndarray, np.ndarray]


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile: 1.96 at 95 %, 3.09 at 99.8 %."""
    check_confidence(confidence)
    return _normal_quantile(0.5 + confidence / 2)


@lru_cache(maxsize=64)
def _normal_quantile(probability: float) -> float:
    """scipy's quantile, remembered: a page asks for the same two or three levels hundreds of
    times, and each scipy call costs more than the interval it serves."""
    return float(stats.norm.ppf(probability))


def check_confidence(confidence: float) -> float:
    """Reject levels given as percentages (95) or outside (0, 1), a common slip."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be a fraction in (0, 1), e.g. 0.95; got {confidence!r}")
    return confidence


def wilson_interval(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100.0,
) -> Interval:
    """Wilson score interval, scaled by ``multiplier``.

    Unlike the normal approximation it stays within [0, multiplier] and is sensible at 0 % and
    100 %, which is why PHE/OHID adopted it for proportions.
    """
    num, den = _counts(numerator, denominator)
    if np.any((num > den) & (den > 0)):
        raise ValueError("a proportion's numerator cannot exceed its denominator")
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = 2 * num + z**2
        half_width = z * np.sqrt(z**2 + 4 * num * (1 - num / den))
        scale = 2 * (den + z**2)
        lower = np.where(num == 0, 0.0, np.clip((centre - half_width) / scale, 0, 1))
        upper = np.where(num == den, 1.0, np.clip((centre + half_width) / scale, 0, 1))
    valid = _valid(num, den)
    return np.where(valid, lower * multiplier, np.nan), np.where(valid, upper * multiplier, np.nan)


def poisson_count_interval(count: npt.ArrayLike, confidence: float = 0.95) -> Interval:
    """Interval for an observed count of events: exact Poisson below 10 events, Byar above.

    Byar's approximation is within a fraction of an event of the exact interval from 10 events
    up, and is what Fingertips (PHEindicatormethods' phe_rate) uses there.
    """
    observed = _events(count)
    byar_lower, byar_upper = byar_count_interval(observed, confidence)
    small = observed < EXACT_POISSON_BELOW
    if not small.any():  # the exact interval's scipy quantiles are not needed
        return byar_lower, byar_upper
    exact_lower, exact_upper = exact_poisson_count_interval(observed, confidence)
    return np.where(small, exact_lower, byar_lower), np.where(small, exact_upper, byar_upper)


def exact_poisson_count_interval(count: npt.ArrayLike, confidence: float = 0.95) -> Interval:
    """Exact (Garwood) interval for a count from chi-square quantiles, at any count.

    Funnel limits for rates use it at every count, as PHEindicatormethods' funnels do.
    """
    observed = _events(count)
    alpha = 1 - check_confidence(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(observed > 0, stats.chi2.ppf(alpha / 2, 2 * observed) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * observed + 2) / 2
    missing = np.isnan(observed)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def byar_count_interval(count: npt.ArrayLike, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the Poisson interval at any count; no lower end (NaN) where the
    approximation goes negative, as in PHEindicatormethods' byars_lower."""
    observed = _events(count)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
        after = observed + 1
        upper = after * (1 - 1 / (9 * after) + z / (3 * np.sqrt(after))) ** 3
    lower = np.where(observed == 0, 0.0, lower)
    return np.where(lower >= 0, lower, np.nan), np.where(np.isnan(observed), np.nan, upper)


def byar_interval(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000.0,
) -> Interval:
    """Interval for a crude rate (count / denominator × multiplier) via ``poisson_count_interval``.

    For a plain count pass ``denominator=1, multiplier=1``.
    """
    num, den = _counts(count, denominator)
    lower, upper = poisson_count_interval(num, confidence)
    valid = _valid(num, den)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = multiplier / den
    return np.where(valid, lower * scale, np.nan), np.where(valid, upper * scale, np.nan)


def interval(
    ci_method: str,
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100.0,
) -> Interval:
    """Dispatch on the catalogue's ``ci_method``: wilson | byar | none (all-NaN interval)."""
    if ci_method == "wilson":
        return wilson_interval(numerator, denominator, confidence, multiplier)
    if ci_method == "byar":
        return byar_interval(numerator, denominator, confidence, multiplier)
    if ci_method == "none":
        check_confidence(confidence)
        shape = np.broadcast_shapes(np.shape(numerator), np.shape(denominator))
        return np.full(shape, np.nan), np.full(shape, np.nan)
    raise ValueError(f"unknown ci_method {ci_method!r}; expected one of {CI_METHODS}")


def _events(count: npt.ArrayLike) -> np.ndarray:
    observed = as_float(count)
    if np.any(observed < 0):
        raise ValueError("counts of events cannot be negative")
    return observed


def _counts(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> Interval:
    num, den = np.broadcast_arrays(as_float(numerator), as_float(denominator))
    if np.any(num < 0):
        raise ValueError("numerators (counts) cannot be negative")
    if np.any(den < 0):
        raise ValueError("denominators cannot be negative")
    return num, den


def _valid(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.isfinite(num) & np.isfinite(den) & (den > 0)
