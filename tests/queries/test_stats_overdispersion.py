"""Spiegelhalter's overdispersion adjustment: the estimate, the widened limits, the flags.

No published worked example with numbers was found for these (the Spiegelhalter 2005 papers
show their results as plots), so the reference is FunnelPlotR (NHS-R community,
https://github.com/nhs-r-community/FunnelPlotR at 9020d4972873d863e10b8a16555975f0e322adfc):
R/od_adjustment.R (transformed_zscore, winsorisation, phi_func, tau_func) and
R/calculate_limits.R (data_type "PR" and sr_method "CQC"), rewritten independently below and run
on PHEindicatormethods' 303-area funnel test data.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from queries.stats import funnel, overdispersion

GOLDEN = Path(__file__).with_name("golden")
Z = {0.95: 1.959964, 0.998: 3.090232}  # calculate_limits.R hard-codes these


def phe_areas() -> pd.DataFrame:
    """testdata_funnel_prop_inputs.csv from PHEindicatormethods (303 PCTs)."""
    return pd.read_csv(GOLDEN / "phe_funnel_prop_inputs.csv")


def funnelplotr_phi_tau2(z_scores: np.ndarray, s: np.ndarray, trim_by: float = 0.1):
    """FunnelPlotR's winsorisation, phi_func and tau_func, step by step."""
    lz, uz = np.quantile(z_scores, trim_by), np.quantile(z_scores, 1 - trim_by)
    winsorised = np.where(z_scores < lz, lz, np.where(z_scores > uz, uz, z_scores))
    n = len(z_scores)
    phi = np.sum(winsorised**2) / n
    if n * phi < n - 1:
        return phi, 0.0
    tau2 = max(
        0, (n * phi - (n - 1)) / (np.sum(1 / s**2) - np.sum((1 / s**2) ** 2) / np.sum(1 / s**2))
    )
    return phi, tau2


class TestAgainstFunnelPlotR:
    def test_proportions_phi_tau2_and_limits(self):
        # Given PHE's 303 areas and their pooled proportion as the target
        areas = phe_areas()
        numerator, denominator = areas["numerator"].to_numpy(), areas["denominator"].to_numpy()
        average = numerator.sum() / denominator.sum()
        # FunnelPlotR "PR": arcsine square-root z-scores
        s = 1 / (2 * np.sqrt(denominator))
        z_scores = (np.arcsin(np.sqrt(numerator / denominator)) - np.arcsin(np.sqrt(average))) / s
        phi, tau2 = funnelplotr_phi_tau2(z_scores, s)
        # When estimated here
        dispersion = overdispersion.estimate(
            numerator, denominator, average * 100, ci_method="wilson", multiplier=100,
            method="additive",
        )  # fmt: skip
        # Then phi and tau2 agree, and the data are strongly overdispersed
        assert dispersion.areas == 303
        assert dispersion.phi == pytest.approx(phi, rel=1e-12)
        assert dispersion.tau2 == pytest.approx(tau2, rel=1e-12)
        assert phi > 10 and tau2 > 0
        # And the additive limits are calculate_limits.R's "PR" limits
        grid = np.geomspace(1_000, 100_000, 40)
        limits = funnel.funnel_limits(
            average * 100, grid, ci_method="wilson", multiplier=100, dispersion=dispersion
        )
        target = np.arcsin(np.sqrt(average))
        width = np.sqrt((1 / (2 * np.sqrt(grid))) ** 2 + tau2)
        for level, suffix in [(0.95, "95"), (0.998, "99_8")]:
            lower = np.clip(100 * np.sin(target - Z[level] * width) ** 2, 0, 100)
            upper = np.clip(100 * np.sin(target + Z[level] * width) ** 2, 0, 100)
            # FunnelPlotR rounds z to 7 digits; that is the agreement to expect
            assert limits[f"lower_{suffix}"].to_numpy() == pytest.approx(lower, rel=1e-6)
            assert limits[f"upper_{suffix}"].to_numpy() == pytest.approx(upper, rel=1e-6)

    def test_rates_on_the_square_root_scale_as_the_cqc_method(self):
        # Given counts and populations for a rate per 100,000, overdispersed by design
        rng = np.random.default_rng(2005)
        population = rng.integers(20_000, 900_000, 150).astype(float)
        counts = rng.poisson(300 * population / 1e5 * rng.gamma(20, 1 / 20, 150)).astype(float)
        rate = counts.sum() / population.sum() * 1e5
        # FunnelPlotR "SR" with sr_method "CQC": y = sqrt(O / E), target 1, s = 1 / (2 sqrt(E))
        expected = rate * population / 1e5
        s = 1 / (2 * np.sqrt(expected))
        z_scores = (np.sqrt(counts / expected) - 1) / s
        phi, tau2 = funnelplotr_phi_tau2(z_scores, s)
        dispersion = overdispersion.estimate(
            counts, population, rate, ci_method="byar", multiplier=1e5, method="additive"
        )
        assert (dispersion.phi, dispersion.tau2) == pytest.approx((phi, tau2), rel=1e-12)
        limits = funnel.funnel_limits(
            rate, population, ci_method="byar", multiplier=1e5, dispersion=dispersion
        )
        # calculate_limits.R gives the ratio's limits 1 ± z sqrt(s² + tau2); on the rate scale
        # this project squares the square-root-scale limit back, as the transform implies
        upper_ratio = 1 + Z[0.998] * np.sqrt(s**2 + tau2)
        assert limits["upper_99_8"].to_numpy() == pytest.approx(rate * upper_ratio**2, rel=1e-6)


