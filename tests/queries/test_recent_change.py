"""Which marker a series gets: Fingertips trend for annual periods (the proportion test where
counts allow), SPC for monthly and quarterly series, nothing for rolling or snapshot periods."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from queries.catalogue import Target, load_catalogue
from queries.recent_change import NONE, SPC, TREND, fingertips_trend, recent_change
from queries.stats.trend import PROPORTION

CATALOGUE = load_catalogue()


def proportion_frame(counts, denominators):
    counts, denominators = np.asarray(counts, float), np.asarray(denominators, float)
    value = 100 * counts / denominators
    return pd.DataFrame(
        {
            "area_value": value,
            "area_lower": value - 1,
            "area_upper": value + 1,
            "area_numerator": counts,
            "area_denominator": denominators,
        }
    )


# DHSC PHEindicatormethods testdata_trend_markers.xlsx, sheet testdata_prop_trends
FALLING_COUNTS = [318, 314, 318, 291, 292]
FALLING_DENOMINATORS = [468.34, 472.89, 500.79, 480.20, 499.15]


class TestAnnualSeries:
    def test_a_proportion_with_counts_gets_the_proportion_test(self):
        metric = CATALOGUE.get("ascof_2b1")  # higher is better
        frame = proportion_frame(FALLING_COUNTS, FALLING_DENOMINATORS)
        change = recent_change(frame, metric, "financial_year")
        assert (change.kind, change.direction, change.method) == (
            TREND,
            "decreasing",
            PROPORTION,
        )
        assert change.text == "Trend: decreasing, getting worse"

    def test_the_regression_would_call_the_same_counts_differently(self):
        # Given intervals so narrow that the regression sees a trend in a flat proportion
        frame = proportion_frame([500, 510, 495, 505, 500], [1000] * 5)
        frame["area_value"] = [50.0, 50.5, 51.0, 51.5, 52.0]
        frame["area_lower"], frame["area_upper"] = frame.area_value - 0.1, frame.area_value + 0.1
        metric = CATALOGUE.get("ascof_2b1")
        assert fingertips_trend(frame, metric).direction == "no significant change"
        rate = CATALOGUE.get("ascof_2a2")  # a rate: the regression on the intervals
        assert fingertips_trend(frame, rate).direction == "increasing"

    def test_a_missing_count_in_the_last_five_years_means_no_trend(self):
        frame = proportion_frame(FALLING_COUNTS, FALLING_DENOMINATORS)
        frame.loc[3, "area_numerator"] = np.nan
        change = recent_change(frame, CATALOGUE.get("ascof_2b1"), "financial_year")
        assert change.direction == "not enough data"
        assert "counts for each of the last 5 years" in change.text


class TestOtherPeriodTypes:
    @pytest.mark.parametrize(
        ("period_type", "words"), [("quarter", "Quarterly"), ("month", "Monthly")]
    )
    def test_monthly_and_quarterly_series_get_spc_instead(self, period_type, words):
        frame = proportion_frame([50] * 11 + [90], [100] * 12)
        change = recent_change(frame, CATALOGUE.get("chc_28day"), period_type)
        assert change.kind == SPC and change.direction is None
        assert change.text.startswith(f"{words} series: SPC instead of a trend test")
        assert change.variation == "improvement_high"

    def test_a_target_drives_the_assurance_icon(self):
        # Given CHC decisions within 28 days around 55-60 %: the 80 % expectation is never met
        metric = CATALOGUE.get("chc_28day")
        frame = proportion_frame([55, 60] * 6, [100] * 12)
        change = recent_change(frame, metric, "quarter")
        assert (change.variation, change.assurance) == ("common_cause", "fail")
        assert "consistently miss the target (80.0%)" in change.text
        hit = recent_change(frame, replace(metric, target=Target(57.5, "x")), "quarter")
        assert hit.assurance == "hit_and_miss"
        assert recent_change(frame, replace(metric, target=None), "quarter").assurance is None

    def test_too_short_for_spc(self):
        frame = proportion_frame([50] * 4, [100] * 4)
        change = recent_change(frame, CATALOGUE.get("chc_28day"), "quarter")
        assert change.kind == SPC and change.variation is None
        assert "too few quarterly values" in change.text

    @pytest.mark.parametrize(
        ("period_type", "words"),
        [("rolling_12m", "overlap"), ("snapshot", "not successive")],
    )
    def test_rolling_and_snapshot_periods_get_no_trend(self, period_type, words):
        frame = proportion_frame(FALLING_COUNTS, FALLING_DENOMINATORS)
        change = recent_change(frame, CATALOGUE.get("ascof_2b1"), period_type)
        assert change.kind == NONE and words in change.text
