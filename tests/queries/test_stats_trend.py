"""Fingertips recent trend and runs of difference from a benchmark."""

import numpy as np
import pytest
from scipy import stats

from queries.stats import trend

# An interval 3.92 wide at 95 % is a standard error of 1 (variance 1, weight 1), so the
# weighted regression is ordinary least squares on t = 1..5 and can be done by hand:
# S1 = 5, St = 15, Stt = 55, so var(slope) = S1 / (S1 Stt - St^2) = 5 / 50 = 0.1.
HALF_WIDTH = 1.959964


def with_unit_variance(values):
    values = np.asarray(values, dtype=float)
    return values, values - HALF_WIDTH, values + HALF_WIDTH


class TestRecentTrend:
    def test_straight_line_rising_by_two_is_increasing(self):
        # Given 10, 12, ..., 18 with unit variance: slope 2, chi-square 2^2 / 0.1 = 40
        result = trend.recent_trend(*with_unit_variance([10, 12, 14, 16, 18]))
        assert result.direction == "increasing"
        assert result.slope == pytest.approx(2.0)
        assert result.chi_square == pytest.approx(40.0, rel=1e-6)
        assert result.p_value == pytest.approx(stats.chi2.sf(40.0, 1))
        assert result.points_used == 5

    def test_falling_line_is_decreasing(self):
        result = trend.recent_trend(*with_unit_variance([18, 16, 14, 12, 10]))
        assert (result.direction, result.slope) == ("decreasing", pytest.approx(-2.0))

    def test_zigzag_has_no_significant_change(self):
        # Sum of (t - 3)(y - 10.4) over 10, 11, 10, 11, 10 is 0: slope 0
        result = trend.recent_trend(*with_unit_variance([10, 11, 10, 11, 10]))
        assert result.direction == "no significant change"
        assert result.slope == pytest.approx(0.0, abs=1e-12)

    def test_default_test_is_at_99_8_percent(self):
        # Given slope 0.8: chi-square 0.64 / 0.1 = 6.4, between 3.84 (95 %) and 9.55 (99.8 %)
        series = with_unit_variance([10.8, 11.6, 12.4, 13.2, 14.0])
        assert trend.recent_trend(*series).direction == "no significant change"
        assert trend.recent_trend(*series, confidence=0.95).direction == "increasing"

    def test_one_outlying_point_cannot_make_a_trend(self):
        # Given a fall of 1 a year and then a jump: the full slope is +3.4 (chi-square 115.6)
        # but without the last point the slope is -1, so the leave-one-out check fails
        result = trend.recent_trend(*with_unit_variance([12, 11, 10, 9, 30]))
        assert result.chi_square == pytest.approx(115.6, rel=1e-6)
        assert result.direction == "no significant change"

    def test_uses_only_the_latest_five_usable_points(self):
        # Given an old fall, then a rise with one period lacking an interval
        values = [30, 20, 10, 12, 14, 99, 16, 18]
        lower = [v - HALF_WIDTH for v in values]
        upper = [v + HALF_WIDTH for v in values]
        upper[5] = np.nan
        result = trend.recent_trend(values, lower, upper)
        assert (result.direction, result.slope) == ("increasing", pytest.approx(2.0))

    def test_zero_width_intervals_are_not_usable(self):
        values, lower, upper = with_unit_variance([10, 12, 14, 16, 18])
        upper[0] = lower[0] = values[0]
        result = trend.recent_trend(values, lower, upper)
        assert (result.direction, result.points_used) == ("not enough data", 4)
        assert np.isnan(result.slope)

    def test_fewer_than_three_points_cannot_be_requested(self):
        with pytest.raises(ValueError, match="at least 3"):
            trend.recent_trend(*with_unit_variance([1, 2]), points=2)


class TestConsistentRun:
    def test_significantly_higher_for_the_last_three_periods(self):
        # Given intervals vs England 10: similar, lower, higher, higher, higher
        lower = [9, 7, 11, 12, 10.5]
        upper = [11, 9, 13, 14, 12.0]
        assert trend.consistent_run(10, lower=lower, upper=upper) == ("higher", 3)

    def test_benchmark_may_change_each_period(self):
        # Given the same interval while England rises past it
        lower, upper = [11, 11, 11], [12, 12, 12]
        result = trend.consistent_run([10, 10, 11.5], lower=lower, upper=upper)
        assert result == ("similar", 1)

    def test_plain_values_compare_without_intervals(self):
        assert trend.consistent_run(5, values=[6, 4, 3, 2]) == ("lower", 3)
        assert trend.consistent_run(5, values=[6, 7]) == ("higher", 2)

    def test_latest_period_without_data_is_not_compared(self):
        assert trend.consistent_run(5, values=[6, np.nan]) == ("not compared", 0)
        assert trend.consistent_run(5, values=[]) == ("not compared", 0)

    def test_needs_intervals_or_values(self):
        with pytest.raises(ValueError, match="lower and upper, or values"):
            trend.consistent_run(5, lower=[1])
