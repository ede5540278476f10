"""Synthetic HES admitted patient care for one financial year: spells, then episodes.

Primary admissions (emergency and elective) arrive per patient group with winter and weekday
patterns; each spell gets a long-tailed length of stay, a death or discharge destination, fewer
weekend discharges, and may spawn a transfer (a new spell elsewhere, ADMIMETH 81) or an
emergency readmission within 30 days (likelier for the oldest and care-home residents), which
spawn again in turn. Spells are then cut into consultant episodes (EPIORDER).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extracts.synthetic import hes_model as model
from queries import hes_schema

# Annual per-person rates before readmissions, by band (0-64, 65-74, 75-84, 85+).
EMERGENCY_RATE = np.array([0.020, 0.116, 0.220, 0.423])
EMERGENCY_RATE_CARE_HOME = np.array([0.0, 0.60, 0.62, 0.64])
ELECTIVE_RATE = np.array([0.010, 0.060, 0.070, 0.045])
ELECTIVE_RATE_CARE_HOME = 0.02

ADMIMETH = hes_schema.ADMIMETH
_EMERGENCY_METHODS = np.array([ADMIMETH.index(c) for c in hes_schema.ADMIMETH_EMERGENCY])
_EMERGENCY_METHOD_SHARE = np.array([[0.70, 0.10, 0.005, 0.03, 0.003, 0.01, 0.02, 0.0, 0.05, 0.082]])
_ELECTIVE_METHODS = np.array([ADMIMETH.index(c) for c in hes_schema.ADMIMETH_ELECTIVE])
_ELECTIVE_METHOD_SHARE = np.array([[0.6, 0.1, 0.3]])
TRANSFER_METHOD = ADMIMETH.index("81")

ADMISORC = hes_schema.ADMISORC
DISDEST = hes_schema.DISDEST
CARE_HOME_SOURCE = np.array([ADMISORC.index(c) for c in hes_schema.CARE_HOME])
CARE_HOME_MIX = np.array([[0.05, 0.25, 0.70]])  # 54 NHS, 65 local authority, 85 independent
_HOME_SOURCE = np.array([ADMISORC.index(c) for c in ("19", "29", "51", "99")])
_HOME_SOURCE_SHARE = np.array([[0.94, 0.02, 0.02, 0.02]])

# Length of stay: floor(lognormal); emergency log-mean by band, plus care home, plus council.
LOS_MU = np.array([0.75, 1.30, 1.47, 1.60])
LOS_SIGMA = 1.2
LOS_CARE_HOME = 0.12
DEATH_RATE = np.array([0.004, 0.03, 0.05, 0.085])
DEATH_CARE_HOME = 0.04
WEEKEND_DEFERRAL = 0.32  # share of Sat/Sun discharges that wait until Monday

# Discharge destinations (non-death) by class: 0 young/65-74 at home, 1 75-84, 2 85+, 3 care
# home resident, 4 elective.
_DESTINATIONS = ("19", "54", "65", "85", "51", "29", "49", "50", "53", "87", "99")
_DESTINATION_SHARE = np.array(
    [
        [0.925, 0.0005, 0.0025, 0.007, 0.03, 0.02, 0.003, 0.003, 0.003, 0.002, 0.004],
        [0.900, 0.001, 0.006, 0.023, 0.03, 0.02, 0.005, 0.004, 0.004, 0.003, 0.004],
        [0.855, 0.003, 0.012, 0.050, 0.035, 0.02, 0.007, 0.005, 0.005, 0.004, 0.004],
        [0.040, 0.045, 0.225, 0.630, 0.030, 0.01, 0.004, 0.004, 0.004, 0.004, 0.004],
        [0.965, 0.0, 0.0, 0.002, 0.010, 0.015, 0.002, 0.002, 0.002, 0.0, 0.002],
    ]
)
_DESTINATION_INDEX = np.array([DISDEST.index(c) for c in _DESTINATIONS])
TRANSFER_DESTINATION = DISDEST.index("51")
DEATH_DESTINATION = DISDEST.index(hes_schema.DEATH)
CARE_HOME_DESTINATIONS = np.array([DISDEST.index(c) for c in hes_schema.CARE_HOME])

READMISSION_RATE = np.array([0.125, 0.185, 0.21, 0.23])
READMISSION_CARE_HOME = 0.72
READMISSION_ELECTIVE = 0.09
MAX_GENERATIONS = 12

# Diagnoses (ICD-10, 4 characters).
INJURY = ("S720", "S721", "S722", "S065", "S010", "S099", "S328", "S422", "S525", "T141")
PRESSURE_ULCER = ("L890", "L891", "L892", "L893", "L899")
OTHER = (
    "J189",
    "J440",
    "J22X",
    "N390",
    "I500",
    "I489",
    "I639",
    "R296",
    "R55X",
    "A419",
    "E86X",
    "K590",
    "F051",
    "R410",
    "C349",
    "I219",
    "K922",
    "R074",
)
SECONDARY = ("I10X", "E119", "F03X", "N179", "I489", "J449", "Z740", "E871", "D649")
DIAGNOSES = INJURY + PRESSURE_ULCER + OTHER + SECONDARY
INJURY_SHARE = np.array([0.12, 0.13, 0.145, 0.155])
INJURY_SHARE_CARE_HOME = 0.32
ULCER_PRIMARY = (0.003, 0.016)  # own home, care home
ULCER_SECONDARY = (0.008, 0.042)
SECONDARY_RECORDED = 0.7


@dataclass
class Spells:
    """One element per spell; codes are indices into the hes_schema code tuples."""

    group: np.ndarray
    patient: np.ndarray  # raw identity (uint64)
    admitted: np.ndarray  # days since 1970-01-01
    method: np.ndarray
    source: np.ndarray
    in_care_home: np.ndarray
    provider: np.ndarray  # 0 main, 1 second

    def __len__(self) -> int:
        return len(self.group)

    @staticmethod
    def concat(parts: list[Spells]) -> Spells:
        return Spells(*(np.concatenate([getattr(p, f) for p in parts]) for f in _SPELL_FIELDS))


_SPELL_FIELDS = ("group", "patient", "admitted", "method", "source", "in_care_home", "provider")


@dataclass
class Discharges:
    los: np.ndarray
    discharged: np.ndarray
    destination: np.ndarray
    died: np.ndarray


def primary_spells(groups: model.Groups, financial_year: int, rng: np.random.Generator) -> Spells:
    year = hes_schema.FINANCIAL_YEARS.index(financial_year)
    people = groups.population[:, year] * groups.sampling * model.trend(financial_year)
    council_factor = (
        groups.admission_factor[groups.council] * groups.year_noise[groups.council, year]
    )
    emergency = np.where(
        groups.care_home, EMERGENCY_RATE_CARE_HOME[groups.band], EMERGENCY_RATE[groups.band]
    )
    elective = np.where(groups.care_home, ELECTIVE_RATE_CARE_HOME, ELECTIVE_RATE[groups.band])
    days = model.financial_year_days(financial_year)
    parts = []
    for rate, weekday_factor, is_emergency in (
        (emergency * council_factor, model.WEEKDAY_EMERGENCY, True),
        (elective, model.WEEKDAY_ELECTIVE, False),
    ):
        counts = rng.poisson(people * rate)
        group = np.repeat(np.arange(len(counts)), counts)
        admitted = rng.choice(
            days, size=len(group), p=model.day_probabilities(days, weekday_factor)
        )
        parts.append(_new_spells(groups, group, admitted, is_emergency, rng))
    return Spells.concat(parts)


def _new_spells(groups, group, admitted, is_emergency: bool, rng) -> Spells:
    count = len(group)
    index = np.floor(rng.random(count) * groups.pool[group]).astype(np.int64)
    in_care_home = groups.care_home[group]
    if is_emergency:
        method = _EMERGENCY_METHODS[
            model.categorical(rng, _EMERGENCY_METHOD_SHARE, np.zeros(count, int))
        ]
    else:
        method = _ELECTIVE_METHODS[
            model.categorical(rng, _ELECTIVE_METHOD_SHARE, np.zeros(count, int))
        ]
    source = _sources(rng, in_care_home)
    return Spells(
        group=group,
        patient=model.patient_raw(group, index),
        admitted=admitted.astype(np.int64),
        method=method,
        source=source,
        in_care_home=in_care_home,
        provider=(rng.random(count) < 0.15).astype(np.int8),
    )


def _sources(rng, in_care_home: np.ndarray) -> np.ndarray:
    zeros = np.zeros(len(in_care_home), int)
    care_home = CARE_HOME_SOURCE[model.categorical(rng, CARE_HOME_MIX, zeros)]
    home = _HOME_SOURCE[model.categorical(rng, _HOME_SOURCE_SHARE, zeros)]
    return np.where(in_care_home & (rng.random(len(zeros)) < 0.96), care_home, home)


def discharge(groups: model.Groups, spells: Spells, rng: np.random.Generator) -> Discharges:
    band = groups.band[spells.group]
    council = groups.council[spells.group]
    emergency = np.isin(spells.method, _EMERGENCY_METHODS)
    transfer = spells.method == TRANSFER_METHOD
    mu = LOS_MU[band] + LOS_CARE_HOME * spells.in_care_home + groups.los_shift[council]
    mu = np.where(transfer, mu + 0.2, mu)
    los = np.floor(np.exp(mu + LOS_SIGMA * rng.standard_normal(len(spells))))
    elective_los = np.where(
        rng.random(len(spells)) < 0.55, 0, np.floor(rng.lognormal(0.7, 0.9, len(spells)))
    )
    los = np.minimum(np.where(emergency | transfer, los, elective_los), 365).astype(np.int64)
    death_rate = np.where(
        emergency | transfer, DEATH_RATE[band] + DEATH_CARE_HOME * spells.in_care_home, 0.002
    )
    died = rng.random(len(spells)) < death_rate
    discharged = spells.admitted + los
    deferred = (
        (~died) & (model.weekday(discharged) >= 5) & (rng.random(len(spells)) < WEEKEND_DEFERRAL)
    )
    discharged = np.where(deferred, discharged + 7 - model.weekday(discharged), discharged)
    destination_class = np.where(
        spells.in_care_home, 3, np.where(band <= 1, 0, np.where(band == 2, 1, 2))
    )
    destination_class = np.where(emergency | transfer, destination_class, 4)
    destination = _DESTINATION_INDEX[model.categorical(rng, _DESTINATION_SHARE, destination_class)]
    destination = np.where(died, DEATH_DESTINATION, destination)
    return Discharges(
        los=discharged - spells.admitted, discharged=discharged, destination=destination, died=died
    )


def follow_ups(
    groups: model.Groups, spells: Spells, out: Discharges, rng: np.random.Generator
) -> Spells:
    """Transfers (same day, ADMIMETH 81) and emergency readmissions within 30 days."""
    band = groups.band[spells.group]
    council = groups.council[spells.group]
    emergency = np.isin(spells.method, _EMERGENCY_METHODS) | (spells.method == TRANSFER_METHOD)
    to_care_home = np.isin(out.destination, CARE_HOME_DESTINATIONS)
    in_care_home = np.where(out.died, spells.in_care_home, to_care_home)
    transfer = out.destination == TRANSFER_DESTINATION
    rate = (
        np.where(
            emergency,
            READMISSION_RATE[band] * np.where(in_care_home, READMISSION_CARE_HOME, 1.0),
            READMISSION_ELECTIVE,
        )
        * groups.readmission_factor[council]
    )
    readmitted = (~out.died) & (~transfer) & (rng.random(len(spells)) < rate)
    gap = np.floor(31 * rng.beta(0.85, 2.2, len(spells))).astype(np.int64)
    chosen = transfer | readmitted
    count = int(chosen.sum())
    zeros = np.zeros(count, int)
    methods = _EMERGENCY_METHODS[model.categorical(rng, _EMERGENCY_METHOD_SHARE, zeros)]
    home = in_care_home[chosen]
    care_home_source = CARE_HOME_SOURCE[model.categorical(rng, CARE_HOME_MIX, zeros)]
    sources = np.where(home, care_home_source, ADMISORC.index("19"))
    is_transfer = transfer[chosen]
    return Spells(
        group=spells.group[chosen],
        patient=spells.patient[chosen],
        admitted=out.discharged[chosen] + np.where(is_transfer, 0, gap[chosen]),
        method=np.where(is_transfer, TRANSFER_METHOD, methods),
        source=np.where(is_transfer, ADMISORC.index("51"), sources),
        in_care_home=home,
        provider=np.where(is_transfer, 1 - spells.provider[chosen], spells.provider[chosen]).astype(
            np.int8
        ),
    )


def simulate_year(
    groups: model.Groups, financial_year: int, rng: np.random.Generator
) -> tuple[Spells, Discharges]:
    """All spells admitted from this year's primary admissions, chains included."""
    spells_parts, discharge_parts = [], []
    current = primary_spells(groups, financial_year, rng)
    for _ in range(MAX_GENERATIONS):
        if not len(current):
            break
        out = discharge(groups, current, rng)
        spells_parts.append(current)
        discharge_parts.append(out)
        current = follow_ups(groups, current, out, rng)
    spells = Spells.concat(spells_parts)
    discharges = Discharges(
        *(
            np.concatenate([getattr(d, f) for d in discharge_parts])
            for f in ("los", "discharged", "destination", "died")
        )
    )
    return spells, discharges


