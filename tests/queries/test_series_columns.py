"""A frame's rows read as arrays: the same values as pandas gives, slices staying views."""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.series_columns import FrameColumns, SeriesColumns, as_columns


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(
                ["2020-01-01", "2019-01-01", "2021-01-01", "2022-01-01"]
            ),
            "area_value": [1.0, None, 3.0, 4.0],
            "area_suppressed": pd.array([False, None, True, False], dtype="boolean"),
            "numerator": ["5", "x", "7", None],
            "period_label": ["2020", "2019", "2021", "2022"],
        }
    )


def test_columns_read_as_pandas_reads_them():
    series = SeriesColumns.of(frame())
    assert np.array_equal(series.floats("area_value"), [1.0, np.nan, 3.0, 4.0], equal_nan=True)
    assert series.flags("area_suppressed").tolist() == [False, False, True, False]
    assert series.known("area_suppressed").tolist() == [True, False, True, True]
    assert np.array_equal(series.floats("numerator"), [5.0, np.nan, 7.0, np.nan], equal_nan=True)
    assert series.flags("is_synthetic").tolist() == [False] * 4  # absent: flags nothing
    assert "area_value" in series and "is_synthetic" not in series


def test_rows_are_taken_sliced_and_put_oldest_first():
    series = SeriesColumns(FrameColumns(frame()), range(1, 4))
    assert series.values("period_label").tolist() == ["2019", "2021", "2022"]
    assert series.tail(2).values("period_label").tolist() == ["2021", "2022"]
    assert series.head(1).values("period_label").tolist() == ["2019"]
    everything = as_columns(frame())
    ordered = everything.oldest_first()
    assert ordered.values("period_label").tolist() == ["2019", "2020", "2021", "2022"]
    assert ordered.take(np.array([0, 2])).values("period_label").tolist() == ["2019", "2021"]
    pd.testing.assert_frame_equal(
        ordered.frame(), frame().sort_values("period_start").reset_index(drop=True)
    )
    assert as_columns(everything) is everything
    assert len(everything.head(0)) == 0 and everything.head(0).empty
