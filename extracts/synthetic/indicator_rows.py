"""Indicator rows for the synthetic families: arrays to long rows, England, the Arrow table.

England rows are Σ numerators ÷ Σ denominators over councils (value recomputed, never a mean
of rates); value-only measures are summed or, with a weight, weighted-averaged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from queries.schema import ENGLAND_CODE, validate

INDICATOR_KEY = [
    "metric_id",
    "area_code",
    "period_start",
    "period_type",
    "breakdown",
    "breakdown_value",
]


def vintage(seed: int) -> str:
    return f"synthetic seed {seed}"


def grid_rows(
    metric_id: str,
    area_codes: np.ndarray,
    periods: pd.DataFrame,
    *,
    numerator: np.ndarray | None = None,
    denominator: np.ndarray | None = None,
    value: np.ndarray | None = None,
    multiplier: float = 1.0,
    weight: np.ndarray | None = None,
    breakdown: str = "all",
    breakdown_values: tuple[str, ...] = ("all",),
) -> pd.DataFrame:
    """Long indicator rows from arrays shaped areas × periods (× breakdown values).

    Ratio rows carry numerator and denominator (value = numerator ÷ denominator × multiplier);
    value-only rows carry ``weight`` when England is their weighted mean, else England adds up.
    """
    n_areas, n_periods, n_values = len(area_codes), len(periods), len(breakdown_values)
    shape = (n_areas, n_periods, n_values)

    def flatten(array: np.ndarray | None) -> np.ndarray:
        if array is None:
            return np.full(shape[0] * shape[1] * shape[2], np.nan)
        array = np.asarray(array, dtype=float)
        if array.ndim == 2:
            array = array[:, :, None]
        return np.broadcast_to(array, shape).ravel()

    numerators, denominators = flatten(numerator), flatten(denominator)
    if value is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            values = numerators / denominators * multiplier
    else:
        values = flatten(value)
    period_index = np.tile(np.repeat(np.arange(n_periods), n_values), n_areas)
    return pd.DataFrame(
        {
            "metric_id": metric_id,
            "area_code": np.repeat(np.asarray(area_codes, dtype=object), n_periods * n_values),
            "period_start": periods["period_start"].to_numpy()[period_index],
            "period_end": periods["period_end"].to_numpy()[period_index],
            "period_type": periods["period_type"].to_numpy()[period_index],
            "breakdown": breakdown,
            "breakdown_value": np.tile(
                np.asarray(breakdown_values, dtype=object), n_areas * n_periods
            ),
            "numerator": numerators,
            "denominator": denominators,
            "value": values,
            "multiplier": float(multiplier),
            "weight": flatten(weight),
        }
    )


def with_england(frame: pd.DataFrame) -> pd.DataFrame:
    """Append England rows: Σ numerators ÷ Σ denominators for ratios (never a mean of rates),
    the weighted mean for weighted value-only rows, the sum for other value-only rows."""
    councils_only = frame[frame["area_code"] != ENGLAND_CODE]
    keys = [
        "metric_id",
        "period_start",
        "period_end",
        "period_type",
        "breakdown",
        "breakdown_value",
    ]
    work = councils_only.assign(weighted=councils_only["value"] * councils_only["weight"])
    grouped = work.groupby(keys, sort=True)
    totals = grouped[["numerator", "denominator", "weighted", "weight"]].sum(min_count=1)
    totals["value_sum"] = grouped["value"].sum()
    totals["multiplier"] = grouped["multiplier"].first()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = totals["numerator"] / totals["denominator"] * totals["multiplier"]
        weighted_mean = totals["weighted"] / totals["weight"]
    totals["value"] = np.where(
        totals["denominator"].notna(),
        ratio,
        np.where(totals["weight"].notna(), weighted_mean, totals["value_sum"]),
    )
    england = totals.drop(columns=["value_sum", "weighted"]).reset_index()
    england["area_code"] = ENGLAND_CODE
    return pd.concat([frame, england[frame.columns]], ignore_index=True)


def indicator_table(frame: pd.DataFrame, *, source: str, seed: int) -> pa.Table:
    """The validated ``indicators`` partition for one source, rows sorted by key."""
    columns = [
        "metric_id",
        "area_code",
        "period_start",
        "period_end",
        "period_type",
        "breakdown",
        "breakdown_value",
        "numerator",
        "denominator",
        "value",
    ]
    rows = frame[columns].reset_index(drop=True)
    for column in ("period_start", "period_end"):
        rows[column] = np.asarray(rows[column], dtype="datetime64[D]")
    table = pa.Table.from_pandas(rows, preserve_index=False)
    count = table.num_rows
    for name, array in (
        ("lower_ci", pa.nulls(count, pa.float64())),
        ("upper_ci", pa.nulls(count, pa.float64())),
        ("suppressed", pa.array(np.zeros(count, dtype=bool))),
        ("is_synthetic", pa.array(np.ones(count, dtype=bool))),
        ("vintage", pa.array([vintage(seed)], pa.string()).take(np.zeros(count, dtype=int))),
        ("source", pa.array([source], pa.string()).take(np.zeros(count, dtype=int))),
    ):
        table = table.append_column(name, array)
    table = validate("indicators", table)
    order = pc.sort_indices(table, sort_keys=[(key, "ascending") for key in INDICATOR_KEY])
    return table.take(order)
