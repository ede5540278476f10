"""Synthetic Adult Social Care Outcomes Framework measures, financial years 2013/14 – 2018/19.

England values follow the published ASCOF series (METRICS.md section D). Proportions come
from binomial draws on realistic denominators (survey respondents, people discharged into
reablement, hospital discharges 65+ in Oct–Dec, new short-term service clients, community
service users), so small councils are noisier; 2A(2) is a Poisson count per 100,000 65+;
1A and 1D are survey scores (value only; England is the respondent-weighted mean). 2C(1)
and 2C(2) are derived from the same simulated delayed days as the DTOC family. Carer-survey
measures (1D, 3B, 3C, 3D(2)) exist only in 2014/15, 2016/17 and 2018/19; 2D from 2014/15.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.synthetic import common, dtoc, indicator_rows

SOURCE = "ascof"
YEARS = (2013, 2014, 2015, 2016, 2017, 2018)
CARER_SURVEY_YEARS = (2014, 2016, 2018)


@dataclass(frozen=True)
class Proportion:
    """A % measure: England target by year, the denominator it is drawn on, area drivers."""

    metric_id: str
    targets: tuple[float, ...]
    base: str
    spread: float
    loadings: dict[str, float] = field(default_factory=dict)
    years: tuple[int, ...] = YEARS


PROPORTIONS = (
    Proportion(
        "ascof_1i1",
        (44.5, 44.8, 45.4, 45.4, 46.0, 45.9),
        "users_survey",
        0.16,
        {"deprivation": -0.08},
    ),
    Proportion(
        "ascof_2b1",
        (81.9, 82.1, 82.7, 82.5, 82.9, 82.4),
        "reablement",
        0.55,
        {"deprivation": -0.15},
    ),
    Proportion("ascof_2b2", (3.3, 3.1, 2.9, 2.7, 2.9, 2.8), "discharges_65", 0.6),
    Proportion("ascof_2d", (74.6, 75.8, 77.8, 77.8, 79.6), "short_term", 0.85, years=YEARS[1:]),
    Proportion(
        "ascof_3a",
        (64.9, 64.7, 64.4, 64.7, 65.0, 64.3),
        "users_survey",
        0.2,
        {"deprivation": -0.08},
    ),
    Proportion(
        "ascof_3b",
        (41.2, 39.0, 38.6),
        "carers_survey",
        0.27,
        {"deprivation": -0.1},
        CARER_SURVEY_YEARS,
    ),
    Proportion("ascof_3c", (72.3, 70.6, 69.7), "carers_survey", 0.3, {}, CARER_SURVEY_YEARS),
    Proportion("ascof_3d1", (74.5, 74.5, 73.5, 73.5, 73.3, 72.9), "users_survey", 0.25),
    Proportion("ascof_3d2", (65.5, 64.2, 62.3), "carers_survey", 0.33, {}, CARER_SURVEY_YEARS),
    Proportion(
        "ascof_4a",
        (68.0, 68.5, 69.2, 70.1, 69.9, 70.0),
        "users_survey",
        0.17,
        {"deprivation": -0.1, "density": -0.05},
    ),
)
# Expected denominators per head of the population base, and their persistent area spread.
BASES = {
    "users_survey": ("18+", 0.0015, 0.25),
    "carers_survey": ("18+", 0.0012, 0.25),
    "reablement": ("65+", 0.008, 0.4),
    "discharges_65": ("65+", 0.14, 0.12),
    "short_term": ("18+", 0.005, 0.45),
    "community_18_64": ("18-64", 0.0068, 0.3),
    "community_65": ("65+", 0.028, 0.3),
}
MINIMUM_RESPONDENTS = 25
ADMISSIONS_65 = (650.6, 668.8, 628.2, 610.7, 585.6, 577.6)  # 2A(2) per 100,000 65+
DIRECT_PAYMENTS = {  # 1C(2A) % by age group
    "18-64": (33.0, 37.0, 39.5, 40.0, 40.3, 39.9),
    "65+": (14.0, 16.3, 17.3, 17.5, 17.7, 17.6),
}
# score measures: England target by year, area sd, person-level sd (survey noise), years
SCORES = {
    "ascof_1a": ((19.0, 19.1, 19.1, 19.1, 19.2, 19.1), 0.42, 3.5, YEARS, "users_survey"),
    "ascof_1d": ((7.9, 7.7, 7.5), 0.38, 2.5, CARER_SURVEY_YEARS, "carers_survey"),
}


@dataclass(frozen=True)
class _Context:
    codes: np.ndarray
    years: pd.DataFrame
    drivers: pd.DataFrame
    population: dict[str, np.ndarray]
    rng: np.random.Generator

    def columns(self, years: tuple[int, ...]) -> np.ndarray:
        return np.isin(self.years["financial_year"].to_numpy(), years)


def generate(
    areas: pd.DataFrame,
    population: pd.DataFrame,
    seed: int = common.DEFAULT_SEED,
    delayed: dtoc.DelayedDays | None = None,
) -> pa.Table:
    """The ``ascof`` indicators partition (councils, England, a few missing council-years)."""
    council_rows = common.councils(areas)
    codes = council_rows["area_code"].to_numpy()
    years = common.calendar("financial_year")
    context = _Context(
        codes=codes,
        years=years,
        drivers=common.drivers(council_rows),
        population={
            band: common.population_matrix(population, codes, years["period_start"], band)
            for band in ("18+", "18-64", "65+")
        },
        rng=common.stream(seed, "ascof"),
    )
    denominators = {name: _denominator(context, name) for name in BASES}
    frames = [_proportion(context, spec, denominators[spec.base]) for spec in PROPORTIONS]
    frames.append(_admissions(context))
    frames.extend(_direct_payments(context, denominators))
    frames.extend(_score(context, metric_id, denominators) for metric_id in SCORES)
    if delayed is None:
        delayed = dtoc.simulate(areas, population, seed)
    frames.extend(_delayed_transfers(context, delayed))
    frame = indicator_rows.with_england(pd.concat(frames, ignore_index=True))
    frame = common.drop_missing_periods(frame, common.stream(seed, "ascof gaps"))
    return indicator_rows.indicator_table(frame, source=SOURCE, seed=seed)


def _denominator(context: _Context, name: str) -> np.ndarray:
    band, per_head, spread = BASES[name]
    persistent = spread * context.rng.standard_normal(len(context.codes))
    yearly = 0.08 * context.rng.standard_normal(context.population[band].shape)
    expected = context.population[band] * per_head * np.exp(persistent[:, None] + yearly)
    if name.endswith("survey"):
        expected = np.maximum(expected, MINIMUM_RESPONDENTS)
    return np.maximum(common.poisson_counts(context.rng, expected), 1)


def _probability(
    context: _Context, spec_targets, spread, loadings, trials, persistent=None
) -> np.ndarray:
    """Per area-year probabilities: persistent area effect + yearly jitter, calibrated so the
    pooled England proportion meets the target in each year."""
    if persistent is None:
        persistent = common.area_effect(
            context.drivers, context.rng, loadings=loadings, spread=spread
        )
    jitter = 0.1 * context.rng.standard_normal(trials.shape)
    targets = np.asarray(spec_targets, dtype=float) / 100
    return common.calibrated_probability(persistent[:, None] + jitter, targets, trials)


def _proportion(context: _Context, spec: Proportion, trials: np.ndarray) -> pd.DataFrame:
    columns = context.columns(spec.years)
    trials = trials[:, columns]
    probability = _probability(context, spec.targets, spec.spread, spec.loadings, trials)
    successes = common.binomial_counts(context.rng, trials, probability)
    return indicator_rows.grid_rows(
        spec.metric_id,
        context.codes,
        context.years[columns],
        numerator=successes,
        denominator=trials,
        multiplier=100,
    )


def _admissions(context: _Context) -> pd.DataFrame:
    """2A(2): permanent admissions 65+ to residential and nursing care per 100,000 65+."""
    pop65 = context.population["65+"]
    persistent = common.area_effect(
        context.drivers, context.rng, loadings={"old_age": 0.2, "age": 0.05}, spread=0.26
    )
    jitter = 0.08 * context.rng.standard_normal(pop65.shape)
    factor = common.rate_factor(persistent[:, None] + jitter, weights=pop65)
    expected = np.asarray(ADMISSIONS_65)[None, :] * factor * pop65 / 1e5
    admissions = common.poisson_counts(context.rng, expected)
    return indicator_rows.grid_rows(
        "ascof_2a2",
        context.codes,
        context.years,
        numerator=admissions,
        denominator=pop65,
        multiplier=1e5,
    )


def _direct_payments(context: _Context, denominators: dict) -> list[pd.DataFrame]:
    """1C(2A): the council's direct-payment policy is shared by both age groups."""
    shared = 0.5 * context.rng.standard_normal(len(context.codes))
    counts = {}
    for band, scale, own in (("18-64", 0.8, 0.2), ("65+", 1.2, 0.35)):
        trials = denominators["community_18_64" if band == "18-64" else "community_65"]
        persistent = scale * shared + own * context.rng.standard_normal(len(context.codes))
        probability = _probability(
            context, DIRECT_PAYMENTS[band], 0.0, {}, trials, persistent=persistent
        )
        counts[band] = (common.binomial_counts(context.rng, trials, probability), trials)
    by_age = [
        indicator_rows.grid_rows(
            "ascof_1c2a",
            context.codes,
            context.years,
            numerator=successes,
            denominator=trials,
            multiplier=100,
            breakdown="age",
            breakdown_values=(band,),
        )
        for band, (successes, trials) in counts.items()
    ]
    total = indicator_rows.grid_rows(
        "ascof_1c2a",
        context.codes,
        context.years,
        numerator=sum(successes for successes, _ in counts.values()),
        denominator=sum(trials for _, trials in counts.values()),
        multiplier=100,
    )
    return [total, *by_age]


def _score(context: _Context, metric_id: str, denominators: dict) -> pd.DataFrame:
    targets, area_sd, person_sd, years, base = SCORES[metric_id]
    columns = context.columns(years)
    respondents = denominators[base][:, columns].astype(float)
    persistent = common.area_effect(
        context.drivers, context.rng, loadings={"deprivation": -0.2 * area_sd}, spread=area_sd
    )
    level = persistent[:, None] + 0.1 * context.rng.standard_normal(respondents.shape)
    level -= (level * respondents).sum(axis=0) / respondents.sum(axis=0)
    noise = person_sd / np.sqrt(respondents) * context.rng.standard_normal(respondents.shape)
    value = np.round(np.asarray(targets)[None, :] + level + noise, 1)
    return indicator_rows.grid_rows(
        metric_id, context.codes, context.years[columns], value=value, weight=respondents
    )


def _delayed_transfers(context: _Context, delayed: dtoc.DelayedDays) -> list[pd.DataFrame]:
    """2C(1) all delays and 2C(2) delays attributable to social care (not jointly), as average
    daily delayed beds per 100,000 18+ over the year — the DTOC family's own days."""
    if not np.array_equal(delayed.area_codes, context.codes):
        raise ValueError("delayed days were simulated for different areas")
    year_of_month = delayed.months["financial_year"].to_numpy()
    person_days = delayed.population_18plus * delayed.months["days"].to_numpy()[None, :]
    social_care = delayed.by_org[:, :, dtoc.RESPONSIBLE_ORGS.index("social_care")]
    years = context.years["financial_year"].to_numpy()

    def by_year(monthly: np.ndarray) -> np.ndarray:
        return np.stack([monthly[:, year_of_month == year].sum(axis=1) for year in years], 1)

    denominator = by_year(person_days)
    return [
        indicator_rows.grid_rows(
            metric_id,
            context.codes,
            context.years,
            numerator=by_year(days),
            denominator=denominator,
            multiplier=1e5,
        )
        for metric_id, days in (("ascof_2c1", delayed.total), ("ascof_2c2", social_care))
    ]
