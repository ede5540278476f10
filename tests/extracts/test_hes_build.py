"""HES indicator build on hand-made records: spells, readmissions, percentiles, rates, England."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extracts import hes_build
from queries import hes_schema
from queries.schema import ENGLAND_CODE

AREA, OTHER = "E06000001", "E06000002"


def population() -> pd.DataFrame:
    rows = [(a, y, "65+", 1_000) for a in (AREA, OTHER) for y in (2015, 2016)]
    rows += [(ENGLAND_CODE, 2015, "65+", 10_000), (ENGLAND_CODE, 2016, "65+", 2_000)]
    return pd.DataFrame(rows, columns=["area_code", "year", "age_band", "count"])


def spell(
    key,
    patient,
    admitted,
    discharged,
    *,
    method="21",
    source="19",
    destination="19",
    age=80,
    area=AREA,
    diag="J189",
    weight=1.0,
):
    return dict(
        EPIKEY=key,
        PSEUDO_HESID=patient,
        SPELL_ID=key,
        EPIORDER=1,
        ADMIDATE=admitted,
        EPISTART=admitted,
        EPIEND=discharged,
        DISDATE=discharged,
        ADMIMETH=method,
        ADMISORC=source,
        DISDEST=destination,
        DISMETH="4" if destination == "79" else "1",
        STARTAGE=age,
        SEX="2",
        RESLADST_ONS=area,
        PROCODE3="RXX",
        DIAG_4_01=diag,
        DIAG_4_02=None,
        RECORD_WEIGHT=weight,
    )


def write(directory, rows) -> None:
    table = pa.Table.from_pylist(rows, schema=hes_schema.HES_APC.schema)
    target = directory / "hes_apc" / "fy=2016-17"
    target.mkdir(parents=True)
    pq.write_table(table, target / "part-0.parquet")


@pytest.fixture
def derived(tmp_path) -> pd.DataFrame:
    d = date
    write(
        tmp_path,
        [
            # patient 1: discharged home 10 May, readmitted 9 June (30 days later) -> readmission
            spell(1, 1, d(2016, 5, 1), d(2016, 5, 10)),
            spell(2, 1, d(2016, 6, 9), d(2016, 6, 9), source="65", destination="65", diag="S720"),
            # patient 2: discharged 1 May, next emergency 32 days later -> not a readmission
            spell(3, 2, d(2016, 4, 20), d(2016, 5, 1)),
            spell(4, 2, d(2016, 6, 2), d(2016, 6, 30), destination="79"),
            # patient 3: under 65 (not counted); infant code 7002 (not counted)
            spell(5, 3, d(2016, 5, 1), d(2016, 5, 2), age=40),
            spell(6, 4, d(2016, 5, 1), d(2016, 5, 2), age=7002),
            # patient 5: elective in another council, a Welsh resident (England only if E-code)
            spell(7, 5, d(2016, 5, 3), d(2016, 5, 3), method="11", area=OTHER),
            spell(8, 6, d(2016, 5, 3), d(2016, 5, 4), area="W06000001"),
        ],
    )
    return hes_build.derive(tmp_path, population())


def pick(frame, metric_id, period_type, start, area=AREA, breakdown_value="all"):
    rows = frame[
        (frame["metric_id"] == metric_id)
        & (frame["period_type"] == period_type)
        & (frame["period_start"] == start)
        & (frame["area_code"] == area)
        & (frame["breakdown_value"] == breakdown_value)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


class TestDerive:
    def test_emergency_admissions_per_quarter_per_population(self, derived) -> None:
        # Q1 2016/17 (Apr-Jun): spells 1, 2, 3, 4 for AREA, 65+; population rule -> mid-2015
        row = pick(derived, "ea65_rate", "quarter", date(2016, 4, 1))
        assert (row["numerator"], row["denominator"]) == (4.0, 1000.0)
        assert row["value"] == pytest.approx(400.0)
        care_home = pick(
            derived, "ea65_rate", "quarter", date(2016, 4, 1), breakdown_value="care_home"
        )
        assert care_home["numerator"] == 1.0

    def test_zero_rows_for_rate_grid(self, derived) -> None:
        row = pick(derived, "ea65_rate", "quarter", date(2016, 4, 1), area=OTHER)
        assert (row["numerator"], row["value"]) == (0.0, 0.0)

    def test_readmissions_within_30_days_only_and_deaths_leave(self, derived) -> None:
        row = pick(derived, "readmit30_65", "quarter", date(2016, 4, 1))
        # discharges alive: spells 1, 2, 3 (4 died) -> spell 1 readmitted
        assert (row["numerator"], row["denominator"]) == (1.0, 3.0)

    def test_length_of_stay(self, derived) -> None:
        row = pick(derived, "los_over7_ea65", "quarter", date(2016, 4, 1))
        assert (row["numerator"], row["denominator"]) == (3.0, 4.0)  # 9, 0, 11, 28 days
        p90 = pick(derived, "los_p90_ea65", "quarter", date(2016, 4, 1))
        assert p90["value"] == 28.0  # nearest rank: ceil(0.9 x 4) = 4th of 0, 9, 11, 28
        assert pd.isna(p90["numerator"]) and p90["denominator"] == 4.0

    def test_england_is_all_english_records(self, derived) -> None:
        row = pick(derived, "ea65_rate", "quarter", date(2016, 4, 1), area=ENGLAND_CODE)
        assert (row["numerator"], row["denominator"]) == (4.0, 10_000.0)  # Welsh resident out

    def test_injury_from_care_home_per_year(self, derived) -> None:
        row = pick(derived, "ea_injury_carehome", "financial_year", date(2016, 4, 1))
        assert row["numerator"] == 1.0
        periods = set(derived.loc[derived["metric_id"] == "ea_injury_carehome", "period_type"])
        assert periods == {"financial_year", "rolling_12m"}  # annual only, never per quarter

    def test_no_records_no_rows(self, tmp_path) -> None:
        assert hes_build.derive(tmp_path, population()).empty


class TestPeriods:
    def test_calendar(self) -> None:
        months = hes_build.period_months(date(2016, 4, 1), date(2018, 3, 31))
        counts = months.drop_duplicates(["period_type", "period_start"]).value_counts("period_type")
        assert counts.to_dict() == {
            "month": 24,
            "quarter": 8,
            "financial_year": 2,
            "rolling_12m": 5,
        }

    def test_population_rule_uses_year_before(self) -> None:
        periods = hes_build.period_months(date(2016, 4, 1), date(2017, 3, 31))
        people = hes_build.period_population(population(), periods)
        england = people[(people["area_code"] == ENGLAND_CODE)]
        assert set(england["population"]) == {10_000.0}  # 2016/17 -> mid-2015


class TestToIndicators:
    def test_disclosure_and_flags(self, derived) -> None:
        table = hes_build.to_indicators(derived, is_synthetic=False, vintage="test")
        frame = table.to_pandas()
        assert set(frame["source"]) == {"hes"} and not frame["is_synthetic"].any()
        small = frame[(frame["numerator"].isna()) & (frame["metric_id"] == "ea65_rate")]
        assert small["suppressed"].all()
