"""Panels per breakdown value: area vs comparator band vs England, with published and
synthetic points told apart by marker and legend."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts import breakdown
from tests.dashboard.charts.test_frame_trusted_figure import as_json

LABELS = ["2016/17", "2017/18", "2018/19"]


@pytest.fixture()
def panels() -> pd.DataFrame:
    frames = []
    for panel, level in (("Own home", 100.0), ("Care home", 20.0)):
        frames.append(
            pd.DataFrame(
                {
                    "panel": panel,
                    "period_label": LABELS,
                    "area_value": [level, level + 1, np.nan],
                    "area_is_synthetic": [True, False, False],
                    "comparator_mean": [level + 5] * 3,
                    "comparator_min": [level - 5] * 3,
                    "comparator_max": [level + 15] * 3,
                    "england_value": [level + 2] * 3,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def spec(**changes) -> breakdown.PanelSpec:
    values = dict(
        title="Admissions by source — Halton vs comparators vs England",
        subtitle="per 100,000",
        area_name="Halton",
        source_note="Source: test",
    )
    return breakdown.PanelSpec(**{**values, **changes})


def traces_named(figure, name):
    return [trace for trace in figure.data if trace.name == name]


class TestPanels:
    def test_one_panel_per_value_in_the_given_order(self, panels):
        figure = breakdown.build(panels, spec=spec(panels=("Care home", "Own home")))
        titles = [a.text for a in figure.layout.annotations if a.text.startswith("<b>")]
        assert titles == ["<b>Care home</b>", "<b>Own home</b>"]
        assert figure.layout.xaxis2.domain[0] > figure.layout.xaxis.domain[1]

    def test_fixed_colours_and_each_legend_entry_once(self, panels):
        figure = breakdown.build(panels, spec=spec())
        area = traces_named(figure, "Halton")
        assert area[0].line.color == theme.AREA
        assert traces_named(figure, "Comparator mean")[0].line.color == theme.COMPARATOR
        assert traces_named(figure, "England")[0].line.dash == "dash"
        shown = [t.name for t in figure.data if t.showlegend is not False]
        assert len(shown) == len(set(shown))

    def test_published_and_synthetic_points_have_their_own_markers(self, panels):
        figure = breakdown.build(panels, spec=spec())
        published = traces_named(figure, breakdown.PUBLISHED_NAME)[0]
        synthetic = traces_named(figure, breakdown.SYNTHETIC_NAME)[0]
        assert published.marker.symbol == "circle"
        assert synthetic.marker.symbol == "diamond-open"
        assert synthetic.marker.color == theme.SYNTHETIC_MARK
        # the first period is synthetic, the second published, the third has no value
        assert np.isnan(published.y[0]) and published.y[1] == 101.0
        assert synthetic.y[0] == 100.0 and np.isnan(synthetic.y[1])

    def test_all_published_series_has_no_synthetic_legend_entry(self, panels):
        frame = panels.assign(area_is_synthetic=False)
        figure = breakdown.build(frame, spec=spec())
        synthetic = traces_named(figure, breakdown.SYNTHETIC_NAME)
        assert all(trace.showlegend is False for trace in synthetic)

    def test_periods_are_labels_and_percent_axis(self, panels):
        figure = breakdown.build(panels, spec=spec(percent=True))
        assert figure.layout.xaxis.type == "category"
        assert list(figure.layout.xaxis.categoryarray) == LABELS
        assert figure.layout.yaxis.ticksuffix == "%"

    def test_long_titles_wrap_for_narrow_cards(self, panels):
        figure = breakdown.build(panels, spec=spec(title_chars=30))
        assert "<br>" in figure.layout.title.text

    def test_no_values_gives_a_message_not_an_empty_axis(self, panels):
        empty = panels.assign(
            area_value=np.nan,
            comparator_mean=np.nan,
            comparator_min=np.nan,
            comparator_max=np.nan,
            england_value=np.nan,
        )
        figure = breakdown.build(empty, spec=spec(empty_message="Not available."))
        assert figure.layout.meta["message"] == "Not available."


class TestIntervalBars:
    def test_points_carry_their_interval_where_the_data_have_one(self, panels):
        panels["area_lower"] = panels["area_value"] - 3
        panels["area_upper"] = panels["area_value"] + 4
        panels.loc[panels["period_label"] == LABELS[1], ["area_lower", "area_upper"]] = np.nan
        figure = breakdown.build(panels, spec=spec())
        synthetic, published = (
            traces_named(figure, name)[0]
            for name in (breakdown.SYNTHETIC_NAME, breakdown.PUBLISHED_NAME)
        )
        assert list(synthetic.error_y.array[:1]) == [4.0]
        assert list(synthetic.error_y.arrayminus[:1]) == [3.0]
        assert published.error_y.array is None  # its one point, 2017/18, has no interval

    def test_no_bars_without_intervals(self, panels):
        figure = breakdown.build(panels, spec=spec())
        assert all(trace.error_y.array is None for trace in figure.data)


class TestWithoutValidation:
    """Built without Plotly's validation: the figure must be exactly what validation makes
    of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("intervals", [False, True])
    @pytest.mark.parametrize("percent", [False, True])
    def test_the_figure_is_what_validation_makes_of_it(self, panels, intervals, percent):
        if intervals:
            panels["area_lower"] = panels["area_value"] - 3
            panels["area_upper"] = panels["area_value"] + 4
        figure = breakdown.build(panels, spec=spec(percent=percent))
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))

    def test_one_panel_too(self, panels):
        one = panels[panels["panel"] == "Own home"].drop(columns="panel")
        figure = breakdown.build(one, spec=spec())
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
