import dataclasses
import json

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts import frame, ranking
from dashboard.charts.ranking import RankingSpec, build
from dashboard.charts.reviewed_marks import REVIEWED_NAME

SPEC = RankingSpec(
    title="Emergency admissions 65+ — all councils ranked, 2017/18 Q4",
    subtitle="per 100,000",
    source_note="Source",
    area_name="Halton",
)


@pytest.fixture()
def ranked() -> pd.DataFrame:
    values = [50.0, 60.0, 70.0, 80.0, np.nan]
    return pd.DataFrame(
        {
            "name": ["A", "Halton", "B", "C", "Suppressed"],
            "role": ["other", "area", "peer", "peer", "other"],
            "position": pd.array([1, 2, 3, 4, None], dtype="Int64"),
            "area_value": values,
            "area_lower": [v - 5 for v in values],
            "area_upper": [v + 5 for v in values],
            "vs_england": ["better", "similar", "worse", "worse", "not compared"],
            "england_value": 62.0,
        }
    )


def as_json(figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


class TestBuild:
    def test_area_peers_and_others_are_separate_highlighted_traces(self, ranked):
        figure = build(ranked, spec=SPEC)
        area = trace(figure, "Halton")
        peers = trace(figure, ranking.PEERS_NAME)
        others = trace(figure, ranking.OTHER_NAME)
        assert list(area.x) == [2] and area.marker.color == theme.AREA
        assert list(peers.x) == [3, 4] and peers.marker.color == theme.PEER
        assert peers.marker.symbol != others.marker.symbol
        assert area.marker.size > peers.marker.size > others.marker.size

    def test_area_is_drawn_after_the_others_and_labelled(self, ranked):
        figure = build(ranked, spec=SPEC)
        names = [t.name for t in figure.data]
        assert names.index("Halton") > names.index(ranking.PEERS_NAME)
        assert "Halton" in figure.layout.annotations[-1].text
        assert "2 of 4" in figure.layout.annotations[-1].text

    @pytest.mark.parametrize(("area", "anchor"), [("A", "left"), ("C", "right")])
    def test_the_label_of_an_area_at_either_end_reads_inward(self, ranked, area, anchor):
        """Centred over the first or last council, the label ran off the chart's edge."""
        spec = dataclasses.replace(SPEC, area_name=area)
        roles = ranked.assign(role=["area" if n == area else "other" for n in ranked["name"]])
        label = build(roles, spec=spec).layout.annotations[-1]
        assert area in label.text and label.xanchor == anchor

    def test_the_legend_is_placed_below_the_axis_title(self, ranked):
        figure = build(ranked, spec=SPEC)
        margin = figure.layout.margin
        plot_height = figure.layout.height - margin.t - margin.b
        assert figure.layout.legend.yanchor == "top"
        assert -figure.layout.legend.y * plot_height == pytest.approx(frame.AXIS_TITLE_SPACE)
        note = next(a for a in figure.layout.annotations if a.name == frame.SOURCE_NAME)
        assert -note.yshift >= frame.AXIS_TITLE_SPACE + 40  # a legend row between them

    def test_councils_without_a_value_are_left_out(self, ranked):
        figure = build(ranked, spec=SPEC)
        plotted = sum(len(t.x) for t in figure.data if t.name != ranking.ENGLAND_NAME)
        assert plotted == 4

    def test_england_is_a_dashed_line_across_the_ranking(self, ranked):
        england = trace(build(ranked, spec=SPEC), ranking.ENGLAND_NAME)
        assert list(england.y) == [62.0, 62.0]
        assert england.line.dash == "dash"

    def test_intervals_are_error_bars(self, ranked):
        area = trace(build(ranked, spec=SPEC), "Halton")
        assert list(area.error_y.array) == [5.0]
        assert list(area.error_y.arrayminus) == [5.0]

    def test_nothing_ranked_gives_a_message(self, ranked):
        figure = build(ranked.assign(position=pd.array([None] * 5, dtype="Int64")), spec=SPEC)
        assert figure.layout.meta["empty"] is True


class TestReviewedAreas:
    """Reviewed areas get a ring with one legend entry; with only some councils passed (the
    reviewed areas only) positions and the rank count stay among all councils."""

    def test_reviewed_councils_are_ringed_with_a_legend_entry(self, ranked):
        ranked["reviewed"] = [True, False, True, False, True]
        figure = build(ranked, spec=SPEC)
        rings = trace(figure, REVIEWED_NAME)
        assert list(rings.x) == [1, 3]  # the suppressed reviewed council has no point
        assert rings.marker.symbol == "square-open" and rings.marker.color == theme.REVIEWED
        assert rings.showlegend is not False

    def test_no_ring_when_no_council_is_reviewed_or_the_frame_does_not_say(self, ranked):
        assert REVIEWED_NAME not in [t.name for t in build(ranked, spec=SPEC).data]
        ranked["reviewed"] = False
        assert REVIEWED_NAME not in [t.name for t in build(ranked, spec=SPEC).data]

    def test_a_subset_keeps_its_positions_among_all_councils(self, ranked):
        subset = ranked.iloc[[1, 3]]  # Halton (2nd) and C (4th) of 152
        spec = dataclasses.replace(SPEC, total=152, reviewed_only=True)
        figure = build(subset, spec=spec)
        assert "2 of 152" in figure.layout.annotations[-1].text
        assert figure.layout.xaxis.range == (0, 153)
        assert trace(figure, ranking.ENGLAND_NAME).x == (0, 153)
        assert ranking.OTHER_REVIEWED_NAME in [t.name for t in figure.data]


class TestWithoutValidation:
    """Built from dicts without Plotly's validation: the figure must be exactly what
    validation makes of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("intervals", [False, True])
    @pytest.mark.parametrize("percent", [False, True])
    def test_the_figure_is_what_validation_makes_of_it(self, ranked, intervals, percent):
        ranked["reviewed"] = [True, False, True, False, True]
        if not intervals:
            ranked = ranked.assign(area_lower=np.nan, area_upper=np.nan)
        figure = build(ranked, spec=dataclasses.replace(SPEC, percent=percent))
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))

    def test_many_councils_and_a_subset_too(self, ranked):
        many = pd.concat([ranked] * 4, ignore_index=True)
        many["position"] = pd.array(range(1, len(many) + 1), dtype="Int64")
        many["role"] = ["other"] * (len(many) - 1) + ["area"]
        for shown, spec in (
            (many, SPEC),
            (ranked.iloc[[1, 3]], dataclasses.replace(SPEC, total=152, reviewed_only=True)),
        ):
            figure = build(shown, spec=spec)
            assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
