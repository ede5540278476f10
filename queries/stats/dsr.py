"""Directly standardised rates (DSR) with Dobson intervals, as PHEindicatormethods' calculate_dsr.

A crude rate mixes how often events happen with how old the population is: a council with many
people over 85 has more admissions per 100,000 aged 65+ even if each age band fares the same.
The DSR weights each age band's rate by a fixed standard population (the European Standard
Population 2013), so councils with old and young populations compare fairly. Its interval is
Dobson's: Byar's interval for the total count, scaled by the DSR's variance (Dobson et al.
1991, Statistics in Medicine 10:457). Like Fingertips, no DSR is given below 10 events.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from queries.stats._arrays import as_float
from queries.stats.intervals import CONFIDENCE_LEVELS, byar_count_interval

DSR_MINIMUM_EVENTS = 10

# European Standard Population 2013 (Eurostat), five-year bands to 90+, summing to 100,000.
ESP2013 = {
    "0-4": 5000,
    "5-9": 5500,
    "10-14": 5500,
    "15-19": 5500,
    "20-24": 6000,
    "25-29": 6000,
    "30-34": 6500,
    "35-39": 7000,
    "40-44": 7000,
    "45-49": 7000,
    "50-54": 7000,
    "55-59": 6500,
    "60-64": 6000,
    "65-69": 5500,
    "70-74": 5000,
    "75-79": 4000,
    "80-84": 2500,
    "85-89": 1500,
    "90+": 1000,
}
# The ONS bands the population table holds for people aged 65 and over, with their ESP weights.
ESP2013_65_PLUS = {
    "65-74": ESP2013["65-69"] + ESP2013["70-74"],
    "75-84": ESP2013["75-79"] + ESP2013["80-84"],
    "85+": ESP2013["85-89"] + ESP2013["90+"],
}


def level_suffix(level: float) -> str:
    """0.95 -> "95", 0.998 -> "99_8", as in the funnel's columns."""
    return f"{level * 100:g}".replace(".", "_")


def dsr(
    counts: npt.ArrayLike,
    populations: npt.ArrayLike,
    standard: npt.ArrayLike,
    *,
    multiplier: float = 100_000.0,
    levels: Sequence[float] = CONFIDENCE_LEVELS,
) -> dict[str, float]:
    """One area's DSR from its age bands: value, total_count, total_population and
    lower_<level> / upper_<level>. Missing counts count as none; NaN below 10 events."""
    count = np.nan_to_num(as_float(counts), nan=0.0)
    population, weight = as_float(populations), as_float(standard)
    _check(count, population, weight)
    total = float(count.sum())
    weight_sum = weight.sum()
    value = float((count * weight / population).sum() / weight_sum)
    variance = float((count * (weight / population) ** 2).sum() / weight_sum**2)
    result = {
        "total_count": total,
        "total_population": float(population.sum()),
        "value": value * multiplier,
    }
    for level in levels:
        low_count, high_count = byar_count_interval(total, level)
        scale = np.sqrt(variance / total) if total > 0 else np.nan
        suffix = level_suffix(level)
        result[f"lower_{suffix}"] = float((value + scale * (low_count - total)) * multiplier)
        result[f"upper_{suffix}"] = float((value + scale * (high_count - total)) * multiplier)
    if total < DSR_MINIMUM_EVENTS:
        result = {k: (v if k.startswith("total") else float("nan")) for k, v in result.items()}
    return result


def _check(count: np.ndarray, population: np.ndarray, weight: np.ndarray) -> None:
    if not count.shape == population.shape == weight.shape or count.ndim != 1:
        raise ValueError("counts, populations and standard need one value per age band")
    if np.any(count < 0):
        raise ValueError("DSR counts cannot be negative")
    if np.any(~np.isfinite(population)) or np.any(population <= 0):
        raise ValueError("DSR populations must be given and positive in every age band")
    if np.any(~np.isfinite(weight)) or np.any(weight < 0) or weight.sum() <= 0:
        raise ValueError("the standard population must be non-negative with a positive total")
