"""XmR charts: hand-computed limits and each Making Data Count rule firing exactly once."""

import numpy as np
import pandas as pd
import pytest

from queries.stats import spc
from queries.stats.spc import assurance_icon, variation_icon_key, xmr, xmr_latest

# Ten points alternating 11, 9: mean 10, every moving range 2, so mMR = 2 and the limits are
# 10 ± 2.66 × 2 = 4.68 and 15.32; the 2-sigma lines are 10 ± (2/3)(2.66)(2) = 10 ± 3.5467.
# The baseline ends below the mean, so what follows starts its own runs.
BASELINE = [11.0, 9.0] * 5


def chart_after_baseline(points):
    return spc.xmr(BASELINE + points, baseline=len(BASELINE))


def flagged(chart, rule):
    return chart.index[chart[rule]].tolist()


class TestXmr:
    def test_limits_by_hand(self):
        chart = spc.xmr(BASELINE)
        row = chart.iloc[0]
        assert (row["mean"], row["mean_moving_range"]) == (10.0, 2.0)
        assert (row["lower_limit"], row["upper_limit"]) == pytest.approx((4.68, 15.32))
        assert row["upper_two_sigma"] == pytest.approx(10 + 2 / 3 * 2.66 * 2)
        assert np.isnan(row["moving_range"])
        assert chart["moving_range"].iloc[1:].eq(2.0).all()

    def test_stable_series_has_no_special_cause(self):
        chart = spc.xmr(BASELINE)
        assert not chart["special_cause"].any()
        assert chart["rules"].eq("").all() and chart["direction"].isna().all()

    def test_point_beyond_the_limits(self):
        # Given a jump to 16 (> 15.32) with ordinary neighbours
        chart = chart_after_baseline([16.0, 9.0, 11.0])
        assert flagged(chart, "beyond_limits") == [10]
        assert flagged(chart, "special_cause") == [10]
        assert chart.loc[10, "rules"] == "beyond_limits"
        assert chart.loc[10, "direction"] == "high"

    def test_baseline_fixes_the_limits(self):
        # Given a much higher later spell, judged against the first ten points only
        chart = chart_after_baseline([30.0, 9.0])
        assert chart["upper_limit"].tolist() == pytest.approx([15.32] * 12)
        assert chart.loc[10, "beyond_limits"]

    def test_shift_of_seven_flags_all_seven(self):
        # Given seven points just above the mean, alternating so they do not trend
        chart = chart_after_baseline([10.5, 10.6] * 3 + [10.5])
        assert flagged(chart, "shift") == list(range(10, 17))
        assert flagged(chart, "special_cause") == list(range(10, 17))
        assert set(chart.loc[10:16, "direction"]) == {"high"}

    def test_six_on_one_side_is_not_a_shift(self):
        chart = chart_after_baseline([10.5, 10.6] * 3 + [9.0])
        assert not chart["special_cause"].any()

    def test_trend_of_seven_rising_points(self):
        # Given seven rising points that cross the mean and stay inside the 2-sigma lines
        chart = chart_after_baseline([7.0, 8.0, 9.0, 9.5, 10.5, 11.0, 12.0])
        assert flagged(chart, "trend") == list(range(10, 17))
        assert flagged(chart, "special_cause") == list(range(10, 17))
        # A trend's direction is its own, even for points below the mean
        assert set(chart.loc[10:16, "direction"]) == {"high"}

    def test_six_rising_points_are_not_a_trend(self):
        chart = chart_after_baseline([8.0, 9.0, 9.5, 10.5, 11.0, 12.0, 10.2])
        assert not chart["trend"].any()

    def test_equal_neighbours_break_a_trend(self):
        chart = chart_after_baseline([7.0, 8.0, 9.0, 9.0, 10.5, 11.0, 12.0])
        assert not chart["trend"].any()

    def test_two_of_three_beyond_two_sigma_on_one_side(self):
        # Given 14.0 (> 13.55 but < 15.32) twice within three points all above the mean
        chart = chart_after_baseline([10.5, 14.0, 10.5, 14.0, 9.5])
        assert flagged(chart, "two_in_three") == [11, 13]
        assert flagged(chart, "special_cause") == [11, 13]
        assert chart.loc[13, "rules"] == "two_in_three"
        assert chart.loc[13, "direction"] == "high"

    def test_two_of_three_needs_the_middle_point_on_the_same_side(self):
        # Given the same two near-limit points with the point between them below the mean
        # (the old rule flagged them; Making Data Count requires all three on one side)
        chart = chart_after_baseline([10.5, 14.0, 9.5, 14.0, 10.5])
        assert not chart["special_cause"].any()

    def test_a_point_beyond_the_limit_counts_towards_two_of_three(self):
        # Given 14.0 (between 2σ and 3σ) then 16.0 (beyond the upper limit), then 10.5
        chart = chart_after_baseline([10.5, 14.0, 16.0, 10.5])
        assert flagged(chart, "two_in_three") == [11, 12]
        assert chart.loc[11, "rules"] == "two_in_three"
        assert chart.loc[12, "rules"] == "beyond_limits,two_in_three"

    def test_two_sigma_points_on_opposite_sides_do_not_count(self):
        chart = chart_after_baseline([10.5, 14.0, 6.0, 10.5])
        assert not chart["special_cause"].any()

    def test_a_lone_point_beyond_two_sigma_is_common_cause(self):
        chart = chart_after_baseline([10.5, 14.0, 9.5, 10.5])
        assert not chart["special_cause"].any()

    def test_a_point_beyond_a_limit_takes_its_side_over_a_trend(self):
        # Given a fall of seven points starting beyond the upper limit
        chart = chart_after_baseline([16.0, 14.0, 12.0, 11.0, 10.5, 10.2, 9.8])
        assert flagged(chart, "trend") == list(range(10, 17))
        assert chart.loc[10, "direction"] == "high"
        assert set(chart.loc[11:16, "direction"]) == {"low"}

    def test_keeps_the_series_index(self):
        series = pd.Series(BASELINE, index=pd.period_range("2016-04", periods=10, freq="M"))
        assert spc.xmr(series).index.equals(series.index)

    @pytest.mark.parametrize(
        ("values", "baseline", "message"),
        [
            ([1.0, np.nan, 2.0], None, "without gaps"),
            ([1.0], None, "at least 2 points"),
            ([1.0, 2.0, 3.0], 1, "baseline"),
            ([[1.0, 2.0], [3.0, 4.0]], None, "1-D"),
        ],
    )
    def test_unusable_series_are_errors(self, values, baseline, message):
        with pytest.raises(ValueError, match=message):
            spc.xmr(values, baseline)


