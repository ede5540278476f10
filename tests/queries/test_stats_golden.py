"""Golden cases from PHEindicatormethods' own published test data.

Reference: https://github.com/ukhsa-collaboration/PHEindicatormethods, tests/testthat/ at commit
093fd288d8f8949dbcfbed70049dbbf385b6141d; each test names the file (and sheet) it reads, copied
as data into tests/queries/golden/ (see its README). Tolerances are the reference's:
testthat's expect_equal, relative 1.5e-8, unless a test says otherwise.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from queries.stats import dsr, funnel, intervals

GOLDEN = Path(__file__).with_name("golden")
EXPECT_EQUAL = 1.5e-8  # testthat's default tolerance (sqrt of machine epsilon)
LEVELS = {"95%": 0.95, "99.8%": 0.998}
FLAG_NAMES = {
    "above 99.8": "High (0.001)",
    "above 95": "High (0.025)",
    "within": "Not significant",
    "below 95": "Low (0.025)",
    "below 99.8": "Low (0.001)",
}


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name)


class TestByarAndWilson:
    """testdata_Byars_Wilson.xlsx, sheet testdata_B_W (testByars.R, testWilson.R)."""

    def test_byar_count_interval_matches_all_seven_cases(self):
        cases = golden("phe_byars_wilson.csv").query("method == 'Byars'")
        assert len(cases) == 7
        for row in cases.itertuples():
            lower, upper = intervals.byar_count_interval(row.x, LEVELS[row.confidence])
            # the reference gives no lower end where Byar's goes negative (1 event at 99.8 %)
            assert np.isnan(row.lowercl) == np.isnan(lower)
            if not np.isnan(row.lowercl):
                assert lower == pytest.approx(row.lowercl, rel=EXPECT_EQUAL)
            assert upper == pytest.approx(row.uppercl, rel=EXPECT_EQUAL)

    def test_wilson_interval_matches_all_six_cases(self):
        cases = golden("phe_byars_wilson.csv").query("method == 'Wilson'")
        assert len(cases) == 6
        for row in cases.itertuples():
            lower, upper = intervals.wilson_interval(row.x, row.n, LEVELS[row.confidence], 1)
            assert (lower, upper) == pytest.approx((row.lowercl, row.uppercl), rel=EXPECT_EQUAL)


class TestRatesAndProportions:
    """testdata_Rate.xlsx and testdata_Proportion.xlsx (testRates.R, testProportions.R):
    exact Poisson below 10 events and Byar above, Wilson for proportions, both levels."""

    @pytest.mark.parametrize("name", ["phe_rate.csv", "phe_rate_grouped.csv"])
    def test_rate_intervals(self, name):
        checked = self._check(golden(name), intervals.byar_interval)
        assert checked == {"phe_rate.csv": 17, "phe_rate_grouped.csv": 9}[name]

    @pytest.mark.parametrize("name", ["phe_proportion.csv", "phe_proportion_grouped.csv"])
    def test_proportion_intervals(self, name):
        checked = self._check(golden(name), intervals.wilson_interval)
        assert checked == {"phe_proportion.csv": 16, "phe_proportion_grouped.csv": 8}[name]

    @staticmethod
    def _check(cases: pd.DataFrame, method) -> int:
        """Compare every row with counts; rows without stay NaN. Returns rows compared."""
        columns = [("lower95_0cl", "upper95_0cl", 0.95), ("lower99_8cl", "upper99_8cl", 0.998)]
        if "lowercl" in cases.columns:  # the grouped sheets hold one 95 % interval
            columns = [("lowercl", "uppercl", 0.95)]
        checked = 0
        for row in cases.itertuples():
            for low_column, high_column, level in columns:
                lower, upper = method(row.Numerator, row.Denominator, level, float(row.multiplier))
                expected = (getattr(row, low_column), getattr(row, high_column))
                if np.isnan(expected[0]):
                    assert np.isnan(lower) and np.isnan(upper)
                    continue
                assert (float(lower), float(upper)) == pytest.approx(expected, rel=EXPECT_EQUAL)
            checked += not np.isnan(row.value)
        return checked


class TestExactPoisson:
    """The exact rows of testdata_Rate.xlsx (fewer than 10 events, both levels)."""

    def test_exact_count_interval_matches_the_exact_rows(self):
        cases = golden("phe_rate.csv").query("method == 'Exact'")
        assert len(cases) == 4
        for row in cases.itertuples():
            scale = row.multiplier / row.Denominator
            for low, high, level in [
                (row.lower95_0cl, row.upper95_0cl, 0.95),
                (row.lower99_8cl, row.upper99_8cl, 0.998),
            ]:
                lower, upper = intervals.exact_poisson_count_interval(row.Numerator, level)
                assert (lower * scale, upper * scale) == pytest.approx(
                    (low, high), rel=EXPECT_EQUAL
                )


class TestFunnelLimitsForProportions:
    """testdata_funnel_prop_inputs.csv -> testdata_funnel_prop_outputs.csv (testFunnels.R,
    "confidence limits calculate correctly for proportions"); the outputs carry 6 decimals."""

    def test_all_hundred_rows_of_limits(self):
        inputs = golden("phe_funnel_prop_inputs.csv")
        outputs = golden("phe_funnel_prop_outputs.csv")
        average = inputs["numerator"].sum() / inputs["denominator"].sum() * 100
        limits = funnel.funnel_limits(
            average, outputs["Population"], ci_method="wilson", multiplier=100
        )
        assert len(outputs) == 100
        assert outputs["Baseline"].to_numpy() == pytest.approx(average, abs=5e-7)
        for ours, theirs in [
            ("lower_95", "Lower2s0025limit"),
            ("upper_95", "Upper2s0025limit"),
            ("lower_99_8", "Lower3s0001limit"),
            ("upper_99_8", "Upper3s0001limit"),
        ]:
            assert limits[ours].to_numpy() == pytest.approx(outputs[theirs], abs=5e-7)

    def test_significance_of_all_303_areas(self):
        # "Significance for proportions calculates correctly": flags against the pooled average
        inputs = golden("phe_funnel_prop_inputs.csv")
        average = inputs["numerator"].sum() / inputs["denominator"].sum() * 100
        flags = funnel.funnel_flag(
            inputs["numerator"], inputs["denominator"], average, ci_method="wilson", multiplier=100
        )
        assert len(inputs) == 303
        assert [FLAG_NAMES[f] for f in flags] == inputs["significance"].tolist()


class TestFunnelLimitsForRates:
    """testdata_funnel_rate_outputs*.csv (testFunnels.R, rates: dsr, crude with fewer than 10
    events, crude with 0 events): limits at the populations where PHEindicatormethods'
    poisson_funnel puts whole event counts. poisson_funnel bisects v = E / (1 + O + E) to a
    step of 1e-7, so each reference population is good to about 1e-7 / (v (1 - v)) relative;
    read back as a limit at that population the error grows by up to E / O at a few events.
    Each row is held to twice its own precision (1e-6 at most rows); a Python replay of
    poisson_funnel reproduced the reference's populations to all 10 printed digits."""

    @pytest.mark.parametrize(
        "name",
        [
            "phe_funnel_rate_outputs.csv",
            "phe_funnel_rate_outputs_2.csv",
            "phe_funnel_rate_outputs_3.csv",
        ],
    )
    def test_all_hundred_rows_at_both_levels(self, name):
        outputs = golden(name)
        assert len(outputs) == 100
        years = 3  # years_of_data in every rate test
        baseline = outputs["baseline"].iloc[0]
        for ours, population, limit in [
            ("lower_95", "lower_2s_population_1_year", "lower_2s_limit"),
            ("upper_95", "upper_2s_population_1_year", "upper_2s_limit"),
            ("lower_99_8", "lower_3s_population_1_year", "lower_3s_limit"),
            ("upper_99_8", "upper_3s_population_1_year", "upper_3s_limit"),
        ]:
            denominators = outputs[population].to_numpy() * years
            limits = funnel.funnel_limits(
                baseline, denominators, ci_method="byar", multiplier=100_000
            )
            expected = baseline * denominators / 100_000
            bisection = expected / (1 + outputs["Events"].to_numpy() + expected)
            amplified = np.maximum(1, expected / outputs["Events"].to_numpy())
            tolerance = np.maximum(1e-6, 2e-7 / (bisection * (1 - bisection)) * amplified)
            relative = np.abs(limits[ours].to_numpy() / outputs[limit].to_numpy() - 1)
            assert np.all(relative <= tolerance), (ours, relative.max())

    def test_limit_is_the_count_over_the_population_at_every_count(self):
        # Below 10 events Byar and exact differ most: the reference's first rows are 1..9 events
        outputs = golden("phe_funnel_rate_outputs.csv")
        small = outputs[outputs["Events"] < 14]
        limits = funnel.funnel_limits(
            outputs["baseline"].iloc[0],
            small["lower_3s_population_1_year"] * 3,
            ci_method="byar",
            multiplier=100_000,
        )
        events = limits["lower_99_8"] * small["lower_3s_population_1_year"].to_numpy() * 3 / 1e5
        assert events.to_numpy() == pytest.approx(small["Events"], rel=2e-6)


