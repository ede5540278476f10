"""HES indicator build on hand-made records: spells, readmissions, percentiles, rates, England."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench import hes_pandas_reference
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

    def test_percentile_weighs_records_by_their_weight(self, tmp_path) -> None:
        # Given five short stays weighing 10 each and five long ones weighing 1 (oversampled)
        d = date
        rows = [spell(k, k, d(2016, 5, 1), d(2016, 5, 3), weight=10.0) for k in range(1, 6)]
        rows += [spell(k, k, d(2016, 5, 1), d(2016, 5, 31), weight=1.0) for k in range(6, 11)]
        write(tmp_path, rows)
        derived = hes_build.derive(tmp_path, population())
        # Then long stays are 5 of 55 weighted stays (not half the records): p90 is 2 days
        p90 = pick(derived, "los_p90_ea65", "quarter", date(2016, 4, 1))
        assert p90["value"] == 2.0 and p90["denominator"] == 55.0
        reference = hes_pandas_reference.indicators(tmp_path, population())
        pd.testing.assert_frame_equal(derived, reference)

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


def random_records(directory, seed: int, patients: int = 400) -> None:
    """Episodes and attendances built to hit the awkward cases, not to look like England:
    same-day admissions of one patient (ordered by spell id), spells of up to three episodes
    with the discharge on the last, unfinished spells, deaths, patients crossing 65, infants,
    Welsh and unknown English residents, weights other than 1, two files per table."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2016-04-01", "2018-03-31").date
    methods = ["21", "22", "2A", "28", "11", "12", "81", "31"]
    places = ["19", "54", "65", "85", "51", "29", "98"]
    areas = [AREA, AREA, OTHER, "W06000001", "E99999999"]
    diagnoses = ["J189", "L890", "S720", "T141", "S000", "R296", "L899"]
    episodes, spell_ids = [], rng.permutation(10 * patients) + 1
    next_spell = 0
    for patient in range(patients):
        age, area = int(rng.choice([50, 64, 65, 70, 88, 7002])), str(rng.choice(areas))
        starts = np.sort(rng.choice(len(days) - 60, size=rng.integers(1, 8)))
        starts = np.where(rng.random(len(starts)) < 0.3, starts[0], starts)  # same-day spells
        for start in starts:
            spell_id, next_spell = int(spell_ids[next_spell]), next_spell + 1
            length = int(rng.integers(0, 40))
            count = int(rng.choice([1, 1, 1, 2, 3]))
            finished = rng.random() > 0.08
            cuts = np.sort(rng.integers(0, length + 1, count - 1))
            bounds = [0, *cuts.tolist(), length]
            for order in range(count):
                last = order == count - 1
                episodes.append(
                    dict(
                        EPIKEY=len(episodes) + 1,
                        PSEUDO_HESID=patient,
                        SPELL_ID=spell_id,
                        EPIORDER=order + 1,
                        ADMIDATE=days[start],
                        EPISTART=days[start + bounds[order]],
                        EPIEND=days[start + bounds[order + 1]],
                        DISDATE=days[start + length] if last and finished else None,
                        ADMIMETH=str(rng.choice(methods)),
                        ADMISORC=str(rng.choice(places)),
                        DISDEST=str(rng.choice([*places, "79"])) if last else "98",
                        DISMETH="1",
                        STARTAGE=age,
                        SEX="2",
                        RESLADST_ONS=area,
                        PROCODE3="RXX",
                        DIAG_4_01=str(rng.choice(diagnoses)),
                        DIAG_4_02=str(rng.choice(diagnoses)) if rng.random() < 0.5 else None,
                        RECORD_WEIGHT=float(rng.choice([1.0, 2.5, 20.0])),
                    )
                )
            age += int(rng.random() < 0.2)  # some patients turn 65 between spells
    count = 10 * patients
    attendances = pa.table(
        {
            "AEKEY": np.arange(1, count + 1),
            "PSEUDO_HESID": rng.integers(0, patients, count),
            "ARRIVALDATE": pa.array(rng.choice(days, count), pa.date32()),
            "AEARRIVALMODE": ["1"] * count,
            "AEREFSOURCE": rng.choice(["00", "01", "03"], count),
            "AEATTENDCAT": rng.choice(["1", "1", "2"], count),
            "AEATTENDDISP": ["01"] * count,
            "AEDEPTTYPE": ["01"] * count,
            "ARRIVALAGE": rng.choice([30, 66, 90, 7001], count),
            "RESLADST_ONS": rng.choice(areas, count),
            "CARE_HOME_RESIDENT": pa.array(rng.choice([True, False, None], count), pa.bool_()),
            "RECORD_WEIGHT": rng.choice([1.0, 2.5], count),
        }
    ).to_pylist()
    for name, rows in (("hes_apc", episodes), ("hes_ae", attendances)):
        table = pa.Table.from_pylist(rows, schema=hes_schema.RECORD_TABLES[name].schema)
        for index, part in enumerate((table.slice(0, len(rows) // 2), table.slice(len(rows) // 2))):
            target = directory / name / f"fy=part-{index}"
            target.mkdir(parents=True)
            pq.write_table(part, target / "part-0.parquet")


class TestAgainstReference:
    """The SQL build and the independent pandas reference agree exactly on awkward records."""

    @pytest.mark.parametrize("seed", [1, 2])
    def test_same_indicator_table(self, tmp_path, seed) -> None:
        random_records(tmp_path, seed)
        sql = hes_build.derive(tmp_path, population(), threads=2)
        reference = hes_pandas_reference.indicators(tmp_path, population())
        assert set(sql["metric_id"]) == set(hes_build.METRICS)
        assert (sql.loc[sql["metric_id"] == "readmit30_65", "numerator"] > 0).any()
        pd.testing.assert_frame_equal(sql[hes_build.KEY], reference[hes_build.KEY])
        for column in ("numerator", "denominator", "value"):
            np.testing.assert_allclose(
                sql[column].to_numpy(), reference[column].to_numpy(), rtol=1e-12, equal_nan=True
            )
