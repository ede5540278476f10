"""Context indicators from the real reference data: % aged 65+ and % aged 85+ (ONS, one
value per mid-year) and the deprivation average rank (IMD 2019 local-authority summary).

They describe an area rather than judge it (polarity ``context``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa

from queries import schema

SOURCE = "context"
IMD_PUBLISHED = date(2019, 9, 26)


def population_shares(population: pd.DataFrame, *, vintage: str) -> pa.Table:
    """``pop_65_pct`` and ``pop_85_pct`` for every area and mid-year in ``population``."""
    wide = population.pivot_table(
        index=["area_code", "year"], columns="age_band", values="count", aggfunc="sum"
    ).reset_index()
    frames = []
    for metric_id, band in (("pop_65_pct", "65+"), ("pop_85_pct", "85+")):
        frames.append(
            pd.DataFrame(
                {
                    "metric_id": metric_id,
                    "area_code": wide["area_code"],
                    "period_start": [date(int(y), 6, 30) for y in wide["year"]],
                    "period_end": [date(int(y), 6, 30) for y in wide["year"]],
                    "period_type": "snapshot",
                    "breakdown": "all",
                    "breakdown_value": "all",
                    "numerator": wide[band].astype(float),
                    "denominator": wide["all"].astype(float),
                    "value": wide[band] / wide["all"] * 100,
                    "lower_ci": None,
                    "upper_ci": None,
                    "suppressed": False,
                    "is_synthetic": False,
                    "vintage": vintage,
                    "source": SOURCE,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True).sort_values(
        ["metric_id", "area_code", "period_start"]
    )
    return schema.conform("indicators", pa.Table.from_pandas(frame, preserve_index=False))


def deprivation(areas: pd.DataFrame, *, vintage: str) -> pa.Table:
    """``imd_avg_rank`` for every council that has one, as a snapshot at IMD 2019 publication."""
    rows = areas[areas["imd_avg_rank"].notna()]
    frame = pd.DataFrame(
        {
            "metric_id": "imd_avg_rank",
            "area_code": rows["area_code"],
            "period_start": IMD_PUBLISHED,
            "period_end": IMD_PUBLISHED,
            "period_type": "snapshot",
            "breakdown": "all",
            "breakdown_value": "all",
            "numerator": None,
            "denominator": None,
            "value": rows["imd_avg_rank"].astype(float),
            "lower_ci": None,
            "upper_ci": None,
            "suppressed": False,
            "is_synthetic": False,
            "vintage": vintage,
            "source": SOURCE,
        }
    )
    return schema.conform("indicators", pa.Table.from_pandas(frame, preserve_index=False))
