"""DTOC indicator rows from monthly delayed days: ``dtoc_rate`` and ``dtoc_beds``.

``dtoc_rate``: numerator = delayed days, denominator = days in the period × ONS 18+ population,
multiplier 100,000, so value = numerator / denominator × 100,000 (delayed days per day per
100,000 aged 18+). Quarters and financial years sum both over their months, which is "total
delayed days over total days in the period". ``dtoc_beds``: numerator = delayed days,
denominator = days in the period, value = average delayed beds per day.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location
from queries import schema

RATE_MULTIPLIER = 100_000
SOURCE = "dtoc"
POPULATION_RULES = ("year_before_financial_year", "own_mid_year")
DEFAULT_POPULATION_RULE = "year_before_financial_year"
BEDS_BREAKDOWNS = ("all", "responsible_org")  # the catalogue's dtoc_beds breakdowns
MONTHLY_METRICS = ("dtoc_rate", "dtoc_beds")
# ASCOF 2C counts delayed days per day over the financial year from 2015/16; before that it
# counted patients delayed on a snapshot day, which the days-based returns cannot give.
ASCOF_2C_FIRST_YEAR = 2015
ASCOF_2C = {  # metric -> the dtoc_rate breakdown it is (2C(3), joint delays, is not shown)
    "ascof_2c1": ("all", "all"),
    "ascof_2c2": ("responsible_org", "social_care"),
}
ASCOF_2C_VINTAGE = "; ASCOF 2C derived by LSR Explorer from these returns"


def population_year(
    period_start: date,
    period_end: date,
    available_years: Iterable[int],
    rule: str = DEFAULT_POPULATION_RULE,
) -> int:
    """The ONS mid-year estimate a period's rate uses (METRICS.md population rule).

    ``year_before_financial_year``: the calendar year before the financial year starts
    (2017/18 -> mid-2016), as NHS England's DTOC publication does. ``own_mid_year``: the
    mid-year (30 June) nearest the middle of the period. Either falls back to the nearest
    available estimate (the later one on a tie), so 2011/12 uses mid-2015 when that is the
    earliest held.
    """
    years = sorted(set(int(y) for y in available_years))
    if not years:
        raise ValueError("no population estimates available")
    if rule == "year_before_financial_year":
        first_year = period_start.year if period_start.month >= 4 else period_start.year - 1
        wanted = first_year - 1
    elif rule == "own_mid_year":
        middle = (
            pd.Timestamp(period_start) + (pd.Timestamp(period_end) - pd.Timestamp(period_start)) / 2
        )
        wanted = min(
            (middle.year - 1, middle.year, middle.year + 1),
            key=lambda y: abs((pd.Timestamp(y, 6, 30) - middle).days),
        )
    else:
        raise ValueError(f"unknown population rule {rule!r}; known: {', '.join(POPULATION_RULES)}")
    return min(years, key=lambda y: (abs(y - wanted), -y))


def days_in_month(period_start: date) -> int:
    return calendar.monthrange(period_start.year, period_start.month)[1]


def monthly_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """Add period_end and days to observations (area_code, period_start, breakdown, ...)."""
    frame = observations.copy()
    starts = pd.to_datetime(frame["period_start"])
    frame["period_end"] = (starts + pd.offsets.MonthEnd(0)).dt.date
    frame["days"] = starts.dt.days_in_month.astype(float)
    return frame


def person_days(
    frame: pd.DataFrame,
    population_18plus: Mapping[tuple[str, int], float],
    rule: str,
    location: Location,
) -> np.ndarray:
    """Days × 18+ population for each monthly row, per the population rule."""
    years = sorted({year for _, year in population_18plus})
    cache: dict[date, int] = {}
    out = np.empty(len(frame))
    for index, (area, start, end, days) in enumerate(
        frame[["area_code", "period_start", "period_end", "days"]].itertuples(index=False)
    ):
        if start not in cache:
            cache[start] = population_year(start, end, years, rule)
        population = population_18plus.get((area, cache[start]))
        if population is None:
            raise IngestError(location, f"no 18+ population for {area} in mid-{cache[start]}")
        out[index] = days * population
    return out


def monthly_indicators(
    frame: pd.DataFrame, population_18plus: Mapping[tuple[str, int], float], rule: str
) -> pd.DataFrame:
    """Monthly dtoc_rate and dtoc_beds rows; ``frame`` has one row per area, month, breakdown."""
    frame = monthly_frame(frame)
    frame["person_days"] = person_days(frame, population_18plus, rule, Location("population"))
    rate = frame.assign(
        metric_id="dtoc_rate", numerator=frame["days_delayed"], denominator=frame["person_days"]
    )
    beds = frame[frame["breakdown"].isin(BEDS_BREAKDOWNS)].assign(
        metric_id="dtoc_beds",
        numerator=lambda f: f["days_delayed"],
        denominator=lambda f: f["days"],
    )
    out = pd.concat([rate, beds], ignore_index=True).assign(period_type="month")
    return with_values(out)


def period_indicators(monthly: pd.DataFrame) -> pd.DataFrame:
    """Quarter (financial, Q1 = Apr–Jun) and financial-year rows from complete months only."""
    frames = []
    starts = pd.to_datetime(monthly["period_start"])
    fy_start = starts.dt.year - (starts.dt.month < 4)
    quarter_month = (starts.dt.month - 4) % 12 // 3 * 3 + 4
    quarter_start = pd.to_datetime(
        dict(year=fy_start + (quarter_month > 12), month=(quarter_month - 1) % 12 + 1, day=1)
    )
    for period_type, start, months in (
        ("quarter", quarter_start, 3),
        ("financial_year", pd.to_datetime(dict(year=fy_start, month=4, day=1)), 12),
    ):
        keys = ["metric_id", "area_code", "breakdown", "breakdown_value"]
        grouped = monthly.assign(period_start=start.dt.date).groupby(
            [*keys, "period_start"], sort=True
        )
        totals = grouped.agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            months=("numerator", "size"),
            vintage=("vintage", "max"),
        ).reset_index()
        totals = totals[totals["months"] == months].drop(columns="months")
        ends = pd.to_datetime(totals["period_start"]) + pd.DateOffset(months=months)
        totals["period_end"] = (ends - pd.Timedelta(days=1)).dt.date
        totals["period_type"] = period_type
        frames.append(totals)
    return with_values(pd.concat(frames, ignore_index=True))


def ascof_2c(periods: pd.DataFrame) -> pd.DataFrame:
    """ASCOF 2C(1) and 2C(2) rows from the financial-year ``dtoc_rate`` rows: the same delayed
    days and person-days, so the Social care and Delayed transfers pages always agree."""
    years = periods[
        (periods["metric_id"] == "dtoc_rate")
        & (periods["period_type"] == "financial_year")
        & (pd.to_datetime(periods["period_start"]).dt.year >= ASCOF_2C_FIRST_YEAR)
    ]
    frames = []
    for metric_id, (breakdown, value) in ASCOF_2C.items():
        rows = years[(years["breakdown"] == breakdown) & (years["breakdown_value"] == value)]
        frames.append(
            rows.assign(
                metric_id=metric_id,
                breakdown="all",
                breakdown_value="all",
                vintage=rows["vintage"] + ASCOF_2C_VINTAGE,
            )
        )
    return pd.concat(frames, ignore_index=True)


def derived_indicators(monthly: pd.DataFrame) -> pd.DataFrame:
    """Everything built from the months: quarters, financial years and ASCOF 2C."""
    periods = period_indicators(monthly)
    return pd.concat([periods, ascof_2c(periods)], ignore_index=True)


def with_values(frame: pd.DataFrame) -> pd.DataFrame:
    """value = numerator / denominator × the metric's multiplier."""
    multiplier = np.where(frame["metric_id"] == "dtoc_beds", 1.0, RATE_MULTIPLIER)
    return frame.assign(value=frame["numerator"] / frame["denominator"] * multiplier)


def check_plausible(monthly: pd.DataFrame) -> None:
    """A month's value outside the catalogue's plausible range is an error at its source cell."""
    for metric_id, rows in monthly.groupby("metric_id"):
        check.check_plausible(str(metric_id), zip(rows["value"], rows["location"], strict=True))


def indicator_table(frame: pd.DataFrame) -> pa.Table:
    """The schema-valid ``indicators`` partition for source ``dtoc``."""
    out = frame.assign(
        lower_ci=None, upper_ci=None, suppressed=False, is_synthetic=False, source=SOURCE
    )
    columns = schema.table("indicators").schema.names
    out = out[columns].sort_values(
        ["metric_id", "period_type", "breakdown", "breakdown_value", "area_code", "period_start"],
        ignore_index=True,
    )
    out["period_start"] = pd.to_datetime(out["period_start"]).dt.date
    out["period_end"] = pd.to_datetime(out["period_end"]).dt.date
    table = pa.Table.from_pandas(out, preserve_index=False)
    return schema.validate("indicators", table)
