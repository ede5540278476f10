from datetime import date

import numpy as np
import pandas as pd
import pytest

from extracts.synthetic import common, indicator_rows

ENGLAND = "E92000001"


class TestPopulationYearFor:
    def test_uses_the_calendar_year_before_the_financial_year(self):
        # Given periods in 2017/18 (April 2017 … March 2018)
        # When / Then they all use mid-2016
        assert common.population_year_for(date(2017, 4, 1)) == 2016
        assert common.population_year_for(date(2018, 1, 1)) == 2016
        assert common.population_year_for(pd.Timestamp("2018-03-01")) == 2016

    def test_falls_back_to_the_nearest_available_year(self):
        assert common.population_year_for(date(2013, 4, 1)) == 2015
        assert common.population_year_for(date(2019, 3, 1)) == 2017
        assert common.population_year_for(date(2022, 4, 1)) == 2019
        assert common.population_year_for(date(2017, 4, 1), available_years=[2015, 2019]) == 2015

    def test_needs_some_years(self):
        with pytest.raises(ValueError):
            common.population_year_for(date(2017, 4, 1), available_years=[])


class TestCalendar:
    def test_months_quarters_and_years_cover_april_2013_to_march_2019(self):
        months = common.calendar("month")
        quarters = common.calendar("quarter")
        years = common.calendar("financial_year")
        assert (len(months), len(quarters), len(years)) == (72, 24, 6)
        for periods in (months, quarters, years):
            assert periods["days"].sum() == (date(2019, 3, 31) - date(2013, 4, 1)).days + 1
        assert list(pd.DatetimeIndex(quarters["period_start"][:4]).month) == [4, 7, 10, 1]
        assert str(quarters["period_end"].iloc[3])[:10] == "2014-03-31"
        assert list(years["financial_year"]) == [2013, 2014, 2015, 2016, 2017, 2018]

    def test_snapshots_end_where_they_start(self):
        days = common.snapshot_calendar(date(2015, 4, 1), date(2019, 3, 31), months=3)
        assert len(days) == 16
        assert (days["period_start"] == days["period_end"]).all()

    def test_unknown_type_is_an_error(self):
        with pytest.raises(ValueError):
            common.calendar("fortnight")


class TestStream:
    def test_same_seed_and_purpose_repeat_and_purposes_differ(self):
        first = common.stream(1, "dtoc").random(5)
        assert np.array_equal(first, common.stream(1, "dtoc").random(5))
        assert not np.array_equal(first, common.stream(1, "chc").random(5))
        assert not np.array_equal(first, common.stream(2, "dtoc").random(5))


class TestCouncilsAndDrivers:
    def test_drops_england_and_standardises(self, areas):
        rows = common.councils(areas)
        assert len(rows) == 152 and ENGLAND not in set(rows["area_code"])
        drivers = common.drivers(rows)
        assert np.allclose(drivers.mean(), 0, atol=1e-9)
        most_deprived = rows["imd_decile"].astype(float).idxmin()
        assert drivers["deprivation"].iloc[most_deprived] > 1.0

    def test_deprivation_direction_follows_the_decile_whichever_way_ranks_run(self, areas):
        # Given the same councils with the IMD average rank running the other way
        rows = common.councils(areas)
        flipped = rows.assign(imd_avg_rank=40_000 - rows["imd_avg_rank"])
        # When drivers are computed for both
        original = common.drivers(rows)["deprivation"]
        reversed_ranks = common.drivers(flipped)["deprivation"]
        # Then deprivation is the same, and it falls as the decile rises
        assert np.allclose(original, reversed_ranks)
        assert np.corrcoef(original, rows["imd_decile"].astype(float))[0, 1] < -0.8

    def test_missing_ranks_count_as_average(self, areas):
        rows = common.councils(areas).copy()
        rows.loc[:2, ["imd_avg_rank", "imd_decile"]] = np.nan
        assert (common.drivers(rows)["deprivation"].iloc[:3] == 0).all()

    def test_missing_columns_are_named(self, areas):
        with pytest.raises(ValueError, match="pct_85plus"):
            common.councils(areas.drop(columns=["pct_85plus"]))


