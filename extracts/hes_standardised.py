"""Age bands and directly standardised rates for the HES emergency-admission metrics.

Councils with many people over 85 have more admissions per 100,000 aged 65+ even when each
age band fares the same. ``sql/hes/age_standardised.sql`` counts emergency admissions by ONS age
band (65-74, 75-84, 85+) and standardises them to the European Standard Population 2013
(PHEindicatormethods' calculate_dsr, with Dobson's interval). Its rows are added to the HES
indicators: each crude metric gains an ``age_band`` breakdown, and ``<metric>_dsr`` holds the
standardised rate. A separate pass over the episodes, so the main build is untouched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts import disclosure, hes_build
from extracts.synthetic.common import population_year_for
from queries.catalogue import load_catalogue
from queries.schema import COUNCIL_CODE_PATTERN, ENGLAND_CODE

CRUDE_METRICS = (
    "ea65_rate",
    "ea65_carehome_rate",
    "ea_pressure_ulcer_carehome",
    "ea_injury_carehome",
)
AGE_BANDS = ("65-74", "75-84", "85+")
MULTIPLIER = 100_000.0
Z_95 = 1.959963984540054
COLUMNS = [*hes_build.OUTPUT_COLUMNS, "lower_ci", "upper_ci"]


def standardised_id(metric_id: str) -> str:
    return f"{metric_id}_dsr"


def band_periods(periods: pd.DataFrame) -> pd.DataFrame:
    """The months of every period each crude metric or its DSR is published for (catalogue)."""
    catalogue = load_catalogue()
    frames = []
    for metric_id in CRUDE_METRICS:
        wanted = set(catalogue.get(metric_id).period_types)
        if standardised_id(metric_id) in catalogue.metrics:
            wanted |= set(catalogue.get(standardised_id(metric_id)).period_types)
        chosen = periods[periods["period_type"].isin(wanted)]
        frames.append(chosen.assign(metric_id=metric_id))
    return pd.concat(frames, ignore_index=True)[
        ["metric_id", "period_type", "period_start", "period_end", "month_start"]
    ]


def band_population(population: pd.DataFrame | pa.Table, periods: pd.DataFrame) -> pd.DataFrame:
    """Population of each age band for every area and period, by the METRICS.md year rule;
    England is its own row where given, else the sum of councils."""
    frame = population.to_pandas() if isinstance(population, pa.Table) else population
    frame = frame[frame["age_band"].isin(AGE_BANDS)][["area_code", "year", "age_band", "count"]]
    councils = frame[frame["area_code"].str.match(COUNCIL_CODE_PATTERN.pattern)]
    england = frame[frame["area_code"] == ENGLAND_CODE]
    if england.empty:
        england = councils.groupby(["year", "age_band"], as_index=False)["count"].sum()
        england["area_code"] = ENGLAND_CODE
    people = pd.concat([councils, england], ignore_index=True)
    years = sorted(people["year"].astype(int).unique())
    rows = []
    for period_type, period_start in (
        periods[["period_type", "period_start"]].drop_duplicates().itertuples(index=False)
    ):
        if not years:
            break
        year = population_year_for(period_start, years)
        chosen = people[people["year"] == year]
        rows.append(
            pd.DataFrame(
                {
                    "area_code": chosen["area_code"].to_numpy(),
                    "period_type": period_type,
                    "period_start": period_start,
                    "age_band": chosen["age_band"].to_numpy(),
                    "population": chosen["count"].to_numpy(dtype=float),
                }
            )
        )
    columns = ["area_code", "period_type", "period_start", "age_band", "population"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


def derive(records_dir: Path, population: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Band and DSR rows before disclosure control (columns ``COLUMNS``)."""
    with tempfile.TemporaryDirectory(prefix="hes-dsr-") as spill:
        engine = hes_build.DuckDBEngine(hes_build.connect(temp_directory=spill))
        try:
            available = engine.register_records(Path(records_dir))
            span = hes_build.data_years(engine)
            if span is None or "hes_apc" not in available:
                return pd.DataFrame(columns=COLUMNS)
            periods = band_periods(hes_build.period_months(*span))
            engine.register("band_periods", periods)
            engine.register("band_population", band_population(population, periods))
            parameters = {"england": ENGLAND_CODE, "multiplier": MULTIPLIER, "z": Z_95}
            rows = engine.fetch(hes_build.sql("age_standardised"), parameters)
        finally:
            engine.close()
    for column in ("period_start", "period_end"):
        rows[column] = pd.to_datetime(rows[column]).dt.date
    return rows[COLUMNS].sort_values(hes_build.KEY, kind="mergesort").reset_index(drop=True)


def to_indicators(
    rows: pd.DataFrame, *, is_synthetic: bool | Mapping[str, bool], vintage: str
) -> pa.Table:
    """Indicator rows with disclosure control: counts 1-7 suppressed, others rounded to 5.
    A DSR's derived denominator follows its rounded count, so the funnel places it exactly."""
    synthetic = (
        bool(is_synthetic.get("hes_apc", True))
        if isinstance(is_synthetic, Mapping)
        else bool(is_synthetic)
    )
    standardised = rows["metric_id"].str.endswith("_dsr").to_numpy()
    numerator = rows["numerator"].to_numpy(dtype=float)
    rounded = disclosure.round_count(numerator)
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = rounded / rows["value"].to_numpy(dtype=float) * MULTIPLIER
    denominator = np.where(standardised, derived, rows["denominator"].to_numpy(dtype=float))
    count = len(rows)
    return hes_build.published(
        rows,
        {
            "numerator": numerator,
            "denominator": denominator,
            **{name: rows[name] for name in ("value", "lower_ci", "upper_ci")},
        },
        synthetic=np.full(count, synthetic),
        vintage=vintage,
        denominator_is_count=np.zeros(count, dtype=bool),
        recompute_value=~standardised,
        multiplier=np.full(count, MULTIPLIER),
    )


def append(
    indicators: pa.Table,
    records_dir: Path,
    population: pd.DataFrame | pa.Table,
    *,
    is_synthetic: bool | Mapping[str, bool],
    vintage: str,
) -> pa.Table:
    """``indicators`` (the HES build) with the age-band and DSR rows added."""
    rows = derive(records_dir, population)
    if rows.empty:
        return indicators
    extra = to_indicators(rows, is_synthetic=is_synthetic, vintage=vintage)
    return pa.concat_tables([indicators, extra.select(indicators.column_names)])
