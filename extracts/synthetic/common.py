"""Shared machinery of the synthetic area-level families.

Seeded streams, period calendars, the population-year rule, an area propensity model
(deprivation, age structure, an area random effect), count noise that makes small councils
noisier and occasional missing periods. Indicator rows and England are in ``indicator_rows``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from queries.schema import ENGLAND_CODE

FIRST_DAY = date(2013, 4, 1)
LAST_DAY = date(2019, 3, 31)
POPULATION_YEARS = (2015, 2016, 2017, 2018, 2019)
DEFAULT_SEED = 20170401
MISSING_SHARE = 0.005

_PERIOD_MONTHS = {"month": 1, "quarter": 3, "financial_year": 12}
_AREA_COLUMNS = ("area_code", "la_type", "imd_avg_rank", "pct_65plus", "pct_85plus")
_DERIVED_BANDS = {
    "18+": ("18-64", "65-74", "75-84", "85+"),
    "65+": ("65-74", "75-84", "85+"),
    "all": ("0-17", "18-64", "65-74", "75-84", "85+"),
}


def stream(seed: int, purpose: str) -> np.random.Generator:
    """An independent generator per family and purpose, so changing one never shifts another."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(purpose.encode())]))


# --- calendars and the population rule -------------------------------------------------------


def financial_year_of(day) -> int:
    stamp = pd.Timestamp(day)
    return stamp.year if stamp.month >= 4 else stamp.year - 1


def population_year_for(period_start, available_years: Iterable[int] = POPULATION_YEARS) -> int:
    """Mid-year estimate used for a period: the calendar year before its financial year starts
    (2017/18 -> mid-2016, as NHS England's DTOC publication does), else the nearest available."""
    years = sorted({int(year) for year in available_years})
    if not years:
        raise ValueError("no population years available")
    wanted = financial_year_of(period_start) - 1
    return min(years, key=lambda year: (abs(year - wanted), year))


def calendar(period_type: str, first: date = FIRST_DAY, last: date = LAST_DAY) -> pd.DataFrame:
    """Periods of one type between two days: months, financial quarters (Q1 Apr–Jun … Q4
    Jan–Mar) or financial years; ``first`` must be the start of such a period."""
    try:
        months = _PERIOD_MONTHS[period_type]
    except KeyError:
        raise ValueError(f"no calendar for period type {period_type!r}") from None
    starts = pd.date_range(first, last, freq=f"{months}MS")
    ends = starts + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    return pd.DataFrame(
        {
            "period_start": starts.values.astype("datetime64[D]"),
            "period_end": ends.values.astype("datetime64[D]"),
            "period_type": period_type,
            "days": (ends - starts).days.to_numpy() + 1,
            "financial_year": [financial_year_of(start) for start in starts],
        }
    )


def snapshot_calendar(first: date, last: date, months: int = 3) -> pd.DataFrame:
    """Snapshot days (first day of every ``months``-th month); period_end equals period_start."""
    starts = pd.date_range(first, last, freq=f"{months}MS").values.astype("datetime64[D]")
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts,
            "period_type": "snapshot",
            "days": 1,
            "financial_year": [financial_year_of(start) for start in starts],
        }
    )


# --- areas, population and the propensity model ----------------------------------------------


def councils(areas: pd.DataFrame) -> pd.DataFrame:
    """The council rows of ``areas`` (England dropped), sorted by code."""
    missing = [column for column in _AREA_COLUMNS if column not in areas.columns]
    if missing:
        raise ValueError(f"areas: missing column(s) {', '.join(missing)}")
    rows = areas[(areas["area_code"] != ENGLAND_CODE) & (areas["la_type"] != "country")]
    if rows.empty:
        raise ValueError("areas: no council rows")
    if rows["area_code"].duplicated().any():
        raise ValueError("areas: duplicate area_code")
    return rows.sort_values("area_code").reset_index(drop=True)


def _zscore(values: pd.Series) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if np.isnan(numbers).all():
        return np.zeros(len(numbers))
    centred = numbers - np.nanmean(numbers)
    spread = np.nanstd(numbers)
    scores = centred / spread if spread > 0 else np.zeros_like(centred)
    return np.nan_to_num(scores)


def _deprivation(council_rows: pd.DataFrame) -> np.ndarray:
    """Deprivation z-score, + = more deprived. Publications disagree on which way the IMD
    "average rank" runs, so the decile (1 = most deprived) decides; without deciles a higher
    rank is taken as less deprived."""
    rank = pd.to_numeric(council_rows["imd_avg_rank"], errors="coerce")
    if "imd_decile" in council_rows.columns:
        decile = pd.to_numeric(council_rows["imd_decile"], errors="coerce")
    else:
        decile = pd.Series(np.nan, index=rank.index)
    if rank.notna().sum() < 3:
        return -_zscore(decile)
    agreement = rank.rank().corr(decile.rank())  # Spearman
    direction = 1.0 if agreement < 0 else -1.0
    return direction * _zscore(rank)


def drivers(council_rows: pd.DataFrame) -> pd.DataFrame:
    """Standardised area drivers: deprivation (+ = more deprived), age (% 65+), old_age (% 85+)
    and log density; missing inputs count as average."""
    if "density_per_km2" in council_rows.columns:
        density = pd.to_numeric(council_rows["density_per_km2"], errors="coerce")
        log_density = _zscore(np.log(density.where(density > 0)))
    else:
        log_density = np.zeros(len(council_rows))
    return pd.DataFrame(
        {
            "deprivation": _deprivation(council_rows),
            "age": _zscore(council_rows["pct_65plus"]),
            "old_age": _zscore(council_rows["pct_85plus"]),
            "density": log_density,
        },
        index=council_rows["area_code"].to_numpy(),
    )


