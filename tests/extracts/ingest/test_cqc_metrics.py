"""extracts.cqc_metrics derives the CQC indicators from the register tables, for real imports
and the synthetic generator alike."""

from datetime import date

import pandas as pd
import pytest

from extracts import cqc_metrics
from extracts.synthetic import cqc as synthetic_cqc
from tests.fixtures import fixture_tables

KEY = ["metric_id", "area_code", "period_start", "period_type", "breakdown", "breakdown_value"]


@pytest.fixture(scope="module")
def synthetic():
    tables = fixture_tables()
    areas, population = tables["areas"].to_pandas(), tables["population"].to_pandas()
    generated = synthetic_cqc.generate(areas, population, seed=3)
    councils = sorted(areas.loc[areas["la_type"] != "country", "area_code"])
    return generated, population, councils


class TestIndicatorFrame:
    def test_shares_add_up_and_headline_is_good_or_outstanding(self, synthetic):
        # Given the synthetic register tables
        generated, population, councils = synthetic
        locations = generated["cqc_locations"].to_pandas()
        # When the shared derivation runs on them
        frame = cqc_metrics.indicator_frame(
            locations, generated["cqc_inspections"].to_pandas(), population, councils
        )
        shares = frame[frame["metric_id"] == "cqc_rating_share"]
        # Then the headline equals the Good + Outstanding share counted straight from the table
        day = locations["snapshot_date"].max()
        rated = locations[(locations["snapshot_date"] == day) & locations["overall_rating"].notna()]
        council = rated["area_code"].iloc[0]
        mine = rated[rated["area_code"] == council]
        expected = mine["overall_rating"].isin(["Good", "Outstanding"]).mean() * 100
        headline = shares[
            (shares["breakdown"] == "all")
            & (shares["area_code"] == council)
            & (pd.to_datetime(shares["period_start"]) == pd.Timestamp(day))
        ]
        assert headline["value"].iloc[0] == pytest.approx(expected)
        by_rating = shares[shares["breakdown"] == "rating"].groupby(["area_code", "period_start"])
        assert (by_rating["numerator"].sum() == by_rating["denominator"].first()).all()

    def test_one_snapshot_by_hand(self):
        locations = pd.DataFrame(
            {
                "snapshot_date": [date(2017, 9, 1)] * 3,
                "area_code": ["E06000001"] * 3,
                "service_type": ["nursing_home", "residential_home", "domiciliary_care"],
                "beds": [40, 20, None],
                "overall_rating": ["Good", None, "Inadequate"],
            }
        )
        inspections = pd.DataFrame(
            columns=["location_id", "area_code", "inspection_date", "overall_rating"]
        )
        population = pd.DataFrame(
            {"area_code": "E06000001", "year": [2016] * 3, "age_band": ["65-74", "75-84", "85+"],
             "count": [10_000, 6_000, 4_000]}
        )  # fmt: skip
        frame = cqc_metrics.indicator_frame(locations, inspections, population, ["E06000001"])
        rows = frame.set_index(["metric_id", "area_code", "breakdown", "breakdown_value"])
        share = rows.loc[("cqc_rating_share", "E06000001", "all", "all")]
        assert (share["numerator"], share["denominator"]) == (1, 2)
        beds = rows.loc[("care_home_beds_per100_65", "E92000001", "all", "all")]
        assert beds["value"] == pytest.approx(60 / 20_000 * 100)
        assert "cqc_not_improved" not in set(frame["metric_id"])


class TestNotImproved:
    def test_first_two_inspections_by_financial_year_of_the_second(self):
        inspections = pd.DataFrame(
            {
                "location_id": ["a", "a", "a", "b", "b", "c", "c"],
                "area_code": "E06000001",
                "inspection_date": [
                    date(2015, 1, 5), date(2016, 3, 1), date(2017, 5, 1),
                    date(2015, 6, 1), date(2016, 6, 1),
                    date(2015, 6, 1), date(2016, 9, 1),
                ],
                "overall_rating": [
                    "Requires improvement", "Inadequate", "Good",
                    "Inadequate", "Requires improvement",
                    "Good", "Inadequate",
                ],
            }
        )  # fmt: skip
        rows = cqc_metrics.not_improved(inspections, ["E06000001"]).set_index("period_start")
        # a: RI then Inadequate, re-inspected in 2015/16 → not improved
        assert rows.loc[date(2015, 4, 1), ["numerator", "denominator"]].tolist() == [1, 1]
        # b: Inadequate then RI in 2016/17 → improved; c was first rated Good → not counted
        assert rows.loc[date(2016, 4, 1), ["numerator", "denominator"]].tolist() == [0, 1]
