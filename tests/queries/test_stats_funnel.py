"""Funnel limits: PHE's published formula for proportions, and agreement with the intervals."""

import numpy as np
import pytest
from scipy import stats

from queries.stats import funnel, intervals


def phe_sigma_adjustment(p, population, average, side):
    """PHEindicatormethods' funnel limit for proportions (R/Funnels.R, sigma_adjustment),
    rewritten independently here as the reference: a quadratic in the limiting count."""
    z2 = stats.norm.ppf(p) ** 2  # R's qnorm(p)^2
    first = average * (population / z2 + 1)
    root = np.sqrt(
        (-8 * average * (population / z2 + 1)) ** 2
        - 64
        * (1 / z2 + 1 / population)
        * average
        * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1))
    )
    last = 1 / z2 + 1 / population
    count = (first - root / 8) / last if side == "low" else (first + root / 8) / last
    return count / population


class TestFunnelLimits:
    def test_proportion_limits_by_hand(self):
        # 30 % at n = 100: 30 ± 1.959964 × sqrt(0.3 × 0.7 / 100) × 100 = 30 ± 8.9817
        limits = funnel.funnel_limits(30, [100], ci_method="wilson", multiplier=100)
        assert (limits.loc[0, "lower_95"], limits.loc[0, "upper_95"]) == pytest.approx(
            (21.0183, 38.9817), abs=1e-4
        )

    @pytest.mark.parametrize("population", [50, 400, 12_000])
    @pytest.mark.parametrize("average", [0.05, 0.3, 0.8])
    def test_proportion_limits_match_phe_indicator_methods(self, population, average):
        limits = funnel.funnel_limits(
            100 * average, [population], ci_method="wilson", multiplier=100
        )
        for suffix, p in [("95", 0.975), ("99_8", 0.999)]:
            low = max(0.0, 100 * phe_sigma_adjustment(p, population, average, "low"))
            high = min(100.0, 100 * phe_sigma_adjustment(p, population, average, "high"))
            assert limits.loc[0, f"lower_{suffix}"] == pytest.approx(low, abs=1e-7)
            assert limits.loc[0, f"upper_{suffix}"] == pytest.approx(high, abs=1e-7)

    def test_rate_limits_are_where_the_interval_touches_the_benchmark(self):
        # Given a rate of 30 per 100,000 and populations from tiny to large
        populations = np.geomspace(1_000, 1_000_000, 25)
        limits = funnel.funnel_limits(30, populations, ci_method="byar", multiplier=100_000)
        expected = 30 * populations / 100_000
        for level, suffix in [(0.95, "95"), (0.998, "99_8")]:
            # When the limiting counts are read back through the count interval
            upper_count = limits[f"upper_{suffix}"].to_numpy() * populations / 100_000
            lower_count = limits[f"lower_{suffix}"].to_numpy() * populations / 100_000
            low_end, _ = intervals.exact_poisson_count_interval(upper_count, level)
            _, high_end = intervals.exact_poisson_count_interval(lower_count, level)
            # Then the interval's near end sits exactly on the benchmark count
            assert low_end == pytest.approx(expected, rel=1e-9)
            reachable = lower_count > 0
            assert high_end[reachable] == pytest.approx(expected[reachable], rel=1e-9)

    def test_no_low_limit_where_zero_events_are_not_significant(self):
        # 0 events: 95 % upper count 3.689 > expected 3 at 10,000 people and 30 per 100,000
        limits = funnel.funnel_limits(30, [10_000], ci_method="byar", multiplier=100_000)
        assert limits.loc[0, "lower_95"] == 0.0

    def test_funnel_narrows_and_the_99_8_funnel_is_wider(self):
        limits = funnel.funnel_limits(
            30, np.geomspace(50, 50_000, 30), ci_method="byar", multiplier=100_000
        )
        assert np.all(np.diff(limits["upper_95"]) < 0)
        assert np.all(limits["upper_99_8"] > limits["upper_95"])
        assert np.all(limits["lower_99_8"] <= limits["lower_95"])

    def test_columns_and_empty_denominators(self):
        limits = funnel.funnel_limits(30, [0, 100], ci_method="wilson", multiplier=100)
        assert list(limits.columns) == [
            "denominator",
            "benchmark",
            "lower_95",
            "upper_95",
            "lower_99_8",
            "upper_99_8",
        ]
        assert limits.iloc[0, 2:].isna().all()

    @pytest.mark.parametrize(
        ("benchmark", "ci_method", "message"),
        [(30, "none", "ci_method"), (130, "wilson", "proportion"), (-1, "byar", "negative")],
    )
    def test_impossible_requests_are_errors(self, benchmark, ci_method, message):
        with pytest.raises(ValueError, match=message):
            funnel.funnel_limits(benchmark, [100], ci_method=ci_method, multiplier=100)


class TestFunnelFlag:
    def test_levels_against_a_fifty_percent_benchmark(self):
        # Wilson at n = 100: 40 % has 95 % upper 49.8 but 99.8 % upper 55.1
        flags = funnel.funnel_flag(
            [30, 40, 50, 60, 70, 5],
            [100, 100, 100, 100, 100, 0],
            50,
            ci_method="wilson",
            multiplier=100,
        )
        assert flags.tolist() == [
            "below 99.8",
            "below 95",
            "within",
            "above 95",
            "above 99.8",
            "not compared",
        ]

    def test_flag_agrees_with_position_on_the_funnel(self):
        # Given 200 random areas around a rate of 30 per 100,000
        rng = np.random.default_rng(20170401)
        populations = rng.integers(2_000, 400_000, 200).astype(float)
        counts = rng.poisson(30 * populations / 100_000 * rng.uniform(0.5, 1.6, 200))
        rates = counts / populations * 100_000
        # When flagged and placed against the funnel drawn at their populations
        flags = funnel.funnel_flag(counts, populations, 30, ci_method="byar", multiplier=100_000)
        limits = funnel.funnel_limits(30, populations, ci_method="byar", multiplier=100_000)
        # Then outside the 95 % funnel means flagged, and vice versa
        outside = (rates > limits["upper_95"]) | (rates < limits["lower_95"])
        assert np.array_equal(outside.to_numpy(), flags != "within")
        assert {"above 99.8", "below 99.8", "within"} <= set(flags)
