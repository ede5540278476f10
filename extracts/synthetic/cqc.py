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

import pandas as pd
import pyarrow as pa

from extracts import cqc_metrics
from extracts.synthetic import common, indicator_rows
from extracts.synthetic.cqc_register import (
    RATING_CODES,
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
    """{'indicators': the cqc partition, 'cqc_locations': …, 'cqc_inspections': …}.

    The indicators are derived from the register tables by the same function the CQC
    importer uses (extracts.cqc_metrics), so synthetic and real ratings mean the same thing.
    """
    register = simulate(areas, population, seed)
    locations = locations_table(register, snapshots())
    inspections = inspections_table(register)
    frame = cqc_metrics.indicator_frame(
        locations.to_pandas(), inspections.to_pandas(), population, list(register.area_codes)
    )
    return {
        "indicators": cqc_metrics.indicator_table(
            frame, vintage=indicator_rows.vintage(seed), is_synthetic=True
        ),
        "cqc_locations": locations,
        "cqc_inspections": inspections,
    }
