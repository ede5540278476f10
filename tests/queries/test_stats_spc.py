"""XmR charts: hand-computed limits and each Making Data Count rule firing exactly once."""

import numpy as np
import pandas as pd
import pytest

from queries.stats import spc

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
        # Given 14.0 (> 13.55 but < 15.32) twice within three points
        chart = chart_after_baseline([10.5, 14.0, 9.5, 14.0, 10.5])
        assert flagged(chart, "two_in_three") == [11, 13]
        assert flagged(chart, "special_cause") == [11, 13]
        assert chart.loc[13, "rules"] == "two_in_three"

    def test_two_sigma_points_on_opposite_sides_do_not_count(self):
        chart = chart_after_baseline([10.5, 14.0, 6.0, 10.5])
        assert not chart["special_cause"].any()

    def test_a_lone_point_beyond_two_sigma_is_common_cause(self):
        chart = chart_after_baseline([10.5, 14.0, 9.5, 10.5])
        assert not chart["special_cause"].any()

    def test_keeps_the_series_index(self):
        series = pd.Series(BASELINE, index=pd.period_range("2016-04", periods=10, freq="M"))
        assert spc.xmr(series).index.equals(series.index)

    @pytest.mark.parametrize(
        ("values", "baseline", "message"),
        [
            ([1.0, np.nan, 2.0], None, "without gaps"),
            ([1.0], None, "baseline"),
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
