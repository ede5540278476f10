"""Comparator aggregation: mean of peers, pooled option, spread, missing peers and ranks."""

import warnings
from datetime import date

import numpy as np
import pandas as pd
import pytest

from queries.stats import comparators


def five_of_six_peers() -> pd.DataFrame:
    """Peers 10..50 (hand-checkable statistics); numerators/denominators pool to 15 / 90."""
    return pd.DataFrame(
        {
            "value": [10.0, 20.0, 30.0, 40.0, 50.0],
            "numerator": [1, 2, 3, 4, 5],
            "denominator": [10, 10, 10, 10, 50],
        }
    )


class TestRankAmong:
    def test_one_is_the_highest_value(self):
        assert comparators.rank_among(35, [10, 20, 30, 40, 50]) == 3

    def test_ties_share_the_better_rank_and_missing_peers_are_skipped(self):
        assert comparators.rank_among(40, [10, 40, np.nan, 50]) == 2

    def test_missing_area_has_no_rank(self):
        assert np.isnan(comparators.rank_among(np.nan, [1, 2]))

    def test_vectorised_over_periods(self):
        ranks = comparators.rank_among([5, 1], [[1, 9], [2, 3]])
        assert ranks.tolist() == [2.0, 3.0]


class TestBestRank:
    @pytest.mark.parametrize(
        ("polarity", "expected"), [("higher_is_better", 3.0), ("lower_is_better", 4.0)]
    )
    def test_one_is_the_best_value(self, polarity, expected):
        assert comparators.best_rank(35, [10, 20, 30, 40, 50], polarity) == expected

    def test_context_metrics_have_no_best(self):
        assert np.isnan(comparators.best_rank(35, [10, 20], "context"))


class TestAggregatePeers:
    def test_summary_counts_missing_peers(self):
        # Given 5 reporting peers of a group of 6 and an area value of 35
        summary = comparators.aggregate_peers(
            five_of_six_peers(), area_value=35, expected=6, polarity="lower_is_better"
        )
        # Then the statistics are those of the 5 and the missing peer is counted
        assert summary["comparator_value"] == summary["comparator_mean"] == 30
        assert summary["comparator_pooled"] == pytest.approx(100 * 15 / 90)
        quartiles = summary[["peer_min", "peer_q1", "peer_median", "peer_q3", "peer_max"]]
        assert quartiles.tolist() == [10, 20, 30, 40, 50]
        assert (summary["n_contributing"], summary["n_expected"]) == (5, 6)
        assert (summary["area_rank"], summary["n_ranked"]) == (3, 6)
        assert summary["area_best_rank"] == 4

    def test_pooled_method_makes_pooled_the_comparator_value(self):
        summary = comparators.aggregate_peers(five_of_six_peers(), method="pooled")
        assert summary["comparator_value"] == pytest.approx(100 * 15 / 90)

    def test_suppressed_peers_count_as_missing(self):
        # Given the 50 peer is suppressed
        peers = five_of_six_peers().assign(suppressed=[False, False, False, False, True])
        summary = comparators.aggregate_peers(peers, expected=6)
        # Then it contributes to neither the mean nor the pool
        assert summary["comparator_mean"] == 25
        assert summary["comparator_pooled"] == pytest.approx(100 * 10 / 40)
        assert summary["n_contributing"] == 4

    def test_no_reporting_peers_gives_nan_without_warnings(self):
        peers = pd.DataFrame({"value": [np.nan, np.nan]})
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            summary = comparators.aggregate_peers(peers, area_value=3, expected=15)
        assert np.isnan(summary["comparator_mean"]) and np.isnan(summary["peer_median"])
        assert (summary["n_contributing"], summary["area_rank"], summary["n_ranked"]) == (0, 1, 1)

    def test_pooled_without_counts_is_an_error(self):
        with pytest.raises(ValueError, match="numerator and denominator"):
            comparators.aggregate_peers(pd.DataFrame({"value": [1.0]}), method="pooled")

    def test_more_rows_than_expected_peers_is_an_error(self):
        with pytest.raises(ValueError, match="expected"):
            comparators.aggregate_peers(five_of_six_peers(), expected=4)

    def test_unknown_method_is_an_error(self):
        with pytest.raises(ValueError, match="comparator method"):
            comparators.aggregate_peers(five_of_six_peers(), method="median")


