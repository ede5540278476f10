"""A plain pandas implementation of the HES indicators, to check and time the SQL build against.

It shares only the calendar, the population rule and the metric list with
``extracts.hes_build``; every measure is recomputed here from the records, the obvious way
(merge, sort, shift, groupby, sort-and-pick percentile), before disclosure control.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extracts import hes_build
from queries import hes_schema
from queries.schema import ENGLAND_CODE

EMERGENCY = set(hes_schema.ADMIMETH_EMERGENCY)
CARE_HOME = set(hes_schema.CARE_HOME)
ROW_KEYS = ["metric_id", "area_code", "month_start", "breakdown", "breakdown_value"]


def _read(records_dir: Path, name: str) -> pd.DataFrame:
    files = hes_build.record_files(records_dir, name)
    spec = hes_schema.RECORD_TABLES[name]
    if not files:
        return spec.schema.empty_table().to_pandas()
    return pa.concat_tables([pq.read_table(f, schema=spec.schema) for f in files]).to_pandas()


def _month(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.to_period("M").dt.start_time.dt.date


def _category(codes: pd.Series) -> pd.Series:
    return np.where(
        codes == "19", "own_home", np.where(codes.isin(CARE_HOME), "care_home", "other")
    )


def spells(apc: pd.DataFrame) -> pd.DataFrame:
    first = apc[apc["EPIORDER"] == 1]
    last = apc.loc[apc["DISDATE"].notna(), ["SPELL_ID", "DISDATE", "DISDEST"]]
    spell = first.merge(last, on="SPELL_ID", how="left", suffixes=("_first", ""))
    spell["is_emergency"] = spell["ADMIMETH"].isin(EMERGENCY)
    spell = spell.sort_values(["PSEUDO_HESID", "ADMIDATE", "SPELL_ID"], kind="mergesort")
    by_patient = spell.groupby("PSEUDO_HESID", sort=False)
    next_admitted = pd.to_datetime(by_patient["ADMIDATE"].shift(-1))
    next_emergency = by_patient["is_emergency"].shift(-1).astype("boolean").fillna(False)
    discharged = pd.to_datetime(spell["DISDATE"])
    gap = (next_admitted - discharged).dt.days
    spell["readmitted"] = next_emergency.to_numpy(dtype=bool) & gap.between(
        0, hes_build.READMISSION_DAYS
    ).to_numpy(dtype=bool)
    keep = (spell["STARTAGE"] >= 65) & (spell["STARTAGE"] < 7000)
    keep &= spell["RESLADST_ONS"].str.startswith("E")
    spell = spell[keep].copy()
    discharged = pd.to_datetime(spell["DISDATE"])
    spell["finished"] = spell["DISDATE"].notna()
    spell["los"] = (discharged - pd.to_datetime(spell["ADMIDATE"])).dt.days
    spell["died"] = spell["DISDEST"].eq("79").fillna(False).astype(bool)
    spell["weekend"] = (discharged.dt.day_of_week >= 5).to_numpy()
    spell["admission_source"] = _category(spell["ADMISORC"])
    spell["discharge_destination"] = _category(spell["DISDEST"].fillna(""))
    spell["care_home"] = spell["admission_source"] == "care_home"
    spell["pressure_ulcer"] = spell["DIAG_4_01"].str.startswith("L89") | spell["DIAG_4_02"].fillna(
        ""
    ).str.startswith("L89")
    spell["injury"] = (spell["DIAG_4_01"] >= "S00") & (spell["DIAG_4_01"] < "T99")
    spell["admitted_month"] = _month(spell["ADMIDATE"])
    spell["discharged_month"] = _month(spell["DISDATE"].where(spell["finished"], pd.NaT))
    return spell


def _measure(frame, metric_id, month, numerator, denominator=None, breakdown=None):
    out = pd.DataFrame(
        {
            "metric_id": metric_id,
            "area_code": frame["RESLADST_ONS"].to_numpy(),
            "month_start": frame[month].to_numpy(),
            "breakdown": "all",
            "breakdown_value": "all",
            "numerator": np.asarray(numerator, dtype=float),
            "denominator": np.nan if denominator is None else np.asarray(denominator, dtype=float),
        }
    )
    if breakdown is None:
        return [out]
    split = out.assign(breakdown=breakdown[0], breakdown_value=np.asarray(breakdown[1]))
    return [out, split]


def monthly(spell: pd.DataFrame, ae: pd.DataFrame) -> pd.DataFrame:
    parts = []
    emergency = spell[spell["is_emergency"]]
    parts += _measure(
        emergency,
        "ea65_rate",
        "admitted_month",
        emergency["RECORD_WEIGHT"],
        breakdown=("admission_source", emergency["admission_source"]),
    )
    from_home = emergency[emergency["care_home"]]
    parts += _measure(from_home, "ea65_carehome_rate", "admitted_month", from_home["RECORD_WEIGHT"])
    ulcer = from_home[from_home["pressure_ulcer"]]
    parts += _measure(ulcer, "ea_pressure_ulcer_carehome", "admitted_month", ulcer["RECORD_WEIGHT"])
    injury = from_home[from_home["injury"]]
    parts += _measure(injury, "ea_injury_carehome", "admitted_month", injury["RECORD_WEIGHT"])
    alive = spell[spell["finished"] & ~spell["died"]]
    parts += _measure(
        alive,
        "readmit30_65",
        "discharged_month",
        alive["RECORD_WEIGHT"] * alive["readmitted"],
        alive["RECORD_WEIGHT"],
        breakdown=("discharge_destination", alive["discharge_destination"]),
    )
    ended = emergency[emergency["finished"]]
    parts += _measure(
        ended,
        "los_over7_ea65",
        "discharged_month",
        ended["RECORD_WEIGHT"] * (ended["los"] > hes_build.LOS_DAYS),
        ended["RECORD_WEIGHT"],
        breakdown=("admission_source", ended["admission_source"]),
    )
    ended_alive = ended[~ended["died"]]
    parts += _measure(
        ended_alive,
        "weekend_discharge_ea65",
        "discharged_month",
        ended_alive["RECORD_WEIGHT"] * ended_alive["weekend"],
        ended_alive["RECORD_WEIGHT"],
    )

    first = ae[
        (ae["AEATTENDCAT"] == "1")
        & (ae["ARRIVALAGE"] >= 65)
        & (ae["ARRIVALAGE"] < 7000)
        & ae["RESLADST_ONS"].str.startswith("E")
    ].copy()
    first["month"] = _month(first["ARRIVALDATE"])
    resident = first["CARE_HOME_RESIDENT"]
    first["residence"] = np.where(
        resident.isna(),
        "other",
        np.where(resident.fillna(False).astype(bool), "care_home", "own_home"),
    )
    parts += _measure(
        first,
        "ae65_rate",
        "month",
        first["RECORD_WEIGHT"],
        breakdown=("admission_source", first["residence"]),
    )
    homes = first[first["residence"] == "care_home"]
    parts += _measure(
        homes,
        "ae_gp_referred_carehome",
        "month",
        homes["RECORD_WEIGHT"] * (homes["AEREFSOURCE"] == "00"),
        homes["RECORD_WEIGHT"],
    )

    rows = pd.concat(parts, ignore_index=True)
    england = rows.assign(area_code=ENGLAND_CODE)
    both = pd.concat([rows, england], ignore_index=True)
    return both.groupby(ROW_KEYS, as_index=False, dropna=False)[["numerator", "denominator"]].sum(
        min_count=1
    )


def indicators(records_dir: Path, population: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """The same rows as ``extracts.hes_build.derive`` (before disclosure), computed in pandas."""
    apc = _read(records_dir, "hes_apc")
    ae = _read(records_dir, "hes_ae")
    dates = pd.concat([apc["EPIEND"], ae["ARRIVALDATE"]]).dropna()
    if dates.empty:
        return pd.DataFrame(columns=hes_build.OUTPUT_COLUMNS)
    low, high = dates.min(), dates.max()
    first = low.year if low.month >= 4 else low.year - 1
    last = high.year if high.month >= 4 else high.year - 1
    periods = hes_build.period_months(
        pd.Timestamp(first, 4, 1).date(), pd.Timestamp(last + 1, 3, 31).date()
    )
    people = hes_build.period_population(population, periods)
    available = {n for n in hes_schema.RECORD_TABLES if hes_build.record_files(records_dir, n)}
    metric_periods, metric_breakdowns = hes_build.metric_tables(available)
    areas = set(people["area_code"])

    spell = spells(apc)
    months = monthly(spell, ae)
    months = months[months["area_code"].isin(areas)]
    rolled = months.merge(periods, on="month_start").merge(
        metric_periods, on=["metric_id", "period_type"]
    )
    rolled = rolled.groupby(
        [
            "metric_id",
            "area_code",
            "period_type",
            "period_start",
            "period_end",
            "breakdown",
            "breakdown_value",
        ],
        as_index=False,
    )[["numerator", "denominator"]].sum(min_count=1)
    frames = [
        _rates(rolled, periods, people, metric_periods, metric_breakdowns),
        _proportions(rolled, metric_periods),
        _percentiles(spell, periods, areas, metric_periods),
    ]
    return hes_build.tidy(pd.concat(frames, ignore_index=True))


def _rates(rolled, periods, people, metric_periods, metric_breakdowns) -> pd.DataFrame:
    rate_metrics = metric_periods[metric_periods["kind"] == "rate"]
    spans = periods[["period_type", "period_start", "period_end"]].drop_duplicates()
    grid = (
        rate_metrics.merge(spans, on="period_type")
        .merge(metric_breakdowns, on="metric_id")
        .merge(people[people["population"] > 0], on=["period_type", "period_start"])
    )
    grid = grid.merge(
        rolled.drop(columns=["denominator", "period_end"]),
        on=[
            "metric_id",
            "area_code",
            "period_type",
            "period_start",
            "breakdown",
            "breakdown_value",
        ],
        how="left",
    )
    grid["numerator"] = grid["numerator"].fillna(0.0)
    grid["denominator"] = grid["population"]
    grid["value"] = grid["numerator"] / grid["denominator"] * grid["multiplier"]
    return grid


def _proportions(rolled, metric_periods) -> pd.DataFrame:
    kinds = metric_periods[metric_periods["kind"] == "proportion"]
    rows = rolled.merge(kinds, on=["metric_id", "period_type"])
    rows = rows[rows["denominator"] > 0].copy()
    rows["value"] = rows["numerator"] / rows["denominator"] * rows["multiplier"]
    return rows


def _percentiles(spell, periods, areas, metric_periods) -> pd.DataFrame:
    metric = metric_periods[metric_periods["kind"] == "percentile"]
    ended = spell[spell["is_emergency"] & spell["finished"]]
    ended = pd.concat([ended, ended.assign(RESLADST_ONS=ENGLAND_CODE)], ignore_index=True)
    ended = ended[ended["RESLADST_ONS"].isin(areas)]
    rows = []
    for metric_id, period_type in metric[["metric_id", "period_type"]].itertuples(index=False):
        chosen = periods[periods["period_type"] == period_type]
        joined = ended.merge(chosen, left_on="discharged_month", right_on="month_start")
        for (area, start, end), group in joined.groupby(
            ["RESLADST_ONS", "period_start", "period_end"]
        ):
            ordered = group.sort_values("los", kind="mergesort")
            weight = ordered["RECORD_WEIGHT"].to_numpy()
            # weighted nearest rank: the first stay whose cumulative weight reaches the share
            reached = np.cumsum(weight) * 100 >= hes_build.PERCENT * weight.sum()
            percentile = ordered["los"].to_numpy()[np.argmax(reached)]
            rows.append(
                (
                    metric_id,
                    area,
                    period_type,
                    start,
                    end,
                    "all",
                    "all",
                    np.nan,
                    group["RECORD_WEIGHT"].sum(),
                    float(percentile),
                )
            )
    return pd.DataFrame(rows, columns=hes_build.OUTPUT_COLUMNS)
