"""Age bands and directly standardised rates from hand-made HES records, checked against
queries.stats.dsr (itself golden-tested against PHEindicatormethods' calculate_dsr)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from extracts import hes_build, hes_standardised
from queries.schema import ENGLAND_CODE
from queries.stats import dsr
from tests.extracts.test_hes_build import AREA, OTHER, spell, write

Q1 = date(2016, 4, 1)
BANDS = {AREA: (2_000, 1_500, 500), OTHER: (3_000, 1_000, 200)}


def population() -> pd.DataFrame:
    rows = [
        (area, year, band, count)
        for area, counts in BANDS.items()
        for year in (2015, 2016)
        for band, count in zip(hes_standardised.AGE_BANDS, counts, strict=True)
    ]
    rows += [(a, y, "65+", sum(c)) for a, c in BANDS.items() for y in (2015, 2016)]
    return pd.DataFrame(rows, columns=["area_code", "year", "age_band", "count"])


def records() -> list[dict]:
    """AREA: 6 + 9 + 12 emergency admissions in Q1 by band (3 of the 85+ from care homes, 2 of
    them injuries and 1 a pressure ulcer); OTHER: 4 + 2 + 1; plus rows that must not count
    (elective, under 65)."""
    rows, key = [], 0
    plan = [(AREA, 70, 6, "19", "J189"), (AREA, 80, 9, "19", "J189"), (AREA, 90, 9, "19", "J189")]
    plan += [(AREA, 88, 2, "54", "S720"), (AREA, 88, 1, "54", "L893")]
    plan += [(OTHER, 66, 4, "19", "J189"), (OTHER, 84, 2, "19", "J189")]
    plan += [(OTHER, 85, 1, "19", "J189")]
    for area, age, count, source, diag in plan:
        for _ in range(count):
            key += 1
            admitted = date(2016, 4 + key % 3, 1 + key % 27)
            rows.append(
                spell(key, key, admitted, admitted, age=age, area=area, source=source, diag=diag)
            )
    rows.append(spell(900, 900, date(2016, 5, 1), date(2016, 5, 2), method="11"))
    rows.append(spell(901, 901, date(2016, 5, 1), date(2016, 5, 2), age=50))
    return rows


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> pd.DataFrame:
    directory = tmp_path_factory.mktemp("hes-dsr")
    write(directory, records())
    return hes_standardised.derive(directory, population())


def pick(frame, metric_id, area=AREA, breakdown_value="all", period_type="quarter"):
    chosen = frame[
        (frame["metric_id"] == metric_id)
        & (frame["area_code"] == area)
        & (frame["period_type"] == period_type)
        & (frame["period_start"] == Q1)
        & (frame["breakdown_value"] == breakdown_value)
    ]
    assert len(chosen) == 1, chosen
    return chosen.iloc[0]


class TestAgeBands:
    def test_admissions_are_counted_by_band_with_the_band_population(self, rows):
        for band, admissions, people in zip(
            hes_standardised.AGE_BANDS, (6, 9, 12), BANDS[AREA], strict=True
        ):
            row = pick(rows, "ea65_rate", breakdown_value=band)
            assert row["breakdown"] == "age_band"
            assert (row["numerator"], row["denominator"]) == (admissions, people)
            assert row["value"] == pytest.approx(admissions / people * 1e5)
        assert pick(rows, "ea65_carehome_rate", breakdown_value="85+")["numerator"] == 3
        assert pick(rows, "ea65_carehome_rate", breakdown_value="65-74")["numerator"] == 0

    def test_england_counts_every_english_resident(self, rows):
        row = pick(rows, "ea65_rate", area=ENGLAND_CODE, breakdown_value="65-74")
        assert row["numerator"] == 6 + 4
        assert row["denominator"] == BANDS[AREA][0] + BANDS[OTHER][0]

    def test_care_home_diagnoses_by_band_for_the_annual_metrics(self, rows):
        injury = pick(
            rows, "ea_injury_carehome", breakdown_value="85+", period_type="financial_year"
        )
        ulcer = pick(
            rows, "ea_pressure_ulcer_carehome", breakdown_value="85+", period_type="financial_year"
        )
        assert (injury["numerator"], ulcer["numerator"]) == (2, 1)
        assert injury["denominator"] == BANDS[AREA][2]

    def test_only_the_catalogue_period_types(self, rows):
        by_metric = rows.groupby("metric_id")["period_type"].unique().map(set).to_dict()
        every = {"month", "quarter", "financial_year", "rolling_12m"}
        assert by_metric["ea65_rate"] == by_metric["ea65_rate_dsr"] == every
        annual = {"financial_year", "rolling_12m"}
        assert by_metric["ea_injury_carehome"] == by_metric["ea_injury_carehome_dsr"] == annual


class TestStandardisedRate:
    def test_dsr_and_dobson_interval_match_the_golden_tested_python(self, rows):
        row = pick(rows, "ea65_rate_dsr")
        expected = dsr.dsr(
            [6, 9, 12], BANDS[AREA], list(dsr.ESP2013_65_PLUS.values()), levels=(0.95,)
        )
        assert row["numerator"] == 27
        assert row["value"] == pytest.approx(expected["value"], rel=1e-12)
        assert row["lower_ci"] == pytest.approx(expected["lower_95"], rel=1e-12)
        assert row["upper_ci"] == pytest.approx(expected["upper_95"], rel=1e-12)
        # PHE's derived denominator: count ÷ DSR × multiplier
        assert row["denominator"] == pytest.approx(27 / row["value"] * 1e5)

    def test_fewer_than_ten_admissions_give_no_rate(self, rows):
        row = pick(rows, "ea65_rate_dsr", area=OTHER)
        assert row["numerator"] == 7
        assert np.isnan(row[["value", "lower_ci", "upper_ci", "denominator"]].astype(float)).all()

    def test_the_sql_standard_is_the_european_standard_population_2013(self):
        text = hes_build.sql("age_standardised")
        weights = dict(re.findall(r"\('(\d\d-\d\d|85\+)', (\d+)\.0\)", text))
        assert {band: int(w) for band, w in weights.items()} == dsr.ESP2013_65_PLUS


class TestIndicators:
    def test_build_adds_the_bands_and_the_dsr_under_disclosure_control(self, tmp_path):
        write(tmp_path, records())
        table = hes_build.build(tmp_path, population(), is_synthetic=True, vintage="test")
        frame = table.to_pandas()
        standardised = frame[(frame["metric_id"] == "ea65_rate_dsr") & (frame["area_code"] == AREA)]
        quarter = standardised[standardised["period_type"] == "quarter"].iloc[0]
        assert quarter["numerator"] == 25  # 27 rounded to 5
        assert quarter["value"] == pytest.approx(pick_value(tmp_path))  # DSR kept, not recomputed
        assert quarter["denominator"] == pytest.approx(25 / quarter["value"] * 1e5)
        bands = frame[
            (frame["breakdown"] == "age_band")
            & (frame["area_code"] == AREA)
            & (frame["period_start"] == Q1)
            & (frame["period_type"] == "quarter")
        ]
        small = bands[bands["metric_id"] == "ea65_carehome_rate"].set_index("breakdown_value")
        assert small.loc["85+", "suppressed"]  # 3 admissions: suppressed
        assert set(frame["metric_id"]) >= {"ea65_rate", "ea65_rate_dsr", "ea65_carehome_rate_dsr"}


def pick_value(directory) -> float:
    return float(pick(hes_standardised.derive(directory, population()), "ea65_rate_dsr")["value"])