class TestVariationIcon:
    @pytest.mark.parametrize(
        ("polarity", "expected"),
        [
            ("higher_is_better", "special cause improvement"),
            ("lower_is_better", "special cause concern"),
            ("context", "special cause neither"),
        ],
    )
    def test_latest_special_cause_point_decides(self, polarity, expected):
        chart = chart_after_baseline([10.5, 16.0])
        assert spc.variation_icon(chart, polarity) == expected

    def test_special_cause_in_the_past_is_common_cause_now(self):
        chart = chart_after_baseline([16.0, 9.0])
        assert spc.variation_icon(chart, "higher_is_better") == "common cause"

    def test_unknown_polarity_is_an_error(self):
        with pytest.raises(ValueError, match="polarity"):
            spc.variation_icon(spc.xmr(BASELINE), "up")


class TestAssuranceIcon:
    @pytest.mark.parametrize(
        ("target", "polarity", "expected"),
        [
            (4.0, "higher_is_better", "consistently pass"),
            (16.0, "higher_is_better", "consistently fail"),
            (10.0, "higher_is_better", "hit and miss"),
            (16.0, "lower_is_better", "consistently pass"),
            (4.0, "lower_is_better", "consistently fail"),
            (None, "lower_is_better", "no target"),
            (np.nan, "higher_is_better", "no target"),
            (4.0, "context", "no target"),
        ],
    )
    def test_process_limits_against_target(self, target, polarity, expected):
        # Given limits 4.68 to 15.32
        chart = spc.xmr(BASELINE)
        assert spc.assurance_icon(chart, target, polarity) == expected

    def test_accepts_a_pair_of_limits(self):
        assert spc.assurance_icon((4.68, 15.32), 15.32, "higher_is_better") == "hit and miss"


