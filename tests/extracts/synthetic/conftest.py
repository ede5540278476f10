"""Fixtures for the synthetic generator: a realistic fake set of 152 councils plus England,
and their population by age band for mid-2015..2019, built in code (no files needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from extracts.synthetic.families import generate_all

ENGLAND = "E92000001"
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
# (code prefix, la_type, how many, median population, % 65+ mean, IMD rank mean, density median)
COUNCIL_KINDS = (
    ("E10", "county", 27, 780_000, 21.5, 210.0, 250.0),
    ("E08", "metropolitan", 36, 310_000, 16.5, 90.0, 1_900.0),
    ("E09", "london", 33, 280_000, 11.5, 120.0, 6_500.0),
    ("E06", "unitary", 56, 190_000, 18.0, 150.0, 900.0),
)


def _regions(la_type: str) -> list[str]:
    return [region for region in REGIONS if (region == "London") == (la_type == "london")]


def make_areas(seed: int = 7) -> pd.DataFrame:
    """152 councils with a plausible spread (populations ~2,000–1.1 million, % 65+ 8–28,
    older places less dense and less deprived) plus an England row that sums them."""
    rng = np.random.default_rng(seed)
    frames = []
    for prefix, la_type, count, median, pct65, imd_rank, density in COUNCIL_KINDS:
        pop_all = np.clip(rng.lognormal(np.log(median), 0.45, count), 40_000, 1_100_000)
        age_shift = rng.normal(0, 2.6, count)
        frames.append(
            pd.DataFrame(
                {
                    "area_code": [f"{prefix}{index:06d}" for index in range(1, count + 1)],
                    "la_type": la_type,
                    "region": rng.choice(_regions(la_type), count),
                    "pop_all": pop_all,
                    "pct_65plus": np.clip(pct65 + age_shift, 8.0, 28.0),
                    "imd_avg_rank": np.clip(
                        imd_rank + 12 * age_shift + rng.normal(0, 45, count), 1, 326
                    ),
                    "density_per_km2": density
                    * np.exp(-0.12 * age_shift + rng.normal(0, 0.5, count)),
                }
            )
        )
    councils = pd.concat(frames, ignore_index=True)
    tiny = councils.index[councils["area_code"] == "E06000053"]  # Isles of Scilly-like
    councils.loc[tiny, ["pop_all", "pct_65plus", "density_per_km2"]] = [2_200, 27.5, 140.0]
    councils.loc[councils["area_code"] == "E09000001", "pop_all"] = 7_500  # City-like
    councils["name"] = [f"Council {index:03d}" for index in range(1, len(councils) + 1)]
    councils["reviewed"] = np.arange(len(councils)) % 8 == 0
    councils["pct_85plus"] = np.clip(
        councils["pct_65plus"] * 0.125 + rng.normal(0, 0.25, len(councils)), 0.8, 4.2
    )
    councils["pop_all"] = councils["pop_all"].round().astype("int64")
    councils["pop_18plus"] = councils["pop_all"] * rng.uniform(0.76, 0.82, len(councils))
    councils["pop_65plus"] = councils["pop_all"] * councils["pct_65plus"] / 100
    councils["pop_85plus"] = councils["pop_all"] * councils["pct_85plus"] / 100
    for column in ("pop_18plus", "pop_65plus", "pop_85plus"):
        councils[column] = councils[column].round().astype("int64")
    order = councils["imd_avg_rank"].rank(method="first")
    councils["imd_decile"] = np.ceil(order / len(councils) * 10).astype("int8")
    england = {
        "area_code": ENGLAND,
        "name": "England",
        "region": "England",
        "la_type": "country",
        "reviewed": False,
        "imd_avg_rank": np.nan,
        "imd_decile": pd.NA,
        "density_per_km2": 430.0,
    }
    for column in ("pop_all", "pop_18plus", "pop_65plus", "pop_85plus"):
        england[column] = int(councils[column].sum())
    england["pct_65plus"] = 100 * england["pop_65plus"] / england["pop_all"]
    england["pct_85plus"] = 100 * england["pop_85plus"] / england["pop_all"]
    return pd.concat([councils, pd.DataFrame([england])], ignore_index=True)


def make_population(areas: pd.DataFrame) -> pd.DataFrame:
    """Long mid-year population 2015..2019 by age band, consistent with ``areas`` in 2017:
    adults grow ~0.7 %/yr, 65+ ~2 %/yr, 85+ ~2.5 %/yr."""
    rows = []
    for year in range(2015, 2020):
        step = year - 2017
        pop_all = areas["pop_all"] * 1.006**step
        over_85 = areas["pop_85plus"] * 1.025**step
        over_65 = areas["pop_65plus"] * 1.02**step
        band_75_84 = 0.36 * over_65
        children = pop_all - areas["pop_18plus"] * 1.007**step
        bands = {
            "0-17": children,
            "18-64": pop_all - children - over_65,
            "65-74": over_65 - band_75_84 - over_85,
            "75-84": band_75_84,
            "85+": over_85,
            "18+": pop_all - children,
            "65+": over_65,
            "all": pop_all,
        }
        for band, counts in bands.items():
            rows.append(
                pd.DataFrame(
                    {
                        "area_code": areas["area_code"],
                        "year": year,
                        "age_band": band,
                        "count": counts.round().astype("int64"),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def small_subset(areas: pd.DataFrame, population: pd.DataFrame, size: int = 12):
    """A few councils (including the tiny one) for quick determinism checks."""
    codes = list(areas["area_code"].iloc[::13][: size - 1]) + ["E06000053"]
    return (
        areas[areas["area_code"].isin(codes)].reset_index(drop=True),
        population[population["area_code"].isin(codes)].reset_index(drop=True),
    )


@pytest.fixture(scope="session")
def areas() -> pd.DataFrame:
    return make_areas()


@pytest.fixture(scope="session")
def population(areas) -> pd.DataFrame:
    return make_population(areas)


@pytest.fixture(scope="session")
def small_inputs(areas, population):
    return small_subset(areas, population)


@pytest.fixture(scope="session")
def generated(areas, population) -> dict:
    """The full synthetic output for the fake 152 councils, generated once per session."""
    return generate_all(areas, population, seed=20170401)


@pytest.fixture(scope="session")
def indicators(generated) -> pd.DataFrame:
    frames = [table.to_pandas() for table in generated["indicators"].values()]
    frame = pd.concat(frames, ignore_index=True)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame
