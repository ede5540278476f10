"""Small wide frames shaped like queries.series.metric_series output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

LABELS = ["2016/17 Q1", "2016/17 Q2", "2016/17 Q3", "2016/17 Q4"]


@pytest.fixture()
def series_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_label": LABELS,
            "area_value": [60.0, 62.0, np.nan, 65.0],
            "area_lower": [55.0, 57.0, np.nan, 60.0],
            "area_upper": [66.0, 68.0, np.nan, 71.0],
            "area_suppressed": [False, False, True, False],
            "comparator_mean": [70.0, 71.0, 72.0, 73.0],
            "comparator_min": [60.0, 61.0, 62.0, 63.0],
            "comparator_max": [80.0, 81.0, 82.0, 83.0],
            "england_value": [64.0, 64.5, 65.0, 65.5],
            "peer_hover": ["<br>  Coventry: 70", "<br>  Coventry: 71", "", "<br>  Coventry: 73"],
        }
    )
