"""Chart cards: the image export metadata, the text summary for screen readers and the
backward-compatible signature other pages rely on."""

from __future__ import annotations

import re

import plotly.graph_objects as go

from dashboard.ui import chart_card as card
from dashboard.ui.series_mentions import series_mentions
from tests.dashboard.helpers import text_of, walk

FOOTER = card.CardFooter(
    source="Hospital Episode Statistics (NHS Digital)",
    vintage="2019-05",
    synthetic=True,
    comparator="mean of 15 similar councils",
)


def figure() -> go.Figure:
    return go.Figure(
        [
            go.Scatter(x=["2016/17", "2017/18"], y=[10.0, 12.5], name="Coventry"),
            go.Scatter(x=["2016/17", "2017/18"], y=[11.0, None], name="England"),
        ]
    )


def build(**extra):
    return card.chart_card(
        figure(),
        graph_id="g",
        title="Admissions — Coventry",
        footer=FOOTER,
        download_button_id="g-csv",
        download_id="g-download",
        **extra,
    )


class TestExportMeta:
    def test_source_text_carries_source_vintage_synthetic_and_comparators(self):
        text = card.source_text(FOOTER)
        assert text.startswith("Source: Hospital Episode Statistics")
        assert "2019-05" in text and "Synthetic data" in text
        assert "Comparators: mean of 15" in text

    def test_meta_store_is_in_the_card_with_title_and_file_name(self):
        meta_id = {"type": card.EXPORT_META, "graph": "g"}
        store = next(
            c for c in walk(build(subtitle="per 100,000")) if getattr(c, "id", None) == meta_id
        )
        assert store.data["title"] == "Admissions — Coventry"
        assert store.data["subtitle"] == "per 100,000"
        assert store.data["filename"] == "admissions-coventry"

    def test_download_image_menu_offers_png_and_svg(self):
        ids = [c.id for c in walk(build()) if isinstance(getattr(c, "id", None), dict)]
        formats = {i["format"] for i in ids if i.get("type") == card.EXPORT_ITEM}
        assert formats == {"png", "slide", "svg"}
        menu = next(
            c for c in walk(build()) if "lsr-export-menu" in str(getattr(c, "class_name", ""))
        )
        assert "Download image" in text_of(menu.label)

    def test_empty_card_has_no_image_menu(self):
        tree = build(empty_message="Nothing to plot")
        assert not [c for c in walk(tree) if isinstance(getattr(c, "id", None), dict)]

    def test_modebar_camera_stays_at_scale_three(self):
        assert card.graph_config("x", height=400)["toImageButtonOptions"]["scale"] >= 2


class TestSeriesMentions:
    def trend(self) -> go.Figure:
        names = ["Comparator maximum", "Comparator range (min–max)", "Comparator mean"]
        figure = go.Figure([go.Scatter(y=[1.0], name=name) for name in [*names, "England"]])
        figure.update_layout(
            title=dict(text="<b>Admissions — Coventry vs comparators vs<br>England</b>")
        )
        return figure

    def test_title_words_and_the_comparator_line_name_their_series(self):
        meta = card.export_meta("g", title="t", subtitle=None, footer=FOOTER, figure=self.trend())
        found = {m["pattern"]: m["series"] for m in meta["mentions"]}
        england = next(p for p in found if "England" in p)
        assert found[england] == ["England"]
        assert re.search(england, "Coventry vs<br>England")  # a wrapped title still matches
        line = next(p for p in found if "Comparators" in p)
        assert re.sub(line, "", card.source_text(FOOTER)).endswith("not real figures)")
        assert "Comparator mean" in found[line] and "Comparator maximum" in found[line]

    def test_only_series_the_chart_draws_and_words_it_says(self):
        mentions = series_mentions(figure(), ["Admissions — Coventry vs England"])
        assert mentions == [{"pattern": mentions[0]["pattern"], "series": ["England"]}]
        assert series_mentions(figure(), ["Admissions — Coventry"]) == []


class TestDescription:
    def test_latest_value_of_each_named_trace(self):
        text = card.describe_figure(figure())
        assert "Coventry: 12.5 at 2017/18" in text
        assert "England: 11.0 at 2016/17" in text

    def test_the_chart_is_a_labelled_figure_described_by_the_summary(self):
        region = next(c for c in walk(build()) if getattr(c, "role", None) == "figure")
        attributes = region.to_plotly_json()["props"]
        assert attributes["aria-labelledby"] == "g-title"
        assert attributes["aria-describedby"] == "g-description"

    def test_a_given_description_wins(self):
        assert "Three metrics" in text_of(build(description="Three metrics"))


def test_figure_texts_read_alike_from_validated_and_unvalidated_figures():
    from dashboard.charts.frame import trusted_figure
    from dashboard.ui.series_mentions import figure_texts

    layout = dict(
        title=dict(text="Coventry vs England", subtitle=dict(text="per quarter")),
        annotations=[dict(text="Source: NHS", showarrow=False), dict(x=1, showarrow=False)],
    )
    expected = ["Coventry vs England", "per quarter", "Source: NHS", ""]
    assert figure_texts(go.Figure(layout=layout)) == expected
    assert figure_texts(trusted_figure([], layout)) == expected
    assert figure_texts(trusted_figure([], {"title": "Plain"})) == ["Plain", ""]


class TestActions:
    def test_each_charts_actions_are_built_once_and_carry_its_ids(self):
        first, again = build(), build()
        actions = [
            next(c for c in walk(tree) if "lsr-chart-actions" in str(getattr(c, "className", "")))
            for tree in (first, again)
        ]
        assert actions[0] is actions[1]  # reused, not rebuilt
        ids = [getattr(c, "id", None) for c in walk(actions[0])]
        assert "g-csv" in ids and "g-download" in ids
        other = card.chart_card(
            figure(),
            graph_id="h",
            title="t",
            footer=FOOTER,
            download_button_id="h-csv",
            download_id="h-download",
        )
        assert "h-csv" in [getattr(c, "id", None) for c in walk(other)]
        assert "g-csv" not in [getattr(c, "id", None) for c in walk(other)]
