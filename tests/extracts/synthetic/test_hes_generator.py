"""Synthetic HES: calibrated to METRICS.md England values, seasonal, varied between councils,
deterministic, unbiased at any scale, and with counts that look like counts (any integer, small
numbers in small places that disclosure control suppresses)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from extracts import hes_build
from extracts.synthetic import hes
from extracts.synthetic import hes_model as model
from queries import hes_schema
from queries.schema import ENGLAND_CODE

SCALE = 0.01
YEARS = (2016, 2017)
FY_2016 = date(2016, 4, 1)


@pytest.fixture(scope="module")
def records(tmp_path_factory, areas, population):
    directory = tmp_path_factory.mktemp("hes_records")
    rows = hes.generate(areas, population, directory, seed=11, scale=SCALE, financial_years=YEARS)
    return directory, rows


@pytest.fixture(scope="module")
def derived(records, population) -> pd.DataFrame:
    return hes_build.derive(records[0], population)


def england(derived, metric_id, period_type="financial_year", breakdown_value="all"):
    rows = derived[
        (derived["area_code"] == ENGLAND_CODE)
        & (derived["metric_id"] == metric_id)
        & (derived["period_type"] == period_type)
        & (derived["breakdown_value"] == breakdown_value)
    ]
    return rows.set_index("period_start")["value"]


class TestRecords:
    def test_writes_partitions_with_the_declared_schema(self, records) -> None:
        directory, rows = records
        assert rows["hes_apc"] > 50_000 and rows["hes_ae"] > 50_000
        for name, spec in hes_schema.RECORD_TABLES.items():
            parts = sorted((directory / name).glob("fy=*/part-*.parquet"))
            assert {p.parent.name for p in parts} == {"fy=2016-17", "fy=2017-18"}
            assert pq.read_schema(parts[0]).equals(spec.schema, check_metadata=False)

    def test_codes_and_weights(self, records) -> None:
        apc = pq.read_table(records[0] / "hes_apc").to_pandas()
        assert set(apc["ADMIMETH"]) <= set(hes_schema.ADMIMETH)
        assert set(apc["DISDEST"]) <= set(hes_schema.DISDEST)
        weights = apc["RECORD_WEIGHT"]
        assert (weights >= 1).all() and (weights == np.round(weights)).all()
        under_65 = (apc["STARTAGE"] < 65) | (apc["STARTAGE"] > 7000)  # never in care homes
        assert abs(weights[under_65].mean() - 1 / SCALE) < 0.5
        assert set(weights[under_65]) == {1 / SCALE - 1, 1 / SCALE, 1 / SCALE + 1}
        assert (apc["STARTAGE"] < 65).any() and (apc["STARTAGE"] > 7000).any()
        assert apc["EPIKEY"].is_unique
        assert (apc["EPIORDER"] > 1).mean() > 0.1  # multi-episode spells
        finished = apc.dropna(subset=["DISDATE"])
        assert (finished["DISDATE"] >= finished["ADMIDATE"]).all()
        assert finished["SPELL_ID"].is_unique  # one discharge per spell

    def test_deterministic(self, tmp_path, small_inputs) -> None:
        areas, population = small_inputs
        hes.generate(areas, population, tmp_path / "a", seed=3, scale=0.01, financial_years=(2016,))
        hes.generate(areas, population, tmp_path / "b", seed=3, scale=0.01, financial_years=(2016,))
        for name in hes_schema.RECORD_TABLES:
            first = pq.read_table(tmp_path / "a" / name)
            assert first.equals(pq.read_table(tmp_path / "b" / name))


class TestCalibration:
    """England 2016/17 lands within bands around the METRICS.md magnitudes."""

    @pytest.mark.parametrize(
        ("metric_id", "low", "high"),
        [
            ("ea65_rate", 4 * 5_800, 4 * 7_000),  # per quarter 5,800-7,000
            ("ae65_rate", 4 * 9_500, 4 * 11_500),
            ("ea65_carehome_rate", 4 * 600, 4 * 820),
            ("readmit30_65", 17, 21),
            ("los_over7_ea65", 29, 35),
            ("ae_gp_referred_carehome", 4, 8),
            ("ea_pressure_ulcer_carehome", 110, 210),
            ("ea_injury_carehome", 750, 1_050),
            ("los_p90_ea65", 18, 22),
            ("weekend_discharge_ea65", 17, 21),
        ],
    )
    def test_england_year(self, derived, metric_id, low, high) -> None:
        value = england(derived, metric_id)[FY_2016]
        assert low <= value <= high, f"{metric_id} = {value}"

    def test_care_home_breakdowns(self, derived) -> None:
        assert 33 <= england(derived, "los_over7_ea65", breakdown_value="care_home")[FY_2016] <= 40
        assert 17 <= england(derived, "readmit30_65", breakdown_value="care_home")[FY_2016] <= 23

    def test_winter_quarter_highest(self, derived) -> None:
        quarters = england(derived, "ea65_rate", "quarter")
        assert quarters[date(2017, 1, 1)] > quarters[date(2016, 7, 1)]
        assert quarters[date(2017, 1, 1)] == quarters[quarters.index < date(2017, 4, 1)].max()

    def test_gentle_yearly_rise(self, derived) -> None:
        years = england(derived, "ae65_rate")
        assert 1.0 < years[date(2017, 4, 1)] / years[FY_2016] < 1.06


class TestBetweenCouncils:
    def test_spread_follows_deprivation(self, derived, areas) -> None:
        rows = derived[
            (derived["metric_id"] == "ea65_rate")
            & (derived["period_type"] == "financial_year")
            & (derived["breakdown"] == "all")
            & (derived["period_start"] == FY_2016)
            & (derived["area_code"] != ENGLAND_CODE)
        ].merge(areas[["area_code", "imd_avg_rank"]], on="area_code")
        values = rows["value"]
        assert values.std() / values.mean() > 0.05
        # imd_avg_rank: lower = more deprived, so more admissions go with a lower rank
        assert np.corrcoef(values, rows["imd_avg_rank"])[0, 1] < -0.2


class TestCountsLookLikeCounts:
    """Fails on the old generator, whose every record weighed exactly 1 / scale."""

    def test_counts_take_any_integer(self, derived) -> None:
        counts = derived.loc[derived["metric_id"] == "ea65_rate", "numerator"].dropna()
        counts = counts[counts > 0]
        assert (counts == np.round(counts)).all()
        assert len(set(counts % 20)) == 20 and len(set(counts % 100)) > 50

    def test_small_council_breakdowns_are_suppressed(self, derived) -> None:
        rows = derived[(derived["metric_id"] == "ea65_carehome_rate")]
        table = hes_build.to_indicators(rows, is_synthetic=True, vintage="test").to_pandas()
        suppressed = table[table["suppressed"]]
        assert len(suppressed) > 0
        assert suppressed["numerator"].isna().all() and suppressed["value"].isna().all()
        tiny = table[(table["area_code"] == "E06000053") & (table["period_type"] == "month")]
        assert tiny["suppressed"].mean() > 0.3  # a 600-resident council: mostly 1-7 a month

    def test_weights_are_unbiased_whole_numbers(self) -> None:
        rng = np.random.default_rng(5)
        for sampling in (0.01, 0.05, 0.2, 0.3, 1.0):
            weights = model.record_weights(rng, np.full(200_000, sampling))
            assert (weights >= 1).all() and (weights == np.round(weights)).all()
            assert abs(weights.mean() * sampling - 1) < 0.005, sampling
        assert set(model.record_weights(rng, np.full(1000, 1.0))) == {1.0}

    def test_care_homes_and_tiny_groups_sampled_more_densely(self) -> None:
        fractions = model.sampling_fractions(
            np.array([False, True, False]), np.array([50_000, 50_000, 120]), scale=0.05
        )
        np.testing.assert_allclose(fractions, [0.05, 0.05 * model.CARE_HOME_OVERSAMPLE, 1.0])


class TestScale:
    def test_rejects_bad_scale(self, tmp_path, small_inputs) -> None:
        with pytest.raises(ValueError, match="scale"):
            hes.generate(*small_inputs, tmp_path, scale=0)
