"""Disclosure control for HES-derived indicators, applied in one place before publishing.

As in HES publications: counts of 1–7 are suppressed (value, numerator and intervals blanked,
``suppressed`` set), other counts are rounded to the nearest 5 (numerators, and denominators
that count records; population denominators are not HES counts and stay). Values are then
recomputed from the rounded counts, so a rate cannot be multiplied back into the exact count.
A percentile (length of stay) is suppressed when it rests on 1–7 spells; its value stays.
Counts are weighted estimates, so "1–7" means more than 0 and less than 8.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SMALLEST_SHOWN = 8
ROUND_TO = 5


def round_count(counts: np.ndarray) -> np.ndarray:
    """Nearest multiple of 5, halves up (12 -> 10, 13 -> 15, 12.5 -> 15); NaN stays NaN."""
    return np.floor(counts / ROUND_TO + 0.5) * ROUND_TO


def small(counts: np.ndarray) -> np.ndarray:
    """True where a count is 1–7 (more than 0, under 8); NaN is not small."""
    with np.errstate(invalid="ignore"):
        return (counts > 0) & (counts < SMALLEST_SHOWN)


def apply(
    table: pa.Table,
    *,
    denominator_is_count: np.ndarray,
    recompute_value: np.ndarray,
    multiplier: np.ndarray,
) -> pa.Table:
    """Return ``table`` (indicators columns) with suppression and rounding applied, row-wise:
    ``denominator_is_count`` marks record-count denominators, ``recompute_value`` the rows
    whose value is numerator ÷ denominator × ``multiplier``."""
    numerator = _numbers(table, "numerator")
    denominator = _numbers(table, "denominator")
    value = _numbers(table, "value")
    denominator_is_count = np.asarray(denominator_is_count, dtype=bool)
    small_denominator = denominator_is_count & small(denominator)
    suppressed = small(numerator) | small_denominator | _column(table, "suppressed")

    numerator = round_count(numerator)
    denominator = np.where(denominator_is_count, round_count(denominator), denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        recomputed = numerator / denominator * np.asarray(multiplier, dtype=float)
    value = np.where(np.asarray(recompute_value, dtype=bool), recomputed, value)

    value[suppressed] = np.nan
    numerator[suppressed] = np.nan
    denominator[small_denominator] = np.nan
    lower = _numbers(table, "lower_ci")
    upper = _numbers(table, "upper_ci")
    lower[suppressed] = np.nan
    upper[suppressed] = np.nan
    for name, numbers in (
        ("numerator", numerator),
        ("denominator", denominator),
        ("value", value),
        ("lower_ci", lower),
        ("upper_ci", upper),
    ):
        table = _replace(table, name, pa.array(numbers, pa.float64(), mask=~np.isfinite(numbers)))
    return _replace(table, "suppressed", pa.array(suppressed, pa.bool_()))


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(float, copy=True)


def _column(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(bool)


def _replace(table: pa.Table, name: str, array: pa.Array) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(name), array)
