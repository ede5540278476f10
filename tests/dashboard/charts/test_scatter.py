"""Two interface metrics per council: shortlist ringed and named, reviewed areas as diamonds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import theme
from dashboard.charts import scatter
from dashboard.charts.scatter import Axis, ScatterSpec, build

SPEC = ScatterSpec(
    title="Delayed transfers vs emergency admissions 65+ — English councils",
    subtitle="2017/18",
    source_note="Source: NHS England, HES · <b>Synthetic data</b>",
    x=Axis("Delayed transfers", decimals=1),
    y=Axis("Still at home 91 days", decimals=1, percent=True),
    england_x=12.0,
    england_y=82.0,
)


@pytest.fixture()
def points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "D"],
            "name": ["Avon", "Bath", "Cork", "Derby"],
            "x": [10.0, 12.0, 14.0, np.nan],
            "y": [80.0, 85.0, 79.0, 90.0],
            "reviewed": [True, False, False, False],
            "shortlisted": [False, True, True, False],
        }
    )


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


class TestBuild:
    def test_councils_without_both_values_are_left_out(self, points):
        figure = build(points, spec=SPEC)
        plotted = sum(
            len(t.x)
            for t in figure.data
            if t.name in (scatter.COUNCILS_NAME, scatter.REVIEWED_NAME)
        )
        assert plotted == 3

    def test_reviewed_areas_are_diamonds_in_the_area_colour(self, points):
        reviewed = trace(build(points, spec=SPEC), scatter.REVIEWED_NAME)
        assert reviewed.marker.symbol == "diamond"
        assert reviewed.marker.color == theme.AREA
        assert list(reviewed.x) == [10.0]

    def test_shortlist_is_ringed_and_named_on_top(self, points):
        figure = build(points, spec=SPEC)
        shortlist = trace(figure, scatter.SHORTLIST_NAME)
        assert shortlist.marker.symbol == "circle-open"
        assert list(shortlist.text) == ["Bath", "Cork"]
        names = [t.name for t in figure.data]
        assert names.index(scatter.SHORTLIST_NAME) > names.index(scatter.COUNCILS_NAME)

    def test_hover_names_the_council_and_both_values_with_units(self, points):
        council = trace(build(points, spec=SPEC), scatter.COUNCILS_NAME)
        assert council.customdata[0][0] == "Bath"
        assert "%{x:,.1f}" in council.hovertemplate
        assert "%{y:,.1f}%" in council.hovertemplate

    def test_england_is_dashed_reference_lines_with_a_legend_entry(self, points):
        figure = build(points, spec=SPEC)
        lines = [s for s in figure.layout.shapes if s.line.dash == "dash"]
        assert len(lines) == 2
        assert trace(figure, scatter.ENGLAND_NAME).line.dash == "dash"

    def test_axis_titles_and_source_are_baked_in(self, points):
        figure = build(points, spec=SPEC)
        assert figure.layout.xaxis.title.text.startswith("Delayed transfers")
        assert figure.layout.yaxis.ticksuffix == "%"
        assert any("Source:" in a.text for a in figure.layout.annotations)

    def test_nothing_to_plot_gives_a_message(self, points):
        figure = build(points.assign(x=np.nan), spec=SPEC)
        assert figure.layout.meta["empty"] is True
