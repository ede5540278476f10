import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from extracts.synthetic import dtoc

ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def rates(indicators) -> pd.DataFrame:
    return indicators[indicators["metric_id"] == "dtoc_rate"]


def _england_total(rates: pd.DataFrame) -> pd.Series:
    rows = rates[(rates["area_code"] == ENGLAND) & (rates["breakdown"] == "all")]
    return rows.set_index("period_start")["value"].sort_index()


def _year(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    return frame[frame["period_start"].between(start, end)]


class TestEnglandPath:
    def test_rises_from_about_10_to_15_then_falls_to_about_11(self, rates):
        england = _england_total(rates)
        assert 9.0 <= england["2014-01-01":"2014-12-01"].mean() <= 11.5
        assert 13.0 <= england["2016-04-01":"2017-03-01"].mean() <= 17.0
        assert 14.0 <= england["2017-01-01":"2017-03-01"].mean() <= 16.5
        assert 10.0 <= england["2019-01-01":"2019-03-01"].mean() <= 12.5
        assert england.idxmax() >= pd.Timestamp("2016-09-01")

    def test_winter_is_higher_than_late_spring(self, rates):
        # Given the England series relative to its centred 12-month mean
        england = _england_total(rates)
        relative = england / england.rolling(13, center=True).mean()
        by_month = relative.groupby(relative.index.month).mean()
        # Then January–February stand above May and December
        assert by_month[[1, 2]].mean() > by_month[5] + 0.03
        assert by_month[12] < 1.0

    def test_beds_equal_days_over_days_in_month(self, indicators, rates):
        beds = indicators[
            (indicators["metric_id"] == "dtoc_beds") & (indicators["breakdown"] == "all")
        ].set_index(["area_code", "period_start"])["value"]
        total = rates[rates["breakdown"] == "all"].set_index(["area_code", "period_start"])
        days = total.index.get_level_values("period_start").days_in_month
        joined = (total["numerator"] / days).reindex(beds.index)
        assert np.allclose(joined, beds)


class TestBreakdowns:
    def test_org_and_reason_numerators_add_up_to_the_total(self, rates):
        total = rates[rates["breakdown"] == "all"].set_index(["area_code", "period_start"])
        for breakdown in ("responsible_org", "reason"):
            parts = (
                rates[rates["breakdown"] == breakdown]
                .groupby(["area_code", "period_start"])["numerator"]
                .sum()
            )
            assert np.array_equal(
                parts.reindex(total.index).to_numpy(), total["numerator"].to_numpy()
            )

    def test_2016_17_mix_matches_england_shares(self, rates):
        england = _year(rates[rates["area_code"] == ENGLAND], "2016-04-01", "2017-03-01")
        orgs = (
            england[england["breakdown"] == "responsible_org"]
            .groupby("breakdown_value")["numerator"]
            .sum()
        )
        orgs = orgs / orgs.sum()
        assert 0.55 <= orgs["NHS"] <= 0.62
        assert 0.30 <= orgs["social_care"] <= 0.37
        assert 0.06 <= orgs["both"] <= 0.10
        reasons = (
            england[england["breakdown"] == "reason"].groupby("breakdown_value")["numerator"].sum()
        )
        reasons = reasons / reasons.sum()
        assert min(reasons[["A", "C", "E", "Dii"]]) > 0.14
        assert reasons["H"] < 0.02 and reasons["H"] == reasons.min()

    def test_reason_o_only_from_april_2017(self, rates):
        other = rates[(rates["breakdown"] == "reason") & (rates["breakdown_value"] == "O")]
        assert other["period_start"].min() == pd.Timestamp("2017-04-01")
        reasons = rates[rates["breakdown"] == "reason"]
        assert set(reasons["breakdown_value"]) == set(dtoc.REASONS)


class TestBetweenCouncils:
    def test_spread_is_about_half_the_mean_and_follows_age(self, rates, areas):
        # Given 2016/17 council rates (Σ days ÷ Σ person-days)
        councils = _year(
            rates[(rates["area_code"] != ENGLAND) & (rates["breakdown"] == "all")],
            "2016-04-01",
            "2017-03-01",
        )
        sums = councils.groupby("area_code")[["numerator", "denominator"]].sum()
        rate = sums["numerator"] / sums["denominator"] * 1e5
        # Then the coefficient of variation is ≈ 0.5 and older areas delay more
        assert 0.35 <= rate.std() / rate.mean() <= 0.7
        older = areas.set_index("area_code").loc[rate.index, "pct_65plus"]
        assert spearmanr(older, rate).statistic > 0.3

    def test_small_councils_are_noisier(self, rates, areas):
        councils = rates[(rates["area_code"] != ENGLAND) & (rates["breakdown"] == "all")]
        wobble = councils.groupby("area_code")["value"].apply(
            lambda values: np.abs(np.diff(np.log(values.to_numpy() + 0.5))).mean()
        )
        size = areas.set_index("area_code").loc[wobble.index, "pop_18plus"]
        assert spearmanr(size, wobble).statistic < -0.3


class TestSimulate:
    def test_population_follows_the_rule(self, areas, population):
        delayed = dtoc.simulate(areas, population, seed=1)
        code = delayed.area_codes[0]
        adults = population[(population["area_code"] == code) & (population["age_band"] == "18+")]
        by_year = adults.set_index("year")["count"]
        april_2017 = np.flatnonzero(delayed.months["period_start"] == np.datetime64("2017-04-01"))
        assert delayed.population_18plus[0, april_2017[0]] == by_year[2016]
        assert delayed.population_18plus[0, 0] == by_year[2015]
        assert (delayed.by_reason[:, :48, -1] == 0).all()
