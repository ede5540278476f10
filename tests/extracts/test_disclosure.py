"""Disclosure control: suppress 1-7, round the rest to 5, recompute values from rounded counts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from extracts import disclosure


def _table(numerators, denominators, values=None) -> pa.Table:
    count = len(numerators)
    values = values if values is not None else [1.0] * count
    return pa.table(
        {
            "numerator": pa.array(numerators, pa.float64()),
            "denominator": pa.array(denominators, pa.float64()),
            "value": pa.array(values, pa.float64()),
            "lower_ci": pa.array([0.5] * count, pa.float64()),
            "upper_ci": pa.array([1.5] * count, pa.float64()),
            "suppressed": pa.array([False] * count),
        }
    )


def _apply(table, *, count_denominator, recompute=True, multiplier=100.0):
    rows = table.num_rows
    return disclosure.apply(
        table,
        denominator_is_count=np.full(rows, count_denominator),
        recompute_value=np.full(rows, recompute),
        multiplier=np.full(rows, multiplier),
    )


class TestRoundCount:
    def test_edges(self) -> None:
        counts = np.array([0, 1, 7, 8, 12, 12.5, 13, np.nan])
        rounded = disclosure.round_count(counts)
        np.testing.assert_array_equal(rounded[:7], [0, 0, 5, 10, 10, 15, 15])
        assert np.isnan(rounded[7])

    def test_small(self) -> None:
        counts = np.array([0, 1, 7, 7.9, 8, 12, 13, np.nan])
        assert disclosure.small(counts).tolist() == [
            False,
            True,
            True,
            True,
            False,
            False,
            False,
            False,
        ]


class TestApplyRates:
    def test_edge_counts_against_a_population(self) -> None:
        # Given rate rows whose numerators are 0, 1, 7, 8, 12, 13 against 1,000 people
        table = _table([0, 1, 7, 8, 12, 13], [1000.0] * 6)
        # When disclosure control runs
        out = _apply(table, count_denominator=False, multiplier=100_000)
        # Then 1 and 7 are suppressed, others rounded, values from the rounded counts
        assert out.column("suppressed").to_pylist() == [False, True, True, False, False, False]
        assert out.column("numerator").to_pylist() == [0.0, None, None, 10.0, 10.0, 15.0]
        assert out.column("value").to_pylist() == [0.0, None, None, 1000.0, 1000.0, 1500.0]
        assert out.column("denominator").to_pylist() == [1000.0] * 6  # population, not rounded
        assert out.column("lower_ci").to_pylist() == [0.5, None, None, 0.5, 0.5, 0.5]
        assert out.column("upper_ci").null_count == 2


class TestApplyProportions:
    def test_small_denominator_is_suppressed_and_blanked(self) -> None:
        # Given a proportion with 0 of 5 and one with 8 of 13
        out = _apply(_table([0, 8], [5, 13]), count_denominator=True)
        assert out.column("suppressed").to_pylist() == [True, False]
        assert out.column("denominator").to_pylist() == [None, 15.0]
        assert out.column("numerator").to_pylist() == [None, 10.0]
        assert abs(out.column("value")[1].as_py() - 10 / 15 * 100) < 1e-12

    def test_zero_numerator_is_shown(self) -> None:
        out = _apply(_table([0], [120]), count_denominator=True)
        assert out.column("suppressed").to_pylist() == [False]
        assert out.column("value").to_pylist() == [0.0]


class TestApplyPercentiles:
    def test_percentile_on_few_spells_is_suppressed_value_kept_otherwise(self) -> None:
        # Given p90 rows resting on 7 and 13 spells
        table = _table([None, None], [7, 13], values=[20.0, 21.0])
        out = _apply(table, count_denominator=True, recompute=False, multiplier=1)
        assert out.column("suppressed").to_pylist() == [True, False]
        assert out.column("value").to_pylist() == [None, 21.0]
        assert out.column("denominator").to_pylist() == [None, 15.0]

    def test_already_suppressed_rows_stay_suppressed(self) -> None:
        table = _table([100], [1000]).set_column(5, "suppressed", pa.array([True]))
        out = _apply(table, count_denominator=False)
        assert out.column("suppressed").to_pylist() == [True]
        assert out.column("value").to_pylist() == [None]
