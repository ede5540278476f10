"""Ranking councils on the interface metrics: SQL year values and the pure ranking functions,
checked against small cases worked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from extracts.publish import publish
from queries import schema, selection
from queries.catalogue import load_catalogue
from queries.store import DataStore
from tests.fixtures import COUNCILS, ENGLAND, fixture_tables, publish_fixture

CATALOGUE = load_catalogue()
LOWER = "lower_is_better"
HIGHER = "higher_is_better"
A, B, C = COUNCILS[:3]


def series(*values) -> pd.Series:
    return pd.Series([np.nan if v is None else v for v in values], dtype=float)


class TestRanks:
    def test_lower_is_better_ranks_the_smallest_first_and_ties_share(self):
        # Given four values with a tie and a missing one
        values = series(3.0, 1.0, 3.0, None, 2.0)
        # When ranked with lower-is-better polarity
        result = selection.ranks(values, LOWER).tolist()
        # Then 1 is the smallest, the tied 3s share rank 3 and the missing one has none
        assert result == [3, 1, 3, pd.NA, 2]

    def test_higher_is_better_reverses(self):
        assert selection.ranks(series(3.0, 1.0, 2.0), HIGHER).tolist() == [1, 3, 2]

    def test_context_metrics_cannot_be_ranked(self):
        with pytest.raises(selection.SelectionError, match="context"):
            selection.ranks(series(1.0), "context")


class TestQuartiles:
    def test_eight_ranks_split_two_per_quartile(self):
        rank = pd.Series(range(1, 9), dtype="Int64")
        assert selection.quartiles(rank).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]

    def test_five_ranks_use_floor_of_four_times_rank_minus_one_over_n(self):
        # (r-1)*4//5 + 1 for r = 1..5 -> 1, 1, 2, 3, 4
        rank = pd.Series([1, 2, 3, 4, 5, None], dtype="Int64")
        assert selection.quartiles(rank).tolist() == [1, 1, 2, 3, 4, pd.NA]

    def test_no_ranks_no_quartiles(self):
        assert selection.quartiles(pd.Series([None], dtype="Int64")).isna().all()


class TestPercentileScores:
    def test_best_scores_100_worst_0_ties_average(self):
        # lower is better: 1 best (100), 3 and 3 tie at the bottom, 2 in between
        # goodness ascending ranks: 3,3 -> 1.5 each; 2 -> 3; 1 -> 4; n = 4
        scores = selection.percentile_scores(series(1.0, 2.0, 3.0, 3.0, None), LOWER)
        expected = [100.0, 100 * 2 / 3, 100 * 0.5 / 3, 100 * 0.5 / 3, np.nan]
        np.testing.assert_allclose(scores.to_numpy(), expected)

    def test_a_lone_council_scores_100(self):
        scores = selection.percentile_scores(series(None, 5.0), HIGHER)
        assert np.isnan(scores[0]) and scores[1] == 100.0


class TestCompositeScores:
    def test_weighted_mean_over_the_metrics_present(self):
        # Given scores on two metrics and weights 2 and 1
        scores = pd.DataFrame({"m1": [100.0, 0.0, 50.0], "m2": [0.0, 100.0, None]})
        # When combined
        result = selection.composite_scores(scores, {"m1": 2, "m2": 1})
        # Then (2*100 + 0)/3, (0 + 100)/3, and the third uses m1 only: 50
        np.testing.assert_allclose(result.to_numpy(), [200 / 3, 100 / 3, 50.0])

    def test_missing_metric_reduces_the_weight_sum_rather_than_counting_as_worst(self):
        scores = pd.DataFrame({"m1": [80.0], "m2": [None]})
        assert selection.composite_scores(scores, {"m1": 1, "m2": 3}).iloc[0] == 80.0

    def test_zero_weights_drop_a_metric_and_all_zero_gives_no_score(self):
        scores = pd.DataFrame({"m1": [80.0], "m2": [20.0]})
        assert selection.composite_scores(scores, {"m1": 0, "m2": 1}).iloc[0] == 20.0
        assert np.isnan(selection.composite_scores(scores, {"m1": 0, "m2": 0}).iloc[0])

    def test_negative_weights_are_refused(self):
        with pytest.raises(selection.SelectionError):
            selection.composite_scores(pd.DataFrame({"m1": [1.0]}), {"m1": -1})


def long_values(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(metric_id=m, area_code=a, value=v, suppressed=v is None, basis="financial_year")
            for m, a, v in rows
        ]
    )


class TestRankingTable:
    def test_ranks_quartiles_and_composite_from_hand_worked_values(self):
        # Given dtoc_rate (lower better) and ascof_2b1 (higher better) for three councils
        metrics = [CATALOGUE.get("dtoc_rate"), CATALOGUE.get("ascof_2b1")]
        values = long_values(
            [
                ("dtoc_rate", A, 10.0),
                ("dtoc_rate", B, 20.0),
                ("dtoc_rate", C, 30.0),
                ("dtoc_rate", ENGLAND, 15.0),
                ("ascof_2b1", A, 70.0),
                ("ascof_2b1", B, 90.0),
                ("ascof_2b1", C, None),  # suppressed
            ]
        )
        # When ranked with dtoc weighted 3 and ascof 1
        table = selection.ranking_table(values, metrics, {"dtoc_rate": 3, "ascof_2b1": 1})
        table = table.set_index("area_code")
        # Then England is left out and each metric has ranks, quartiles and scores
        assert list(table.index) == [A, B, C]
        assert table["rank_dtoc_rate"].tolist() == [1, 2, 3]
        assert table["quartile_dtoc_rate"].tolist() == [1, 2, 3]
        assert table["rank_ascof_2b1"].tolist() == [2, 1, pd.NA]
        assert table["suppressed_ascof_2b1"].tolist() == [False, False, True]
        # scores: dtoc 100, 50, 0; ascof 0, 100, –
        # composite: A (3*100 + 0)/4 = 75; B (3*50 + 100)/4 = 62.5; C 0 (dtoc only)
        np.testing.assert_allclose(table["composite_score"], [75.0, 62.5, 0.0])
        assert table["composite_rank"].tolist() == [1, 2, 3]
        assert table["metrics_used"].tolist() == [2, 2, 1]

    def test_weights_change_the_order(self):
        metrics = [CATALOGUE.get("dtoc_rate"), CATALOGUE.get("ascof_2b1")]
        values = long_values(
            [("dtoc_rate", A, 10.0), ("dtoc_rate", B, 20.0)]
            + [("ascof_2b1", A, 70.0), ("ascof_2b1", B, 90.0)]
        )
        table = selection.ranking_table(values, metrics, {"dtoc_rate": 1, "ascof_2b1": 3})
        assert table.set_index("area_code")["composite_rank"].tolist() == [2, 1]


def coverage(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["metric_id", "year_start", "councils"])


class TestYears:
    def test_default_is_the_latest_year_complete_for_most_metrics(self):
        # 2018 has only one of three metrics; 2017 has all three
        frame = coverage(
            [
                ("m1", 2016, 150),
                ("m1", 2017, 150),
                ("m1", 2018, 150),
                ("m2", 2016, 152),
                ("m2", 2017, 151),
                ("m3", 2017, 152),
                ("m3", 2018, 20),  # partial: below 90 % of its best year
            ]
        )
        assert selection.default_year(frame) == 2017
        assert selection.available_years(frame) == [2016, 2017, 2018]

    def test_no_data_no_default(self):
        assert selection.default_year(coverage([("m1", 2017, 0)])) is None


def indicator_rows(metric_id, area_code, period_type, starts, numerators, denominators, **extra):
    multiplier = CATALOGUE.get(metric_id).multiplier
    rows = []
    for start, numerator, denominator in zip(starts, numerators, denominators, strict=True):
        suppressed = numerator is None
        rows.append(
            dict(
                metric_id=metric_id,
                area_code=area_code,
                period_start=start,
                period_end=start,
                period_type=period_type,
                breakdown="all",
                breakdown_value="all",
                numerator=numerator,
                denominator=denominator,
                value=None if suppressed else numerator / denominator * multiplier,
                lower_ci=None,
                upper_ci=None,
                suppressed=suppressed,
                is_synthetic=extra.get("synthetic", True),
                vintage="test",
                source="test",
            )
        )
    return rows


QUARTERS_2017 = [date(2017, 4, 1), date(2017, 7, 1), date(2017, 10, 1), date(2018, 1, 1)]
MONTHS_2017 = [date(2017 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12)]


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory):
    """Councils A, B, C with hand-made rows covering each basis."""
    rows = []
    # ascof_2b1: a financial-year row for A and B, quarters for C (ignored: FY wins)
    rows += indicator_rows("ascof_2b1", A, "financial_year", [date(2017, 4, 1)], [80], [100])
    rows += indicator_rows("ascof_2b1", B, "financial_year", [date(2017, 4, 1)], [None], [100])
    rows += indicator_rows("ascof_2b1", C, "quarter", QUARTERS_2017, [1, 1, 1, 1], [2, 2, 2, 2])
    # ea65_rate: quarters only; C misses a quarter, B has one suppressed
    rows += indicator_rows("ea65_rate", A, "quarter", QUARTERS_2017, [10, 20, 30, 40], [1e4] * 4)
    rows += indicator_rows("ea65_rate", B, "quarter", QUARTERS_2017, [10, None, 30, 40], [1e4] * 4)
    rows += indicator_rows("ea65_rate", C, "quarter", QUARTERS_2017[:3], [10, 20, 30], [1e4] * 3)
    # dtoc_rate: months only (real data), plus a rolling 12-month row from April for A only
    rows += indicator_rows(
        "dtoc_rate", A, "month", MONTHS_2017, [30] * 12, [3e6] * 12, synthetic=False
    )
    rows += indicator_rows(
        "dtoc_rate", B, "month", MONTHS_2017, list(range(12)), [1e6] * 12, synthetic=False
    )
    tables = fixture_tables()
    frame = pd.DataFrame(rows)
    tables["indicators"] = schema.conform(
        "indicators", pa.Table.from_pandas(frame, preserve_index=False)
    )
    directory = tmp_path_factory.mktemp("selection")
    publish(directory, tables=tables, fresh=True)
    return DataStore(directory)


def by_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(["metric_id", "area_code"])


class TestInterfaceValuesSql:
    def test_financial_year_rows_win_and_are_used_for_every_council(self, hand_store):
        metrics = [CATALOGUE.get("ascof_2b1")]
        frame = by_key(selection.interface_values(hand_store, metrics, 2017))
        assert set(frame["basis"]) == {"financial_year"}
        assert frame.loc[("ascof_2b1", A), "value"] == 80.0
        assert bool(frame.loc[("ascof_2b1", B), "suppressed"])
        assert ("ascof_2b1", C) not in frame.index  # no FY row: missing, not mixed bases

    def test_quarters_are_summed_when_all_four_are_present(self, hand_store):
        metrics = [CATALOGUE.get("ea65_rate")]
        frame = by_key(selection.interface_values(hand_store, metrics, 2017))
        a = frame.loc[("ea65_rate", A)]
        assert a["basis"] == "quarter"
        # Σ numerators 100 ÷ Σ denominators 40,000 × 100,000 = 250
        assert a["numerator"] == 100 and a["denominator"] == 4e4
        assert a["value"] == pytest.approx(250.0)
        assert bool(frame.loc[("ea65_rate", B), "suppressed"])
        assert np.isnan(frame.loc[("ea65_rate", B), "value"])
        assert ("ea65_rate", C) not in frame.index  # three quarters are not a year

    def test_months_are_summed_and_keep_the_synthetic_flag(self, hand_store):
        metrics = [CATALOGUE.get("dtoc_rate")]
        frame = by_key(selection.interface_values(hand_store, metrics, 2017))
        # A: 360 ÷ 36,000,000 × 100,000 = 1.0; B: 66 ÷ 12,000,000 × 100,000 = 0.55
        assert frame.loc[("dtoc_rate", A), "value"] == pytest.approx(1.0)
        assert frame.loc[("dtoc_rate", B), "value"] == pytest.approx(0.55)
        assert set(frame["basis"]) == {"month"}
        assert not frame["is_synthetic"].any()

    def test_a_year_without_data_is_empty(self, hand_store):
        metrics = [CATALOGUE.get("ea65_rate")]
        assert selection.interface_values(hand_store, metrics, 2010).empty

    def test_year_coverage_counts_councils_with_a_whole_year(self, hand_store):
        metrics = [CATALOGUE.get(i) for i in ("ascof_2b1", "ea65_rate", "dtoc_rate")]
        frame = selection.year_coverage(hand_store, metrics)
        counts = frame.set_index(["metric_id", "year_start"])["councils"]
        assert counts[("ascof_2b1", 2017)] == 3  # A, B (suppressed) by FY row; C by quarters
        assert counts[("ea65_rate", 2017)] == 2
        assert counts[("dtoc_rate", 2017)] == 2


class TestOnTheFixture:
    def test_every_fixture_council_and_england_for_2017(self, tmp_path):
        publish_fixture(tmp_path)
        store = DataStore(tmp_path)
        metrics = CATALOGUE.interface_metrics()
        coverage_frame = selection.year_coverage(store, metrics)
        assert selection.default_year(coverage_frame) == 2017
        values = selection.interface_values(store, metrics, 2017)
        assert set(values["metric_id"]) == {"dtoc_rate", "ea65_rate", "ascof_2b1"}
        assert selection.basis_by_metric(values) == {
            "ascof_2b1": "financial_year",
            "dtoc_rate": "month",
            "ea65_rate": "quarter",
        }
        table = selection.ranking_table(values, metrics, {})
        assert len(table) == 20 and table["composite_rank"].min() == 1

    def test_a_metric_with_changed_polarity_ranks_the_other_way(self):
        dtoc = CATALOGUE.get("dtoc_rate")
        flipped = replace(dtoc, polarity=HIGHER)
        values = long_values([("dtoc_rate", A, 1.0), ("dtoc_rate", B, 2.0)])
        assert selection.ranking_table(values, [dtoc], {})["rank_dtoc_rate"].tolist() == [1, 2]
        assert selection.ranking_table(values, [flipped], {})["rank_dtoc_rate"].tolist() == [2, 1]
