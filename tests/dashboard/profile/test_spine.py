"""The area profile's additions: the spine's rows and words, tile intervals, trend words and
links into the family page, the explorer and the Methods page."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

import pandas as pd
import pytest

from dashboard import text
from dashboard.profile import tiles as metric_tile
from dashboard.profile import view as profile
from dashboard.urls import ProfileState
from queries import profile as profile_queries
from queries.catalogue import load_catalogue
from tests.dashboard.helpers import text_of, walk
from tests.fixtures import COUNCILS

COVENTRY = COUNCILS[1]
STATE = ProfileState(area=COVENTRY, method="default")


class TestSpineQuery:
    def test_one_row_per_judged_metric_with_all_councils_in_the_range(self, store):
        frame = profile_queries.spine(store, COVENTRY, "default")
        assert set(frame["metric_id"]) == {"dtoc_rate", "ea65_rate", "ascof_2b1"}
        assert (frame["range_n"] == len(COUNCILS)).all()
        assert (frame["range_min"] <= frame["range_q1"]).all()
        assert (frame["range_q3"] <= frame["range_max"]).all()

    def test_comparator_scope_uses_the_fifteen_peers(self, store):
        frame = profile_queries.spine(store, COVENTRY, "default", scope="comparators")
        assert (frame["range_n"] == 15).all()

    def test_another_council_is_a_look_up_not_a_query_of_the_indicators(self, store):
        # Given one council's profile and spine drawn
        profile.spine_frame(store, STATE)
        profile.profile_view(store, STATE, areas=_areas(store))
        ran = {name: len(times) for name, times in store.cache.stats.per_query.items()}
        # When another council's are asked for
        other = ProfileState(area=COUNCILS[2], method="default")
        frame = profile.spine_frame(store, other, scope="comparators")
        profile.profile_view(store, other, areas=_areas(store))
        # Then nothing is queried: every council's rows and comparator groups were read once
        now = {name: len(times) for name, times in store.cache.stats.per_query.items()}
        queried = {name for name in now if not name.startswith("derived:")}
        assert {name for name in queried if now[name] > ran.get(name, 0)} == set()
        assert (frame["range_n"] == 15).all() and set(frame["metric_id"]) >= {"dtoc_rate"}

    def test_the_warm_up_builds_what_a_first_profile_would_wait_for(self, store):
        # Given the warm-up a worker runs when it first serves a version
        profile.warm(store)
        built = {name for name in store.cache.stats.per_query if name.startswith("shared:")}
        assert {
            "shared:profile_series",
            "shared:council_values",
            "shared:comparator_peers",
        } <= built
        counts = {name: len(times) for name, times in store.cache.stats.per_query.items()}
        # When a council's profile and spine are drawn under another method
        other = ProfileState(area=COUNCILS[3], method="oflog-nn")
        profile.profile_view(store, other, areas=_areas(store))
        profile.spine_frame(store, other)
        # Then nothing per-version is built again: the warm-up covered every method
        now = {name: len(times) for name, times in store.cache.stats.per_query.items()}
        assert all(now[name] == counts[name] for name in built)

    def test_unknown_scope_is_refused(self, store):
        with pytest.raises(ValueError, match="scope"):
            profile_queries.spine(store, COVENTRY, "default", scope="galaxy")

    def test_verdict_against_england_uses_intervals_from_counts(self, store):
        frame = profile_queries.spine(store, COVENTRY, "default")
        row = frame.set_index("metric_id").loc["ea65_rate"]
        assert row["area_lower"] < row["area_value"] < row["area_upper"]
        assert row["vs_england"] in {"better", "similar", "worse"}


class TestSpineView:
    def test_rows_carry_the_words_the_chart_prints(self, store):
        frame = profile.spine_frame(store, STATE)
        row = frame.set_index("metric_id").loc["ea65_rate"]
        assert row["label"] == load_catalogue().get("ea65_rate").short
        assert row["value_text"].endswith("(2017/18 Q4)")

    def test_summary_counts_verdicts_for_screen_readers(self, store):
        frame = profile.spine_frame(store, STATE)
        sentence = profile.spine_summary(frame, area_name="Coventry")
        assert sentence.startswith("Spine chart of 3 metrics for Coventry")
        assert "better than England" in sentence

    def test_csv_has_metadata_then_the_rows(self, store):
        frame = profile.spine_frame(store, STATE)
        text = profile.spine_csv(frame, area_name="Coventry", scope="england", method="default")
        lines = text.splitlines()
        assert lines[0].startswith("# title: Coventry")
        assert any(line.startswith("metric_id,label,period_label") for line in lines)

    def test_source_note_is_worded_as_every_chart_s(self, store):
        frame = profile.spine_frame(store, STATE)
        note = profile.spine_source_note(frame, comparator="mean of 15 similar councils")
        assert note == (
            f"Source: {profile.spine_sources(frame)} · Data vintage: {profile.SPINE_VINTAGE} · "
            f"{text.SYNTHETIC_NOTE}<br>Comparators: mean of 15 similar councils · "
            "95 % intervals decide the verdicts"
        )

    def test_figure_names_the_range(self, store):
        frame = profile.spine_frame(store, STATE)
        figure = profile.spine_figure(
            frame, area_name="Coventry", scope="comparators", source_note="Source: x"
        )
        assert "comparator group" in figure.layout.title.text


def summary_for(store, metric_id: str):
    view = profile.profile_view(store, STATE, areas=_areas(store))
    return next(s for s in view.summaries if s.metric.id == metric_id)


def _areas(store):
    from queries.areas import AreaDirectory

    return AreaDirectory.load(store)


def history_summary(metric_id: str, values: list[float]) -> profile.MetricSummary:
    history = pd.DataFrame({"area_value": values, "area_lower": values, "area_upper": values})
    metric = load_catalogue().get(metric_id)
    return profile.MetricSummary(metric=metric, latest=None, history=history)


class TestTiles:
    def test_interval_is_written_in_the_metric_format(self, store):
        summary = summary_for(store, "ea65_rate")
        text = metric_tile.interval_text(summary)
        assert text.startswith("95 % CI ")
        low, high = summary.interval
        assert low < summary.latest["area_value"] < high

    def test_annual_trend_is_an_arrow_with_words(self, store):
        summary = summary_for(store, "ascof_2b1")
        text = text_of(metric_tile.trend_text(summary))
        assert text.split()[0] in {"↑", "↓", "→", "·"}
        assert "Trend:" in text

    def test_quarterly_series_show_spc_icons_instead_of_a_trend(self):
        # Given twelve quarters of a quarterly metric: the Making Data Count icon, no trend
        summary = history_summary("ea65_rate", [6400.0, 6500.0] * 5 + [6450.0, 9000.0])
        tile = metric_tile.trend_text(summary)
        assert "Quarterly series: SPC instead of a trend test" in text_of(tile)
        assert summary.trend == "not applicable"
        images = [c for c in tile.children if getattr(c, "src", None)]
        assert [i.alt for i in images] == [
            "Variation: special cause concern, higher values"  # lower is better
        ]

    def test_a_target_adds_the_assurance_icon(self):
        summary = history_summary("chc_28day", [55.0, 60.0] * 6)
        tile = metric_tile.trend_text(summary)
        alts = [c.alt for c in tile.children if getattr(c, "src", None)]
        assert alts == [
            "Variation: common cause, no significant change",
            "Assurance: the process will consistently miss the target",
        ]
        assert "target (80.0%)" in text_of(tile)

    def test_too_few_quarters_say_so(self, store):
        summary = summary_for(store, "ea65_rate")  # the fixture has eight quarters
        assert "too few quarterly values" in text_of(metric_tile.trend_text(summary))

    def test_trend_words_follow_polarity(self):
        assert metric_tile._trend_meaning("increasing", "lower_is_better") == ", getting worse"
        assert metric_tile._trend_meaning("increasing", "higher_is_better") == ", getting better"
        assert metric_tile._trend_meaning("decreasing", "context") == ""

    def test_no_intervals_means_no_trend(self):
        metric = load_catalogue().get("ascof_2a2")
        summary = profile.MetricSummary(metric=metric, latest=None, history=pd.DataFrame())
        assert summary.trend == "not enough data"
        assert "not enough" in text_of(metric_tile.trend_text(summary))

    def test_rolling_periods_say_why_there_is_no_trend(self):
        metric = load_catalogue().get("los_p90_ea65")
        metric = dataclasses.replace(metric, period_types=("rolling_12m",))
        summary = profile.MetricSummary(metric=metric, latest=None, history=pd.DataFrame())
        assert "overlap" in text_of(metric_tile.trend_text(summary))

    def test_tile_links_to_explorer_family_page_and_methods(self, store):
        summary = summary_for(store, "ea65_rate")
        tile = metric_tile.metric_tile(
            summary,
            explore_href="/metric/ea65_rate?area=X",
            family_href="/hospital?area=X&method=default",
            family_title="Hospital activity page",
            methods_href="/methods#metric-ea65_rate",
        )
        hrefs = {getattr(c, "href", None) for c in walk(tile)}
        assert {
            "/metric/ea65_rate?area=X",
            "/hospital?area=X&method=default",
            "/methods#metric-ea65_rate",
        } <= hrefs
        text = text_of(tile)
        assert "than England" in text and "than comparators" in text

    def test_old_signature_still_works(self, store):
        summary = summary_for(store, "ea65_rate")
        tile = metric_tile.metric_tile(summary, explore_href="/metric/ea65_rate")
        assert "Explore over time" in text_of(tile)


class TestPage:
    def test_profile_has_share_button_spine_and_scope_in_the_url(self, app, store):
        from dashboard.profile import page as area_profile

        layout = area_profile.layout(code=COVENTRY, spine="comparators")
        ids = [c.id for c in walk(layout) if getattr(c, "id", None) is not None]
        assert area_profile.SPINE_GRAPH in ids
        assert {"type": "lsr-share-button", "key": "page"} in ids
        scope = next(c for c in walk(layout) if getattr(c, "id", None) == area_profile.SCOPE)
        assert scope.value == "comparators"

    def test_bad_scope_falls_back_with_a_notice(self, app, store):
        from dashboard.profile import page as area_profile

        layout = area_profile.layout(code=COVENTRY, spine="moon")
        assert "Unknown spine range" in text_of(layout) or any(
            "Unknown spine range" in str(getattr(c, "data", "")) for c in walk(layout)
        )

    def test_scope_goes_into_the_url_only_when_not_the_default(self):
        from dashboard.profile import page as area_profile

        href = area_profile.navigate(COVENTRY, "default", "england", [COVENTRY, "x", "england"])
        assert href.endswith("method=default")
        href = area_profile.navigate(COVENTRY, "default", "comparators", [COVENTRY, "x", "x"])
        assert href.endswith("&spine=comparators")


class TestSparkline:
    def test_the_tile_image_says_what_it_shows_and_where_from(self, store):
        summary = summary_for(store, "ea65_rate")
        spec = metric_tile.sparkline_spec(summary)
        assert spec.title == "Trend of Emergency admissions 65+: area, comparators and England"
        assert spec.subtitle == (
            f"{summary.metric.unit_for('quarter')} · Quarterly (financial quarters) · "
            "2016/17 Q1 to 2017/18 Q4"
        )
        assert spec.source_note.startswith("Source: Hospital Episode Statistics")
        assert " · Data vintage: fixture · " in spec.source_note
        assert spec.source_note.endswith(text.SYNTHETIC_NOTE)
        tile = metric_tile.metric_tile(summary, explore_href="/metric/ea65_rate")
        image = next(c for c in walk(tile) if getattr(c, "className", "") == "lsr-sparkline-image")
        assert image.alt == spec.title
        assert "<desc>" in unquote(image.src) and "Data vintage: fixture" in unquote(image.src)
