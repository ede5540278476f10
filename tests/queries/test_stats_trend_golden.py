"""Fingertips recent-trend markers against DHSC's PHEindicatormethods (github:dhsc-govuk/
PHEindicatormethods, branch add_trend_markers): tests/testthat/testTrendMarkers.R with its data
tests/testthat/testdata_trend_markers.xlsx (sheets named per test). The workbook rounds the
statistics to four decimals, so they are compared at 5e-5.
"""

import numpy as np
import pytest

from queries.stats import trend

ROUNDED = 5e-5


class TestProportionTrend:
    """Sheets testdata_prop_trends and testdata_prop_grouped (assign_trend_markers with
    value_type = "proportion"; columns Significance and Gradient)."""

    @pytest.mark.parametrize(
        ("years", "counts", "denominators", "direction", "chi_square", "slope"),
        [
            (  # testdata_prop_trends
                [2019, 2020, 2021, 2022, 2023],
                [318, 314, 318, 291, 292],
                [468.33578792341672, 472.89156626506019, 500.78740157480314,
                 480.19801980198019, 499.14529914529913],
                "decreasing", 12.5688, -0.1062,
            ),
            (  # testdata_prop_grouped, Asian or Asian British
                [2019, 2020, 2021, 2022, 2023],
                [90, 58, 29, 49, 67],
                [264.70588235294116, 89.230769230769241, 44.61538461538462,
                 233.33333333333334, 744.44444444444446],
                "decreasing", 144.3957, -0.5245,
            ),
            (  # testdata_prop_grouped, Other ethnic group: no 2015 row; the workbook's figures
                # take time as the positions 1..5 (as Fingertips does), not the years
                [1, 2, 3, 4, 5],
                [10, 17, 27, 49, 67],
                [125, 141.66666666666669, 117.39130434782609, 204.16666666666666,
                 171.7948717948718],
                "increasing", 47.3463, 0.4830,
            ),
        ],
    )  # fmt: skip
    def test_markers(self, years, counts, denominators, direction, chi_square, slope):
        result = trend.proportion_trend(counts, denominators, years)
        assert result.direction == direction
        assert result.chi_square == pytest.approx(chi_square, abs=ROUNDED)
        assert result.slope == pytest.approx(slope, abs=ROUNDED)
        assert result.method == trend.PROPORTION

    def test_years_with_a_gap_give_the_same_marker(self):
        # R's assign_trend_markers regresses on the year values: same marker, other figures
        result = trend.proportion_trend(
            [10, 17, 27, 49, 67],
            [125, 141.66666666666669, 117.39130434782609, 204.16666666666666, 171.7948717948718],
            [2012, 2013, 2014, 2016, 2017],
        )
        assert result.direction == "increasing"

    @pytest.mark.parametrize(
        ("counts", "denominators"),
        [
            # testdata_prop_grouped, Black...: a missing denominator in 2022
            ([23, 122, 94, 76, 20], [50, 95.3125, 94, np.nan, 25]),
            # testdata_prop_grouped, Mixed...: a missing count in 2022
            ([23, 122, 94, np.nan, 20], [50, 95.3125, 94, 80, 25]),
        ],
    )
    def test_a_missing_count_means_no_marker(self, counts, denominators):
        # "Cannot be calculated" / "Missing values"
        result = trend.proportion_trend(counts, denominators, range(2019, 2024))
        assert result.direction == "not enough data"

    def test_fewer_than_five_points_means_no_marker(self):
        result = trend.proportion_trend([318, 314, 318, 291], [468, 472, 500, 480])
        assert result.direction == "not enough data"


class TestWeightedRegressionTrend:
    """Sheets testdata_other_trends, testdata_other_grouped and testdata_other_6
    (value_type = "other": weighted regression on the 95 % intervals)."""

    @pytest.mark.parametrize(
        ("values", "lower", "upper", "direction", "chi_square", "slope"),
        [
            (  # testdata_other_trends (and other_grouped, Asian or Asian British)
                [30.6, 30.2, 28, 24.6, 24.67],
                [28.98, 28.63, 26.44, 23.15, 23.16],
                [32.25, 31.9, 29.64, 26.19, 26.25],
                "decreasing", 46.7636, -1.7516,
            ),
            (  # testdata_other_grouped, Black, Black British, Caribbean or African
                [20.2, 23, 24.6, 28.67, 30.9],
                [18.3, 21.44, 23.15, 26.16, 28.98],
                [21.9, 25.64, 26.19, 29.25, 32.25],
                "increasing", 95.2196, 2.7335,
            ),
            (  # testdata_other_6: six years, the last five are tested
                [30.6, 30.2, 28, 24.6, 24.67, 30.9],
                [28.98, 28.63, 26.44, 23.15, 23.16, 28.98],
                [32.25, 31.9, 29.64, 26.19, 26.25, 32.25],
                "no significant change", 0.7433, -0.2256,
            ),
        ],
    )  # fmt: skip
    def test_markers(self, values, lower, upper, direction, chi_square, slope):
        result = trend.recent_trend(values, lower, upper)
        assert result.direction == direction
        assert result.chi_square == pytest.approx(chi_square, abs=ROUNDED)
        assert result.slope == pytest.approx(slope, abs=ROUNDED)

    def test_fewer_than_five_points_means_no_marker(self):
        # testdata_other_grouped, White: four years -> "Not enough data points"
        result = trend.recent_trend(
            [20.2, 23, 24.6, 28.67], [18.3, 21.44, 23.15, 26.16], [21.9, 25.64, 26.19, 29.25]
        )
        assert result.direction == "not enough data"