class TestFunnelSignificanceForRates:
    """testdata_funnel_rate_dsr_inputs.csv (testFunnels.R, "Significance for rates"): the
    weighted average is Σ counts / Σ denominators, with a zero-count area kept or dropped."""

    @pytest.mark.parametrize(
        ("column", "with_zero", "multiplier"),
        [
            ("crude_per_100000_with_0", True, 1e5),
            ("crude_per_100_with_0", True, 100),
            ("crude_per_100000_without_0", False, 1e5),
            ("crude_per_100_without_0", False, 100),
        ],
    )
    def test_crude_rates(self, column, with_zero, multiplier):
        cases = golden("phe_funnel_rate_dsr_inputs.csv")
        cases = cases if with_zero else cases[cases["count"] > 0]
        average = cases["count"].sum() / cases["pop"].sum() * multiplier
        flags = funnel.funnel_flag(
            cases["count"], cases["pop"], average, ci_method="byar", multiplier=multiplier
        )
        assert len(cases) == (40 if with_zero else 39)
        assert [FLAG_NAMES[f] for f in flags] == cases[column].tolist()

    @pytest.mark.parametrize(
        ("column", "multiplier"),
        [("dsr_per_100000_without_0", 1e5), ("dsr_per_100_without_0", 100)],
    )
    def test_directly_standardised_rates(self, column, multiplier):
        # For a DSR the denominator is derived: count / rate × multiplier (per 100,000 here)
        cases = golden("phe_funnel_rate_dsr_inputs.csv").query("count > 0")
        derived = cases["count"] / cases["rate_dsr"] * 1e5
        average = cases["count"].sum() / derived.sum() * multiplier
        flags = funnel.funnel_flag(
            cases["count"], derived, average, ci_method="byar", multiplier=multiplier
        )
        assert [FLAG_NAMES[f] for f in flags] == cases[column].tolist()


