"""Funnel-plot control limits around a benchmark (usually England) for one period.

A limit at denominator n is the value at which an area's own interval would just touch the
benchmark, so a point outside the 95 % funnel is exactly an area whose 95 % interval excludes
the benchmark: the funnel and the significance verdict never disagree. For proportions this is
p0 ± z √(p0 (1 − p0) / n), the same curve as PHEindicatormethods' funnel (Fingertips); for rates
the limiting count is solved numerically on the Byar / exact Poisson count interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from queries.stats._arrays import as_float
from queries.stats.intervals import EXACT_POISSON_BELOW, interval, z_value
from queries.stats.significance import NOT_COMPARED, direction

FUNNEL_LEVELS = (0.95, 0.998)
_BISECTION_STEPS = 60


def level_label(level: float) -> str:
    """Format a level as in flags and column names: 0.95 -> "95", 0.998 -> "99.8"."""
    return f"{level * 100:g}"


def funnel_limits(
    benchmark: float,
    denominators: npt.ArrayLike,
    *,
    ci_method: str,
    multiplier: float,
    levels: Sequence[float] = FUNNEL_LEVELS,
) -> pd.DataFrame:
    """Control limits at each denominator, for plotting a funnel.

    Columns: denominator, benchmark, then lower_<level> and upper_<level> per level with the
    dot replaced (lower_95, upper_95, lower_99_8, upper_99_8). NaN where the denominator is not
    positive. ``ci_method`` is "wilson" (proportions) or "byar" (rates).
    """
    den = np.atleast_1d(as_float(denominators))
    solvers = {"wilson": _proportion_limits, "byar": _rate_limits}
    if ci_method not in solvers:
        raise ValueError(f"funnel limits need ci_method 'wilson' or 'byar'; got {ci_method!r}")
    columns: dict[str, np.ndarray | float] = {"denominator": den, "benchmark": benchmark}
    for level in levels:
        lower, upper = solvers[ci_method](benchmark, den, multiplier, level)
        suffix = level_label(level).replace(".", "_")
        valid = np.isfinite(den) & (den > 0)
        columns[f"lower_{suffix}"] = np.where(valid, lower, np.nan)
        columns[f"upper_{suffix}"] = np.where(valid, upper, np.nan)
    return pd.DataFrame(columns)


def funnel_flag(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    *,
    ci_method: str,
    multiplier: float,
    levels: Sequence[float] = FUNNEL_LEVELS,
) -> np.ndarray:
    """Where each area sits on the funnel: "above 99.8" | "above 95" | "within" | "below 95" |
    "below 99.8" | "not compared" (no interval or benchmark).

    Decided from the areas' own intervals, which is what the funnel's limits trace.
    """
    flags = None
    for level in sorted(levels):
        lower, upper = interval(ci_method, numerator, denominator, level, multiplier)
        sides = direction(lower, upper, benchmark)
        if flags is None:
            flags = np.where(sides == NOT_COMPARED, NOT_COMPARED, "within").astype(object)
        label = level_label(level)
        flags = np.where(sides == "higher", f"above {label}", flags)
        flags = np.where(sides == "lower", f"below {label}", flags)
    if flags is None:
        raise ValueError("funnel_flag needs at least one level")
    return flags.astype(str)


def _proportion_limits(
    benchmark: float, den: np.ndarray, multiplier: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions whose Wilson interval just touches the benchmark proportion."""
    share = benchmark / multiplier
    if not 0 <= share <= 1:
        raise ValueError(f"a proportion benchmark must lie in [0, {multiplier}]; got {benchmark}")
    with np.errstate(divide="ignore", invalid="ignore"):
        half_width = z_value(level) * np.sqrt(share * (1 - share) / den)
    lower = np.clip(share - half_width, 0, 1) * multiplier
    upper = np.clip(share + half_width, 0, 1) * multiplier
    return lower, upper


def _rate_limits(
    benchmark: float, den: np.ndarray, multiplier: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rates whose Byar / exact Poisson interval just touches the benchmark rate."""
    if benchmark < 0:
        raise ValueError(f"a rate benchmark cannot be negative; got {benchmark}")
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(den > 0, benchmark * den / multiplier, np.nan)
        low_count = _count_whose_upper_bound_is(expected, level)
        high_count = _count_whose_lower_bound_is(expected, level)
        return low_count / den * multiplier, high_count / den * multiplier


def _count_whose_upper_bound_is(expected: np.ndarray, level: float) -> np.ndarray:
    """Count O whose interval's upper end is ``expected`` (0 when even O = 0 reaches above it).

    Exact regime: the upper end is the gamma(O + 1) quantile, inverted in its shape by gdtrib.
    """
    exact = special.gdtrib(1.0, 0.5 + level / 2, expected) - 1
    byar = _byar_root(expected, z_value(level)) - 1
    return np.clip(np.where(exact < EXACT_POISSON_BELOW, exact, byar), 0, None)


def _count_whose_lower_bound_is(expected: np.ndarray, level: float) -> np.ndarray:
    """Count O whose interval's lower end is ``expected`` (gamma(O) quantile below 10 events)."""
    exact = special.gdtrib(1.0, 0.5 - level / 2, expected)
    byar = _byar_root(expected, -z_value(level))
    return np.where(exact < EXACT_POISSON_BELOW, exact, byar)


def _byar_root(expected: np.ndarray, signed_z: float) -> np.ndarray:
    """Solve m (1 − 1/(9m) + signed_z / (3√m))³ = expected for m ≥ 10 by bisection.

    Byar's lower end at count O is this with m = O and −z; its upper end, m = O + 1 and +z.
    Both rise with m from 10 events up, so bisection is safe; roots below 10 come out as 10.
    """

    def byar(m: np.ndarray) -> np.ndarray:
        return m * (1 - 1 / (9 * m) + signed_z / (3 * np.sqrt(m))) ** 3

    low = np.full_like(expected, float(EXACT_POISSON_BELOW))
    high = np.maximum(2 * expected + 50 + 10 * signed_z**2, low)
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        below = byar(middle) < expected
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    return np.where(np.isnan(expected), np.nan, (low + high) / 2)
