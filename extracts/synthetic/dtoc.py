"""Synthetic delayed transfers of care (NHS England monthly sitrep shape), April 2013 – March 2019.

England follows the published path (≈ 10 delayed days per day per 100,000 18+ in 2014, ≈ 15 in
early 2017, ≈ 11 by March 2019) with a small winter rise; reason and responsible-organisation
mixes follow the published England shares by year. Councils differ persistently (CV ≈ 0.5,
higher where the population is older) and drift month to month; counts are overdispersed.

Rows: ``dtoc_rate`` with numerator = delayed days, denominator = 18+ population × days in the
period and multiplier 100,000 (so multi-month and England values are Σ days ÷ Σ person-days);
breakdowns ``responsible_org`` (NHS, social_care, both) and ``reason`` (A … I, O from April
2017) whose numerators add up to the total. ``dtoc_beds`` (average delayed beds per day,
total and by responsible_org) is value only; England's is the sum of councils.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.synthetic import common, indicator_rows

SOURCE = "dtoc"
RESPONSIBLE_ORGS = ("NHS", "social_care", "both")
REASONS = ("A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O")
OTHER_REASON_FROM = np.datetime64("2017-04-01")

# England delayed days per day per 100,000 18+ (before seasonality), linear between points.
ENGLAND_PATH = (
    ("2013-04-01", 9.4),
    ("2014-04-01", 9.9),
    ("2015-04-01", 11.3),
    ("2016-04-01", 13.3),
    ("2016-10-01", 15.0),
    ("2017-03-01", 15.2),
    ("2017-08-01", 14.3),
    ("2018-03-01", 11.8),
    ("2019-03-01", 11.0),
)
# Month-of-year factor: winter (Jan–Mar, Sep–Oct) higher, December and late spring lower.
SEASON = (1.03, 1.04, 1.02, 0.98, 0.97, 0.98, 0.99, 1.00, 1.02, 1.02, 1.00, 0.95)
# Shares by financial year 2013/14 .. 2018/19 (NHS England England totals).
ORG_SHARES = np.array(
    [
        [0.680, 0.258, 0.062],
        [0.671, 0.259, 0.070],
        [0.616, 0.312, 0.072],
        [0.577, 0.345, 0.078],
        [0.575, 0.350, 0.075],
        [0.622, 0.299, 0.079],
    ]
)
REASON_SHARES = np.array(
    [
        # A     B      C      Di     Dii    E      F      G      H      I      O
        [0.187, 0.051, 0.214, 0.111, 0.114, 0.104, 0.029, 0.137, 0.013, 0.040, 0.0],
        [0.187, 0.043, 0.202, 0.107, 0.132, 0.126, 0.026, 0.136, 0.012, 0.030, 0.0],
        [0.172, 0.038, 0.183, 0.104, 0.135, 0.173, 0.026, 0.128, 0.012, 0.029, 0.0],
        [0.169, 0.036, 0.171, 0.103, 0.152, 0.202, 0.023, 0.109, 0.011, 0.023, 0.0],
        [0.141, 0.037, 0.167, 0.115, 0.143, 0.210, 0.026, 0.116, 0.010, 0.031, 0.005],
        [0.112, 0.030, 0.172, 0.123, 0.139, 0.208, 0.029, 0.124, 0.008, 0.042, 0.012],
    ]
)
DISPERSION = 8.0  # variance ≈ mean × 9: a delayed patient adds a run of days


@dataclass(frozen=True)
class DelayedDays:
    """Simulated monthly delayed days per council: the one truth both DTOC and ASCOF 2C use."""

    area_codes: np.ndarray  # (areas,)
    months: pd.DataFrame  # calendar("month")
    population_18plus: np.ndarray  # (areas, months), under the population-year rule
    by_org: np.ndarray  # (areas, months, 3) in RESPONSIBLE_ORGS order
    by_reason: np.ndarray  # (areas, months, 11) in REASONS order

    @property
    def total(self) -> np.ndarray:
        return self.by_org.sum(axis=2)


def simulate(areas: pd.DataFrame, population: pd.DataFrame, seed: int) -> DelayedDays:
    """Monthly delayed days per council, split by responsible organisation and by reason."""
    council_rows = common.councils(areas)
    codes = council_rows["area_code"].to_numpy()
    months = common.calendar("month")
    pop18 = common.population_matrix(population, codes, months["period_start"], "18+")
    area_drivers = common.drivers(council_rows)
    rng = common.stream(seed, "dtoc")

    level = england_level(months["period_start"])
    persistent = common.area_effect(
        area_drivers,
        rng,
        loadings={"age": 0.2, "old_age": 0.12, "deprivation": 0.05},
        spread=0.32,
    )
    drift = common.ar1(rng, pop18.shape, sd=0.18, rho=0.85)
    factor = common.rate_factor(persistent[:, None] + drift, weights=pop18)
    expected = level[None, :] * factor * pop18 * months["days"].to_numpy()[None, :] / 1e5
    total = common.overdispersed_counts(rng, expected, DISPERSION)

    fy_index = months["financial_year"].to_numpy() - common.FIRST_DAY.year
    org_shares = _area_shares(rng, ORG_SHARES[fy_index], len(codes), persistent_sd=0.3)
    reason_shares = _area_shares(rng, REASON_SHARES[fy_index], len(codes), persistent_sd=0.4)
    reason_shares[:, months["period_start"].to_numpy() < OTHER_REASON_FROM, -1] = 0.0
    reason_shares /= reason_shares.sum(axis=2, keepdims=True)
    return DelayedDays(
        area_codes=codes,
        months=months,
        population_18plus=pop18,
        by_org=rng.multinomial(total, org_shares),
        by_reason=rng.multinomial(total, reason_shares),
    )


def england_level(month_starts: pd.Series) -> np.ndarray:
    """England delayed days per day per 100,000 18+ for each month, season included."""
    anchors = np.array([np.datetime64(day) for day, _ in ENGLAND_PATH], dtype="datetime64[D]")
    rates = np.array([rate for _, rate in ENGLAND_PATH])
    days = np.asarray(month_starts, dtype="datetime64[D]")
    trend = np.interp(days.astype(float), anchors.astype(float), rates)
    month_of_year = pd.DatetimeIndex(days).month.to_numpy() - 1
    return trend * np.array(SEASON)[month_of_year]


def _area_shares(
    rng: np.random.Generator, base: np.ndarray, n_areas: int, persistent_sd: float
) -> np.ndarray:
    """Mix shares (areas × months × categories): the England mix tilted by a persistent area
    preference and a little monthly jitter."""
    n_months, n_categories = base.shape
    tilt = rng.normal(0, persistent_sd, (n_areas, 1, n_categories))
    jitter = rng.normal(0, 0.15, (n_areas, n_months, n_categories))
    shares = base[None, :, :] * np.exp(tilt + jitter)
    return shares / shares.sum(axis=2, keepdims=True)


def generate(
    areas: pd.DataFrame,
    population: pd.DataFrame,
    seed: int = common.DEFAULT_SEED,
    delayed: DelayedDays | None = None,
) -> pa.Table:
    """The ``dtoc`` indicators partition (councils, England, a few missing council-months)."""
    if delayed is None:
        delayed = simulate(areas, population, seed)
    months, codes = delayed.months, delayed.area_codes
    days = months["days"].to_numpy()[None, :]
    person_days = delayed.population_18plus * days
    keep_other = months["period_start"].to_numpy() >= OTHER_REASON_FROM
    frames = [
        indicator_rows.grid_rows(
            "dtoc_rate",
            codes,
            months,
            numerator=delayed.total,
            denominator=person_days,
            multiplier=1e5,
        ),
        indicator_rows.grid_rows(
            "dtoc_rate",
            codes,
            months,
            numerator=delayed.by_org,
            denominator=person_days[:, :, None],
            multiplier=1e5,
            breakdown="responsible_org",
            breakdown_values=RESPONSIBLE_ORGS,
        ),
        indicator_rows.grid_rows(
            "dtoc_rate",
            codes,
            months,
            numerator=delayed.by_reason[:, :, :-1],
            denominator=person_days[:, :, None],
            multiplier=1e5,
            breakdown="reason",
            breakdown_values=REASONS[:-1],
        ),
        indicator_rows.grid_rows(
            "dtoc_rate",
            codes,
            months[keep_other],
            numerator=delayed.by_reason[:, keep_other, -1],
            denominator=person_days[:, keep_other],
            multiplier=1e5,
            breakdown="reason",
            breakdown_values=("O",),
        ),
        indicator_rows.grid_rows("dtoc_beds", codes, months, value=delayed.total / days),
        indicator_rows.grid_rows(
            "dtoc_beds",
            codes,
            months,
            value=delayed.by_org / days[:, :, None],
            breakdown="responsible_org",
            breakdown_values=RESPONSIBLE_ORGS,
        ),
    ]
    frame = indicator_rows.with_england(pd.concat(frames, ignore_index=True))
    frame = common.drop_missing_periods(frame, common.stream(seed, "dtoc gaps"))
    return indicator_rows.indicator_table(frame, source=SOURCE, seed=seed)