def long_frame() -> pd.DataFrame:
    """Area A and peers P1-P3 over two quarters; P3 has no row in the second."""
    return pd.DataFrame(
        {
            "period_start": ["2017-01-01"] * 4 + ["2017-04-01"] * 3,
            "area_code": ["A", "P1", "P2", "P3", "A", "P1", "P2"],
            "value": [25.0, 10.0, 20.0, 30.0, 5.0, 10.0, 30.0],
            "numerator": [5, 1, 2, 3, 1, 1, 3],
            "denominator": [20, 10, 10, 10, 20, 10, 10],
        }
    )


class TestAggregatePeersByPeriod:
    def test_one_row_per_period_with_missing_peers_counted(self):
        # Given area A, its three peers, and a peer missing in the second quarter
        summary = comparators.aggregate_peers_by_period(
            long_frame(), area_code="A", peer_codes=["P1", "P2", "P3"]
        )
        # Then each quarter is summarised over the peers present, out of 3
        assert summary.index.tolist() == ["2017-01-01", "2017-04-01"]
        assert summary["comparator_mean"].tolist() == [20, 20]
        assert summary["n_contributing"].tolist() == [3, 2]
        assert summary["n_expected"].tolist() == [3, 3]
        assert summary["area_value"].tolist() == [25, 5]
        assert summary["area_rank"].tolist() == [2, 3]

    def test_peers_default_to_every_other_code(self):
        summary = comparators.aggregate_peers_by_period(long_frame(), area_code="A")
        assert summary["n_expected"].tolist() == [3, 3]

    def test_pooled_per_period(self):
        summary = comparators.aggregate_peers_by_period(
            long_frame(), area_code="A", method="pooled"
        )
        assert summary["comparator_value"].tolist() == pytest.approx([20.0, 20.0])

    def test_peer_code_column_from_peer_values_sql(self):
        # Given rows named as peer_values.sql names them, without the area itself
        frame = long_frame().query("area_code != 'A'").rename(columns={"area_code": "peer_code"})
        summary = comparators.aggregate_peers_by_period(frame, code_column="peer_code")
        assert summary["comparator_mean"].tolist() == [20, 20]
        assert summary["area_rank"].isna().all()

    def test_area_without_peers_ranks_alone(self):
        # Given only the area's own rows, dated as the store returns them
        frame = pd.DataFrame(
            {
                "period_start": [date(2017, 4, 1), date(2016, 4, 1)],
                "area_code": ["A", "A"],
                "value": [2.0, 1.0],
            }
        )
        summary = comparators.aggregate_peers_by_period(frame, area_code="A")
        assert summary.index.tolist() == [date(2016, 4, 1), date(2017, 4, 1)]
        assert summary["comparator_mean"].isna().all()
        assert summary["area_rank"].tolist() == [1, 1]

    def test_duplicate_rows_are_an_error(self):
        frame = pd.concat([long_frame(), long_frame().head(1)])
        with pytest.raises(ValueError, match="more than one row"):
            comparators.aggregate_peers_by_period(frame, area_code="A")

    def test_area_cannot_be_its_own_peer(self):
        with pytest.raises(ValueError, match="own peer"):
            comparators.aggregate_peers_by_period(long_frame(), area_code="A", peer_codes=["A"])

    def test_missing_columns_are_an_error(self):
        with pytest.raises(ValueError, match="lacks columns"):
            comparators.aggregate_peers_by_period(long_frame().drop(columns="value"))
