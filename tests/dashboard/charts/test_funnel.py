import dataclasses
import json

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts import funnel
from dashboard.charts.funnel import FunnelSpec, build
from dashboard.charts.reviewed_marks import REVIEWED_NAME
from queries import stats

SPEC = FunnelSpec(
    title="Emergency admissions 65+ — funnel plot against England",
    subtitle="per 100,000",
    source_note="Source",
    area_name="Halton",
    polarity="lower_is_better",
    denominator_title="Denominator",
)


@pytest.fixture()
def councils() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Halton", "Peer", "Other", "High", "Suppressed"],
            "role": ["area", "peer", "other", "other", "other"],
            "area_numerator": [100.0, 120.0, 130.0, 400.0, np.nan],
            "area_denominator": [10_000.0, 12_000.0, 14_000.0, 20_000.0, 9_000.0],
            "area_value": [1000.0, 1000.0, 928.0, 2000.0, np.nan],
            "funnel_flag": ["within", "within", "within", "above 99.8", "not compared"],
        }
    )


@pytest.fixture()
def limits() -> pd.DataFrame:
    return stats.funnel_limits(
        1000.0, np.linspace(9_000, 21_000, 20), ci_method="byar", multiplier=100_000
    )


def as_json(figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


class TestBuild:
    def test_limit_traces_come_first_ordered_from_lowest_to_highest(self, councils, limits):
        figure = build(councils, limits=limits, spec=SPEC)
        lines = figure.data[:5]
        middle = len(limits) // 2
        heights = [t.y[middle] for t in lines]
        assert heights == sorted(heights)
        assert [t.name for t in lines if t.showlegend] == [
            "99.8 % limits",
            "95 % limits",
            "England",
        ]
        assert list(lines[2].y) == list(limits["benchmark"])

    def test_points_are_grouped_by_flag_with_direction_in_the_symbol(self, councils, limits):
        figure = build(councils, limits=limits, spec=SPEC)
        high = trace(figure, "Above 99.8 % limit (worse)")
        assert list(high.x) == [20_000.0]
        assert high.marker.symbol == "triangle-up"
        assert high.marker.color == theme.VERDICT_COLOURS["worse"]
        assert trace(figure, "Within 95 % limits").marker.symbol == "circle"

    def test_polarity_decides_better_or_worse(self, councils, limits):
        spec = FunnelSpec(**{**SPEC.__dict__, "polarity": "higher_is_better"})
        figure = build(councils, limits=limits, spec=spec)
        assert (
            trace(figure, "Above 99.8 % limit (better)").marker.color
            == (theme.VERDICT_COLOURS["better"])
        )

    def test_area_and_peers_are_ringed_on_top(self, councils, limits):
        figure = build(councils, limits=limits, spec=SPEC)
        assert figure.data[-1].name == "Halton"
        assert figure.data[-1].marker.symbol == "circle-open"
        assert figure.data[-1].marker.color == theme.AREA
        assert list(trace(figure, funnel.PEERS_NAME).x) == [12_000.0]

    def test_not_compared_councils_are_not_plotted(self, councils, limits):
        figure = build(councils, limits=limits, spec=SPEC)
        xs = [x for t in figure.data[5:] for x in t.x]
        assert 9_000.0 not in xs

    def test_adjusted_limits_say_so_in_the_legend(self, councils, limits):
        spec = FunnelSpec(**{**SPEC.__dict__, "limits_adjusted": True})
        names = [t.name for t in build(councils, limits=limits, spec=spec).data[:5] if t.showlegend]
        assert names == [
            "99.8 % limits (overdispersion-adjusted)",
            "95 % limits (overdispersion-adjusted)",
            "England",
        ]

    def test_a_long_denominator_title_is_wrapped_not_cut(self, councils, limits):
        words = "Discharges in the period from emergency spells of residents aged 65+ " * 2
        spec = FunnelSpec(**{**SPEC.__dict__, "denominator_title": words.strip()})
        title = build(councils, limits=limits, spec=spec).layout.xaxis.title.text
        assert "<br>" in title and title.replace("<br>", " ") == words.strip()

    def test_no_limits_gives_the_message(self, councils):
        spec = FunnelSpec(**{**SPEC.__dict__, "empty_message": "No counts."})
        figure = build(councils, limits=pd.DataFrame(), spec=spec)
        assert figure.layout.annotations[0].text == "No counts."


class TestFlagName:
    @pytest.mark.parametrize(
        ("flag", "polarity", "name"),
        [
            ("within", "lower_is_better", "Within 95 % limits"),
            ("below 95", "lower_is_better", "Below 95 % limit (better)"),
            ("below 95", "higher_is_better", "Below 95 % limit (worse)"),
            ("above 99.8", "context", "Above 99.8 % limit"),
        ],
    )
    def test_words_follow_polarity(self, flag, polarity, name):
        assert funnel.flag_name(flag, polarity) == name


def test_reviewed_councils_are_squared_with_one_legend_entry(councils, limits):
    councils["reviewed"] = [False, True, False, True, True]
    figure = build(councils, limits=limits, spec=SPEC)
    rings = trace(figure, REVIEWED_NAME)
    assert list(rings.x) == [12_000.0, 20_000.0]  # the suppressed one is not plotted
    assert rings.marker.symbol == "square-open"
    assert [t.name for t in figure.data].count(REVIEWED_NAME) == 1


class TestWithoutValidation:
    """Built from dicts without Plotly's validation: the figure must be exactly what
    validation makes of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("adjusted", [False, True])
    @pytest.mark.parametrize("percent", [False, True])
    def test_the_figure_is_what_validation_makes_of_it(self, councils, limits, adjusted, percent):
        councils["reviewed"] = [False, True, False, True, True]
        spec = dataclasses.replace(
            SPEC, limits_adjusted=adjusted, percent=percent, denominator_title="Denominator " * 12
        )
        figure = build(councils, limits=limits, spec=spec)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))

    def test_without_the_area_and_peers_too(self, councils, limits):
        others = councils[councils["role"] == "other"]
        figure = build(others, limits=limits, spec=SPEC)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
        assert "Halton" not in [t.name for t in figure.data]