class TestPopulationMatrix:
    def test_applies_the_rule_and_derives_bands(self, areas, population):
        codes = np.array(["E06000001", "E08000001"])
        starts = [date(2013, 4, 1), date(2017, 4, 1)]
        adults = common.population_matrix(population, codes, starts, "18+")
        wanted = population[(population["age_band"] == "18+") & population["area_code"].isin(codes)]
        by_year = wanted.pivot(index="area_code", columns="year", values="count")
        assert np.array_equal(adults[:, 0], by_year.loc[codes, 2015].to_numpy())
        assert np.array_equal(adults[:, 1], by_year.loc[codes, 2016].to_numpy())
        # Given only the single bands, 18+ is derived from them
        singles = population[~population["age_band"].isin(["18+", "65+", "all"])]
        derived = common.population_matrix(singles, codes, starts, "18+")
        assert np.allclose(derived, adults, atol=4)

    def test_missing_area_is_an_error(self, population):
        with pytest.raises(ValueError, match="E06999999"):
            common.population_matrix(population, np.array(["E06999999"]), [date(2016, 4, 1)], "65+")


class TestNoise:
    def test_overdispersed_counts_keep_the_mean_and_vary_more_than_poisson(self):
        rng = common.stream(3, "test")
        counts = common.overdispersed_counts(rng, np.full(20_000, 50.0), dispersion=8.0)
        assert counts.min() >= 0
        assert abs(counts.mean() - 50) < 1.0
        assert 300 < counts.var() < 600  # ≈ 50 × 9

    def test_calibrated_probability_meets_the_weighted_target(self):
        rng = common.stream(4, "test")
        effect = rng.normal(0, 1, (100, 3))
        weights = rng.uniform(10, 1000, (100, 3))
        target = np.array([0.1, 0.5, 0.825])
        probability = common.calibrated_probability(effect, target, weights)
        achieved = (probability * weights).sum(axis=0) / weights.sum(axis=0)
        assert np.allclose(achieved, target, atol=1e-6)

    def test_rate_factor_has_weighted_mean_one(self):
        rng = common.stream(5, "test")
        weights = rng.uniform(1, 10, (50, 4))
        factor = common.rate_factor(rng.normal(0, 0.5, (50, 4)), weights)
        assert np.allclose((factor * weights).sum(axis=0) / weights.sum(axis=0), 1.0)


def _toy_rows() -> pd.DataFrame:
    periods = common.calendar("financial_year")[:2]
    codes = np.array(["E06000001", "E06000002", "E06000003"])
    ratio = indicator_rows.grid_rows(
        "ratio",
        codes,
        periods,
        numerator=np.array([[1, 2], [3, 4], [5, 6]]),
        denominator=np.full((3, 2), 10.0),
        multiplier=100,
    )
    score = indicator_rows.grid_rows(
        "score",
        codes,
        periods,
        value=np.array([[1, 1], [2, 2], [3, 3]]),
        weight=np.array([[1, 1], [1, 1], [2, 2]]),
    )
    beds = indicator_rows.grid_rows("beds", codes, periods, value=np.ones((3, 2)))
    return pd.concat([ratio, score, beds], ignore_index=True)


class TestWithEngland:
    def test_ratio_is_recomputed_score_weighted_and_value_summed(self):
        # Given three councils, two years and three kinds of measure
        frame = indicator_rows.with_england(_toy_rows())
        # When England rows are added
        england = frame[frame["area_code"] == ENGLAND].set_index("metric_id")
        first_year = england[england["period_start"] == england["period_start"].min()]
        # Then ratios are Σ numerator ÷ Σ denominator, scores weighted, values summed
        assert first_year.loc["ratio", "numerator"] == 9
        assert first_year.loc["ratio", "value"] == pytest.approx(30.0)
        assert first_year.loc["score", "value"] == pytest.approx((1 + 2 + 6) / 4)
        assert first_year.loc["beds", "value"] == 3
        assert len(england) == 6


class TestDropMissingPeriods:
    def test_drops_whole_council_periods_rarely_and_never_england(self):
        frame = indicator_rows.with_england(_toy_rows())
        kept = common.drop_missing_periods(frame, common.stream(1, "gaps"), share=0.005)
        dropped = frame.merge(kept, how="left", indicator=True)
        gone = dropped[dropped["_merge"] == "left_only"]
        # 6 council-periods × 0.5 % rounds to at least one, with all its metric rows
        assert gone[["area_code", "period_start"]].drop_duplicates().shape[0] == 1
        assert len(gone) == 3
        assert ENGLAND not in set(gone["area_code"])
        again = common.drop_missing_periods(frame, common.stream(1, "gaps"), share=0.005)
        assert again.equals(kept)
