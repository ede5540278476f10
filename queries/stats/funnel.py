"""Funnel-plot control limits around a benchmark (usually England) for one period.

Unadjusted, a limit at denominator n is the value at which an area's own interval would just
touch the benchmark, so a point outside the 95 % funnel is exactly an area whose 95 % interval
excludes the benchmark. For proportions that interval is Wilson's and the limit is
p0 ± z √(p0 (1 − p0) / n), PHEindicatormethods' sigma_adjustment; for rates it is the exact
Poisson interval at every count, as PHEindicatormethods' poisson_funnel draws it (Byar's
approximation, used for the intervals from 10 events, would move the 99.8 % lines by up to
0.6 % at 10–13 events). With an overdispersion adjustment (``queries.stats.overdispersion``)
the limits widen and a point's flag is read from its position against them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from queries.stats._arrays import as_float
from queries.stats.intervals import exact_poisson_count_interval, wilson_interval, z_value
from queries.stats.overdispersion import Dispersion, adjusted_limits
from queries.stats.significance import NOT_COMPARED, direction

FUNNEL_LEVELS = (0.95, 0.998)
FUNNEL_METHODS = ("wilson", "byar")


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
    dispersion: Dispersion | None = None,
) -> pd.DataFrame:
    """Control limits at each denominator, for plotting a funnel.

    Columns: denominator, benchmark, then lower_<level> and upper_<level> per level with the
    dot replaced (lower_95, upper_95, lower_99_8, upper_99_8). NaN where the denominator is not
    positive. ``ci_method`` is "wilson" (proportions) or "byar" (rates); ``dispersion`` (from
    ``overdispersion.estimate``) widens them when it finds more spread than chance.
    """
    den = np.atleast_1d(as_float(denominators))
    _check_benchmark(benchmark, ci_method, multiplier)
    solvers = {"wilson": _proportion_limits, "byar": _rate_limits}
    columns: dict[str, np.ndarray | float] = {"denominator": den, "benchmark": benchmark}
    for level in levels:
        if dispersion is not None and dispersion.adjusts:
            lower, upper = adjusted_limits(
                benchmark,
                den,
                ci_method=ci_method,
                multiplier=multiplier,
                level=level,
                dispersion=dispersion,
            )
        else:
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
    dispersion: Dispersion | None = None,
) -> np.ndarray:
    """Where each area sits on the funnel: "above 99.8" | "above 95" | "within" | "below 95" |
    "below 99.8" | "not compared" (no interval or benchmark).

    Unadjusted, decided from the areas' own intervals (Wilson, or exact Poisson for rates),
    which is what the funnel's limits trace; adjusted, from the value against the widened
    limits at the area's denominator.
    """
    flags = None
    for level in sorted(levels):
        if dispersion is not None and dispersion.adjusts:
            sides = _side_of_adjusted_limits(
                numerator, denominator, benchmark, ci_method, multiplier, level, dispersion
            )
        else:
            lower, upper = _funnel_interval(ci_method, numerator, denominator, level, multiplier)
            sides = direction(lower, upper, benchmark)
        if flags is None:
            flags = np.where(sides == NOT_COMPARED, NOT_COMPARED, "within").astype(object)
        label = level_label(level)
        flags = np.where(sides == "higher", f"above {label}", flags)
        flags = np.where(sides == "lower", f"below {label}", flags)
    if flags is None:
        raise ValueError("funnel_flag needs at least one level")
    return flags.astype(str)


def _check_benchmark(benchmark: float, ci_method: str, multiplier: float) -> None:
    """Refuse limits that cannot exist, whatever the adjustment."""
    if ci_method not in FUNNEL_METHODS:
        raise ValueError(f"funnel limits need ci_method 'wilson' or 'byar'; got {ci_method!r}")
    if ci_method == "wilson" and not 0 <= benchmark / multiplier <= 1:
        raise ValueError(f"a proportion benchmark must lie in [0, {multiplier}]; got {benchmark}")
    if ci_method == "byar" and benchmark < 0:
        raise ValueError(f"a rate benchmark cannot be negative; got {benchmark}")


def _proportion_limits(
    benchmark: float, den: np.ndarray, multiplier: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions whose Wilson interval just touches the benchmark proportion."""
    share = benchmark / multiplier
    with np.errstate(divide="ignore", invalid="ignore"):
        half_width = z_value(level) * np.sqrt(share * (1 - share) / den)
    lower = np.clip(share - half_width, 0, 1) * multiplier
    upper = np.clip(share + half_width, 0, 1) * multiplier
    return lower, upper


def _rate_limits(
    benchmark: float, den: np.ndarray, multiplier: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rates whose exact Poisson interval just touches the benchmark rate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(den > 0, benchmark * den / multiplier, np.nan)
        low_count = _count_whose_upper_bound_is(expected, level)
        high_count = _count_whose_lower_bound_is(expected, level)
        return low_count / den * multiplier, high_count / den * multiplier


def _count_whose_upper_bound_is(expected: np.ndarray, level: float) -> np.ndarray:
    """Count O whose exact upper bound is ``expected`` (0 when even O = 0 reaches above it).

    The upper bound is the gamma(O + 1) quantile at (1 + level) / 2, inverted in its shape by
    gdtrib; at whole counts this is PHEindicatormethods' poisson_funnel, found without bisection.
    """
    return np.clip(special.gdtrib(1.0, 0.5 + level / 2, expected) - 1, 0, None)


def _count_whose_lower_bound_is(expected: np.ndarray, level: float) -> np.ndarray:
    """Count O whose exact lower bound (the gamma(O) quantile at (1 − level) / 2) is
    ``expected``."""
    return special.gdtrib(1.0, 0.5 - level / 2, expected)


def _funnel_interval(
    ci_method: str,
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    level: float,
    multiplier: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The interval the unadjusted limits trace: Wilson, or exact Poisson at every count."""
    if ci_method == "wilson":
        return wilson_interval(numerator, denominator, level, multiplier)
    if ci_method != "byar":
        raise ValueError(f"funnel flags need ci_method 'wilson' or 'byar'; got {ci_method!r}")
    num, den = np.broadcast_arrays(as_float(numerator), as_float(denominator))
    lower, upper = exact_poisson_count_interval(num, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(np.isfinite(den) & (den > 0), multiplier / den, np.nan)
    return lower * scale, upper * scale


def _side_of_adjusted_limits(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    ci_method: str,
    multiplier: float,
    level: float,
    dispersion: Dispersion,
) -> np.ndarray:
    """ "higher" / "lower" / "similar" against the widened limits at each area's denominator."""
    num, den, bench = np.broadcast_arrays(
        as_float(numerator), as_float(denominator), as_float(benchmark)
    )
    lower, upper = adjusted_limits(
        bench, den, ci_method=ci_method, multiplier=multiplier, level=level, dispersion=dispersion
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        value = num / den * multiplier
    sides = np.where(value > upper, "higher", np.where(value < lower, "lower", "similar"))
    usable = np.isfinite(value) & np.isfinite(bench) & (den > 0)
    return np.where(usable, sides, NOT_COMPARED).astype(object)
