"""Synthetic NHS continuing healthcare, financial quarters 2013/14 Q1 – 2018/19 Q4.

Real CHC figures are published by NHS England per CCG and apportioned to councils by
population weight (the CCG-to-council lookup); here councils are simulated directly, with
per-50,000 rates on the whole population (all ages). A council's assessment timeliness is
persistent: councils that decide fewer referrals within 28 days have more referrals waiting
over 28 days. Eligibility rises with the share of very old people; personal health budgets
grow from ≈ 2 to ≈ 12 per 50,000 with uneven local take-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.synthetic import common, indicator_rows

SOURCE = "chc"
PER_50K = 50_000
REFERRALS_PER_50K = 27.0  # standard referrals concluded per quarter


def _linear(first: float, last: float, steps: int) -> np.ndarray:
    return np.linspace(first, last, steps)


def generate(
    areas: pd.DataFrame, population: pd.DataFrame, seed: int = common.DEFAULT_SEED
) -> pa.Table:
    """The ``chc`` indicators partition (councils, England, a few missing council-quarters)."""
    council_rows = common.councils(areas)
    codes = council_rows["area_code"].to_numpy()
    quarters = common.calendar("quarter")
    people = common.population_matrix(population, codes, quarters["period_start"], "all")
    measures = _simulate(common.drivers(council_rows), people, common.stream(seed, "chc"))
    frames = [
        indicator_rows.grid_rows(
            metric_id,
            codes,
            quarters,
            numerator=numerator,
            denominator=denominator,
            multiplier=multiplier,
        )
        for metric_id, (numerator, denominator, multiplier) in measures.items()
    ]
    frame = indicator_rows.with_england(pd.concat(frames, ignore_index=True))
    frame = common.drop_missing_periods(frame, common.stream(seed, "chc gaps"))
    return indicator_rows.indicator_table(frame, source=SOURCE, seed=seed)


def _simulate(area_drivers: pd.DataFrame, people: np.ndarray, rng: np.random.Generator) -> dict:
    """metric_id -> (numerator, denominator, multiplier), arrays shaped areas × quarters."""
    n_quarters = people.shape[1]

    def effect(spread: float, wander: float, **loadings: float) -> np.ndarray:
        persistent = common.area_effect(area_drivers, rng, loadings=loadings, spread=spread)
        return persistent[:, None] + common.ar1(rng, people.shape, sd=wander, rho=0.7)

    timeliness = effect(0.8, 0.3, deprivation=-0.1)
    expected_referrals = (
        people / PER_50K * REFERRALS_PER_50K * np.exp(effect(0.3, 0.05, old_age=0.2))
    )
    referrals = np.maximum(common.poisson_counts(rng, expected_referrals), 1)
    probability = common.calibrated_probability(
        timeliness, _linear(0.55, 0.62, n_quarters), referrals
    )
    counts = {
        "chc_over28_per50k": (_linear(11.0, 7.0, n_quarters), -0.9 * timeliness),
        "chc_eligible_per50k": (
            _linear(53.0, 48.0, n_quarters),
            effect(0.3, 0.08, old_age=0.25, deprivation=0.05),
        ),
        "chc_fasttrack_per50k": (_linear(33.0, 37.0, n_quarters), effect(0.3, 0.1, old_age=0.2)),
        "phb_per50k": (2.0 * 6.0 ** np.linspace(0, 1, n_quarters), effect(0.7, 0.15)),
    }
    measures = {
        "chc_28day": (common.binomial_counts(rng, referrals, probability), referrals, 100),
    }
    for metric_id, (england_rate, log_effect) in counts.items():
        measures[metric_id] = (_rate_counts(rng, people, england_rate, log_effect), people, PER_50K)
    return measures


def _rate_counts(
    rng: np.random.Generator, people: np.ndarray, england_rate: np.ndarray, log_effect
) -> np.ndarray:
    """Poisson counts whose England rate per 50,000 follows ``england_rate`` by quarter."""
    factor = common.rate_factor(log_effect, weights=people)
    return common.poisson_counts(rng, england_rate[None, :] * factor * people / PER_50K)
