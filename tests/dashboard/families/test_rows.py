"""A chart's rows picked from a frame of many councils' rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.families.rows import at, chart_rows

Q1, Q2, Q3 = date(2016, 4, 1), date(2016, 7, 1), date(2016, 10, 1)


def many_councils() -> pd.DataFrame:
    """Rows 0-5 one council's (out of order, with a value no chart asks for), 6-7 another's."""
    return pd.DataFrame(
        {
            "area_code": ["A"] * 6 + ["B"] * 2,
            "breakdown_value": pd.array(
                ["own_home", "care_home", "other", "care_home", "own_home", "care_home"]
                + ["own_home", "care_home"],
                dtype="str",
            ),
            "period_start": [Q2, Q3, Q1, Q1, Q1, Q2, Q1, Q1],
            "value": np.arange(8, dtype=float),
        }
    )


def test_values_in_the_charts_order_each_oldest_first():
    frame = many_councils()
    found = chart_rows(frame, np.arange(6), values=("care_home", "own_home"))
    assert found["value"].tolist() == [3.0, 5.0, 1.0, 4.0, 0.0]
    assert found.index.tolist() == list(range(5))


def test_the_period_range_and_only_the_given_rows():
    frame = many_councils()
    found = chart_rows(frame, np.arange(6), values=("care_home",), period_from=Q2, period_to=Q2)
    assert found["value"].tolist() == [5.0]
    other = chart_rows(frame, np.array([6, 7]))  # no values: every row of the range, in place
    assert other["value"].tolist() == [6.0, 7.0]
    assert chart_rows(frame, np.array([], dtype=int)).empty


def test_at_reads_a_column_at_some_rows():
    frame = many_councils()
    assert at(frame, "breakdown_value", np.array([1, 6])).tolist() == ["care_home", "own_home"]
    assert at(frame, "period_start", np.array([2])).tolist() == [Q1]
