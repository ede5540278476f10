"""Significance of an area against a benchmark (England or the comparator mean).

An area is "higher" or "lower" only when its confidence interval excludes the benchmark value,
as in Fingertips; polarity then turns that into better / worse. Touching counts as similar.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from queries.stats._arrays import as_bool, as_float, as_labels

POLARITIES = ("lower_is_better", "higher_is_better", "context")
DIRECTIONS = ("higher", "similar", "lower", "not compared")
VERDICTS = ("better", "similar", "worse", "not compared")
NOT_COMPARED = "not compared"


def direction(lower: npt.ArrayLike, upper: npt.ArrayLike, benchmark: npt.ArrayLike) -> np.ndarray:
    """Polarity-free comparison: "higher" | "similar" | "lower" | "not compared" (missing)."""
    low, high, bench = np.broadcast_arrays(as_float(lower), as_float(upper), as_float(benchmark))
    missing = np.isnan(low) | np.isnan(high) | np.isnan(bench)
    # nested wheres, not np.select: the same labels at half the cost on a series' few values
    lower_or_similar = np.where(high < bench, "lower", "similar")
    return np.where(missing, "not compared", np.where(low > bench, "higher", lower_or_similar))


def verdict(
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    polarity: str | npt.ArrayLike,
    suppressed: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Return "better" | "similar" | "worse" | "not compared" for each area.

    Pass the 95 % interval for the usual verdict or the 99.8 % one for the stricter test.
    ``context`` metrics, missing intervals or benchmarks and suppressed values are never
    compared, so they are never coloured red or green.
    """
    side = direction(lower, upper, benchmark)
    polarities = as_labels(polarity, side.shape)
    unknown = set(np.unique(polarities)) - set(POLARITIES)
    if unknown:
        raise ValueError(f"unknown polarity {sorted(unknown)}; expected one of {POLARITIES}")
    hidden = as_bool(suppressed, side.shape) | (polarities == "context") | (side == NOT_COMPARED)
    good_side = np.where(polarities == "higher_is_better", "higher", "lower")
    return np.select(
        [hidden, side == "similar", side == good_side],
        [NOT_COMPARED, "similar", "better"],
        default="worse",
    )


def verdict_of(
    lower: float, upper: float, benchmark: float, polarity: str, suppressed: bool
) -> str:
    """``verdict`` of one area, in plain Python (a tile judges one value at a time, where
    numpy's per-call overhead is most of the work); the tests hold it to ``verdict``."""
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {[polarity]}; expected one of {POLARITIES}")
    if suppressed or polarity == "context" or _nan(lower) or _nan(upper) or _nan(benchmark):
        return NOT_COMPARED
    if lower > benchmark:
        side = "higher"
    elif upper < benchmark:
        side = "lower"
    else:
        return "similar"
    good_side = "higher" if polarity == "higher_is_better" else "lower"
    return "better" if side == good_side else "worse"


def _nan(value: float) -> bool:
    return value != value
