"""A family chart's rows (``chart_views._series``): picked with numpy from the look-up of every
council, they are what filtering and sorting the area's own series with pandas gives."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.families import chart_views
from dashboard.families import view as family_views
from dashboard.families.definitions import RATING_BARS
from dashboard.families.state import FamilyState
from queries import family
from queries.catalogue import load_catalogue
from tests.fixtures import COUNCILS

COVENTRY = COUNCILS[1]


def pandas_rows(frame: pd.DataFrame, values, breakdown: str, state: FamilyState):
    """The chart's rows as the pandas version of ``_series`` chose them."""
    if values and breakdown != family.HEADLINE:
        frame = frame[frame["breakdown_value"].isin(values)]
        order = {value: index for index, value in enumerate(values)}
        frame = frame.sort_values(
            ["breakdown_value", "period_start"],
            key=lambda c: c.map(order) if c.name == "breakdown_value" else c,
        )
    keep = pd.Series(True, index=frame.index)
    if state.period_from:
        keep &= frame["period_start"] >= state.period_from
    if state.period_to:
        keep &= frame["period_start"] <= state.period_to
    return frame[keep].reset_index(drop=True)


@pytest.mark.parametrize("family_id", ["hospital", "dtoc", "social_care"])  # the fixture's
@pytest.mark.parametrize("window", [(None, None), (date(2016, 7, 1), date(2017, 4, 1))])
def test_rows_are_the_areas_series_filtered_and_in_chart_order(family_store, family_id, window):
    page = family_views.page_for(family_id)
    options = family_views.family_options(family_store, page)
    state = FamilyState(
        family_id,
        area=COVENTRY,
        method="default",
        period_type=options.period_types[0],
        period_from=window[0],
        period_to=window[1],
    )
    context = family_views._context(family_store, state, "Coventry")
    assert context.every_area is not None  # the rows come from the look-up
    compared = []
    for section in page.sections:
        for chart in section.charts:
            metric = load_catalogue().get(chart.metric_id)
            if chart.kind == RATING_BARS or chart_views._missing(context, chart, metric):
                continue
            period_type, _why = chart_views._period_type(context, chart, metric)
            found = chart_views._series(context, chart, metric, period_type)
            request = family.BreakdownRequest(
                metric.id, COVENTRY, "default", period_type, chart.breakdown
            )
            values = chart.values or tuple(metric.breakdowns.get(chart.breakdown, {}))
            expected = pandas_rows(
                family.breakdown_series(family_store, request), values, chart.breakdown, state
            )
            pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-12)
            compared.append((chart.key, len(found)))
    assert compared and any(rows for _key, rows in compared)
