"""Synthetic HES A&E attendances for one financial year.

First attendances arrive per patient group with the same winter pattern as admissions and a
Monday peak; planned and unplanned follow-ups add a few more. The oldest and care-home
residents come more often by ambulance, are referred by emergency services more than by
themselves (a GP refers ≈ 6 % of care-home attendances) and are admitted more often.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extracts.synthetic import hes_model as model
from queries import hes_schema

# First attendances per person per year, by band (0-64, 65-74, 75-84, 85+) and in care homes.
ATTENDANCE_RATE = np.array([0.03, 0.287, 0.434, 0.79])
ATTENDANCE_RATE_CARE_HOME = 1.08
FOLLOW_UP_SHARE = 0.06

AMBULANCE = np.array([0.2, 0.35, 0.45, 0.6])
AMBULANCE_CARE_HOME = 0.8
# AEREFSOURCE shares by class: 0 under 65, 1 65+ at home, 2 care home.
_REFERRAL_SHARE = np.array(
    [
        # 00    01    02     03    04    05    06    07    08    92     93
        [0.05, 0.75, 0.005, 0.08, 0.02, 0.02, 0.02, 0.03, 0.02, 0.003, 0.002],
        [0.08, 0.62, 0.01, 0.18, 0.0, 0.0, 0.01, 0.05, 0.05, 0.0, 0.0],
        [0.06, 0.15, 0.04, 0.55, 0.0, 0.0, 0.0, 0.10, 0.10, 0.0, 0.0],
    ]
)
# AEATTENDDISP 01 … 14 by class.
_DISPOSAL_SHARE = np.array(
    [
        [0.18, 0.17, 0.40, 0.05, 0.03, 0.03, 0.02, 0.0, 0.0, 0.001, 0.04, 0.04, 0.02, 0.019],
        [0.40, 0.15, 0.28, 0.04, 0.02, 0.02, 0.02, 0.0, 0.0, 0.003, 0.02, 0.02, 0.01, 0.017],
        [0.45, 0.13, 0.27, 0.02, 0.01, 0.01, 0.02, 0.0, 0.0, 0.006, 0.02, 0.02, 0.01, 0.034],
    ]
)
_DEPARTMENT_SHARE = np.array([[0.80, 0.03, 0.15, 0.02]])


def attendances_table(
    groups: model.Groups,
    financial_year: int,
    rng: np.random.Generator,
    *,
    first_key: int,
    seed: int,
) -> pa.Table:
    year = hes_schema.FINANCIAL_YEARS.index(financial_year)
    people = groups.population[:, year] * groups.sampling * model.trend(financial_year)
    rate = np.where(groups.care_home, ATTENDANCE_RATE_CARE_HOME, ATTENDANCE_RATE[groups.band]) * (
        1 + FOLLOW_UP_SHARE
    )
    rate = rate * groups.attendance_factor[groups.council] * groups.year_noise[groups.council, year]
    counts = rng.poisson(people * rate)
    group = np.repeat(np.arange(len(counts)), counts)
    count = len(group)
    days = model.financial_year_days(financial_year)
    arrived = rng.choice(days, size=count, p=model.day_probabilities(days, model.WEEKDAY_AE))
    patient = model.patient_raw(
        group, np.floor(rng.random(count) * groups.pool[group]).astype(np.int64)
    )
    band = groups.band[group]
    care_home = groups.care_home[group]
    kind = np.where(care_home, 2, np.where(band > 0, 1, 0))
    ambulance = rng.random(count) < np.where(care_home, AMBULANCE_CARE_HOME, AMBULANCE[band])
    follow_up = rng.random(count) < FOLLOW_UP_SHARE / (1 + FOLLOW_UP_SHARE)
    category = np.where(follow_up, 1 + (rng.random(count) < 0.5), 0)
    zeros = np.zeros(count, int)

    def codes(values, index):
        return pc.take(pa.array(values, pa.string()), pa.array(index, pa.int32()))

    columns = {
        "AEKEY": pa.array(first_key + np.arange(count), pa.int64()),
        "PSEUDO_HESID": pa.array(model.pseudonym(patient, seed), pa.int64()),
        "ARRIVALDATE": pa.array(arrived.astype(np.int32), pa.date32()),
        "AEARRIVALMODE": codes(hes_schema.AEARRIVALMODE, np.where(ambulance, 0, 1)),
        "AEREFSOURCE": codes(hes_schema.AEREFSOURCE, model.categorical(rng, _REFERRAL_SHARE, kind)),
        "AEATTENDCAT": codes(hes_schema.AEATTENDCAT, category),
        "AEATTENDDISP": codes(
            hes_schema.AEATTENDDISP, model.categorical(rng, _DISPOSAL_SHARE, kind)
        ),
        "AEDEPTTYPE": codes(
            hes_schema.AEDEPTTYPE, model.categorical(rng, _DEPARTMENT_SHARE, zeros)
        ),
        "ARRIVALAGE": pa.array(model.patient_age(patient, band), pa.int16()),
        "RESLADST_ONS": codes(groups.area_codes, groups.council[group]),
        "CARE_HOME_RESIDENT": pa.array(care_home, pa.bool_()),
        "RECORD_WEIGHT": pa.array(model.record_weights(rng, groups.sampling[group]), pa.float64()),
    }
    return pa.table(columns, schema=hes_schema.HES_AE.schema)
