"""The explorer's ranking, funnel and reviewed-areas queries against the published fixture."""

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from queries import explorer, series, stats
from queries.store import DataStore
from tests.fixtures import COUNCILS, PEERS, publish_fixture

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
QUARTERLY = explorer.Selection(metric_id="ea65_rate", period_type="quarter")
FIRST_QUARTER = date(2016, 4, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("explorer-queries")
    publish_fixture(directory)
    return DataStore(directory)


class TestRanking:
    def test_one_row_per_council_with_roles(self, store):
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        assert len(frame) == len(COUNCILS)
        assert frame["role"].value_counts().to_dict() == {
            "peer": PEERS,
            "other": len(COUNCILS) - PEERS - 1,
            "area": 1,
        }
        assert frame.loc[frame["role"] == "area", "area_code"].item() == COVENTRY
        assert frame["period_label"].unique().tolist() == ["2016/17 Q1"]

    def test_positions_rank_values_and_skip_suppressed_councils(self, store):
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        halton = frame[frame["area_code"] == HALTON].iloc[0]
        assert bool(halton["area_suppressed"]) and pd.isna(halton["position"])
        ranked = frame[frame["position"].notna()]
        assert ranked["position"].tolist() == list(range(1, len(COUNCILS)))
        assert ranked["area_value"].is_monotonic_increasing

    def test_intervals_filled_from_counts_and_verdict_against_england(self, store):
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        ranked = frame[frame["position"].notna()]
        assert (ranked["area_lower"] < ranked["area_value"]).all()
        assert (ranked["area_upper"] > ranked["area_value"]).all()
        assert set(ranked["vs_england"]) <= {"better", "similar", "worse"}
        assert frame["england_value"].nunique() == 1

    def test_unadjusted_funnel_flags_agree_with_the_verdict(self, store):
        frame = explorer.ranking(
            store,
            QUARTERLY,
            area_code=COVENTRY,
            period_start=FIRST_QUARTER,
            funnel_adjustment="none",
        )
        ranked = frame[frame["position"].notna()]
        worse = ranked["vs_england"] == "worse"  # lower is better: worse = above England
        assert ranked.loc[worse, "funnel_flag"].str.startswith("above").all()
        assert frame.loc[frame["area_code"] == HALTON, "funnel_flag"].item() == "not compared"

    def test_default_adjustment_comes_from_the_catalogue_and_flags_follow_its_limits(self, store):
        # ea65_rate's catalogue default is additive random effects
        assert QUARTERLY.metric.funnel_overdispersion == "additive"
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        plain = explorer.ranking(
            store,
            QUARTERLY,
            area_code=COVENTRY,
            period_start=FIRST_QUARTER,
            funnel_adjustment="none",
        )
        dispersion = explorer.funnel_dispersion(frame, QUARTERLY.metric)
        assert dispersion.method == "additive" and dispersion.areas == len(COUNCILS) - 1
        flagged = frame["funnel_flag"].str.contains("9").sum()
        assert flagged <= plain["funnel_flag"].str.contains("9").sum()
        # each flag is the council's value against the limits at its own denominator
        ranked = frame[frame["position"].notna()]
        limits = stats.funnel_limits(
            ranked["funnel_benchmark"].iloc[0],
            ranked["area_denominator"].astype(float),
            ci_method="byar",
            multiplier=QUARTERLY.metric.multiplier,
            dispersion=dispersion,
        )
        value = ranked["area_value"].astype(float).to_numpy()
        outside = (value > limits["upper_95"].to_numpy()) | (value < limits["lower_95"].to_numpy())
        assert np.array_equal(outside, (ranked["funnel_flag"] != "within").to_numpy())
        with pytest.raises(ValueError, match="overdispersion method"):
            explorer.funnel_dispersion(frame, QUARTERLY.metric, "random")

    def test_funnel_curve_spans_the_denominators_and_brackets_england(self, store):
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        limits = explorer.funnel_curve(frame, QUARTERLY.metric)
        assert len(limits) == explorer.FUNNEL_POINTS
        england = frame["england_value"].iloc[0]
        assert (limits["lower_99_8"] < limits["lower_95"]).all()
        assert (limits["lower_95"] < england).all() and (limits["upper_95"] > england).all()
        assert (limits["upper_95"] < limits["upper_99_8"]).all()

    def test_a_period_without_data_gives_no_values(self, store):
        frame = explorer.ranking(
            store, QUARTERLY, area_code=COVENTRY, period_start=date(2030, 4, 1)
        )
        assert frame["area_value"].isna().all()
        assert frame["position"].isna().all()
        assert explorer.funnel_curve(frame, QUARTERLY.metric).empty

    def test_metrics_without_a_count_interval_have_no_funnel(self, store):
        frame = explorer.ranking(store, QUARTERLY, area_code=COVENTRY, period_start=FIRST_QUARTER)
        no_ci = replace(QUARTERLY.metric, ci_method="none")
        assert explorer.funnel_curve(frame, no_ci).empty


class TestReviewedSeries:
    def test_every_reviewed_council_every_period_with_its_comparator_mean(self, store):
        monthly = explorer.Selection(metric_id="dtoc_rate", period_type="month")
        frame = explorer.reviewed_series(store, monthly)
        assert sorted(frame["area_code"].unique()) == [HALTON, COVENTRY]
        assert len(frame) == 2 * 24
        assert frame["comparator_n"].eq(PEERS).all()
        assert frame["period_label"].iloc[0] == "Apr 2016"
        assert not frame["is_synthetic"].any()

    def test_comparator_mean_matches_metric_series(self, store):
        frame = explorer.reviewed_series(store, QUARTERLY)
        request = series.SeriesRequest(metric_id="ea65_rate", area_code=COVENTRY)
        expected = series.metric_series(store, request)["comparator_mean"].tolist()
        coventry = frame[frame["area_code"] == COVENTRY]
        assert coventry["comparator_mean"].tolist() == pytest.approx(expected)

    def test_period_range_is_applied(self, store):
        frame = explorer.reviewed_series(
            store, QUARTERLY, period_from=date(2017, 4, 1), period_to=date(2017, 7, 1)
        )
        assert frame["period_label"].unique().tolist() == ["2017/18 Q1", "2017/18 Q2"]

    def test_suppressed_values_stay_empty(self, store):
        frame = explorer.reviewed_series(store, QUARTERLY)
        first = frame[(frame["area_code"] == HALTON) & (frame["period_start"] == FIRST_QUARTER)]
        assert bool(first["area_suppressed"].item()) and first["area_value"].isna().item()
