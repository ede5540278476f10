"""Family chart figures: the spec each chart kind gets from its view."""

import pandas as pd

from dashboard import theme
from dashboard.families import figures
from dashboard.families.chart_views import ChartView
from dashboard.families.definitions import PAGES
from queries.catalogue import load_catalogue


class TestRatingColours:
    def test_ratings_over_time_and_rating_bars_share_one_palette(self):
        metric = load_catalogue().get("cqc_rating_share")
        charts = {c.key: c for s in PAGES["care_services"].sections for c in s.charts}
        ratings = list(theme.RATING_COLOURS)
        over_time = pd.DataFrame(
            {"period_label": ["1 Jan 2019"] * 4, "component": ratings, "value": [5.0, 70, 20, 5]}
        )
        bars = pd.DataFrame(
            {
                "group": "Nursing home",
                "bar": ["Halton"] * 4,
                "component": ratings,
                "value": [5.0, 70, 20, 5],
            }
        )
        drawn = {}
        for key, frame in (("rating-trend", over_time), ("rating-mix", bars)):
            view = ChartView(
                chart=charts[key],
                metric=metric,
                title="t",
                subtitle="s",
                frame=frame,
                columns=(),
                period_type="snapshot",
            )
            figure = figures.figure(view, area_name="Halton", show="rates")
            drawn[key] = {
                t.name: getattr(t, "fillcolor", None) or t.marker.color for t in figure.data
            }
        assert drawn["rating-trend"] == drawn["rating-mix"] == theme.RATING_COLOURS