class TestEstimate:
    def test_binomial_data_show_no_overdispersion(self):
        # Given 150 councils drawn from one true proportion
        rng = np.random.default_rng(7)
        denominator = rng.integers(200, 5_000, 150).astype(float)
        numerator = rng.binomial(denominator.astype(int), 0.3).astype(float)
        dispersion = overdispersion.estimate(
            numerator, denominator, 30, ci_method="wilson", multiplier=100, method="additive"
        )
        # Then phi is near 1 (winsorising trims it below) and the limits stay put
        assert 0.5 < dispersion.phi < 1.2
        plain = funnel.funnel_limits(30, denominator, ci_method="wilson", multiplier=100)
        adjusted = funnel.funnel_limits(
            30, denominator, ci_method="wilson", multiplier=100, dispersion=dispersion
        )
        if not dispersion.adjusts:
            pd.testing.assert_frame_equal(plain, adjusted)

    def test_one_wild_outlier_barely_moves_the_winsorised_estimate(self):
        rng = np.random.default_rng(11)
        denominator = rng.integers(1_000, 5_000, 100).astype(float)
        numerator = np.round(denominator * rng.normal(0.3, 0.02, 100))
        base = overdispersion.estimate(
            numerator, denominator, 30, ci_method="wilson", multiplier=100, method="additive"
        )
        numerator[0] = denominator[0] * 0.95  # one council at 95 %
        wild = overdispersion.estimate(
            numerator, denominator, 30, ci_method="wilson", multiplier=100, method="additive"
        )
        assert wild.phi == pytest.approx(base.phi, rel=0.1)
        unwinsorised = overdispersion.estimate(
            numerator, denominator, 30, ci_method="wilson", multiplier=100, method="additive",
            winsorise=0.0,
        )  # fmt: skip
        assert unwinsorised.phi > 5 * wild.phi

    def test_unusable_rows_are_left_out_and_unknown_methods_refused(self):
        dispersion = overdispersion.estimate(
            [10, np.nan, 5, 30], [100, 100, 0, 120], 20, ci_method="wilson", multiplier=100,
            method="multiplicative",
        )  # fmt: skip
        assert dispersion.areas == 2
        with pytest.raises(ValueError, match="overdispersion method"):
            overdispersion.estimate([1], [2], 50, ci_method="wilson", multiplier=100, method="x")
        with pytest.raises(ValueError, match="ci_method"):
            overdispersion.estimate([1], [2], 50, ci_method="none", multiplier=100, method="none")