def area_effect(
    area_drivers: pd.DataFrame,
    rng: np.random.Generator,
    *,
    loadings: Mapping[str, float],
    spread: float,
) -> np.ndarray:
    """Latent area propensity on a log or logit scale: driver loadings plus a random effect."""
    effect = spread * rng.standard_normal(len(area_drivers))
    for driver, loading in loadings.items():
        effect = effect + loading * area_drivers[driver].to_numpy()
    return effect


def ar1(rng: np.random.Generator, shape: tuple[int, int], sd: float, rho: float) -> np.ndarray:
    """Autocorrelated area-by-period wander (stationary sd ``sd``), so areas drift, not jump."""
    rows, columns = shape
    shocks = rng.standard_normal(shape) * sd * np.sqrt(1 - rho**2)
    path = np.empty(shape)
    path[:, 0] = rng.standard_normal(rows) * sd
    for column in range(1, columns):
        path[:, column] = rho * path[:, column - 1] + shocks[:, column]
    return path


def rate_factor(log_effect: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """exp(effect) scaled so its weighted mean is 1 in every period (column): England keeps
    the calibrated level whatever the areas do."""
    factor = np.exp(log_effect)
    return factor * weights.sum(axis=0) / (factor * weights).sum(axis=0)


def calibrated_probability(
    logit_effect: np.ndarray, target: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Probabilities expit(intercept + effect) with a per-column intercept chosen (bisection) so
    the weighted mean equals ``target`` (a proportion per column)."""
    low = np.full(logit_effect.shape[1], -15.0)
    high = np.full(logit_effect.shape[1], 15.0)
    for _ in range(60):
        middle = (low + high) / 2
        mean = (weights * _expit(middle + logit_effect)).sum(axis=0) / weights.sum(axis=0)
        too_high = mean > target
        high = np.where(too_high, middle, high)
        low = np.where(too_high, low, middle)
    return _expit((low + high) / 2 + logit_effect)


def _expit(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def population_matrix(
    population: pd.DataFrame, area_codes: np.ndarray, period_starts, age_band: str
) -> np.ndarray:
    """Population (areas × periods) under ``population_year_for``; derives 18+/65+/all from
    the single bands when they are not given."""
    wide = _population_wide(population, age_band)
    missing = sorted(set(area_codes) - set(wide.index))
    if missing:
        raise ValueError(f"population: no {age_band} rows for {', '.join(missing[:5])}")
    wide = wide.reindex(area_codes).ffill(axis=1).bfill(axis=1)
    years = [population_year_for(start, wide.columns) for start in period_starts]
    return wide[years].to_numpy(dtype=float)


def _population_wide(population: pd.DataFrame, age_band: str) -> pd.DataFrame:
    bands = population["age_band"]
    if (bands == age_band).any():
        rows = population[bands == age_band]
    elif age_band in _DERIVED_BANDS:
        rows = population[bands.isin(_DERIVED_BANDS[age_band])]
    else:
        raise ValueError(f"population: no rows for age band {age_band!r}")
    wide = rows.groupby(["area_code", "year"])["count"].sum().unstack("year")
    wide.columns = [int(year) for year in wide.columns]
    return wide.sort_index(axis=1)


# --- noise ----------------------------------------------------------------------------------


def poisson_counts(rng: np.random.Generator, expected: np.ndarray) -> np.ndarray:
    return rng.poisson(np.maximum(expected, 0.0)).astype(np.int64)


def overdispersed_counts(
    rng: np.random.Generator, expected: np.ndarray, dispersion: float
) -> np.ndarray:
    """Negative binomial counts with variance mean × (1 + dispersion): delayed days come in
    patient-sized clumps, so they vary more than Poisson."""
    size = np.maximum(expected, 1e-9) / dispersion
    return rng.negative_binomial(size, 1.0 / (1.0 + dispersion)).astype(np.int64)


def binomial_counts(
    rng: np.random.Generator, trials: np.ndarray, probability: np.ndarray
) -> np.ndarray:
    return rng.binomial(trials.astype(np.int64), np.clip(probability, 0.0, 1.0)).astype(np.int64)


# --- gaps -----------------------------------------------------------------------------------


def drop_missing_periods(
    frame: pd.DataFrame, rng: np.random.Generator, share: float = MISSING_SHARE
) -> pd.DataFrame:
    """Drop every row of a few council-periods (``share`` of them, at least one; never
    England), as when a council's return is missing from a publication."""
    council_rows = frame["area_code"] != ENGLAND_CODE
    pairs = (
        frame.loc[council_rows, ["area_code", "period_start"]]
        .drop_duplicates()
        .sort_values(["area_code", "period_start"])
    )
    if pairs.empty:
        return frame
    count = max(1, round(share * len(pairs)))
    chosen = pairs.iloc[np.sort(rng.choice(len(pairs), size=count, replace=False))]
    marked = frame.merge(chosen.assign(_gap=True), on=["area_code", "period_start"], how="left")
    return frame[marked["_gap"].isna().to_numpy()]
