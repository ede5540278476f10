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
    (``period``) so a spine finds its periods with array look-ups, not index building."""

    frame: pd.DataFrame  # ordered by area_code, then PERIOD
    positions: dict[str, np.ndarray]  # each area's rows
    period: np.ndarray  # each row's period number: its row in ``spread``
    spread: pd.DataFrame  # one row per period number

    @classmethod
    def load(cls, store: DataStore) -> CouncilValues:
        frame = store.query_once("headline_values")
        for flag in ("suppressed", "is_synthetic"):
            frame[flag] = frame[flag].fillna(False).astype(bool)
        frame["value"] = frame["value"].astype(float)
        england = frame["area_code"] == schema.ENGLAND_CODE
        period, periods = pd.MultiIndex.from_frame(frame[PERIOD]).factorize()
        spread = _spread(frame, ~england).join(_benchmarks(frame, england))
        return cls(
            frame,
            frame.groupby("area_code", sort=False).indices,
            period,
            spread.reindex(periods).reset_index(drop=True),
        )

    def rows(self, area_code: str) -> np.ndarray:
        return self.positions.get(area_code, np.empty(0, dtype=int))

    def peer_values(self, peers: list[str], periods: np.ndarray) -> pd.DataFrame:
        """The peers' shown values in those periods (numbers), sorted as the grouped means
        expect (the same order gives the same last digits)."""
        rows = np.concatenate([self.rows(code) for code in sorted(peers)] or [np.empty(0, int)])
        frame = self.frame.iloc[rows[np.isin(self.period[rows], periods)]]
        shown = frame["value"].notna() & ~frame["suppressed"]
        return frame[shown].sort_values([*KEYS, "area_code"])


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
    own = values.frame.iloc[rows].assign(period=values.period[rows]).reset_index(drop=True)
    # the area's latest period with a value (or a suppressed row) per metric and period type
    marked = own[own["value"].notna() | own["suppressed"]]
    areas = marked.loc[marked.groupby(KEYS, sort=False)["period_start"].idxmax()]
    areas = areas.set_index(KEYS)
    metrics = [
        metric
        for metric in load_catalogue().metrics.values()
        if metric.polarity != "context" and (metric.id, metric.default_period_type) in areas.index
    ]
    if not metrics:
        return pd.DataFrame([], columns=list(SPINE_COLUMNS))
    periods = areas["period"].to_numpy()
    peer_codes = series.comparator_peers(store, area_code, method)["area_code"].tolist()
    peers = values.peer_values(peer_codes, periods)
    spread = values.spread.iloc[periods].set_axis(areas.index)
    if scope == "comparators":
        pool = _spread(peers, True).droplevel("period_start")
        spread = spread.drop(columns=list(pool.columns)).join(pool)
    spread["comparator_mean"] = peers.groupby(KEYS)["value"].mean()
    return _summaries(areas, spread, metrics)


def _summaries(areas: pd.DataFrame, spread: pd.DataFrame, metrics: list) -> pd.DataFrame:
    """One row per metric (in the order given): the area's latest value, its interval and the
    verdict against England, judged for all metrics at once."""
    index = pd.MultiIndex.from_tuples([(m.id, m.default_period_type) for m in metrics])
    area = areas.loc[index]
    pool = spread.reindex(index)
    lower, upper = judgements.filled_intervals(
        metrics, area["lower_ci"], area["upper_ci"], area["numerator"], area["denominator"]
    )
    suppressed = area["suppressed"].astype(bool).to_numpy()
    england = _floats(pool["england_value"])
    verdicts = stats.verdict(lower, upper, england, [m.polarity for m in metrics], suppressed)
    starts = area["period_start"].tolist()
    return pd.DataFrame(
        {
            "metric_id": [m.id for m in metrics],
            "period_type": [m.default_period_type for m in metrics],
            "period_start": starts,
            "period_label": [
                periods.label(start, m.default_period_type)
                for start, m in zip(starts, metrics, strict=True)
            ],
            "area_value": np.where(suppressed, np.nan, _floats(area["value"])),
            "area_lower": lower,
            "area_upper": upper,
            "area_suppressed": suppressed,
            "england_value": england,
            "comparator_mean": _floats(pool["comparator_mean"]),
            **{name: _floats(pool[name]) for name in RANGE_COLUMNS},  # NaN without a pool
            "range_n": pool["range_n"].fillna(0).astype(int).to_numpy(),
            "vs_england": verdicts.astype(str),
            "is_synthetic": pool["is_synthetic"].astype(bool).to_numpy(),
        },
        columns=list(SPINE_COLUMNS),
    )


def _floats(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
