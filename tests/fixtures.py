"""Small published datasets built in code, so tests never depend on checked-in binaries.

The fixture has 20 councils (two of them reviewed), England, two comparator methods and a
few metrics in monthly, quarterly and annual form, published through the real publish path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.publish import publish
from queries import schema

ENGLAND = schema.ENGLAND_CODE
COUNCILS = [f"E06{n:06d}" for n in range(1, 21)]
NAMES = {code: f"Council {index + 1}" for index, code in enumerate(COUNCILS)}
NAMES[COUNCILS[0]] = "Halton"
NAMES[COUNCILS[1]] = "Coventry"
NAMES[ENGLAND] = "England"
PEERS = 15


def _areas() -> pa.Table:
    rows = []
    for index, code in enumerate([ENGLAND, *COUNCILS]):
        rows.append(
            dict(
                area_code=code,
                name=NAMES[code],
                region="England" if code == ENGLAND else "North West",
                la_type="country" if code == ENGLAND else "unitary",
                dh_code=None if code == ENGLAND else f"{index:03d}",
                reviewed=code in COUNCILS[:2],
                pop_all=100_000 + 1_000 * index,
                pop_18plus=80_000,
                pop_65plus=18_000,
                pop_85plus=2_400,
                pct_65plus=18.0,
                pct_85plus=2.4,
                imd_avg_rank=15_000.0 + index,
                imd_decile=index % 10 + 1,
                density_per_km2=1_000.0,
            )
        )
    return pa.Table.from_pylist(rows, schema=schema.table("areas").schema)


def _aliases() -> pa.Table:
    rows = [dict(alias=schema.normalise_area_name(NAMES[c]), area_code=c) for c in COUNCILS]
    rows.append(dict(alias="stoke on trent", area_code=COUNCILS[2]))
    return pa.Table.from_pylist(rows, schema=schema.table("area_aliases").schema)


def _comparators() -> pa.Table:
    rows = []
    for method, shift in (("default", 1), ("oflog-nn", 3)):
        for index, code in enumerate(COUNCILS):
            others = [COUNCILS[(index + shift + k) % len(COUNCILS)] for k in range(len(COUNCILS))]
            peers = [p for p in others if p != code][:PEERS]
            rows += [
                dict(method=method, area_code=code, peer_code=p, rank=r + 1, distance=float(r))
                for r, p in enumerate(peers)
            ]
    return pa.Table.from_pylist(rows, schema=schema.table("comparators").schema)


def _population() -> pa.Table:
    rows = [
        dict(area_code=c, year=y, age_band=b, count=n)
        for c in [ENGLAND, *COUNCILS]
        for y in (2015, 2016)
        for b, n in (("18+", 80_000), ("65+", 18_000), ("85+", 2_400), ("all", 100_000))
    ]
    return pa.Table.from_pylist(rows, schema=schema.table("population").schema)


MULTIPLIERS = {"dtoc_rate": 100_000, "ea65_rate": 100_000, "ascof_2b1": 100}


def _series(
    metric_id: str,
    starts: list[date],
    period_type: str,
    source: str,
    base: float,
    rng: np.random.Generator,
    synthetic: bool = True,
) -> pd.DataFrame:
    frames = []
    for index, code in enumerate([ENGLAND, *COUNCILS]):
        multiplier = MULTIPLIERS[metric_id]
        denominator = np.full(len(starts), 100.0 * multiplier)
        level = base * (1 + 0.02 * index) if code != ENGLAND else base
        numerator = np.round(rng.normal(level * 100, level * 3, len(starts)).clip(0))
        frames.append(
            pd.DataFrame(
                dict(
                    metric_id=metric_id,
                    area_code=code,
                    period_start=starts,
                    period_end=[(pd.Timestamp(s) + pd.offsets.MonthEnd(0)).date() for s in starts],
                    period_type=period_type,
                    breakdown="all",
                    breakdown_value="all",
                    numerator=numerator,
                    denominator=denominator,
                    value=numerator / denominator * multiplier,
                    lower_ci=None,
                    upper_ci=None,
                    suppressed=False,
                    is_synthetic=synthetic,
                    vintage="fixture",
                    source=source,
                )
            )
        )
    return pd.concat(frames, ignore_index=True)


def _indicators(seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    months = [date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(24)]
    quarters = [date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(0, 24, 3)]
    years = [date(2014 + y, 4, 1) for y in range(4)]
    frame = pd.concat(
        [
            _series("dtoc_rate", months, "month", "dtoc", 12.0, rng, synthetic=False),
            _series("ea65_rate", quarters, "quarter", "hes", 64.0, rng),
            _series("ascof_2b1", years, "financial_year", "ascof", 82.0, rng),
        ],
        ignore_index=True,
    )
    frame.loc[
        (frame["area_code"] == COUNCILS[0])
        & (frame["metric_id"] == "ea65_rate")
        & (frame["period_start"] == quarters[0]),
        ["value", "numerator", "suppressed"],
    ] = [None, None, True]
    return schema.conform("indicators", pa.Table.from_pandas(frame, preserve_index=False))


def _datasets() -> pa.Table:
    return pa.Table.from_pylist(
        [
            dict(
                dataset_id="fixture",
                name="Test fixture",
                publisher="tests",
                licence="none",
                url=None,
                vintage="fixture",
                rows=0,
                is_synthetic=True,
                checksum=None,
                notes=None,
            )
        ],
        schema=schema.table("datasets").schema,
    )


def _area_tiles() -> pa.Table:
    """The fixture councils on a 5-wide hex grid (odd-r layout), row 0 at the bottom."""
    rows = [dict(area_code=c, q=i % 5, r=i // 5) for i, c in enumerate(COUNCILS)]
    return pa.Table.from_pylist(rows, schema=schema.table("area_tiles").schema)


def fixture_tables(seed: int = 1) -> dict[str, pa.Table]:
    return {
        "areas": _areas(),
        "area_aliases": _aliases(),
        "comparators": _comparators(),
        "population": _population(),
        "indicators": _indicators(seed),
        "datasets": _datasets(),
        "area_tiles": _area_tiles(),
    }


def publish_fixture(data_dir: Path, seed: int = 1) -> str:
    """Publish the fixture dataset into ``data_dir`` and return its version id."""
    return publish(data_dir, tables=fixture_tables(seed), fresh=True)
