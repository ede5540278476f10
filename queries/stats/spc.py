"""XmR (individuals) charts with NHS England's "Making Data Count" rules and icons.

Limits are mean ± 2.66 × mean moving range (2.66 = 3 / 1.128, so ±3σ); the 2σ lines are
mean ± (2/3) × 2.66 × mMR. Special-cause rules follow NHSRplotthedots and the Making Data Count
team's 2023 guidance (NHSRplotthedots issue 194): a point beyond a limit; a shift of 7+ points on
one side of the mean; a trend of 7+ points each higher (or lower) than the one before; two of
three consecutive points beyond the same 2σ line with all three on the same side of the mean
(points beyond the limits count; only the points beyond 2σ are flagged).

Rebasing splits the series into segments (a service change), each with its own mean and limits
and its own rules. Moving-range outlier screening (NHSRplotthedots ``screen_outliers``) leaves
out moving ranges of 3.267 × mMR or more before the limits are set; it is off by default, as in
NHS England's Excel tool. Limits from fewer than 12 points are trial limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from queries.stats._arrays import as_float
from queries.stats.significance import POLARITIES

LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = 2 / 3 * LIMIT_FACTOR
OUTLIER_FACTOR = 3.267  # D4 for n = 2: the upper range limit of a moving range
SHIFT_LENGTH = TREND_LENGTH = 7  # points in a shift or a trend, by default
MIN_LIMIT_POINTS = 12  # fewer points give trial limits (NHSRplotthedots' short-group warning)
RULES = ("beyond_limits", "shift", "trend", "two_in_three")
VARIATION_ICONS = (
    "common cause",
    "special cause improvement",
    "special cause concern",
    "special cause neither",
)
VARIATION_ICON_KEYS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neither_high",
    "neither_low",
)
ASSURANCE_ICONS = ("consistently pass", "consistently fail", "hit and miss", "no target")


def xmr(
    values: npt.ArrayLike,
    baseline: int | None = None,
    *,
    rebase_at: Sequence[int] = (),
    screen_outliers: bool = False,
    shift_length: int = SHIFT_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> pd.DataFrame:
    """XmR chart of a gap-free series ordered oldest first, one row per point.

    ``rebase_at`` holds the positions where a new segment starts (a service change); each
    segment's mean and mean moving range come from its first ``baseline`` points (default all)
    and its rules are judged within it. Columns: segment, value, moving_range, mean,
    mean_moving_range, lower_limit, upper_limit, lower_two_sigma, upper_two_sigma, limit_points
    (how many points set the limits), trial_limits (fewer than 12), one bool per rule in
    ``RULES``, special_cause, rules (comma-separated names) and direction ("high" | "low" for
    special-cause points, else None).
    """
    index = values.index if isinstance(values, pd.Series) else None
    y = as_float(values)
    starts = _segment_starts(y, rebase_at)
    parts = [
        _segment(
            y[start:end],
            baseline,
            screen_outliers=screen_outliers,
            shift_length=shift_length,
            trend_length=trend_length,
        ).assign(segment=number)
        for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(y)], strict=True))
    ]
    chart = pd.concat(parts, ignore_index=True)
    chart["moving_range"] = np.concatenate([[np.nan], np.abs(np.diff(y))])
    chart.loc[np.asarray(starts[1:], dtype=int), "moving_range"] = np.nan
    chart = chart[["segment", *(c for c in chart.columns if c != "segment")]]
    if index is not None:
        chart.index = index
    return chart


def _segment(
    y: np.ndarray,
    baseline: int | None,
    *,
    screen_outliers: bool,
    shift_length: int,
    trend_length: int,
) -> pd.DataFrame:
    """One segment's limits and rules (the whole chart when there is no rebasing)."""
    columns = _segment_columns(
        y,
        baseline,
        screen_outliers=screen_outliers,
        shift_length=shift_length,
        trend_length=trend_length,
    )
    names = np.array(RULES)
    matrix = np.column_stack([columns[rule] for rule in RULES])
    columns["rules"] = [",".join(names[row]) for row in matrix]
    columns["direction"] = np.where(columns["special_cause"], columns["direction"], None)
    return pd.DataFrame(columns)


