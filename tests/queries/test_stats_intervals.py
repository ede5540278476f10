"""Confidence intervals against published worked values and hand derivations."""

import math

import numpy as np
import pandas as pd
import pytest

from queries.stats import intervals


class TestZValue:
    @pytest.mark.parametrize(("confidence", "expected"), [(0.95, 1.959964), (0.998, 3.090232)])
    def test_matches_normal_tables(self, confidence, expected):
        assert intervals.z_value(confidence) == pytest.approx(expected, abs=1e-6)

    @pytest.mark.parametrize("confidence", [95, 0, 1, -0.5])
    def test_percentages_and_impossible_levels_are_errors(self, confidence):
        with pytest.raises(ValueError, match="fraction"):
            intervals.z_value(confidence)


class TestWilsonInterval:
    # Newcombe RG (1998) Stat Med 17:857-872, Table II, method 3 (score, no continuity
    # correction); 1/10 re-derived by hand from the closed form.
    @pytest.mark.parametrize(
        ("numerator", "denominator", "lower", "upper"),
        [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
            (1, 10, 0.0179, 0.4042),
        ],
    )
    def test_matches_newcombe_1998(self, numerator, denominator, lower, upper):
        low, high = intervals.wilson_interval(numerator, denominator, multiplier=1)
        assert (float(low), float(high)) == pytest.approx((lower, upper), abs=5e-5)

    def test_zero_count_upper_bound_is_z_squared_over_n_plus_z_squared(self):
        # Given 0 of 20 (hand derivation: with O = 0 the upper end is z^2 / (n + z^2))
        z_squared = intervals.z_value(0.998) ** 2
        # When the 99.8 % interval is computed
        low, high = intervals.wilson_interval(0, 20, confidence=0.998, multiplier=100)
        # Then the lower end is exactly 0 and the upper end follows the closed form
        assert low == 0.0
        assert high == pytest.approx(100 * z_squared / (20 + z_squared))

    def test_all_successes_reach_exactly_the_multiplier(self):
        low, high = intervals.wilson_interval(20, 20, multiplier=100)
        assert high == 100.0
        assert low == pytest.approx(100 - 16.1125, abs=1e-3)  # mirror of 0/20

    def test_multiplier_scales_both_ends(self):
        low, high = intervals.wilson_interval([81], [263], multiplier=1000)
        assert (low[0], high[0]) == pytest.approx((255.29, 366.21), abs=0.01)

    def test_missing_and_zero_denominators_give_nan(self):
        # Given a valid area, an empty one, a missing count and a missing denominator
        numerator = pd.Series([5, 0, pd.NA, 3], dtype="Int64")
        denominator = pd.Series([10, 0, 10, None], dtype="Float64")
        # When intervals are computed
        low, high = intervals.wilson_interval(numerator, denominator)
        # Then only the first has an interval
        assert np.isfinite(low[0]) and np.isfinite(high[0])
        assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()

    def test_numerator_above_denominator_is_an_error(self):
        with pytest.raises(ValueError, match="exceed"):
            intervals.wilson_interval([11], [10])

    def test_negative_counts_are_errors(self):
        with pytest.raises(ValueError, match="negative"):
            intervals.wilson_interval([-1], [10])


class TestPoissonCountInterval:
    def test_zero_events_follow_from_exp_minus_mu(self):
        # Hand derivation: P(X = 0) = exp(-mu) = alpha / 2  =>  mu = -ln(alpha / 2)
        low, high = intervals.poisson_count_interval([0, 0], 0.95)
        assert low.tolist() == [0.0, 0.0]
        assert high[0] == pytest.approx(-math.log(0.025))  # 3.6889
        _, strict = intervals.poisson_count_interval(0, 0.998)
        assert strict == pytest.approx(-math.log(0.001))  # 6.9078

    def test_one_event_lower_bound_is_minus_log_of_one_minus_half_alpha(self):
        # P(X >= 1) = 1 - exp(-mu) = alpha / 2  =>  mu = -ln(0.975)
        low, _ = intervals.poisson_count_interval(1, 0.95)
        assert low == pytest.approx(-math.log(0.975))  # 0.0253

    # Exact Poisson limits as tabulated (e.g. Documenta Geigy; Ulm 1990, Am J Epidemiol).
    @pytest.mark.parametrize(
        ("count", "lower", "upper"),
        [(1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (9, 4.1154, 17.0848)],
    )
    def test_below_ten_events_is_exact(self, count, lower, upper):
        low, high = intervals.poisson_count_interval(count, 0.95)
        assert (float(low), float(high)) == pytest.approx((lower, upper), abs=1e-4)

    def test_ten_events_switch_to_byar_within_a_hundredth_of_exact(self):
        # Byar by hand at O = 10: 10(1 - 1/90 - 1.96/(3*sqrt 10))^3 = 4.7874;
        # exact (table) is (4.7954, 18.3904)
        low, high = intervals.poisson_count_interval(10, 0.95)
        assert (float(low), float(high)) == pytest.approx((4.7874, 18.3915), abs=1e-4)
        assert (float(low), float(high)) == pytest.approx((4.7954, 18.3904), abs=0.01)

    def test_hundred_events_match_byar_by_hand(self):
        # 100(1 - 1/900 - 1.96/30)^3 = 81.36; 101(1 - 1/909 + 1.96/(3*sqrt 101))^3 = 121.63
        low, high = intervals.poisson_count_interval(100, 0.95)
        assert (float(low), float(high)) == pytest.approx((81.36, 121.63), abs=0.01)

    def test_missing_counts_stay_missing_and_negative_ones_are_errors(self):
        low, high = intervals.poisson_count_interval([np.nan], 0.95)
        assert np.isnan(low[0]) and np.isnan(high[0])
        with pytest.raises(ValueError, match="negative"):
            intervals.poisson_count_interval([-3], 0.95)


class TestByarInterval:
    def test_rate_is_count_interval_over_denominator(self):
        # Given 100 events in 50,000 people, per 100,000
        low, high = intervals.byar_interval(100, 50_000, multiplier=100_000)
        # Then the interval is the count interval doubled
        assert (float(low), float(high)) == pytest.approx((162.72, 243.26), abs=0.01)

    def test_zero_and_missing_denominators_give_nan(self):
        low, high = intervals.byar_interval([4, 4], [0, np.nan])
        assert np.isnan(low).all() and np.isnan(high).all()


class TestInterval:
    def test_dispatches_on_the_catalogue_method(self):
        wilson = intervals.interval("wilson", [81], [263], 0.95, 100)
        byar = intervals.interval("byar", [100], [50_000], 0.95, 100_000)
        assert wilson[0][0] == pytest.approx(25.529, abs=1e-3)
        assert byar[1][0] == pytest.approx(243.26, abs=0.01)

    def test_none_gives_nan_of_the_broadcast_shape(self):
        low, high = intervals.interval("none", [1, 2, 3], 10)
        assert low.shape == (3,) and np.isnan(low).all() and np.isnan(high).all()

    def test_unknown_method_is_an_error(self):
        with pytest.raises(ValueError, match="ci_method"):
            intervals.interval("bootstrap", [1], [2])
