"""The spine chart: England central, better to the right, verdict in shape, colour and words."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts.spine import (
    CENTRE,
    VERDICT_SYMBOLS,
    VERDICT_WORDS,
    SpineSpec,
    build,
    positions,
)

SPEC = SpineSpec(
    title="Coventry compared with England",
    subtitle="Latest period of each metric",
    area_name="Coventry",
    source_note="Sources: NHS Digital · <b>Synthetic data</b>",
)


@pytest.fixture()
def spine_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Emergency admissions 65+", "At home 91 days", "Delayed beds"],
            "polarity": ["lower_is_better", "higher_is_better", "lower_is_better"],
            "area_value": [120.0, 80.0, 50.0],
            "england_value": [100.0, 82.0, 5_000.0],
            "comparator_mean": [110.0, 81.0, 45.0],
            "range_min": [60.0, 70.0, 1.0],
            "range_q1": [90.0, 78.0, 10.0],
            "range_q3": [110.0, 86.0, 40.0],
            "range_max": [180.0, 95.0, 180.0],
            "vs_england": ["worse", "similar", "not compared"],
            "value_text": ["120 (2018/19 Q4)", "80.0% (2018/19)", "50 (Dec 2019)"],
            "england_text": ["100", "82.0%", "5,000"],
        }
    )


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


class TestPositions:
    def test_england_is_at_the_centre_and_the_furthest_edge_reaches_the_end(self, spine_frame):
        # Given a lower-is-better row with England 100 and the range 60-180
        placed = positions(spine_frame)
        # Then England is central and the worst council (180, furthest from 100) is at 0
        assert placed.loc[0, "range_max"] == pytest.approx(0.0)
        assert placed.loc[0, "area_value"] < CENTRE  # higher than England = worse = left

    def test_higher_is_better_rows_are_not_flipped(self, spine_frame):
        placed = positions(spine_frame)
        assert placed.loc[1, "range_max"] > placed.loc[1, "range_min"]
        assert placed.loc[1, "area_value"] < CENTRE  # 80 is below England's 82

    def test_bars_always_run_left_to_right(self, spine_frame):
        placed = positions(spine_frame)
        assert (placed["range_right"] >= placed["range_left"]).all()
        assert (placed["middle_right"] >= placed["middle_left"]).all()

    def test_an_england_total_far_outside_the_range_is_not_shown(self, spine_frame):
        # Given England published as a total (5,000) beside council values up to 180
        placed = positions(spine_frame)
        # Then England is not drawn and the middle of the quartiles is the centre
        assert not placed.loc[2, "england_shown"]
        assert placed[["range_left", "range_right"]].loc[2].between(0, 1).all()


class TestBuild:
    def test_one_area_trace_per_verdict_with_its_colour_and_shape(self, spine_frame):
        figure = build(spine_frame, spec=SPEC)
        worse = trace(figure, "Coventry: worse than England")
        assert worse.marker.color == theme.VERDICT_COLOURS["worse"]
        assert worse.marker.symbol == VERDICT_SYMBOLS["worse"]
        assert trace(figure, "Coventry: similar to England").marker.symbol == "square"

    def test_verdicts_are_written_beside_each_row(self, spine_frame):
        figure = build(spine_frame, spec=SPEC)
        texts = [a.text for a in figure.layout.annotations]
        assert f"120 (2018/19 Q4) · {VERDICT_WORDS['worse']}" in texts
        assert "Emergency admissions 65+" in texts

    def test_range_and_quartile_bars_and_england_are_in_the_legend(self, spine_frame):
        figure = build(spine_frame, spec=SPEC)
        names = [t.name for t in figure.data]
        assert "Range of all councils (lowest to highest)" in names
        assert "Middle half (25th to 75th percentile)" in names
        england = trace(figure, "England")
        assert np.isnan(england.x[2]) and england.x[0] == CENTRE

    def test_title_and_source_are_baked_in_for_exports(self, spine_frame):
        figure = build(spine_frame, spec=SPEC)
        assert SPEC.title in figure.layout.title.text
        assert any("Synthetic data" in a.text for a in figure.layout.annotations)

    def test_height_grows_with_the_number_of_rows(self, spine_frame):
        small = build(spine_frame.head(1), spec=SPEC)
        large = build(pd.concat([spine_frame] * 4, ignore_index=True), spec=SPEC)
        assert large.layout.height > small.layout.height

    def test_nothing_to_place_gives_a_message(self, spine_frame):
        figure = build(spine_frame.iloc[0:0], spec=SPEC)
        assert figure.layout.meta["empty"] is True

    def test_missing_columns_are_named(self, spine_frame):
        with pytest.raises(ValueError, match="value_text"):
            build(spine_frame.drop(columns=["value_text"]), spec=SPEC)


def test_the_unvalidated_figure_is_valid_plotly(spine_frame):
    # The builder skips plotly's validation: validating its output must change nothing
    figure = build(spine_frame, spec=SPEC)
    validated = go.Figure(figure.to_dict())
    assert json.loads(figure.to_json()) == json.loads(validated.to_json())
