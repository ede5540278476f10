import pandas as pd
import pytest
from scipy.stats import spearmanr

ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def chc(indicators) -> pd.DataFrame:
    return indicators[indicators["source"] == "chc"]


def _england(chc: pd.DataFrame, metric_id: str) -> pd.Series:
    rows = chc[(chc["area_code"] == ENGLAND) & (chc["metric_id"] == metric_id)]
    return rows.set_index("period_start")["value"].sort_index()


class TestQuarters:
    def test_financial_quarters_2013_14_q1_to_2018_19_q4(self, chc):
        starts = pd.DatetimeIndex(sorted(chc["period_start"].unique()))
        assert len(starts) == 24 and set(chc["period_type"]) == {"quarter"}
        assert starts[0] == pd.Timestamp("2013-04-01")
        assert starts[-1] == pd.Timestamp("2019-01-01")
        ends = chc.groupby("period_start")["period_end"].first()
        assert ends[pd.Timestamp("2019-01-01")] == pd.Timestamp("2019-03-31")


class TestEnglandMagnitudes:
    def test_28_day_decisions_are_57_to_60_percent_around_2016(self, chc):
        england = _england(chc, "chc_28day")
        assert 55 <= england["2016-04-01":"2017-03-01"].mean() <= 61
        assert england.between(50, 66).all()

    def test_eligibility_fast_track_and_budgets(self, chc):
        assert 45 <= _england(chc, "chc_eligible_per50k").mean() <= 55
        assert 30 <= _england(chc, "chc_fasttrack_per50k").mean() <= 40
        budgets = _england(chc, "phb_per50k")
        assert budgets.iloc[0] < 3 and budgets.iloc[-1] > 10
        assert budgets["2018-04-01":].mean() > 3 * budgets[:"2014-01-01"].mean()


class TestBetweenCouncils:
    def test_slow_deciders_have_more_long_waits(self, chc):
        councils = chc[chc["area_code"] != ENGLAND]
        mean = councils.groupby(["metric_id", "area_code"])["value"].mean().unstack(0)
        assert spearmanr(mean["chc_28day"], mean["chc_over28_per50k"]).statistic < -0.3

    def test_eligibility_rises_with_the_share_of_very_old(self, chc, areas):
        councils = chc[(chc["area_code"] != ENGLAND) & (chc["metric_id"] == "chc_eligible_per50k")]
        mean = councils.groupby("area_code")["value"].mean()
        old = areas.set_index("area_code").loc[mean.index, "pct_85plus"]
        assert spearmanr(old, mean).statistic > 0.3
