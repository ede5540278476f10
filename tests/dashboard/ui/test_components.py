import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.profile.tiles import (
    NOT_AVAILABLE_TEXT,
    SUPPRESSED_TEXT,
    metric_tile,
)
from dashboard.profile.view import MetricSummary
from dashboard.ui.chart_card import CardFooter, chart_card, graph_config, image_filename
from dashboard.ui.notice import notice
from dashboard.ui.verdict import verdict_badge, verdict_for
from queries.catalogue import load_catalogue
from tests.dashboard.helpers import text_of, walk

EA65 = load_catalogue().get("ea65_rate")  # lower is better
ASCOF_2B1 = load_catalogue().get("ascof_2b1")  # higher is better
LATEST = {
    "period_label": "2017/18 Q4",
    "area_value": 6400.0,
    "area_lower": 6300.0,
    "area_upper": 6500.0,
    "area_suppressed": False,
    "comparator_mean": 7000.0,
    "england_value": 6450.0,
    "is_synthetic": True,
}


class TestVerdictFor:
    @pytest.mark.parametrize(
        ("metric", "benchmark", "expected"),
        [
            (EA65, "comparator_mean", "better"),
            (EA65, "england_value", "similar"),
            (ASCOF_2B1, "comparator_mean", "worse"),
        ],
    )
    def test_interval_against_benchmark_with_polarity(self, metric, benchmark, expected):
        assert verdict_for(LATEST, metric, benchmark) == expected

    def test_no_interval_is_not_compared(self):
        row = {**LATEST, "area_lower": None, "area_upper": float("nan")}
        assert verdict_for(row, EA65) == "not compared"

    def test_suppressed_or_missing_row_is_not_compared(self):
        assert verdict_for({**LATEST, "area_suppressed": True}, EA65) == "not compared"
        assert verdict_for(None, EA65) == "not compared"


class TestVerdictBadge:
    def test_words_travel_with_the_colour(self):
        badge = verdict_badge("worse", "england_value")
        assert badge.children == "Worse than England"
        assert badge.style["backgroundColor"] == theme.VERDICT_COLOURS["worse"]


class TestMetricTile:
    def summary(self, latest, history=None):
        history = (
            history
            if history is not None
            else pd.DataFrame(
                {
                    "period_label": ["2017/18 Q3", "2017/18 Q4"],
                    "area_value": [6300.0, 6400.0],
                    "comparator_mean": [7000.0, 7000.0],
                    "england_value": [6400.0, 6450.0],
                }
            )
        )
        return MetricSummary(metric=EA65, latest=latest, history=history)

    def test_value_period_comparator_england_and_verdicts(self):
        tile = metric_tile(self.summary(LATEST), explore_href="/metric/ea65_rate?area=X")
        text = text_of(tile)
        for expected in (
            "Emergency admissions 65+",
            "6,400",
            "2017/18 Q4",
            "7,000",
            "6,450",
            "Better than comparators",
            "Similar to England",
            "Synthetic data",
        ):
            assert expected in text
        links = [c.href for c in walk(tile) if hasattr(c, "href")]
        assert "/metric/ea65_rate?area=X" in links

    def test_absent_metric_says_not_available(self):
        tile = metric_tile(self.summary(None), explore_href="/x")
        assert NOT_AVAILABLE_TEXT in text_of(tile)

    def test_suppressed_value_says_so_in_words(self):
        latest = {**LATEST, "area_value": None, "area_suppressed": True}
        assert SUPPRESSED_TEXT in text_of(metric_tile(self.summary(latest), explore_href="/x"))


class TestChartCard:
    FOOTER = CardFooter(
        source="HES (NHS Digital)",
        vintage="2018-02",
        synthetic=True,
        comparator="15 similar councils",
    )

    def card(self, **kwargs):
        figure = go.Figure(layout=dict(height=480))
        return chart_card(
            figure,
            graph_id="g",
            title="Emergency admissions 65+ — Halton",
            footer=self.FOOTER,
            download_button_id="b",
            download_id="d",
            **kwargs,
        )

    def test_footer_has_source_vintage_and_synthetic_badge(self):
        text = text_of(self.card())
        assert "HES (NHS Digital)" in text and "2018-02" in text and "Synthetic data" in text

    def test_image_export_is_png_at_3x_named_after_the_title(self):
        config = graph_config("Emergency admissions 65+ — Halton", height=480)
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["toImageButtonOptions"]["scale"] == 3
        assert config["toImageButtonOptions"]["filename"] == "emergency-admissions-65-halton"
        assert image_filename("!!!") == "chart"
        assert "sendChartToCloud" in config["modeBarButtonsToRemove"]

    def test_empty_card_shows_the_message_instead_of_a_graph(self):
        card = self.card(empty_message="No data in the chosen period range.")
        assert "No data in the chosen period range." in text_of(card)
        assert not [c for c in walk(card) if type(c).__name__ == "Graph"]


class TestNotice:
    def test_no_messages_no_notice(self):
        assert notice([]) is None

    def test_messages_in_a_dismissible_alert(self):
        alert = notice(["No council matches area “X”."])
        assert alert.dismissable is True
        assert "No council matches" in text_of(alert)
