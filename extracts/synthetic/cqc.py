"""Synthetic CQC family: the register tables plus the indicators derived from them.

Indicator conventions (source ``cqc``; snapshots have period_start = period_end = the day):
- ``cqc_rating_share``: % of active, rated locations by latest overall rating. breakdown
  ``rating`` covers all three service types together; breakdown ``service_type:<type>``
  (nursing_home, residential_home, domiciliary_care) covers one. breakdown_value is the
  rating code outstanding | good | requires_improvement | inadequate; numerator = locations
  with that rating, denominator = rated locations, so the four numerators add up to the
  denominator. The headline 'all' row is the share rated Good or Outstanding (all types).
- ``care_home_beds_per100_65``: beds per 100 people 65+ ('all' and breakdown
  ``service_type`` nursing_home / residential_home).
- ``domcare_locations_per100k_65``: active domiciliary care agencies per 100,000 65+.
- ``cqc_not_improved`` (financial_year of the re-inspection): % of locations first rated
  Requires improvement or Inadequate whose next rating was not better.
Rows with a zero denominator (no such locations) are left out. The register has no missing
periods: every snapshot is complete.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.synthetic import common, indicator_rows
from extracts.synthetic.cqc_register import (
    CARE_HOMES,
    RATING_CODES,
    SERVICE_TYPES,
    Register,
    inspections_table,
    locations_table,
    simulate,
)

SOURCE = "cqc"
REQUIRES_IMPROVEMENT = RATING_CODES.index("requires_improvement")


def snapshots() -> pd.DataFrame:
    """Quarterly snapshot days, April 2015 – January 2019."""
    return common.snapshot_calendar(date(2015, 4, 1), date(2019, 3, 31), months=3)


def generate(
    areas: pd.DataFrame, population: pd.DataFrame, seed: int = common.DEFAULT_SEED
) -> dict[str, pa.Table]:
    """{'indicators': the cqc partition, 'cqc_locations': …, 'cqc_inspections': …}."""
    register = simulate(areas, population, seed)
    days = snapshots()
    return {
        "indicators": indicators(register, population, days, seed=seed),
        "cqc_locations": locations_table(register, days),
        "cqc_inspections": inspections_table(register),
    }


def indicators(
    register: Register, population: pd.DataFrame, days: pd.DataFrame, *, seed: int
) -> pa.Table:
    codes = register.area_codes
    pop65 = common.population_matrix(population, codes, days["period_start"], "65+")
    rated, beds, agencies = _snapshot_counts(register, days)
    good_or_better = [RATING_CODES.index("outstanding"), RATING_CODES.index("good")]
    frames = [
        indicator_rows.grid_rows(
            "cqc_rating_share",
            codes,
            days,
            numerator=rated.sum(axis=2)[:, :, good_or_better].sum(axis=2),
            denominator=rated.sum(axis=(2, 3)),
            multiplier=100,
        ),
        indicator_rows.grid_rows(
            "cqc_rating_share",
            codes,
            days,
            numerator=rated.sum(axis=2),
            denominator=rated.sum(axis=(2, 3)),
            multiplier=100,
            breakdown="rating",
            breakdown_values=RATING_CODES,
        ),
        *(
            indicator_rows.grid_rows(
                "cqc_rating_share",
                codes,
                days,
                numerator=rated[:, :, index],
                denominator=rated[:, :, index].sum(axis=2),
                multiplier=100,
                breakdown=f"service_type:{service}",
                breakdown_values=RATING_CODES,
            )
            for index, service in enumerate(SERVICE_TYPES)
        ),
        indicator_rows.grid_rows(
            "care_home_beds_per100_65",
            codes,
            days,
            numerator=beds.sum(axis=2),
            denominator=pop65,
            multiplier=100,
        ),
        indicator_rows.grid_rows(
            "care_home_beds_per100_65",
            codes,
            days,
            numerator=beds,
            denominator=pop65[:, :, None],
            multiplier=100,
            breakdown="service_type",
            breakdown_values=CARE_HOMES,
        ),
        indicator_rows.grid_rows(
            "domcare_locations_per100k_65",
            codes,
            days,
            numerator=agencies,
            denominator=pop65,
            multiplier=1e5,
        ),
        _not_improved(register),
    ]
    frame = indicator_rows.with_england(pd.concat(frames, ignore_index=True))
    frame = frame[~(frame["denominator"] == 0)]
    return indicator_rows.indicator_table(frame, source=SOURCE, seed=seed)


def _snapshot_counts(register: Register, days: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Per area × snapshot: rated locations by service type and rating, care home beds by
    type, and active domiciliary care agencies."""
    n_areas, n_days, n_types = len(register.area_codes), len(days), len(SERVICE_TYPES)
    rated = np.zeros((n_areas, n_days, n_types, len(RATING_CODES)))
    beds = np.zeros((n_areas, n_days, len(CARE_HOMES)))
    agencies = np.zeros((n_areas, n_days))
    for column, day in enumerate(days["period_start"].to_numpy().astype("datetime64[D]")):
        active = register.active(day)
        rating = register.latest_rating(day)
        area, service = register.area[active], register.service[active]
        cell = area * n_types + service
        by_type = np.bincount(cell, minlength=n_areas * n_types).reshape(n_areas, n_types)
        bed_sums = np.bincount(
            cell, weights=register.beds[active], minlength=n_areas * n_types
        ).reshape(n_areas, n_types)
        beds[:, column] = bed_sums[:, : len(CARE_HOMES)]
        agencies[:, column] = by_type[:, SERVICE_TYPES.index("domiciliary_care")]
        has_rating = rating[active] >= 0
        rated_cell = cell[has_rating] * len(RATING_CODES) + rating[active][has_rating]
        rated[:, column] = np.bincount(
            rated_cell, minlength=n_areas * n_types * len(RATING_CODES)
        ).reshape(n_areas, n_types, len(RATING_CODES))
    return rated, beds, agencies


def _not_improved(register: Register) -> pd.DataFrame:
    """Locations first rated RI/Inadequate, by financial year of their next inspection."""
    years = common.calendar("financial_year", first=date(2015, 4, 1))
    first, second = register.rating[:, 0], register.rating[:, 1]
    followed_up = (first >= REQUIRES_IMPROVEMENT) & (second >= 0)
    reinspected = pd.DatetimeIndex(register.inspected[followed_up, 1])
    financial_year = reinspected.year - (reinspected.month < 4)
    column = np.searchsorted(years["financial_year"].to_numpy(), financial_year)
    in_range = np.isin(financial_year, years["financial_year"].to_numpy())
    area = register.area[followed_up][in_range]
    cell = area * len(years) + column[in_range]
    not_better = (second[followed_up] >= first[followed_up])[in_range]
    size = len(register.area_codes) * len(years)
    shape = (len(register.area_codes), len(years))
    return indicator_rows.grid_rows(
        "cqc_not_improved",
        register.area_codes,
        years,
        numerator=np.bincount(cell, weights=not_better, minlength=size).reshape(shape),
        denominator=np.bincount(cell, minlength=size).reshape(shape),
        multiplier=100,
    )
