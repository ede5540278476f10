"""CQC indicators from the register tables (``cqc_locations``, ``cqc_inspections``).

One pure derivation for real imports (``lsr ingest cqc-ratings``) and the synthetic register,
so both follow the same conventions (source ``cqc``; snapshots have period_start =
period_end = the snapshot day):

- ``cqc_rating_share``: % of active, rated locations by overall rating. 'all' = share rated
  Good or Outstanding (all three service types); breakdown ``rating`` = all types together;
  breakdown ``service_type:<type>`` = one type; breakdown_value is the rating code.
- ``care_home_beds_per100_65``: beds per 100 people 65+ ('all' and breakdown
  ``service_type`` nursing_home / residential_home).
- ``domcare_locations_per100k_65``: active domiciliary care locations per 100,000 65+.
- ``cqc_not_improved`` (financial year of the re-inspection): % of locations first rated
  Requires improvement or Inadequate whose next rating was the same or worse.

England rows are Σ numerators ÷ Σ denominators over councils; rows whose denominator is zero
are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.ingest.dtoc_metrics import DEFAULT_POPULATION_RULE, population_year
from queries.schema import ENGLAND_CODE, OVERALL_RATINGS, validate

SOURCE = "cqc"
SERVICE_TYPES = ("nursing_home", "residential_home", "domiciliary_care")
CARE_HOMES = SERVICE_TYPES[:2]
RATING_CODES = ("outstanding", "good", "requires_improvement", "inadequate")
RATING_CODE = dict(zip(OVERALL_RATINGS, RATING_CODES, strict=True))
GOOD_OR_BETTER = ("outstanding", "good")
POOR = ("requires_improvement", "inadequate")
POPULATION_BANDS = {"65+": ("65-74", "75-84", "85+")}
ROW_COLUMNS = [
    "metric_id", "area_code", "period_start", "period_end", "period_type", "breakdown",
    "breakdown_value", "numerator", "denominator", "value",
]  # fmt: skip


def population_65(population: pd.DataFrame) -> pd.Series:
    """Population 65+ indexed by (area_code, year); summed from the 65-74/75-84/85+ bands for
    areas that have no 65+ row."""
    bands = population["age_band"]
    direct = population[bands == "65+"]
    derived = population[bands.isin(POPULATION_BANDS["65+"])]
    derived = derived[~derived["area_code"].isin(set(direct["area_code"]))]
    rows = pd.concat([direct, derived])
    return rows.groupby(["area_code", "year"])["count"].sum().astype(float)


def snapshot_population(
    population: pd.DataFrame,
    councils: Sequence[str],
    snapshots: Iterable[date],
    rule: str = DEFAULT_POPULATION_RULE,
) -> pd.Series:
    """Population 65+ per (area_code, snapshot) under the population-year rule; an area
    without that year's estimate uses its nearest year."""
    by_year = population_65(population).unstack("year").reindex(list(councils))
    by_year = by_year.ffill(axis=1).bfill(axis=1)
    missing = by_year.index[by_year.isna().all(axis=1)].tolist()
    if missing:
        raise ValueError(f"population: no 65+ rows for {', '.join(missing[:5])}")
    years = [int(year) for year in by_year.columns]
    out = {}
    for day in snapshots:
        year = population_year(day, day, years, rule)
        for area, count in by_year[year].items():
            out[(area, day)] = float(count)
    return pd.Series(out, name="population", dtype=float).rename_axis(["area_code", "snapshot"])


def _grid(counts: pd.Series, levels: list[Sequence]) -> pd.Series:
    """``counts`` on the full product of ``levels`` (absent combinations count 0)."""
    index = pd.MultiIndex.from_product(levels, names=counts.index.names)
    return counts.reindex(index, fill_value=0).astype(float)


