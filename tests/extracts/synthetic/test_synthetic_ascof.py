import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

ENGLAND = "E92000001"
CARER_MEASURES = ("ascof_1d", "ascof_3b", "ascof_3c", "ascof_3d2")
ALL_MEASURES = {
    "ascof_1a",
    "ascof_1c2a",
    "ascof_1d",
    "ascof_1i1",
    "ascof_2a2",
    "ascof_2b1",
    "ascof_2b2",
    "ascof_2c1",
    "ascof_2c2",
    "ascof_2d",
    "ascof_3a",
    "ascof_3b",
    "ascof_3c",
    "ascof_3d1",
    "ascof_3d2",
    "ascof_4a",
}
# England 2016/17 bands around the METRICS.md magnitudes
BANDS_2016 = {
    "ascof_1a": (18.9, 19.3),
    "ascof_1d": (7.5, 7.9),
    "ascof_1i1": (43, 47),
    "ascof_2a2": (570, 650),
    "ascof_2b1": (80, 85),
    "ascof_2b2": (2.3, 3.1),
    "ascof_2d": (75, 80.5),
    "ascof_3a": (62, 66),
    "ascof_3b": (37, 41),
    "ascof_3c": (68, 72),
    "ascof_3d1": (71, 75),
    "ascof_3d2": (61, 67),
    "ascof_4a": (68, 72),
    "ascof_2c1": (13, 16.5),
}


@pytest.fixture(scope="module")
def ascof(indicators) -> pd.DataFrame:
    rows = indicators[indicators["source"] == "ascof"]
    return rows.assign(year=rows["period_start"].dt.year)


def _england(ascof: pd.DataFrame) -> pd.DataFrame:
    return ascof[ascof["area_code"] == ENGLAND]


class TestMeasures:
    def test_every_measure_is_present_as_a_financial_year(self, ascof):
        assert set(ascof["metric_id"]) == ALL_MEASURES
        assert set(ascof["period_type"]) == {"financial_year"}
        assert set(ascof["year"]) == {2013, 2014, 2015, 2016, 2017, 2018}

    def test_carer_survey_measures_only_in_survey_years(self, ascof):
        carers = ascof[ascof["metric_id"].isin(CARER_MEASURES)]
        assert set(carers["year"]) == {2014, 2016, 2018}

    def test_scores_are_values_only_and_proportions_have_counts(self, ascof):
        scores = ascof[ascof["metric_id"].isin(["ascof_1a", "ascof_1d"])]
        assert scores["numerator"].isna().all() and scores["value"].notna().all()
        others = ascof[~ascof["metric_id"].isin(["ascof_1a", "ascof_1d"])]
        assert others["numerator"].notna().all() and others["denominator"].notna().all()


class TestEnglandMagnitudes:
    @pytest.mark.parametrize(("metric_id", "band"), sorted(BANDS_2016.items()))
    def test_2016_17_is_near_the_published_value(self, ascof, metric_id, band):
        england = _england(ascof)
        value = england[
            (england["metric_id"] == metric_id)
            & (england["year"] == 2016)
            & (england["breakdown"] == "all")
        ]["value"]
        assert len(value) == 1
        assert band[0] <= value.iloc[0] <= band[1]

    def test_direct_payments_by_age_add_up(self, ascof):
        rows = ascof[ascof["metric_id"] == "ascof_1c2a"]
        total = rows[rows["breakdown"] == "all"].set_index(["area_code", "year"])
        by_age = rows[rows["breakdown"] == "age"]
        assert set(by_age["breakdown_value"]) == {"18-64", "65+"}
        summed = by_age.groupby(["area_code", "year"])[["numerator", "denominator"]].sum()
        assert np.array_equal(
            summed.loc[total.index].to_numpy(), total[["numerator", "denominator"]].to_numpy()
        )
        england = _england(rows)
        in_2016 = england[england["year"] == 2016].set_index("breakdown_value")["value"]
        assert 16 <= in_2016["65+"] <= 19
        assert 26 <= in_2016["all"] <= 30


class TestDelayedTransfers:
    def test_2c_measures_reuse_the_dtoc_days(self, indicators, ascof):
        # Given the DTOC monthly total days for 2016/17
        dtoc = indicators[
            (indicators["metric_id"] == "dtoc_rate") & (indicators["area_code"] == ENGLAND)
        ]
        year = dtoc[dtoc["period_start"].between("2016-04-01", "2017-03-01")]
        total = year[year["breakdown"] == "all"]
        social_care = year[year["breakdown_value"] == "social_care"]
        # Then ASCOF 2C(1) and 2C(2) count the same days over the same person-days
        england = _england(ascof)
        in_2016 = england[england["year"] == 2016].set_index("metric_id")
        assert in_2016.loc["ascof_2c1", "numerator"] == total["numerator"].sum()
        assert in_2016.loc["ascof_2c1", "denominator"] == total["denominator"].sum()
        assert in_2016.loc["ascof_2c2", "numerator"] == social_care["numerator"].sum()


class TestBetweenCouncils:
    def _councils(self, ascof, metric_id, year=2016):
        rows = ascof[
            (ascof["metric_id"] == metric_id)
            & (ascof["area_code"] != ENGLAND)
            & (ascof["year"] == year)
            & (ascof["breakdown"] == "all")
        ]
        return rows.set_index("area_code")["value"]

    def test_permanent_admissions_follow_age_structure(self, ascof, areas):
        values = self._councils(ascof, "ascof_2a2")
        drivers = areas.set_index("area_code").loc[values.index]
        assert spearmanr(drivers["pct_65plus"], values).statistic > 0.3
        assert 0.2 <= values.std() / values.mean() <= 0.5

    def test_reablement_outcome_is_worse_where_more_deprived(self, ascof, areas):
        values = pd.concat(self._councils(ascof, "ascof_2b1", year) for year in (2015, 2016, 2017))
        mean = values.groupby(level=0).mean()
        decile = areas.set_index("area_code").loc[mean.index, "imd_decile"].astype(float)
        assert spearmanr(decile, mean).statistic > 0.1  # decile 1 = most deprived

    def test_area_effects_persist_from_year_to_year(self, ascof):
        first = self._councils(ascof, "ascof_3a", 2015)
        second = self._councils(ascof, "ascof_3a", 2016)
        common = first.index.intersection(second.index)
        assert spearmanr(first[common], second[common]).statistic > 0.5
