"""The family fixture plus what the shared browser fixture lacks: a metric published both
monthly and quarterly (dtoc_rate's months summed into financial quarters), the CQC rating
mix over time (the ratings trend chart) and the rating mix of every service type the ratings
page shows (their long names, e.g. "Domiciliary care agency", label the rating bars)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from queries import periods, schema
from tests.fixtures import MULTIPLIERS
from tests.queries.test_family import RATING_SHARES, SNAPSHOTS, _rows, family_tables


def _quarterly(monthly: pd.DataFrame) -> pd.DataFrame:
    """Monthly headline rows summed into the financial quarters that contain them."""
    frame = monthly.copy()
    frame["period_start"] = [periods.containing_start(d, "quarter") for d in frame["period_start"]]
    keys = ["metric_id", "area_code", "period_start", "breakdown", "breakdown_value"]
    first = {c: "first" for c in frame.columns if c not in (*keys, "numerator", "denominator")}
    quarters = frame.groupby(keys, as_index=False).agg(
        {"numerator": "sum", "denominator": "sum", **first}
    )
    quarters["period_type"] = "quarter"
    quarters["period_end"] = [
        (pd.Timestamp(d) + pd.offsets.QuarterEnd(0)).date() for d in quarters["period_start"]
    ]
    quarters["value"] = quarters["numerator"] / quarters["denominator"] * MULTIPLIERS["dtoc_rate"]
    return quarters[monthly.columns]


def rich_tables() -> dict[str, pa.Table]:
    tables = family_tables()
    indicators = tables["indicators"].to_pandas()
    monthly = indicators[
        (indicators["metric_id"] == "dtoc_rate")
        & (indicators["period_type"] == "month")
        & (indicators["breakdown"] == "all")
    ]
    ratings = pd.DataFrame(
        [
            *_rows("cqc_rating_share", "cqc", "snapshot", SNAPSHOTS, "rating", RATING_SHARES),
            *(
                row
                for service in ("residential_home", "domiciliary_care")
                for row in _rows(
                    "cqc_rating_share",
                    "cqc",
                    "snapshot",
                    SNAPSHOTS,
                    f"service_type:{service}",
                    RATING_SHARES,
                )
            ),
        ]
    )
    extra = pd.concat([_quarterly(monthly), ratings[monthly.columns]], ignore_index=True)
    table = schema.conform("indicators", pa.Table.from_pandas(extra, preserve_index=False))
    tables["indicators"] = pa.concat_tables([tables["indicators"], table])
    return tables