class TestAdjustedFunnel:
    @pytest.fixture
    def spread_out(self):
        """200 councils whose true rates vary ±25 % around 300 per 100,000 (person-days-like
        denominators, where Poisson limits flag almost everyone)."""
        rng = np.random.default_rng(2017)
        population = rng.integers(50_000, 2_000_000, 200).astype(float) * 30
        counts = rng.poisson(300 * population / 1e5 * rng.normal(1, 0.25, 200).clip(0.3))
        return counts.astype(float), population

    def test_multiplicative_limits_are_the_width_scaled_by_root_phi(self, spread_out):
        counts, population = spread_out
        dispersion = overdispersion.estimate(
            counts, population, 300, ci_method="byar", multiplier=1e5, method="multiplicative"
        )
        limits = funnel.funnel_limits(
            300, [1e6, 1e7], ci_method="byar", multiplier=1e5, dispersion=dispersion
        )
        expected = 300 * np.array([1e6, 1e7]) / 1e5
        width = np.sqrt(dispersion.phi) / (2 * np.sqrt(expected))
        assert limits["upper_95"].to_numpy() == pytest.approx(300 * (1 + Z[0.95] * width) ** 2)

    @pytest.mark.parametrize("method", ["multiplicative", "additive"])
    def test_adjustment_flags_far_fewer_councils(self, spread_out, method):
        counts, population = spread_out
        plain = funnel.funnel_flag(counts, population, 300, ci_method="byar", multiplier=1e5)
        dispersion = overdispersion.estimate(
            counts, population, 300, ci_method="byar", multiplier=1e5, method=method
        )
        adjusted = funnel.funnel_flag(
            counts, population, 300, ci_method="byar", multiplier=1e5, dispersion=dispersion
        )
        assert np.mean(np.char.endswith(plain.astype(str), "99.8")) > 0.7
        assert np.mean(np.char.endswith(adjusted.astype(str), "99.8")) < 0.1
        assert dispersion.adjusts and method in dispersion.describe()

    def test_adjusted_flags_agree_with_position_against_adjusted_limits(self, spread_out):
        counts, population = spread_out
        dispersion = overdispersion.estimate(
            counts, population, 300, ci_method="byar", multiplier=1e5, method="additive"
        )
        flags = funnel.funnel_flag(
            counts, population, 300, ci_method="byar", multiplier=1e5, dispersion=dispersion
        )
        limits = funnel.funnel_limits(
            300, population, ci_method="byar", multiplier=1e5, dispersion=dispersion
        )
        rates = counts / population * 1e5
        outside = (rates > limits["upper_95"]) | (rates < limits["lower_95"])
        assert np.array_equal(outside.to_numpy(), flags != "within")
        assert {"within", "above 95", "below 95"} <= set(flags)

    def test_proportion_limits_stay_within_zero_and_the_multiplier(self):
        dispersion = overdispersion.Dispersion("additive", phi=40.0, tau2=0.05, areas=150)
        limits = funnel.funnel_limits(
            95, [10, 100, 10_000], ci_method="wilson", multiplier=100, dispersion=dispersion
        )
        assert (limits.iloc[:, 2:].to_numpy() >= 0).all()
        assert (limits.iloc[:, 2:].to_numpy() <= 100).all()
        assert limits.loc[0, "upper_99_8"] == 100

    def test_describe_says_which_limits_are_shown(self):
        none = overdispersion.Dispersion("none", phi=3.0, tau2=0.0, areas=150)
        calm = overdispersion.Dispersion("additive", phi=0.9, tau2=0.0, areas=150)
        wide = overdispersion.Dispersion("additive", phi=4.0, tau2=0.0004, areas=150)
        assert not none.adjusts and "binomial/Poisson" in none.describe()
        assert not calm.adjusts and "unadjusted" in calm.describe()
        assert wide.adjusts and "τ = 0.0200" in wide.describe()