class TestDirectlyStandardisedRates:
    """testdata_DSR_ISR.xlsx: testdata_multiarea with esp2013, testdata_1976 with its own
    standard, against testresults_DSR (testDSRs.R, "dsrs and CIs calculate correctly")."""

    def test_european_standard_population_2013(self):
        # data-raw/LoadTestdata.R: esp2013 <- c(5000, 5500, ..., 1500, 1000)
        assert list(dsr.ESP2013.values()) == [
            5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000,
            5500, 5000, 4000, 2500, 1500, 1000,
        ]  # fmt: skip
        assert sum(dsr.ESP2013.values()) == 100_000
        assert dsr.ESP2013_65_PLUS == {"65-74": 10_500, "75-84": 6_500, "85+": 2_500}

    @pytest.mark.parametrize("multiplier", [10_000, 100_000])
    def test_multiarea_with_esp2013(self, multiplier):
        bands = golden("phe_dsr_multiarea.csv")
        bands["esp2013"] = np.tile(list(dsr.ESP2013.values()), 3)
        ours = pd.DataFrame.from_dict(
            {
                area: dsr.dsr(rows["count"], rows["pop"], rows["esp2013"], multiplier=multiplier)
                for area, rows in bands.groupby("area")
            },
            orient="index",
        )
        results = golden("phe_dsr_results.csv")
        theirs = results[results["statistic"].str.endswith(f"{multiplier}")].set_index("area")
        for area in ("testdata_big", "testdata_small"):
            self._assert_matches(ours.loc[area], theirs.loc[area], with_99_8=True)
        tiny = ours.loc["testdata_tiny"]  # 9 events: no DSR, as in the reference
        assert tiny["total_count"] == 9 and np.isnan(tiny[["value", "lower_95", "upper_95"]]).all()

    def test_user_specified_standard_population(self):
        # The reference's 99.8 % columns for this row are on another scale (a quirk of the
        # sheet); its test compares columns 2-6 only, and so does this one.
        bands = golden("phe_dsr_1976.csv")
        ours = dsr.dsr(bands["count"], bands["pop"], bands["esp1976"], multiplier=100_000)
        theirs = golden("phe_dsr_results.csv").query("area == 'testdata_1976'")
        self._assert_matches(pd.Series(ours), theirs.iloc[-1], with_99_8=False)

    @staticmethod
    def _assert_matches(ours: pd.Series, theirs: pd.Series, *, with_99_8: bool) -> None:
        assert ours["total_count"] == theirs["total_count"]
        assert ours["total_population"] == theirs["total_pop"]
        pairs = [("value", "value"), ("lower_95", "lower95_0cl"), ("upper_95", "upper95_0cl")]
        if with_99_8:
            pairs += [("lower_99_8", "lower99_8cl"), ("upper_99_8", "upper99_8cl")]
        for mine, reference in pairs:
            assert ours[mine] == pytest.approx(theirs[reference], rel=EXPECT_EQUAL)
