"""Significance verdicts: interval vs benchmark, turned into colours by polarity."""

import itertools

import numpy as np
import pandas as pd
import pytest

from queries.stats import significance


class TestDirection:
    def test_interval_must_exclude_the_benchmark(self):
        # Given intervals above, around, touching, below and missing relative to 10
        lower = [11, 9, 10, 7, np.nan]
        upper = [12, 11, 12, 9, 12]
        # When compared with 10
        sides = significance.direction(lower, upper, 10)
        # Then touching counts as similar and missing is not compared
        assert sides.tolist() == ["higher", "similar", "similar", "lower", "not compared"]

    def test_missing_benchmark_is_not_compared(self):
        assert significance.direction([1], [2], [np.nan]).tolist() == ["not compared"]


class TestVerdict:
    @pytest.mark.parametrize(
        ("polarity", "expected"),
        [
            ("higher_is_better", ["better", "similar", "worse"]),
            ("lower_is_better", ["worse", "similar", "better"]),
            ("context", ["not compared"] * 3),
        ],
    )
    def test_polarity_decides_the_colour(self, polarity, expected):
        # Given one area above, one around and one below England (10)
        verdicts = significance.verdict([11, 9, 7], [12, 11, 9], 10, polarity)
        assert verdicts.tolist() == expected

    def test_suppressed_and_missing_are_not_compared(self):
        # Given two significantly high areas, one suppressed, and one without an interval
        verdicts = significance.verdict(
            lower=[11, 11, np.nan],
            upper=[12, 12, np.nan],
            benchmark=10,
            polarity="higher_is_better",
            suppressed=pd.Series([True, None, False], dtype="boolean"),
        )
        assert verdicts.tolist() == ["not compared", "better", "not compared"]

    def test_polarity_may_vary_by_row(self):
        verdicts = significance.verdict(
            [11, 11], [12, 12], [10, 10], ["higher_is_better", "lower_is_better"]
        )
        assert verdicts.tolist() == ["better", "worse"]

    def test_benchmark_may_vary_by_row(self):
        # Given the same interval against England and against the comparator mean
        verdicts = significance.verdict([11, 11], [12, 12], [10, 11.5], "higher_is_better")
        assert verdicts.tolist() == ["better", "similar"]

    def test_one_area_as_scalars(self):
        # Given one area's figures as plain floats, as a dashboard tile holds them
        result = significance.verdict(11.0, 12.0, 10.0, "higher_is_better", suppressed=False)
        # Then the answer is a zero-dimensional array holding one verdict
        assert result.shape == () and result.item() == "better"

    def test_unknown_polarity_is_an_error(self):
        with pytest.raises(ValueError, match="polarity"):
            significance.verdict([1], [2], 3, "up")


def test_one_value_verdict_agrees_with_the_array_verdict():
    values = (float("nan"), 1.0, 2.0, 3.0)
    cases = [
        (lower, upper, bench, polarity, suppressed)
        for lower, upper, bench in itertools.product(values, repeat=3)
        for polarity in significance.POLARITIES
        for suppressed in (False, True)
    ]
    expected = significance.verdict(*(list(column) for column in zip(*cases, strict=True)))
    assert [significance.verdict_of(*case) for case in cases] == expected.tolist()
    assert set(expected.tolist()) == {"better", "similar", "worse", "not compared"}
