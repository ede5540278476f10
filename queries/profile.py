"""The area profile's spine: where the area sits among all councils (or its comparator group)
on every judged metric, in the latest period it has, with England as the benchmark.

Every area's value in every period is queried once per data version, with each period's
spread among all councils (min, quartiles, max); an area's spine looks up its latest periods,
its peers' values in them and its verdicts against England, so the chart only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries import judgements, periods, schema, series, stats
from queries.catalogue import load_catalogue
from queries.store import DataStore

SCOPES = ("england", "comparators")
RANGE_COLUMNS = ("range_min", "range_q1", "range_q3", "range_max")
SPINE_COLUMNS = (
    "metric_id",
    "period_type",
    "period_start",
    "period_label",
    "area_value",
    "area_lower",
    "area_upper",
    "area_suppressed",
    "england_value",
    "comparator_mean",
    "range_min",
    "range_q1",
    "range_q3",
    "range_max",
    "range_n",
    "vs_england",
    "is_synthetic",
)


def spine(store: DataStore, area_code: str, method: str, *, scope: str = "england") -> pd.DataFrame:
    """One row per judged metric (polarity not ``context``), in catalogue order, for the
    metric's default period type; the range is over all councils or the comparator peers."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    return store.derived(
        "spine",
        {"area": area_code, "method": method, "scope": scope},
        lambda: _spine(store, area_code, method, scope),
    )


KEYS = ["metric_id", "period_type"]
PERIOD = [*KEYS, "period_start"]