def _segment_columns(
    y: np.ndarray,
    baseline: int | None,
    *,
    screen_outliers: bool,
    shift_length: int,
    trend_length: int,
) -> dict:
    """The chart's columns as arrays and numbers (``direction`` for every point)."""
    base = _baseline(y, baseline)
    mean = base.mean()
    mean_moving_range = _mean_moving_range(base, screen_outliers=screen_outliers)
    upper, lower = mean + LIMIT_FACTOR * mean_moving_range, mean - LIMIT_FACTOR * mean_moving_range
    upper_two = mean + TWO_SIGMA_FACTOR * mean_moving_range
    lower_two = mean - TWO_SIGMA_FACTOR * mean_moving_range
    tolerance = 1e-9 * max(np.max(np.abs(y)), 1.0)  # rounding noise: on a line is not beyond it
    side = np.where(np.abs(y - mean) <= tolerance, 0.0, np.sign(y - mean))
    beyond_two = (y > upper_two + tolerance) | (y < lower_two - tolerance)
    rising, falling = trend_members(y, trend_length)
    flags = {
        "beyond_limits": (y > upper + tolerance) | (y < lower - tolerance),
        "shift": shift_members(side, shift_length),
        "trend": rising | falling,
        "two_in_three": two_in_three_members(beyond_two, side),
    }
    return {
        "value": y,
        "mean": mean,
        "mean_moving_range": mean_moving_range,
        "lower_limit": lower,
        "upper_limit": upper,
        "lower_two_sigma": lower_two,
        "upper_two_sigma": upper_two,
        "limit_points": len(base),
        "trial_limits": len(base) < MIN_LIMIT_POINTS,
        **flags,
        "special_cause": np.logical_or.reduce(list(flags.values())),
        "direction": _directions(side, flags["beyond_limits"], y, rising, falling),
    }


@dataclass(frozen=True)
class LatestPoint:
    """What the recent-change markers read from an XmR chart: its latest point's special
    cause and side, and the limits."""

    special_cause: bool
    direction: str | None  # "high" | "low" for a special-cause point
    lower_limit: float
    upper_limit: float


def xmr_latest(values: npt.ArrayLike) -> LatestPoint:
    """The latest point of ``xmr(values)`` (one segment, the default rules) without building
    the chart's table: a page judges dozens of series and shows only their latest point."""
    y = as_float(values)
    _segment_starts(y, ())
    columns = _segment_columns(
        y, None, screen_outliers=False, shift_length=SHIFT_LENGTH, trend_length=TREND_LENGTH
    )
    special = bool(columns["special_cause"][-1])
    return LatestPoint(
        special,
        str(columns["direction"][-1]) if special else None,
        float(columns["lower_limit"]),
        float(columns["upper_limit"]),
    )


def _mean_moving_range(base: np.ndarray, *, screen_outliers: bool) -> float:
    """Mean moving range of the baseline; screening drops ranges of 3.267 × mMR or more.

    A flat baseline (every range 0) has nothing to screen: its mean range stays 0 rather than
    becoming the mean of no ranges.
    """
    ranges = np.abs(np.diff(base))
    mean_range = ranges.mean()
    if screen_outliers and mean_range > 0:
        mean_range = ranges[ranges < OUTLIER_FACTOR * mean_range].mean()
    return float(mean_range)


def variation_icon(chart: pd.DataFrame, polarity: str) -> str:
    """Making Data Count variation icon, read from the latest point of an ``xmr`` chart."""
    if chart.empty:
        raise ValueError("variation_icon needs a chart with at least one point")
    latest = chart.iloc[-1]
    return _icon(bool(latest["special_cause"]), latest["direction"], polarity)


def _icon(special_cause: bool, direction: str | None, polarity: str) -> str:
    _check_polarity(polarity)
    if not special_cause:
        return "common cause"
    if polarity == "context":
        return "special cause neither"
    improving = (direction == "high") == (polarity == "higher_is_better")
    return "special cause improvement" if improving else "special cause concern"


def variation_icon_key(chart: pd.DataFrame | LatestPoint, polarity: str) -> str:
    """The icon with its side, one of ``VARIATION_ICON_KEYS``: e.g. a rise in a lower-is-better
    metric is "concern_high" (NHSRplotthedots draws the icon from the point type and side).
    ``chart`` is an ``xmr`` chart or its ``xmr_latest`` point."""
    if isinstance(chart, LatestPoint):
        special, direction = chart.special_cause, chart.direction
        icon = _icon(special, direction, polarity)
    else:
        icon = variation_icon(chart, polarity)
        direction = chart["direction"].iloc[-1]
    if icon == "common cause":
        return "common_cause"
    side = "high" if direction == "high" else "low"
    return f"{icon.removeprefix('special cause ')}_{side}"


