from dashboard import theme
from dashboard.charts.sparkline import SparklineSpec, build


class TestBuild:
    def test_area_over_comparator_and_england_in_fixed_colours(self, series_frame):
        figure = build(series_frame, spec=SparklineSpec())
        colours = {t.name: t.line.color for t in figure.data}
        assert colours == {
            "Comparator mean": theme.COMPARATOR,
            "England": theme.ENGLAND,
            "Area": theme.AREA,
        }
        assert figure.data[-1].name == "Area"

    def test_is_small_quiet_and_axis_free(self, series_frame):
        figure = build(series_frame, spec=SparklineSpec(height=48))
        assert figure.layout.height == 48
        assert figure.layout.showlegend is False
        assert figure.layout.xaxis.visible is False
        assert figure.layout.yaxis.visible is False
        assert figure.layout.xaxis.type == "category"

    def test_no_area_values_gives_a_message(self, series_frame):
        figure = build(series_frame.assign(area_value=None), spec=SparklineSpec())
        assert len(figure.data) == 0
        assert figure.layout.annotations[0].text == "No series"
