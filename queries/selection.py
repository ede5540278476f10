"""Ranking every council on the interface metrics, for the Select areas page and its export.

One query gives each council's value of each metric for a financial year; the ranks,
quartiles and the weighted composite are pure functions over that frame, so they are tested
with hand-computed cases and give the same answer wherever they are shown.

Conventions: rank 1 is the best council by the metric's polarity (ties share the best rank);
quartile 1 holds the best quarter; a percentile score runs from 0 (worst) to 100 (best); the
composite is the weighted mean of a council's percentile scores over the metrics it has, so a
missing metric lowers the weight sum instead of counting as worst.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from queries.catalogue import Metric
from queries.schema import ENGLAND_CODE
from queries.store import DataStore

QUARTILES = 4
COMPLETE_SHARE = 0.9  # a year is complete for a metric when it covers 90 % of its best year
BASIS_TEXT = {
    "financial_year": "the published financial-year figure",
    "rolling_12m": "the published 12-month figure for April to March",
    "quarter": "Σ numerators ÷ Σ denominators of the year's 4 quarters",
    "month": "Σ numerators ÷ Σ denominators of the year's 12 months",
}


class SelectionError(ValueError):
    """A ranking was asked for something it cannot rank (e.g. a context metric)."""


def year_coverage(store: DataStore, metrics: Sequence[Metric]) -> pd.DataFrame:
    """metric_id, year_start, councils: how many councils have a whole year of each metric."""
    return store.query("selection_years", metric_ids=[m.id for m in metrics])


def available_years(coverage: pd.DataFrame) -> list[int]:
    """Financial years (start year) in which any metric has any council, oldest first."""
    held = coverage[coverage["councils"] > 0]
    return sorted(int(year) for year in held["year_start"].unique())


def default_year(coverage: pd.DataFrame) -> int | None:
    """The latest year that is complete for most of the metrics with data: a metric is
    complete in a year when it covers ≥ 90 % of the councils of its best-covered year."""
    held = coverage[coverage["councils"] > 0]
    if held.empty:
        return None
    best = held.groupby("metric_id")["councils"].transform("max")
    complete = held[held["councils"] >= COMPLETE_SHARE * best]
    per_year = complete.groupby("year_start")["metric_id"].nunique()
    majority = held["metric_id"].nunique() / 2
    years = per_year[per_year > majority]
    return int(years.index.max()) if not years.empty else int(held["year_start"].max())


def interface_values(store: DataStore, metrics: Sequence[Metric], year_start: int) -> pd.DataFrame:
    """One row per metric and area (councils and England) for the financial year starting
    1 April ``year_start``: value, numerator, denominator, suppressed, is_synthetic, vintage
    and the basis the value was found on (see queries/sql/interface_table.sql)."""
    return store.query(
        "interface_table",
        metric_ids=[m.id for m in metrics],
        multipliers=[float(m.multiplier) for m in metrics],
        year_start=date(year_start, 4, 1),
        next_year_start=date(year_start + 1, 4, 1),
    )


def _goodness(values: pd.Series, polarity: str) -> pd.Series:
    """Values turned so that bigger is always better."""
    if polarity == "lower_is_better":
        return -values.astype(float)
    if polarity == "higher_is_better":
        return values.astype(float)
    raise SelectionError(f"cannot rank a metric with polarity {polarity!r}")


def ranks(values: pd.Series, polarity: str) -> pd.Series:
    """1 = best; ties share the best rank of their group; missing values get no rank."""
    ranked = _goodness(values, polarity).rank(ascending=False, method="min")
    return ranked.astype("Int64")


def quartiles(rank: pd.Series) -> pd.Series:
    """Quartile 1..4 from ranks among the ``n`` ranked councils: ⌊4 (rank − 1) / n⌋ + 1."""
    counted = int(rank.notna().sum())
    if counted == 0:
        return pd.Series(pd.NA, index=rank.index, dtype="Int64")
    quartile = (rank.astype("Float64") - 1) * QUARTILES // counted + 1
    return quartile.clip(upper=QUARTILES).astype("Int64")


def percentile_scores(values: pd.Series, polarity: str) -> pd.Series:
    """0 (worst) to 100 (best): 100 × (average ascending rank of goodness − 1) / (n − 1);
    a lone council scores 100."""
    goodness = _goodness(values, polarity)
    counted = int(goodness.notna().sum())
    if counted <= 1:
        return goodness.where(goodness.isna(), 100.0)
    return 100 * (goodness.rank(ascending=True, method="average") - 1) / (counted - 1)


def composite_scores(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ wₘ·scoreₘ ÷ Σ wₘ over the metrics each row has (columns are metric ids)."""
    weight_row = pd.Series({column: float(weights.get(column, 1.0)) for column in scores})
    if (weight_row < 0).any():
        raise SelectionError("weights cannot be negative")
    present = scores.notna()
    weight_sum = present.mul(weight_row, axis=1).sum(axis=1)
    weighted = scores.fillna(0.0).mul(weight_row, axis=1).sum(axis=1)
    return (weighted / weight_sum.replace(0.0, np.nan)).astype(float)


def ranking_table(
    values: pd.DataFrame, metrics: Sequence[Metric], weights: Mapping[str, float]
) -> pd.DataFrame:
    """One row per council (England left out): per metric its value, ``suppressed_<id>``,
    ``rank_<id>``, ``quartile_<id>`` and ``score_<id>``; then ``metrics_used``,
    ``composite_score`` and ``composite_rank`` (1 = best). Ranks are among all councils."""
    councils = values[values["area_code"] != ENGLAND_CODE]
    codes = sorted(councils["area_code"].unique())
    table = pd.DataFrame(index=pd.Index(codes, name="area_code"))
    scores = pd.DataFrame(index=table.index)
    for metric in metrics:
        rows = councils[councils["metric_id"] == metric.id].set_index("area_code")
        value = rows["value"].reindex(table.index).astype(float)
        suppressed = rows["suppressed"].reindex(table.index).fillna(False).astype(bool)
        value = value.where(~suppressed)
        metric_rank = ranks(value, metric.polarity)
        table[metric.id] = value
        table[f"suppressed_{metric.id}"] = suppressed
        table[f"rank_{metric.id}"] = metric_rank
        table[f"quartile_{metric.id}"] = quartiles(metric_rank)
        table[f"score_{metric.id}"] = scores[metric.id] = percentile_scores(value, metric.polarity)
    used = {m.id: weights.get(m.id, 1.0) for m in metrics}
    table["metrics_used"] = scores.notna().mul(pd.Series(used) > 0, axis=1).sum(axis=1)
    table["composite_score"] = composite_scores(scores, used)
    table["composite_rank"] = (
        table["composite_score"].rank(ascending=False, method="min").astype("Int64")
    )
    return table.reset_index()


def basis_by_metric(values: pd.DataFrame) -> dict[str, str]:
    """metric id -> the basis its year's values were found on."""
    first = values.drop_duplicates("metric_id")
    return dict(zip(first["metric_id"], first["basis"], strict=True))


def tiles(store: DataStore) -> pd.DataFrame:
    """area_code, q, r: each council's hex on the tile map (empty when none is published)."""
    return store.query("selection_tiles")
