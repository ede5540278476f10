import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

ENGLAND = "E92000001"
# Outstanding / Good / Requires improvement / Inadequate, % of rated locations in 2017
TARGETS_2017 = {
    "nursing_home": (1, 68, 27, 4),
    "residential_home": (2, 79, 17, 2),
    "domiciliary_care": (2, 81, 16, 1),
}
CODES = ("outstanding", "good", "requires_improvement", "inadequate")


@pytest.fixture(scope="module")
def cqc(indicators) -> pd.DataFrame:
    return indicators[indicators["source"] == "cqc"]


@pytest.fixture(scope="module")
def locations(generated) -> pd.DataFrame:
    return generated["cqc_locations"].to_pandas()


@pytest.fixture(scope="module")
def inspections(generated) -> pd.DataFrame:
    frame = generated["cqc_inspections"].to_pandas()
    frame["inspection_date"] = pd.to_datetime(frame["inspection_date"])
    return frame


class TestRegister:
    def test_quarterly_snapshots_april_2015_to_january_2019(self, locations):
        days = pd.DatetimeIndex(sorted(locations["snapshot_date"].unique()))
        assert len(days) == 16
        assert days[0] == pd.Timestamp("2015-04-01") and days[-1] == pd.Timestamp("2019-01-01")
        assert set(days.month) == {1, 4, 7, 10} and set(days.day) == {1}

    def test_ids_beds_and_types(self, locations):
        assert locations["location_id"].str.fullmatch(r"1-\d{10}").all()
        homes = locations[locations["service_type"] != "domiciliary_care"]
        assert homes["beds"].between(5, 120).all()
        assert locations.loc[locations["service_type"] == "domiciliary_care", "beds"].isna().all()
        mean_beds = homes.groupby("service_type")["beds"].mean()
        assert mean_beds["nursing_home"] > 1.5 * mean_beds["residential_home"]

    def test_inspections_start_in_october_2014_at_sensible_intervals(self, inspections):
        assert inspections["inspection_date"].min() >= pd.Timestamp("2014-10-01")
        assert inspections["inspection_date"].max() <= pd.Timestamp("2019-03-31")
        gaps = inspections.groupby("location_id")["inspection_date"].diff().dropna().dt.days
        assert gaps.between(150, 31 * 31).all()

    def test_snapshot_rating_is_a_published_inspection_rating(self, locations, inspections):
        day = pd.Timestamp("2017-07-01")
        snapshot = locations[pd.to_datetime(locations["snapshot_date"]) == day].dropna(
            subset=["overall_rating"]
        )
        latest = inspections[inspections["inspection_date"] < day].groupby("location_id").last()
        joined = snapshot.merge(
            latest, left_on="location_id", right_index=True, suffixes=("", "_inspection")
        )
        # a rating is published 1–3 months after the visit, so most match the latest visit
        match = (joined["overall_rating"] == joined["overall_rating_inspection"]).mean()
        assert match > 0.9
        assert (pd.to_datetime(snapshot["rating_date"]) <= day).all()


class TestRatingShares:
    @pytest.mark.parametrize("service", sorted(TARGETS_2017))
    def test_2017_mix_is_near_the_published_shares(self, cqc, service):
        rows = cqc[
            (cqc["area_code"] == ENGLAND)
            & (cqc["metric_id"] == "cqc_rating_share")
            & (cqc["breakdown"] == f"service_type:{service}")
            & (cqc["period_start"] == pd.Timestamp("2017-07-01"))
        ]
        shares = rows.set_index("breakdown_value")["value"]
        for code, target in zip(CODES, TARGETS_2017[service], strict=True):
            assert abs(shares[code] - target) <= max(4.0, 0.25 * target), (code, shares[code])

    def test_rating_numerators_add_up_to_rated_locations(self, cqc):
        shares = cqc[(cqc["metric_id"] == "cqc_rating_share") & (cqc["breakdown"] != "all")]
        groups = shares.groupby(["area_code", "period_start", "breakdown"])
        assert (groups["numerator"].sum() == groups["denominator"].first()).all()
        assert set(shares["breakdown_value"]) == set(CODES)

    def test_headline_is_the_good_or_outstanding_share(self, cqc):
        shares = cqc[cqc["metric_id"] == "cqc_rating_share"]
        key = ["area_code", "period_start"]
        headline = shares[shares["breakdown"] == "all"].set_index(key)["numerator"]
        by_rating = (
            shares[
                (shares["breakdown"] == "rating")
                & shares["breakdown_value"].isin(["outstanding", "good"])
            ]
            .groupby(key)["numerator"]
            .sum()
        )
        assert len(headline) > 0
        assert (headline == by_rating.loc[headline.index]).all()

    def test_poor_ratings_are_commoner_where_more_deprived(self, cqc, areas):
        rows = cqc[
            (cqc["metric_id"] == "cqc_rating_share")
            & (cqc["breakdown"] == "rating")
            & (cqc["area_code"] != ENGLAND)
            & cqc["breakdown_value"].isin(["requires_improvement", "inadequate"])
        ]
        poor = rows.groupby(["area_code", "period_start"])["value"].sum().groupby(level=0).mean()
        decile = areas.set_index("area_code").loc[poor.index, "imd_decile"].astype(float)
        assert spearmanr(decile, poor).statistic < -0.15  # decile 1 = most deprived

    def test_about_30_percent_of_poor_first_ratings_do_not_improve(self, cqc, inspections):
        england = cqc[(cqc["area_code"] == ENGLAND) & (cqc["metric_id"] == "cqc_not_improved")]
        assert set(england["period_type"]) == {"financial_year"}
        assert 24 <= england["numerator"].sum() / england["denominator"].sum() * 100 <= 36


class TestCapacity:
    def test_beds_and_agencies_per_head_of_65_plus(self, cqc):
        england = cqc[
            (cqc["area_code"] == ENGLAND) & (cqc["period_start"] == pd.Timestamp("2016-10-01"))
        ]
        beds = england[england["metric_id"] == "care_home_beds_per100_65"].set_index(
            "breakdown_value"
        )["value"]
        assert 2.0 <= beds["nursing_home"] <= 2.5
        assert 2.15 <= beds["residential_home"] <= 2.65
        assert np.isclose(beds["all"], beds["nursing_home"] + beds["residential_home"])
        agencies = england[england["metric_id"] == "domcare_locations_per100k_65"]["value"]
        assert 80 <= agencies.iloc[0] <= 100

    def test_snapshot_periods_start_and_end_on_the_day(self, cqc):
        snapshots = cqc[cqc["period_type"] == "snapshot"]
        assert (snapshots["period_start"] == snapshots["period_end"]).all()
        assert set(cqc.loc[cqc["period_type"] != "snapshot", "metric_id"]) == {"cqc_not_improved"}
