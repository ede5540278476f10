"""Pooling a window of periods into one figure: Σ counts, person-days for per-day measures."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from queries import window
from queries.catalogue import load_catalogue

CATALOGUE = load_catalogue()


def series(numerators, denominators, starts, ends, synthetic=False) -> pd.DataFrame:
    count = len(numerators)
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": ends,
            "area_numerator": numerators,
            "area_denominator": denominators,
            "area_suppressed": [False] * count,
            "area_is_synthetic": [synthetic] * count,
            "england_numerator": [n * 50 for n in numerators],
            "england_denominator": [d * 60 for d in denominators],
            "england_is_synthetic": [synthetic] * count,
        }
    )


FEB_APR = dict(
    starts=[date(2017, 2, 1), date(2017, 3, 1), date(2017, 4, 1)],
    ends=[date(2017, 2, 28), date(2017, 3, 31), date(2017, 4, 30)],
)
NO_PEERS = pd.DataFrame(columns=["peer_code", "period_start", "numerator", "denominator"])


class TestPool:
    def test_per_day_measures_weigh_by_person_days(self) -> None:
        # Given three months of delayed days over person-days (days × population 18+)
        metric = CATALOGUE.get("dtoc_rate")
        days = np.array([28, 31, 30])
        population = np.array([100_000.0, 200_000.0, 150_000.0])
        delayed_days = np.array([30.0, 10.0, 20.0]) * days
        frame = series(list(delayed_days), list(population * days), **FEB_APR)
        # When the window is pooled
        figure = window.aggregate(metric, frame, NO_PEERS)
        # Then it is total delayed days over total person-days, not the mean of the months
        expected = delayed_days.sum() / (population * days).sum() * 100_000
        monthly = delayed_days / (population * days) * 100_000
        assert figure["area"] == pytest.approx(expected)
        assert figure["area"] != pytest.approx(monthly.mean())
        assert figure["weighted_by"] == "person-days"
        assert figure["area_lower"] < figure["area"] < figure["area_upper"]

    def test_counts_pool_as_sum_over_sum(self) -> None:
        metric = CATALOGUE.get("ea65_rate")
        frame = series([100.0, 300.0, 200.0], [10_000.0, 20_000.0, 30_000.0], **FEB_APR)
        figure = window.aggregate(metric, frame, NO_PEERS)
        assert figure["area"] == pytest.approx(600 / 60_000 * 100_000)
        assert figure["england"] == pytest.approx(600 * 50 / (60_000 * 60) * 100_000)
        assert figure["weighted_by"] == "denominator"

    def test_comparator_is_the_mean_of_pooled_peers(self) -> None:
        metric = CATALOGUE.get("ea65_rate")
        frame = series([100.0, 300.0, 200.0], [10_000.0, 20_000.0, 30_000.0], **FEB_APR)
        peers = pd.DataFrame(
            {
                "peer_code": ["a", "a", "b", "b"],
                "period_start": [FEB_APR["starts"][0], FEB_APR["starts"][1]] * 2,
                "numerator": [10.0, 30.0, 50.0, 50.0],
                "denominator": [1_000.0, 3_000.0, 1_000.0, 1_000.0],
                "suppressed": [False] * 4,
            }
        )
        figure = window.aggregate(metric, frame, peers)
        assert figure["comparator_mean"] == pytest.approx((1_000 + 5_000) / 2)
        assert figure["comparator_min"] == pytest.approx(1_000)
        assert figure["comparator_n"] == 2


class TestRefusals:
    def test_real_and_synthetic_never_pooled(self) -> None:
        metric = CATALOGUE.get("ea65_rate")
        frame = series([1.0, 2.0, 3.0], [10.0, 10.0, 10.0], **FEB_APR)
        frame.loc[0, "area_is_synthetic"] = True
        with pytest.raises(window.WindowError, match="real and synthetic"):
            window.aggregate(metric, frame, NO_PEERS)

    def test_percentiles_have_nothing_to_pool(self) -> None:
        metric = CATALOGUE.get("los_p90_ea65")
        frame = series([np.nan] * 3, [np.nan] * 3, **FEB_APR)
        with pytest.raises(window.WindowError, match="no numerator and denominator"):
            window.aggregate(metric, frame, NO_PEERS)