def _rows(
    metric_id: str,
    numerator: pd.Series,
    denominator: pd.Series,
    *,
    multiplier: float,
    breakdown: str = "all",
) -> pd.DataFrame:
    """Rows for numerator/denominator series indexed by (area_code, period_start[, value])."""
    frame = pd.DataFrame({"numerator": numerator}).reset_index()
    if "breakdown_value" not in frame.columns:
        frame["breakdown_value"] = "all"
    keys = [name for name in denominator.index.names]
    frame = frame.merge(
        denominator.rename("denominator").reset_index(), on=keys, how="left", validate="m:1"
    )
    return frame.assign(metric_id=metric_id, breakdown=breakdown, multiplier=float(multiplier))


def snapshot_indicators(
    locations: pd.DataFrame, population_by_snapshot: pd.Series, councils: Sequence[str]
) -> pd.DataFrame:
    """Rating shares, care-home beds and domiciliary care locations per council × snapshot.

    ``locations`` has snapshot_date, area_code, service_type, beds and overall_rating (the
    schema's spelling, or empty when unrated); only the three service types count.
    """
    frame = locations[locations["service_type"].isin(SERVICE_TYPES)].rename(
        columns={"snapshot_date": "period_start"}
    )
    snapshots = sorted(frame["period_start"].unique())
    councils = list(councils)
    rated = frame[frame["overall_rating"].notna()].assign(
        breakdown_value=lambda f: f["overall_rating"].map(RATING_CODE)
    )
    by_rating = _grid(
        rated.groupby(["area_code", "period_start", "service_type", "breakdown_value"]).size(),
        [councils, snapshots, SERVICE_TYPES, RATING_CODES],
    )
    all_types = by_rating.groupby(level=["area_code", "period_start", "breakdown_value"]).sum()
    rated_total = all_types.groupby(level=["area_code", "period_start"]).sum()
    good = all_types[all_types.index.get_level_values("breakdown_value").isin(GOOD_OR_BETTER)]
    parts = [
        _rows(
            "cqc_rating_share",
            good.groupby(level=["area_code", "period_start"]).sum(),
            rated_total,
            multiplier=100,
        ),
        _rows("cqc_rating_share", all_types, rated_total, multiplier=100, breakdown="rating"),
    ]
    for service in SERVICE_TYPES:
        one = by_rating.xs(service, level="service_type")
        parts.append(
            _rows(
                "cqc_rating_share",
                one,
                one.groupby(level=["area_code", "period_start"]).sum(),
                multiplier=100,
                breakdown=f"service_type:{service}",
            )
        )
    pop65 = population_by_snapshot.rename_axis(["area_code", "period_start"])
    homes = frame[frame["service_type"].isin(CARE_HOMES)]
    beds = _grid(
        homes.groupby(["area_code", "period_start", "service_type"])["beds"].sum(min_count=1),
        [councils, snapshots, CARE_HOMES],
    ).fillna(0.0)
    beds.index = beds.index.set_names("breakdown_value", level="service_type")
    agencies = _grid(
        frame[frame["service_type"] == "domiciliary_care"]
        .groupby(["area_code", "period_start"])
        .size(),
        [councils, snapshots],
    )
    parts += [
        _rows(
            "care_home_beds_per100_65",
            beds.groupby(level=["area_code", "period_start"]).sum(),
            pop65,
            multiplier=100,
        ),
        _rows("care_home_beds_per100_65", beds, pop65, multiplier=100, breakdown="service_type"),
        _rows("domcare_locations_per100k_65", agencies, pop65, multiplier=100_000),
    ]
    out = pd.concat(parts, ignore_index=True)
    return out.assign(period_end=out["period_start"], period_type="snapshot")


def financial_year_start(day) -> date:
    stamp = pd.Timestamp(day)
    return date(stamp.year if stamp.month >= 4 else stamp.year - 1, 4, 1)