@dataclass(frozen=True)
class CouncilValues:
    """Every area's headline rows (looked up by area) and, per metric, period type and
    period, the spread of all councils' shown values, England's value and whether any value
    is synthetic: one query and one grouped pass per data version. Periods are numbered
    (``period``) and so are metric and period type pairs (``key``), so a spine finds its rows
    with array look-ups, not index building or grouping."""

    frame: pd.DataFrame  # ordered by area_code, then PERIOD
    positions: dict[str, np.ndarray]  # each area's rows
    period: np.ndarray  # each row's period number: its row in ``spread``
    spread: pd.DataFrame  # one row per period number
    key: np.ndarray  # each row's (metric_id, period_type) number
    keys: dict[tuple[str, str], int]  # the numbers
    columns: dict[str, np.ndarray]  # the frame's number and flag columns as arrays
    spreads: dict[str, np.ndarray]  # ``spread``'s columns as arrays

    @classmethod
    def load(cls, store: DataStore) -> CouncilValues:
        frame = store.query_once("headline_values")
        for flag in ("suppressed", "is_synthetic"):
            frame[flag] = frame[flag].fillna(False).astype(bool)
        frame["value"] = frame["value"].astype(float)
        england = frame["area_code"] == schema.ENGLAND_CODE
        period, periods = pd.MultiIndex.from_frame(frame[PERIOD]).factorize()
        key, keys = pd.MultiIndex.from_frame(frame[KEYS]).factorize()
        spread = _spread(frame, ~england).join(_benchmarks(frame, england))
        spread = spread.reindex(periods).reset_index(drop=True)
        return cls(
            frame,
            frame.groupby("area_code", sort=False).indices,
            period,
            spread,
            key,
            {pair: number for number, pair in enumerate(keys)},
            {name: frame[name].to_numpy() for name in (*NUMBERS, "suppressed", "period_start")},
            {name: spread[name].to_numpy() for name in spread.columns},
        )

    def rows(self, area_code: str) -> np.ndarray:
        return self.positions.get(area_code, np.empty(0, dtype=int))

    def latest(self, rows: np.ndarray) -> dict[int, int]:
        """Per key (metric and period type), the row of its latest period among ``rows``
        (the first such row should two share a period)."""
        starts = self.columns["period_start"][rows]
        order = np.lexsort((-np.arange(len(rows)), starts, self.key[rows]))
        keys = self.key[rows][order]
        last = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))
        return dict(zip(keys[last].tolist(), rows[order][last].tolist(), strict=True))

    def peer_values(self, peers: list[str], periods: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The peers' shown values in those periods and each one's position in ``periods``,
        ordered by position, then peer code: the order the grouped means expect (grouping
        unordered positions reorders values, and the same values added in another order can
        differ in their last digits)."""
        rows = np.concatenate([self.rows(code) for code in sorted(peers)] or [np.empty(0, int)])
        slot = np.full(len(self.spread), -1)
        slot[periods] = np.arange(len(periods))
        values = self.columns["value"][rows]
        shown = (
            (slot[self.period[rows]] >= 0) & ~np.isnan(values) & ~self.columns["suppressed"][rows]
        )
        positions = slot[self.period[rows[shown]]]
        order = np.argsort(positions, kind="stable")
        return values[shown][order], positions[order]


NUMBERS = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


def _spread(frame: pd.DataFrame, councils) -> pd.DataFrame:
    """Min, quartiles, max and count of each period's shown values among ``councils`` rows."""
    shown = frame["value"].notna() & ~frame["suppressed"]
    pool = frame[shown & councils].groupby(PERIOD)["value"]
    return pd.DataFrame(
        {
            "range_min": pool.min(),
            "range_q1": pool.quantile(0.25),
            "range_q3": pool.quantile(0.75),
            "range_max": pool.max(),
            "range_n": pool.size(),
        }
    )


def _benchmarks(frame: pd.DataFrame, england) -> pd.DataFrame:
    """England's value and whether any area's value is synthetic, per period."""
    return pd.DataFrame(
        {
            "england_value": frame[england].groupby(PERIOD)["value"].first(),
            "is_synthetic": frame.groupby(PERIOD)["is_synthetic"].any(),
        }
    )


def council_values(store: DataStore) -> CouncilValues:
    """Every area's headline values, loaded once per data version."""
    return store.shared("council_values", {}, lambda: CouncilValues.load(store))


def _spine(store: DataStore, area_code: str, method: str, scope: str) -> pd.DataFrame:
    values = council_values(store)
    rows = values.rows(area_code)
    # the area's latest period with a value (or a suppressed row) per metric and period type
    marked = rows[~np.isnan(values.columns["value"][rows]) | values.columns["suppressed"][rows]]
    latest = values.latest(marked)
    chosen = [
        (metric, latest[key])
        for metric in load_catalogue().metrics.values()
        if metric.polarity != "context"
        and (key := values.keys.get((metric.id, metric.default_period_type))) in latest
    ]
    if not chosen:
        return pd.DataFrame([], columns=list(SPINE_COLUMNS))
    metrics = [metric for metric, _ in chosen]
    area = np.array([row for _, row in chosen])
    periods = values.period[area]
    peer_codes = series.comparator_peers(store, area_code, method)["area_code"].tolist()
    shown, slot = values.peer_values(peer_codes, periods)
    pool = pd.Series(shown).groupby(slot)
    slots = np.arange(len(metrics))
    spread = {name: column[periods] for name, column in values.spreads.items()}
    if scope == "comparators":
        spread |= {name: column.reindex(slots).to_numpy() for name, column in _pooled(pool).items()}
    spread["comparator_mean"] = pool.mean().reindex(slots).to_numpy()
    return _summaries(values, area, spread, metrics)


def _pooled(pool) -> dict[str, pd.Series]:
    """``_spread``'s columns of grouped values."""
    return {
        "range_min": pool.min(),
        "range_q1": pool.quantile(0.25),
        "range_q3": pool.quantile(0.75),
        "range_max": pool.max(),
        "range_n": pool.size(),
    }


def _summaries(
    values: CouncilValues, area: np.ndarray, spread: dict[str, np.ndarray], metrics: list
) -> pd.DataFrame:
    """One row per metric (in the order given): the area's latest value (its row ``area``),
    its interval and the verdict against England, judged for all metrics at once."""
    column = {name: values.columns[name][area] for name in NUMBERS}
    lower, upper = judgements.filled_intervals(
        metrics, column["lower_ci"], column["upper_ci"], column["numerator"], column["denominator"]
    )
    suppressed = values.columns["suppressed"][area]
    england = _floats(spread["england_value"])
    verdicts = stats.verdict(lower, upper, england, [m.polarity for m in metrics], suppressed)
    starts = values.frame["period_start"].iloc[area].tolist()
    return pd.DataFrame(
        {
            "metric_id": [m.id for m in metrics],
            "period_type": [m.default_period_type for m in metrics],
            "period_start": starts,
            "period_label": [
                periods.label(start, m.default_period_type)
                for start, m in zip(starts, metrics, strict=True)
            ],
            "area_value": np.where(suppressed, np.nan, column["value"]),
            "area_lower": lower,
            "area_upper": upper,
            "area_suppressed": suppressed,
            "england_value": england,
            "comparator_mean": _floats(spread["comparator_mean"]),
            **{name: _floats(spread[name]) for name in RANGE_COLUMNS},  # NaN without a pool
            "range_n": pd.Series(spread["range_n"]).fillna(0).astype(int).to_numpy(),
            "vs_england": verdicts.astype(str),
            "is_synthetic": spread["is_synthetic"].astype(bool),
        },
        columns=list(SPINE_COLUMNS),
    )


def _floats(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f":  # already numbers: nothing to coerce
        return values.astype(float, copy=False)
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
