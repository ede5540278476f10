"""The population model behind synthetic HES: patient groups, council propensities, calendars.

A patient group is one council × age band (0-64, 65-74, 75-84, 85+) × residence (own home or
care home, 65+ only). Each group has a stable pool of pseudonymised patients (its population ×
its sampling fraction), so the same people come back across years and readmissions link up.
Council propensities follow deprivation and age structure plus a random effect; every rate the
generator uses is a per-person annual rate times these factors, so sampling changes only how
many records stand for the population, never the rates.

Sampling is stratified, as a survey would be: groups are simulated at ``scale``, care-home
residents at ``CARE_HOME_OVERSAMPLE`` times that and tiny groups in full, so the rare care-home
events and the smallest councils rest on enough records to show real small numbers. Each record
carries a whole-number RECORD_WEIGHT whose mean is 1 / sampling fraction (``record_weights``),
so weighted counts are unbiased and take any integer value, not only multiples of 1 / scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from extracts.synthetic import common
from queries import hes_schema

BANDS = ("0-64", "65-74", "75-84", "85+")
BAND_AGES = ((0, 64), (65, 74), (75, 84), (85, 104))
# Share of each 65+ band living in a care home (≈ 4 % of all 65+, most of them 85+).
CARE_HOME_SHARE = np.array([0.0, 0.008, 0.036, 0.15])
TREND_PER_YEAR = 0.025  # per-person activity rises ≈ 2.5 % a year
BASE_YEAR = 2016
EPOCH = date(1970, 1, 1)
# Day weights by month, April … March: Q2 lowest, Q4 (Jan–Mar) highest.
MONTH_FACTOR = np.array([0.97, 0.98, 0.96, 0.97, 0.94, 0.95, 1.00, 1.01, 1.06, 1.12, 1.06, 1.05])
# Day weights Monday … Sunday.
WEEKDAY_EMERGENCY = np.array([1.10, 1.04, 1.01, 1.00, 1.00, 0.94, 0.91])
WEEKDAY_ELECTIVE = np.array([1.20, 1.20, 1.20, 1.20, 1.10, 0.06, 0.04])
WEEKDAY_AE = np.array([1.12, 1.02, 1.00, 0.99, 0.98, 0.95, 0.94])
# Care-home residents are sampled this many times more densely than ``scale`` (at most in full).
CARE_HOME_OVERSAMPLE = 4
# A group with fewer people than this is simulated in full (weight 1): the smallest councils.
FULL_SAMPLE_BELOW = 400
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Groups:
    """Patient groups (one row each) and the council-level propensities that drive them."""

    area_codes: np.ndarray  # (councils,)
    council: np.ndarray  # (groups,) council index
    band: np.ndarray  # (groups,) index into BANDS
    care_home: np.ndarray  # (groups,) bool
    population: np.ndarray  # (groups, financial years) people, under the population-year rule
    sampling: np.ndarray  # (groups,) fraction of the group's people simulated
    pool: np.ndarray  # (groups,) patients kept at that fraction (stable across years)
    admission_factor: np.ndarray  # (councils,) emergency admission propensity, mean 1
    attendance_factor: np.ndarray  # (councils,) A&E attendance propensity, mean 1
    readmission_factor: np.ndarray  # (councils,)
    los_shift: np.ndarray  # (councils,) added to log length of stay
    year_noise: np.ndarray  # (councils, financial years) multiplicative wander
    providers: np.ndarray  # (councils, 2) main and second provider code

    @property
    def is_65plus(self) -> np.ndarray:
        return self.band > 0


def build_groups(
    areas: pd.DataFrame, population: pd.DataFrame, *, seed: int, scale: float
) -> Groups:
    council_rows = common.councils(areas)
    codes = council_rows["area_code"].to_numpy()
    drivers = common.drivers(council_rows)
    rng = common.stream(seed, "hes groups")
    band_population = _band_population(population, codes)  # (councils, 4 bands, years)
    pop65 = band_population[:, 1:, :].sum(axis=1).mean(axis=1)

    care_home_effect = np.exp(
        0.25 * rng.standard_normal(len(codes)) + 0.08 * drivers["age"].to_numpy()
    )
    admission = _mean_one(
        common.area_effect(
            drivers, rng, loadings={"deprivation": 0.14, "density": -0.03}, spread=0.09
        ),
        pop65,
    )
    attendance = _mean_one(
        0.8 * np.log(admission)
        + common.area_effect(drivers, rng, loadings={"density": 0.05}, spread=0.07),
        pop65,
    )
    readmission = _mean_one(
        common.area_effect(drivers, rng, loadings={"deprivation": 0.06}, spread=0.07), pop65
    )
    los_shift = common.area_effect(
        drivers, rng, loadings={"deprivation": 0.03, "old_age": 0.02}, spread=0.06
    )
    year_noise = np.exp(0.03 * rng.standard_normal((len(codes), len(hes_schema.FINANCIAL_YEARS))))

    council, band, care_home, people = [], [], [], []
    for band_index in range(len(BANDS)):
        homes = (False,) if band_index == 0 else (False, True)
        for in_home in homes:
            share = CARE_HOME_SHARE[band_index] * care_home_effect
            fraction = share if in_home else 1 - share
            council.append(np.arange(len(codes)))
            band.append(np.full(len(codes), band_index))
            care_home.append(np.full(len(codes), in_home))
            people.append(band_population[:, band_index, :] * fraction[:, None])
    population_matrix = np.concatenate(people)
    in_care_home = np.concatenate(care_home)
    sampling = sampling_fractions(in_care_home, population_matrix.max(axis=1), scale=scale)
    pool = np.maximum(np.rint(population_matrix.max(axis=1) * sampling), 1).astype(np.int64)
    return Groups(
        area_codes=codes,
        council=np.concatenate(council),
        band=np.concatenate(band),
        care_home=in_care_home,
        population=population_matrix,
        sampling=sampling,
        pool=pool,
        admission_factor=admission,
        attendance_factor=attendance,
        readmission_factor=readmission,
        los_shift=los_shift,
        year_noise=year_noise,
        providers=_provider_codes(len(codes)),
    )


def sampling_fractions(care_home: np.ndarray, people: np.ndarray, *, scale: float) -> np.ndarray:
    """The fraction of each group simulated: ``scale``, denser for care-home residents, and all
    of a group too small for a sample to show its small numbers."""
    fraction = np.where(care_home, np.minimum(1.0, scale * CARE_HOME_OVERSAMPLE), scale)
    return np.where(people < FULL_SAMPLE_BELOW, 1.0, fraction)


def record_weights(rng: np.random.Generator, sampling: np.ndarray) -> np.ndarray:
    """A whole-number weight per record with mean 1 / sampling: 1 / sampling rounded up or down
    at random (unbiased), then moved by -1, 0 or +1 where that keeps it at least 1, so sums of
    weights are not all multiples of one number and a record in a 1-in-5 sample counts 4-6."""
    target = 1.0 / sampling
    base = np.floor(target + rng.random(len(target)))
    jitter = rng.integers(-1, 2, len(target)) * (base >= 2)
    return (base + jitter).astype(np.float64)


def _mean_one(log_effect: np.ndarray, weights: np.ndarray) -> np.ndarray:
    factor = np.exp(log_effect)
    return factor * weights.sum() / (factor * weights).sum()


def _band_population(population: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """People by council × band (0-64, 65-74, 75-84, 85+) × financial year, each year using the
    mid-year estimate of the calendar year before it starts (nearest available otherwise)."""
    starts = [date(year, 4, 1) for year in hes_schema.FINANCIAL_YEARS]

    def band(name: str) -> np.ndarray:
        return common.population_matrix(population, codes, starts, name)

    bands = set(population["age_band"])
    over_85 = band("85+")
    if {"65-74", "75-84"} <= bands:
        young_old, old = band("65-74"), band("75-84")
    else:
        over_65 = band("65+")
        young_old, old = 0.62 * (over_65 - over_85), 0.38 * (over_65 - over_85)
    if {"0-17", "18-64"} <= bands:
        under_65 = band("0-17") + band("18-64")
    else:
        under_65 = band("all") - young_old - old - over_85
    return np.stack([under_65, young_old, old, over_85], axis=1).clip(min=0)


def _provider_codes(count: int) -> np.ndarray:
    digits = "0123456789ABCDEFGHJKLMNPQRTVWXYZ"
    main = [
        f"R{digits[index // len(digits) % len(digits)]}{digits[index % len(digits)]}"
        for index in range(count)
    ]
    return np.array([[code, main[(index + 1) % count]] for index, code in enumerate(main)])


# --- patients ------------------------------------------------------------------------------


def patient_raw(group: np.ndarray, index: np.ndarray) -> np.ndarray:
    """A stable identity per (group, index in the group's pool)."""
    return (group.astype(np.uint64) << np.uint64(32)) | index.astype(np.uint64)


def pseudonym(raw: np.ndarray, seed: int) -> np.ndarray:
    """A bijective scramble of the identity into a signed 64-bit pseudonym."""
    salt = np.uint64(common.stream(seed, "hes pseudonym").integers(1, 2**62))
    with np.errstate(over="ignore"):
        mixed = (raw ^ salt) * _MIX
        mixed ^= mixed >> np.uint64(29)
    return mixed.view(np.int64)


def patient_age(raw: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Age of a patient (fixed per identity): uniform inside the band, 85+ tailing off to 104,
    age 0 coded as the HES infant codes 7001-7007."""
    with np.errstate(over="ignore"):
        bits = (raw * _MIX) >> np.uint64(11)
    uniform = (bits % np.uint64(1_000_003)).astype(np.float64) / 1_000_003
    low = np.array([a for a, _ in BAND_AGES])[band]
    high = np.array([b for _, b in BAND_AGES])[band]
    age = low + np.floor(uniform * (high - low + 1)).astype(np.int64)
    tail = 85 + np.floor(-np.log1p(-uniform * 0.999) * 4.5).astype(np.int64)
    age = np.where(band == 3, np.minimum(tail, 104), age)
    infant = 7001 + (bits % np.uint64(7)).astype(np.int64)
    return np.where(age == 0, infant, age).astype(np.int16)


def patient_sex(raw: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Index into ("1" male, "2" female); the oldest are more often women."""
    with np.errstate(over="ignore"):
        bits = ((raw + np.uint64(17)) * _MIX) >> np.uint64(23)
    uniform = (bits % np.uint64(10_007)).astype(np.float64) / 10_007
    female_share = np.array([0.5, 0.53, 0.57, 0.67])[band]
    return (uniform < female_share).astype(np.int8) + 1


# --- calendars -------------------------------------------------------------------------------


def days_since_epoch(day: date) -> int:
    return (day - EPOCH).days


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 … Sunday = 6 for days since 1970-01-01 (a Thursday)."""
    return (days + 3) % 7


def financial_year_days(financial_year: int) -> np.ndarray:
    first = days_since_epoch(date(financial_year, 4, 1))
    last = days_since_epoch(date(financial_year + 1, 3, 31))
    return np.arange(first, last + 1)


def day_probabilities(days: np.ndarray, weekday_factor: np.ndarray) -> np.ndarray:
    months = pd.DatetimeIndex(days.astype("datetime64[D]")).month.to_numpy()
    weights = MONTH_FACTOR[(months - 4) % 12] * weekday_factor[weekday(days)]
    return weights / weights.sum()


def trend(financial_year: int) -> float:
    return (1 + TREND_PER_YEAR) ** (financial_year - BASE_YEAR)


def categorical(
    rng: np.random.Generator, probabilities: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """One draw per element from the row ``rows[i]`` of a (classes × categories) matrix."""
    cumulative = np.cumsum(probabilities / probabilities.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(len(rows))
    picked = np.zeros(len(rows), dtype=np.int16)
    for column in range(cumulative.shape[1] - 1):
        picked += draws > cumulative[rows, column]
    return picked