def assurance_icon(
    limits: pd.DataFrame | LatestPoint | tuple[float, float], target: float | None, polarity: str
) -> str:
    """Making Data Count assurance icon: can the process be relied on to meet ``target``?

    ``limits`` is an ``xmr`` chart (the latest segment's limits are used), its ``xmr_latest``
    point or a (lower, upper) pair. A pass is consistent when the whole process range is on
    the good side of the target.
    """
    _check_polarity(polarity)
    if isinstance(limits, pd.DataFrame):
        lower, upper = limits["lower_limit"].iloc[-1], limits["upper_limit"].iloc[-1]
    elif isinstance(limits, LatestPoint):
        lower, upper = limits.lower_limit, limits.upper_limit
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


def shift_members(side: npt.ArrayLike, length: int = 7) -> np.ndarray:
    """Points in runs of ``length``+ on the same side of the mean (side: +1, -1, or 0 on it)."""
    side = np.asarray(side, dtype=float)
    return _in_run(side > 0, length) | _in_run(side < 0, length)


def trend_members(y: npt.ArrayLike, length: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Points in runs of ``length``+ points each strictly above (or below) the one before."""
    y = np.asarray(y, dtype=float)
    steps = np.diff(y)
    members = []
    for step_mask in (steps > 0, steps < 0):
        in_trend = _in_run(step_mask, length - 1)
        points = np.zeros(y.size, dtype=bool)
        points[1:] |= in_trend
        points[:-1] |= in_trend
        members.append(points)
    return members[0], members[1]


def two_in_three_members(beyond_two_sigma: npt.ArrayLike, side: npt.ArrayLike) -> np.ndarray:
    """Points beyond 2σ in a window of three consecutive points that all sit on the same side
    of the mean and hold at least two points beyond 2σ (beyond a limit counts)."""
    beyond = np.asarray(beyond_two_sigma, dtype=bool)
    side = np.asarray(side, dtype=float)
    if beyond.size < 3:
        return np.zeros(beyond.size, dtype=bool)
    hits = beyond[:-2].astype(int) + beyond[1:-1] + beyond[2:] >= 2
    same_side = np.abs(side[:-2] + side[1:-1] + side[2:]) == 3
    windows = hits & same_side
    covered = np.zeros(beyond.size, dtype=bool)
    for offset in range(3):
        covered[offset : offset + windows.size] |= windows
    return beyond & covered


def _directions(
    side: np.ndarray, beyond: np.ndarray, y: np.ndarray, rising: np.ndarray, falling: np.ndarray
) -> np.ndarray:
    """Each point's special-cause side, in NHSRplotthedots' order: a point beyond a limit by its
    side of the mean, then a trend's own direction (where a point ends one trend and starts
    another, the one after it), then the side of the mean."""
    step_after = np.sign(np.concatenate([np.diff(y), [0.0]]))
    trend_high = rising & ~(falling & (step_after < 0))
    in_trend = rising | falling
    conditions = [beyond & (side > 0), beyond, in_trend & trend_high, in_trend, side > 0]
    return np.select(conditions, ["high", "low", "high", "low", "high"], "low")


def _segment_starts(y: np.ndarray, rebase_at: Sequence[int]) -> list[int]:
    """0 and the rebase positions, sorted; every segment must hold at least two points."""
    if y.ndim != 1:
        raise ValueError("xmr takes one series (a 1-D array)")
    if len(y) < 2:
        raise ValueError("xmr needs at least 2 points")
    positions = sorted({int(p) for p in rebase_at})
    if any(not 0 < p < len(y) for p in positions):
        raise ValueError(f"rebase positions must lie inside the series (1..{len(y) - 1})")
    starts = [0, *positions]
    if any(end - start < 2 for start, end in zip(starts, [*starts[1:], len(y)], strict=True)):
        raise ValueError("each rebased segment needs at least 2 points")
    return starts


def _baseline(y: np.ndarray, baseline: int | None) -> np.ndarray:
    if np.isnan(y).any():
        raise ValueError("xmr needs a series without gaps; drop or fill missing periods first")
    size = len(y) if baseline is None else min(baseline, len(y))
    if size < 2:
        raise ValueError(f"baseline must cover at least 2 points; got {size}")
    return y[:size]


def _in_run(mask: np.ndarray, length: int) -> np.ndarray:
    """True for members of runs of consecutive True values at least ``length`` long."""
    if mask.size == 0:
        return mask
    run_id = np.cumsum(np.concatenate([[True], mask[1:] != mask[:-1]]))
    run_length = np.bincount(run_id)[run_id]
    return mask & (run_length >= length)


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}")
