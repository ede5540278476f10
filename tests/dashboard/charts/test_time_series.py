import json

import numpy as np
import plotly
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts.frame import BAND_NAME
from dashboard.charts.time_series import TimeSeriesSpec, build

SPEC = TimeSeriesSpec(
    title="Emergency admissions 65+ — Coventry vs comparators vs England",
    subtitle="per 100,000 population aged 65+ · Quarterly · 2016/17 Q1 to 2016/17 Q4",
    area_name="Coventry",
    source_note="Source: HES · Data vintage: 2018-01 · <b>Synthetic data</b>",
)


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


class TestBuild:
    def test_area_comparator_and_england_keep_their_fixed_colours(self, series_frame):
        # Given a series; When built
        figure = build(series_frame, spec=SPEC)
        # Then each role has its theme colour, England dashed
        assert trace(figure, "Coventry").line.color == theme.AREA
        assert trace(figure, "Comparator mean").line.color == theme.COMPARATOR
        assert trace(figure, "England").line.color == theme.ENGLAND
        assert trace(figure, "England").line.dash == "dash"

    def test_comparator_range_is_a_filled_band_from_min_to_max(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        names = [t.name for t in figure.data]
        lower = trace(figure, BAND_NAME)
        upper = figure.data[names.index(BAND_NAME) - 1]
        assert lower.fill == "tonexty"
        assert lower.fillcolor == theme.COMPARATOR_BAND
        assert list(lower.y) == list(series_frame["comparator_min"])
        assert list(upper.y) == list(series_frame["comparator_max"])

    def test_area_is_drawn_last_with_markers(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        assert figure.data[-1].name == "Coventry"
        assert figure.data[-1].mode == "lines+markers"

    def test_periods_are_category_labels_in_order_never_numbers(self, series_frame):
        labels = list(series_frame["period_label"])
        figure = build(series_frame, spec=SPEC)
        assert figure.layout.xaxis.type == "category"
        assert list(figure.layout.xaxis.categoryarray) == labels
        assert all(list(t.x) == labels for t in figure.data)

    def test_confidence_interval_error_bars_when_the_data_has_them(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        error = trace(figure, "Coventry").error_y
        assert error.array[0] == pytest.approx(6.0)
        assert error.arrayminus[0] == pytest.approx(5.0)

    def test_no_error_bars_without_intervals(self, series_frame):
        frame = series_frame.assign(area_lower=np.nan, area_upper=np.nan)
        figure = build(frame, spec=SPEC)
        assert trace(figure, "Coventry").error_y.array is None

    def test_title_subtitle_and_source_are_baked_into_the_figure(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        assert SPEC.title in figure.layout.title.text
        assert figure.layout.title.subtitle.text == SPEC.subtitle
        notes = [a.text for a in figure.layout.annotations]
        assert any("Source: HES" in n and "Synthetic data" in n for n in notes)

    def test_peers_are_listed_on_the_comparator_hover(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        comparator = trace(figure, "Comparator mean")
        assert "Coventry: 70" in comparator.customdata[0][2]
        assert "customdata[2]" in comparator.hovertemplate

    def test_percentages_get_a_percent_suffix(self, series_frame):
        figure = build(series_frame, spec=TimeSeriesSpec(**{**SPEC.__dict__, "percent": True}))
        assert figure.layout.yaxis.ticksuffix == "%"
        assert "%" in trace(figure, "Coventry").hovertemplate

    def test_uses_the_project_template(self, series_frame):
        figure = build(series_frame, spec=SPEC)
        assert figure.layout.template.layout.font.family == theme.FONT_FAMILY


def as_json(figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


class TestWithoutValidation:
    """Built from dicts without Plotly's validation: the figure must be exactly what
    validation makes of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("intervals", [False, True])
    @pytest.mark.parametrize("percent", [False, True])
    def test_the_figure_is_what_validation_makes_of_it(self, series_frame, intervals, percent):
        if not intervals:
            series_frame = series_frame.assign(area_lower=np.nan, area_upper=np.nan)
        spec = TimeSeriesSpec(**{**SPEC.__dict__, "percent": percent})
        figure = build(series_frame, spec=spec)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))

    def test_columns_the_frame_lacks_too(self, series_frame):
        frame = series_frame.drop(columns=["comparator_min", "comparator_max"])
        figure = build(frame, spec=SPEC)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
        assert trace(figure, BAND_NAME).y.isna().all()


class TestEmpty:
    def test_empty_frame_gives_a_message_not_an_empty_axis(self, series_frame):
        figure = build(series_frame.iloc[:0], spec=SPEC)
        assert len(figure.data) == 0
        assert figure.layout.annotations[0].text == SPEC.empty_message
        assert figure.layout.xaxis.visible is False

    def test_all_values_missing_counts_as_empty(self, series_frame):
        value_columns = [c for c in series_frame.columns if c not in ("period_label", "peer_hover")]
        frame = series_frame.assign(**{c: np.nan for c in value_columns})
        figure = build(frame, spec=SPEC)
        assert len(figure.data) == 0
        assert SPEC.title in figure.layout.title.text