def diagnoses(
    groups: model.Groups, spells: Spells, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Primary and secondary diagnosis of the admitting episode (indices into DIAGNOSES; -1 =
    no secondary): injuries and pressure ulcers are commoner among care-home residents."""
    count = len(spells)
    band = groups.band[spells.group]
    home = spells.in_care_home.astype(int)
    draws = rng.random(count)
    injury_share = np.where(spells.in_care_home, INJURY_SHARE_CARE_HOME, INJURY_SHARE[band])
    ulcer_share = np.array(ULCER_PRIMARY)[home]
    first = np.where(
        draws < injury_share,
        rng.integers(0, len(INJURY), count),
        np.where(
            draws < injury_share + ulcer_share,
            len(INJURY) + rng.integers(0, len(PRESSURE_ULCER), count),
            len(INJURY) + len(PRESSURE_ULCER) + rng.integers(0, len(OTHER), count),
        ),
    )
    second_draw = rng.random(count)
    ulcer_second = np.array(ULCER_SECONDARY)[home]
    offset = len(INJURY) + len(PRESSURE_ULCER) + len(OTHER)
    second = np.where(
        second_draw < ulcer_second,
        len(INJURY) + rng.integers(0, len(PRESSURE_ULCER), count),
        np.where(
            second_draw < SECONDARY_RECORDED, offset + rng.integers(0, len(SECONDARY), count), -1
        ),
    )
    return first, second


def episodes_table(
    groups: model.Groups,
    spells: Spells,
    out: Discharges,
    rng: np.random.Generator,
    *,
    spell_ids: np.ndarray,
    first_episode_key: int,
    seed: int,
    weights: np.ndarray,
) -> pa.Table:
    """Cut spells into episodes: EPIORDER 1..n, shared boundary days, discharge fields on the
    last episode only (DISDEST 98 / DISMETH 8 before it); every episode of a spell carries the
    spell's weight (``weights``, one per spell)."""
    spell_count = len(spells)
    extra = np.minimum(rng.poisson(0.05 + 0.03 * np.minimum(out.los, 20)), 5)
    n_episodes = 1 + extra
    spell_of = np.repeat(np.arange(spell_count), n_episodes)
    first_row = np.cumsum(n_episodes) - n_episodes
    order = np.arange(len(spell_of)) - first_row[spell_of]
    split_spell = np.repeat(np.arange(spell_count), extra)
    split_day = spells.admitted[split_spell] + np.floor(
        rng.random(len(split_spell)) * (out.los[split_spell] + 1)
    ).astype(np.int64)
    split_day = split_day[np.lexsort((split_day, split_spell))]
    split_first = np.cumsum(extra) - extra
    last = order == n_episodes[spell_of] - 1
    start_index = np.clip(split_first[spell_of] + order - 1, 0, max(len(split_day) - 1, 0))
    end_index = np.clip(split_first[spell_of] + order, 0, max(len(split_day) - 1, 0))
    splits = split_day if len(split_day) else np.zeros(1, np.int64)
    episode_start = np.where(order == 0, spells.admitted[spell_of], splits[start_index])
    episode_end = np.where(last, out.discharged[spell_of], splits[end_index])

    first_diag, second_diag = diagnoses(groups, spells, rng)
    later_diag = len(INJURY) + len(PRESSURE_ULCER) + rng.integers(0, len(OTHER), len(spell_of))
    diag1 = np.where(order == 0, first_diag[spell_of], later_diag)
    diag2 = np.where(order == 0, second_diag[spell_of], -1)
    group = spells.group[spell_of]
    band = groups.band[group]
    patient = spells.patient[spell_of]
    dismeth = np.where(out.died[spell_of], 3, np.where(rng.random(len(spell_of)) < 0.02, 1, 0))
    dismeth = np.where(last, dismeth, 5)  # DISMETH codes: 0 '1', 1 '2', 3 '4', 5 '8'

    def codes(values, index, mask=None):
        return pc.take(pa.array(values, pa.string()), pa.array(index, pa.int32(), mask=mask))

    columns = {
        "EPIKEY": pa.array(first_episode_key + np.arange(len(spell_of)), pa.int64()),
        "PSEUDO_HESID": pa.array(model.pseudonym(patient, seed), pa.int64()),
        "SPELL_ID": pa.array(spell_ids[spell_of], pa.int64()),
        "EPIORDER": pa.array((order + 1).astype(np.int16), pa.int16()),
        "ADMIDATE": _dates(spells.admitted[spell_of]),
        "EPISTART": _dates(episode_start),
        "EPIEND": _dates(episode_end),
        "DISDATE": pa.array(out.discharged[spell_of].astype(np.int32), pa.date32(), mask=~last),
        "ADMIMETH": codes(ADMIMETH, spells.method[spell_of]),
        "ADMISORC": codes(ADMISORC, spells.source[spell_of]),
        "DISDEST": codes(DISDEST, np.where(last, out.destination[spell_of], DISDEST.index("98"))),
        "DISMETH": codes(hes_schema.DISMETH, dismeth),
        "STARTAGE": pa.array(model.patient_age(patient, band), pa.int16()),
        "SEX": codes(hes_schema.SEX, model.patient_sex(patient, band)),
        "RESLADST_ONS": codes(groups.area_codes, groups.council[group]),
        "PROCODE3": codes(
            groups.providers.ravel(), groups.council[group] * 2 + spells.provider[spell_of]
        ),
        "DIAG_4_01": codes(DIAGNOSES, diag1),
        "DIAG_4_02": codes(DIAGNOSES, np.maximum(diag2, 0), mask=diag2 < 0),
        "RECORD_WEIGHT": pa.array(weights[spell_of], pa.float64()),
    }
    return pa.table(columns, schema=hes_schema.HES_APC.schema)


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())