def not_improved(inspections: pd.DataFrame, councils: Sequence[str]) -> pd.DataFrame:
    """``cqc_not_improved`` per council and financial year of the second inspection.

    ``inspections`` has location_id, area_code, inspection_date and overall_rating; a
    location's first two inspections by date are compared.
    """
    rank = {rating: index for index, rating in enumerate(OVERALL_RATINGS)}
    ordered = inspections.sort_values(["location_id", "inspection_date"], kind="stable")
    position = ordered.groupby("location_id").cumcount()
    first = ordered.loc[position == 0, ["location_id", "overall_rating"]]
    second = ordered[position == 1]
    pairs = second.merge(first, on="location_id", suffixes=("", "_first"), validate="1:1")
    first_rank = pairs["overall_rating_first"].map(rank)
    pairs = pairs[first_rank >= rank["Requires improvement"]]
    worse_or_same = pairs["overall_rating"].map(rank) >= pairs["overall_rating_first"].map(rank)
    pairs = pairs.assign(
        period_start=[financial_year_start(day) for day in pairs["inspection_date"]],
        not_better=worse_or_same.astype(float),
    )
    if pairs.empty:
        return pd.DataFrame(columns=[*ROW_COLUMNS, "multiplier"])
    years = sorted(pairs["period_start"].unique())
    grouped = pairs.groupby(["area_code", "period_start"])
    levels = [list(councils), years]
    out = _rows(
        "cqc_not_improved",
        _grid(grouped["not_better"].sum(), levels),
        _grid(grouped.size(), levels),
        multiplier=100,
    )
    out["period_end"] = [date(start.year + 1, 3, 31) for start in out["period_start"]]
    return out.assign(period_type="financial_year")


def with_england(frame: pd.DataFrame) -> pd.DataFrame:
    """Append England rows (Σ numerators ÷ Σ denominators), compute values, drop zero
    denominators."""
    keys = ["metric_id", "period_start", "period_end", "period_type", "breakdown"]
    keys.append("breakdown_value")
    councils_only = frame[frame["area_code"] != ENGLAND_CODE]
    england = councils_only.groupby(keys, sort=True, as_index=False).agg(
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        multiplier=("multiplier", "first"),
    )
    england["area_code"] = ENGLAND_CODE
    out = pd.concat([councils_only, england], ignore_index=True)
    out = out[out["denominator"] != 0]
    out = out.assign(value=out["numerator"] / out["denominator"] * out["multiplier"])
    return out[ROW_COLUMNS].reset_index(drop=True)


def indicator_frame(
    locations: pd.DataFrame,
    inspections: pd.DataFrame,
    population: pd.DataFrame,
    councils: Sequence[str],
    *,
    population_rule: str = DEFAULT_POPULATION_RULE,
) -> pd.DataFrame:
    """Every ``cqc`` indicator row (councils in ``councils`` and England), unsorted."""
    snapshots = sorted(pd.to_datetime(locations["snapshot_date"]).dt.date.unique())
    pop65 = snapshot_population(population, councils, snapshots, population_rule)
    locations = locations.assign(snapshot_date=pd.to_datetime(locations["snapshot_date"]).dt.date)
    inspections = inspections.assign(
        inspection_date=pd.to_datetime(inspections["inspection_date"]).dt.date
    )
    parts = [snapshot_indicators(locations, pop65, councils), not_improved(inspections, councils)]
    return with_england(pd.concat([part for part in parts if len(part)], ignore_index=True))


def indicator_table(
    frame: pd.DataFrame, *, vintage: str | pd.Series, is_synthetic: bool
) -> pa.Table:
    """The schema-valid ``cqc`` indicators partition, rows sorted by key."""
    out = frame[ROW_COLUMNS].assign(
        lower_ci=np.nan,
        upper_ci=np.nan,
        suppressed=False,
        is_synthetic=is_synthetic,
        vintage=vintage,
        source=SOURCE,
    )
    out = out.sort_values(
        ["metric_id", "area_code", "period_start", "period_type", "breakdown", "breakdown_value"],
        ignore_index=True,
    )
    for column in ("period_start", "period_end"):
        out[column] = pd.to_datetime(out[column]).dt.date
    for column in ("numerator", "denominator", "value", "lower_ci", "upper_ci"):
        out[column] = out[column].astype(float)
    return validate("indicators", pa.Table.from_pandas(out, preserve_index=False))