class TestRebase:
    def test_each_segment_has_its_own_limits(self):
        # Given a stable spell around 10 then a service change to a spell around 20
        chart = spc.xmr(BASELINE + [21.0, 19.0] * 5, rebase_at=[10])
        assert chart["segment"].tolist() == [0] * 10 + [1] * 10
        assert chart["mean"].tolist() == [10.0] * 10 + [20.0] * 10
        assert chart.loc[10:, "upper_limit"].tolist() == pytest.approx([25.32] * 10)
        # the jump between segments is not a moving range of either
        assert np.isnan(chart.loc[10, "moving_range"])
        assert not chart["special_cause"].any()

    def test_without_rebasing_the_change_is_special_cause(self):
        chart = spc.xmr(BASELINE + [21.0, 19.0] * 5)
        assert chart["segment"].eq(0).all()
        assert chart.loc[10:, "special_cause"].all()

    def test_rules_do_not_run_across_a_rebase(self):
        # Given four points above the mean before the change and four after: no run of seven
        before = [9.0, 11.0, 9.0, 11.0, 9.0, 11.0, 10.5, 10.6, 10.5, 10.6]
        after = [10.5, 10.6, 10.5, 10.6, 9.0, 11.0, 9.0, 11.0]
        assert spc.xmr(before + after)["shift"].any()
        assert not spc.xmr(before + after, rebase_at=[10])["shift"].any()

    def test_several_rebase_points(self):
        chart = spc.xmr([1.0, 2.0, 1.0, 5.0, 6.0, 5.0, 9.0, 10.0, 9.0], rebase_at=[6, 3])
        assert chart["segment"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
        assert chart.groupby("segment")["mean"].first().tolist() == pytest.approx(
            [4 / 3, 16 / 3, 28 / 3]
        )

    def test_baseline_applies_within_each_segment(self):
        chart = spc.xmr(BASELINE + [21.0, 19.0, 21.0, 30.0, 30.0], baseline=3, rebase_at=[10])
        assert chart.loc[0, "mean"] == pytest.approx(31 / 3)
        assert chart.loc[10, "mean"] == pytest.approx(61 / 3)
        assert chart["limit_points"].eq(3).all()

    def test_fewer_than_twelve_points_give_trial_limits(self):
        chart = spc.xmr(BASELINE + [11.0, 9.0] * 4 + [21.0, 19.0] * 6, rebase_at=[18])
        assert chart.groupby("segment")["limit_points"].first().tolist() == [18, 12]
        assert not chart["trial_limits"].any()
        short = spc.xmr(BASELINE + [21.0, 19.0] * 6, rebase_at=[10])
        assert short.groupby("segment")["trial_limits"].first().tolist() == [True, False]

    @pytest.mark.parametrize(
        ("rebase_at", "message"),
        [([0], "inside the series"), ([10], "inside the series"), ([9], "at least 2 points")],
    )
    def test_unusable_rebase_points_are_errors(self, rebase_at, message):
        with pytest.raises(ValueError, match=message):
            spc.xmr(BASELINE, rebase_at=rebase_at)


class TestOutlierScreening:
    def test_off_by_default(self):
        # Given one huge jump: its two moving ranges inflate the mean moving range
        values = BASELINE + [40.0] + BASELINE
        plain = spc.xmr(values)
        assert plain.loc[0, "mean_moving_range"] == pytest.approx((18 * 2 + 29 + 31) / 20)

    def test_screening_drops_moving_ranges_of_3_267_mmr_or_more(self):
        values = BASELINE + [40.0] + BASELINE
        screened = spc.xmr(values, screen_outliers=True)
        assert screened.loc[0, "mean_moving_range"] == pytest.approx(2.0)
        assert screened.loc[0, "upper_limit"] == pytest.approx(10 + 30 / 21 + 2.66 * 2)
        assert screened.loc[10, "beyond_limits"]

    def test_a_flat_baseline_keeps_zero_width_limits_when_screened(self):
        # Given no variation at all: screening has no range to drop, so the limits stay at the mean
        screened = spc.xmr([5.0, 5.0, 5.0, 5.0], screen_outliers=True)
        assert screened["mean_moving_range"].tolist() == [0.0] * 4
        assert screened["upper_limit"].tolist() == [5.0] * 4


class TestVariationIconKey:
    @pytest.mark.parametrize(
        ("points", "polarity", "expected"),
        [
            ([10.5, 16.0], "higher_is_better", "improvement_high"),
            ([10.5, 16.0], "lower_is_better", "concern_high"),
            ([10.5, 16.0], "context", "neither_high"),
            ([9.5, 4.0], "higher_is_better", "concern_low"),
            ([9.5, 4.0], "lower_is_better", "improvement_low"),
            ([9.5, 4.0], "context", "neither_low"),
            ([10.5, 9.5], "higher_is_better", "common_cause"),
        ],
    )
    def test_icon_names_the_side(self, points, polarity, expected):
        chart = chart_after_baseline(points)
        assert spc.variation_icon_key(chart, polarity) == expected
        assert expected in spc.VARIATION_ICON_KEYS


class TestLatestPoint:
    @pytest.mark.parametrize("seed", range(40))
    def test_the_latest_point_is_the_charts_latest_row(self, seed):
        # Noise alone, then a spike, a drop and a falling trend at the end: common cause and
        # special causes of both sides
        rng = np.random.default_rng(seed)
        values = rng.normal(100, 5, 12 + seed)
        ending = (np.zeros(1), np.array([40.0]), np.array([-40.0]), -np.arange(8.0) * 4)[seed % 4]
        values[-len(ending) :] += ending
        chart = xmr(values)
        point = xmr_latest(values)
        assert point.special_cause == bool(chart["special_cause"].iloc[-1])
        assert point.direction == (chart["direction"].iloc[-1] if point.special_cause else None)
        assert (point.lower_limit, point.upper_limit) == (
            chart["lower_limit"].iloc[-1],
            chart["upper_limit"].iloc[-1],
        )
        for polarity in ("higher_is_better", "lower_is_better", "context"):
            assert variation_icon_key(point, polarity) == variation_icon_key(chart, polarity)
            assert assurance_icon(point, 100.0, polarity) == assurance_icon(chart, 100.0, polarity)
