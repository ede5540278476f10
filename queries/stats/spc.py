"""XmR (individuals) charts with NHS England's "Making Data Count" rules and icons.

Limits are mean ± 2.66 × mean moving range (2.66 = 3 / 1.128, so ±3σ); the 2σ lines are
mean ± (2/3) × 2.66 × mMR. Special-cause rules follow NHSRplotthedots: a point beyond a limit;
a shift of 7+ points on one side of the mean; a trend of 7+ points each higher (or lower) than
the one before; 2 of 3 consecutive points beyond the same 2σ line. Every point of a shift or
trend is flagged; for 2-of-3 the points beyond 2σ are. Unlike NHSRplotthedots, a point beyond
a limit also counts towards 2-of-3 and the third point may sit anywhere (Western Electric).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from queries.stats._arrays import as_float
from queries.stats.significance import POLARITIES

LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = 2 / 3 * LIMIT_FACTOR
RULES = ("beyond_limits", "shift", "trend", "two_in_three")
VARIATION_ICONS = (
    "common cause",
    "special cause improvement",
    "special cause concern",
    "special cause neither",
)
ASSURANCE_ICONS = ("consistently pass", "consistently fail", "hit and miss", "no target")


def xmr(
    values: npt.ArrayLike,
    baseline: int | None = None,
    *,
    shift_length: int = 7,
    trend_length: int = 7,
) -> pd.DataFrame:
    """XmR chart of a gap-free series ordered oldest first, one row per point.

    The mean and mean moving range come from the first ``baseline`` points (default all), and
    the limits are extended over the rest, so later points are judged against the baseline.
    Columns: value, moving_range, mean, mean_moving_range, lower_limit, upper_limit,
    lower_two_sigma, upper_two_sigma, one bool per rule in ``RULES``, special_cause, rules
    (comma-separated names) and direction ("high" | "low" for special-cause points, else None).
    A trend's direction is its own (rising = high) and wins over the side of the mean.
    """
    index = values.index if isinstance(values, pd.Series) else None
    y = as_float(values)
    base = _baseline(y, baseline)
    mean = base.mean()
    mean_moving_range = np.abs(np.diff(base)).mean()
    upper, lower = mean + LIMIT_FACTOR * mean_moving_range, mean - LIMIT_FACTOR * mean_moving_range
    upper_two = mean + TWO_SIGMA_FACTOR * mean_moving_range
    lower_two = mean - TWO_SIGMA_FACTOR * mean_moving_range
    tolerance = 1e-9 * np.max(np.abs(y))  # rounding noise: a point on a line is not beyond it
    side = np.where(np.abs(y - mean) <= tolerance, 0.0, np.sign(y - mean))
    rising, falling = _trend_members(y, trend_length)
    flags = {
        "beyond_limits": (y > upper + tolerance) | (y < lower - tolerance),
        "shift": _in_run(side > 0, shift_length) | _in_run(side < 0, shift_length),
        "trend": rising | falling,
        "two_in_three": _two_in_three(y > upper_two + tolerance)
        | _two_in_three(y < lower_two - tolerance),
    }
    special = np.logical_or.reduce(list(flags.values()))
    direction = np.select([rising, falling, side > 0], ["high", "low", "high"], default="low")
    names = np.array(RULES)
    matrix = np.column_stack([flags[rule] for rule in RULES])
    chart = pd.DataFrame(
        {
            "value": y,
            "moving_range": np.concatenate([[np.nan], np.abs(np.diff(y))]),
            "mean": mean,
            "mean_moving_range": mean_moving_range,
            "lower_limit": lower,
            "upper_limit": upper,
            "lower_two_sigma": lower_two,
            "upper_two_sigma": upper_two,
            **flags,
            "special_cause": special,
            "rules": [",".join(names[row]) for row in matrix],
            "direction": np.where(special, direction, None),
        },
        index=index,
    )
    return chart


def variation_icon(chart: pd.DataFrame, polarity: str) -> str:
    """Making Data Count variation icon, read from the latest point of an ``xmr`` chart."""
    _check_polarity(polarity)
    if chart.empty:
        raise ValueError("variation_icon needs a chart with at least one point")
    latest = chart.iloc[-1]
    if not latest["special_cause"]:
        return "common cause"
    if polarity == "context":
        return "special cause neither"
    improving = (latest["direction"] == "high") == (polarity == "higher_is_better")
    return "special cause improvement" if improving else "special cause concern"


def assurance_icon(
    limits: pd.DataFrame | tuple[float, float], target: float | None, polarity: str
) -> str:
    """Making Data Count assurance icon: can the process be relied on to meet ``target``?

    ``limits`` is an ``xmr`` chart (its latest limits are used) or a (lower, upper) pair. A pass
    is consistent when the whole process range is on the good side of the target.
    """
    _check_polarity(polarity)
    if isinstance(limits, pd.DataFrame):
        lower, upper = limits["lower_limit"].iloc[-1], limits["upper_limit"].iloc[-1]
    else:
        lower, upper = limits
    if target is None or np.isnan(target) or polarity == "context":
        return "no target"
    if polarity == "higher_is_better":
        passes, fails = lower > target, upper < target
    else:
        passes, fails = upper < target, lower > target
    if passes:
        return "consistently pass"
    if fails:
        return "consistently fail"
    return "hit and miss"


def _baseline(y: np.ndarray, baseline: int | None) -> np.ndarray:
    if y.ndim != 1:
        raise ValueError("xmr takes one series (a 1-D array)")
    if np.isnan(y).any():
        raise ValueError("xmr needs a series without gaps; drop or fill missing periods first")
    size = len(y) if baseline is None else baseline
    if not 2 <= size <= len(y):
        raise ValueError(f"baseline must cover 2..{len(y)} points; got {size}")
    return y[:size]


def _in_run(mask: np.ndarray, length: int) -> np.ndarray:
    """True for members of runs of consecutive True values at least ``length`` long."""
    if mask.size == 0:
        return mask
    run_id = np.cumsum(np.concatenate([[True], mask[1:] != mask[:-1]]))
    run_length = np.bincount(run_id)[run_id]
    return mask & (run_length >= length)


def _trend_members(y: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in runs of ``length``+ points each strictly above (or below) the one before."""
    steps = np.diff(y)
    members = []
    for step_mask in (steps > 0, steps < 0):
        in_trend = _in_run(step_mask, length - 1)
        points = np.zeros(y.size, dtype=bool)
        points[1:] |= in_trend
        points[:-1] |= in_trend
        members.append(points)
    return members[0], members[1]


def _two_in_three(beyond: np.ndarray) -> np.ndarray:
    """Points beyond a 2σ line that sit in a window of 3 with at least one other such point."""
    if beyond.size < 3:
        return np.zeros(beyond.size, dtype=bool)
    hits = beyond[:-2].astype(int) + beyond[1:-1] + beyond[2:] >= 2
    covered = np.zeros(beyond.size, dtype=bool)
    for offset in range(3):
        covered[offset : offset + hits.size] |= hits
    return beyond & covered


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}")
