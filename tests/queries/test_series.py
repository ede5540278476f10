"""queries.series: AreaRows gives one area's rows of a frame holding many as a frame."""

from __future__ import annotations

import pandas as pd

from queries.series import AreaRows


def test_an_areas_rows_together_or_apart_and_the_shared_frame_unchanged():
    frame = pd.DataFrame(
        {"area_code": ["A", "A", "B", "A", "C", "C"], "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
    )
    rows = AreaRows.split(frame)
    apart, together = rows.of("A"), rows.of("C")
    assert apart["value"].tolist() == [1.0, 2.0, 4.0]
    assert together["value"].tolist() == [5.0, 6.0]
    assert list(together.index) == [0, 1] and "area_code" not in together
    assert rows.of("unknown").empty and list(rows.of("unknown").columns) == ["value"]
    together.loc[0, "value"] = 50.0  # a page changing its copy
    assert rows.frame["value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
