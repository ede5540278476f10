"""Directly standardised rates: properties and bad input (golden cases: test_stats_golden)."""

import numpy as np
import pytest

from queries.stats import dsr


class TestDsr:
    def test_equals_the_crude_rate_when_the_area_has_the_standard_age_mix(self):
        # Given an area whose population is the standard scaled by 3
        standard = np.array(list(dsr.ESP2013_65_PLUS.values()), float)
        result = dsr.dsr([120, 200, 90], standard * 3, standard)
        assert result["value"] == pytest.approx(410 / standard.sum() / 3 * 1e5)

    def test_an_older_area_with_the_same_band_rates_has_the_same_dsr(self):
        # Two areas with identical rates per band but very different age mixes
        standard = list(dsr.ESP2013_65_PLUS.values())
        rates = np.array([0.05, 0.1, 0.25])
        young = np.array([30_000, 12_000, 2_000.0])
        old = np.array([20_000, 18_000, 9_000.0])
        young_dsr = dsr.dsr(rates * young, young, standard)
        old_dsr = dsr.dsr(rates * old, old, standard)
        assert young_dsr["value"] == pytest.approx(old_dsr["value"])
        crude_young, crude_old = (
            (rates * young).sum() / young.sum(),
            (rates * old).sum() / old.sum(),
        )
        assert crude_old > 1.3 * crude_young  # the crude rates differ, the DSRs do not

    def test_interval_contains_the_value_and_the_99_8_is_wider(self):
        result = dsr.dsr([40, 80, 60], [20_000, 9_000, 2_500], [10_500, 6_500, 2_500])
        assert result["lower_99_8"] < result["lower_95"] < result["value"]
        assert result["value"] < result["upper_95"] < result["upper_99_8"]

    def test_fewer_than_ten_events_give_no_dsr(self):
        result = dsr.dsr([3, 4, 2], [20_000, 9_000, 2_500], [10_500, 6_500, 2_500])
        assert result["total_count"] == 9 and np.isnan(result["value"])
        assert np.isnan(result["lower_95"]) and np.isnan(result["upper_99_8"])

    @pytest.mark.parametrize(
        ("counts", "populations", "standard", "message"),
        [
            ([1, 2], [10, 10, 10], [1, 1, 1], "one value per age band"),
            ([-1, 2, 3], [10, 10, 10], [1, 1, 1], "negative"),
            ([1, 2, 3], [10, 0, 10], [1, 1, 1], "positive"),
            ([1, 2, 3], [10, np.nan, 10], [1, 1, 1], "positive"),
            ([1, 2, 3], [10, 10, 10], [0, 0, 0], "standard population"),
        ],
    )
    def test_bad_input_is_an_error(self, counts, populations, standard, message):
        with pytest.raises(ValueError, match=message):
            dsr.dsr(counts, populations, standard)
