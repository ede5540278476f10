"""Synthetic record-level HES (admitted patient care and A&E), April 2013 – March 2019.

Deterministic from a seed, built from the real ONS population of each council, calibrated to
the England magnitudes in METRICS.md (sections A and B). ``scale`` is the fraction of patients
simulated (care-home residents and tiny groups more densely, see ``hes_model``); every record
carries a whole-number RECORD_WEIGHT averaging 1 / its group's sampling fraction, so weighted
counts and rates are unbiased at any scale and counts take any integer value. Years are
generated one at a time and streamed to Parquet under
``<records_dir>/<table>/fy=YYYY-YY/part-N.parquet``; APC years run by episode end, as HES does,
so episodes ending in a later year wait for that year's file.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from extracts.synthetic import common, hes_ae, hes_apc
from extracts.synthetic import hes_model as model
from queries import hes_schema

DEFAULT_SEED = common.DEFAULT_SEED
DEMO_SCALE = 0.05
FIRST_EPISODE_KEY = 100_000_000_000
FIRST_AE_KEY = 500_000_000_000
ROW_GROUP_SIZE = 1_000_000


def generate(
    areas: pd.DataFrame,
    population: pd.DataFrame,
    records_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = DEMO_SCALE,
    financial_years: tuple[int, ...] = hes_schema.FINANCIAL_YEARS,
    progress: bool = False,
) -> dict[str, int]:
    """Write hes_apc and hes_ae under ``records_dir`` (replacing them); returns rows per table."""
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], got {scale}")
    unknown = sorted(set(financial_years) - set(hes_schema.FINANCIAL_YEARS))
    if unknown:
        raise ValueError(f"financial years outside 2013/14-2018/19: {unknown}")
    records_dir = Path(records_dir)
    for name in hes_schema.RECORD_TABLES:
        shutil.rmtree(records_dir / name, ignore_errors=True)
    groups = model.build_groups(areas, population, seed=seed, scale=scale)
    years = sorted(financial_years)
    last_day = model.days_since_epoch(pd.Timestamp(f"{years[-1] + 1}-03-31").date())
    rows = {"hes_apc": 0, "hes_ae": 0}
    pending: dict[int, list[pa.Table]] = defaultdict(list)
    next_spell, next_episode, next_attendance = 1, FIRST_EPISODE_KEY, FIRST_AE_KEY
    for financial_year in tqdm(years, desc="synthetic HES", unit="year", disable=not progress):
        rng = common.stream(seed, f"hes apc {financial_year}")
        spells, out = hes_apc.simulate_year(groups, financial_year, rng)
        weights = model.record_weights(
            common.stream(seed, f"hes apc weights {financial_year}"), groups.sampling[spells.group]
        )
        spell_ids = next_spell + np.arange(len(spells))
        episodes = hes_apc.episodes_table(
            groups,
            spells,
            out,
            rng,
            spell_ids=spell_ids,
            first_episode_key=next_episode,
            seed=seed,
            weights=weights,
        )
        next_spell += len(spells)
        next_episode += episodes.num_rows
        episode_year = _financial_year(episodes.column("EPIEND"))
        kept = pc.less_equal(episodes.column("EPIEND").cast(pa.int32()), last_day)
        for later in sorted(set(np.unique(episode_year)) - {financial_year}):
            if later > financial_year:
                mask = pc.and_(kept, pa.array(episode_year == later))
                pending[later].append(episodes.filter(mask))
        this_year = episodes.filter(pa.array(episode_year == financial_year))
        rows["hes_apc"] += _write(
            records_dir, "hes_apc", financial_year, [this_year, *pending.pop(financial_year, [])]
        )

        attendances = hes_ae.attendances_table(
            groups,
            financial_year,
            common.stream(seed, f"hes ae {financial_year}"),
            first_key=next_attendance,
            seed=seed,
        )
        next_attendance += attendances.num_rows
        rows["hes_ae"] += _write(records_dir, "hes_ae", financial_year, [attendances])
    return rows


def _financial_year(dates: pa.ChunkedArray) -> np.ndarray:
    days = dates.to_numpy().astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    year, month = 1970 + days // 12, days % 12 + 1
    return np.where(month >= 4, year, year - 1)


def _write(records_dir: Path, name: str, financial_year: int, parts: list[pa.Table]) -> int:
    directory = records_dir / name / f"fy={hes_schema.fy_label(financial_year)}"
    directory.mkdir(parents=True, exist_ok=True)
    rows = 0
    for index, part in enumerate(p for p in parts if p.num_rows):
        pq.write_table(
            part,
            directory / f"part-{index}.parquet",
            compression="zstd",
            row_group_size=ROW_GROUP_SIZE,
        )
        rows += part.num_rows
    return rows
