"""The reviewed areas in the explorer: ?reviewed=1 (ranking and funnel show the reviewed areas
and the chosen area only, ranked among all councils) and the small multiples' latest value and
verdict per panel. The fixture's reviewed councils are Halton and Coventry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dashboard.charts.reviewed_marks import REVIEWED_NAME
from dashboard.explore import controls
from dashboard.explore import state as explorer_state
from dashboard.explore.ranking import ranking_view
from dashboard.explore.reviewed import reviewed_view
from tests.dashboard.explore.test_panels import (
    BASE,
    COVENTRY,
    csv_rows,
    settings,
    showing,
    view,
    written,
)
from tests.fixtures import COUNCILS

OTHER = COUNCILS[5]  # not reviewed
ONLY = replace(BASE, view="ranking", reviewed_only=True)


class TestTheUrl:
    def test_reviewed_1_is_read_written_and_stored(self):
        assert settings({"view": "ranking", "reviewed": "1"}) == ONLY
        query = written(ONLY)
        assert (query["view"], query["reviewed"]) == ("ranking", "1")
        assert explorer_state.explorer_from_data(explorer_state.explorer_to_data(ONLY)) == ONLY
        assert "reviewed" not in written(replace(BASE, view="ranking"))

    def test_an_unreadable_value_ranks_all_councils_with_a_notice(self):
        notices = []
        state = settings({"reviewed": "maybe"}, notices)
        assert not state.reviewed_only and "“reviewed=maybe”" in notices[0]

    def test_the_switch_writes_it(self, store):
        values = {
            "metric_id": "ea65_rate",
            "area": COVENTRY,
            "method": "default",
            "view": "ranking",
            "reviewed": [controls.REVIEWED_ON],
        }
        state = explorer_state.explorer_from_controls(values, "reviewed")
        assert state.reviewed_only
        shown = showing(view(store), reviewed_only=state.reviewed_only)
        assert controls.view_control_values(shown)["reviewed"] == ["1"]


class TestRankingAndFunnel:
    def test_every_council_is_shown_with_the_reviewed_ones_ringed(self, store):
        ranked = ranking_view(store, showing(view(store, area=OTHER), view="ranking"))
        assert len(ranked.shown) == len(ranked.frame)
        rings = next(t for t in ranked.ranking_figure().data if t.name == REVIEWED_NAME)
        reviewed = ranked.frame[ranked.frame["reviewed"]]
        assert sorted(rings.x) == sorted(reviewed["position"].dropna().astype(int))
        assert REVIEWED_NAME in [t.name for t in ranked.funnel_figure().data]

    def test_reviewed_only_keeps_them_and_the_area_ranked_among_all(self, store):
        ranked = ranking_view(store, view(store, area=OTHER, view="ranking", reviewed_only=True))
        everyone = ranking_view(store, showing(view(store, area=OTHER), view="ranking"))
        assert set(ranked.shown["area_code"]) == {COUNCILS[0], COUNCILS[1], OTHER}
        rows = csv_rows(ranked.csv_text("ranking"))
        expected = everyone.ranked.set_index("area_code").loc[rows["area_code"], "position"]
        assert rows["position"].tolist() == expected.tolist()  # ranks among all 20
        assert "# councils: reviewed areas and the chosen area only" in ranked.csv_text("funnel")
        assert ranked.summary() == everyone.summary()  # "… of 20 councils"
        assert "reviewed areas ranked" in ranked.title("ranking")
        assert "ranked among all 20" in ranked.subtitle("ranking")
        figure = ranked.ranking_figure()
        assert figure.layout.xaxis.range == (0, 21)
        plotted = {int(x) for t in figure.data if t.name != "England" for x in t.x}
        assert plotted == set(rows["position"])

    def test_the_funnel_keeps_englands_limits(self, store):
        ranked = ranking_view(store, view(store, area=OTHER, view="ranking", reviewed_only=True))
        everyone = ranking_view(store, showing(view(store, area=OTHER), view="ranking"))
        assert ranked.limits.equals(everyone.limits)
        assert len(ranked.funnel_rows) <= 3 < len(everyone.funnel_rows)


class TestSmallMultiples:
    def test_each_panel_notes_the_latest_value_and_verdict(self, store):
        reviewed = reviewed_view(store, view(store, period_from=date(2017, 4, 1)))
        notes = reviewed.panel_notes()
        assert set(notes) == {"Halton", "Coventry"}
        latest = reviewed.latest.set_index("name")
        for name, note in notes.items():
            value = reviewed.explorer.metric.format_value(latest.loc[name, "area_value"])
            assert note.startswith(f"{value} · ")
            assert note.endswith("England")
        titles = [a.text for a in reviewed.figure().layout.annotations if a.yanchor == "bottom"]
        assert all(any(note in title for title in titles) for note in notes.values())
        assert all(note in reviewed.description() for note in notes.values())

    def test_verdict_words_follow_the_judgement(self, store):
        reviewed = reviewed_view(store, view(store))
        latest = reviewed.latest.set_index("name")
        words = {"better": "better than", "worse": "worse than", "similar": "similar to"}
        for name, note in reviewed.panel_notes().items():
            verdict = latest.loc[name, "vs_england"]
            assert words.get(verdict, "not compared with") in note

    def test_the_csv_carries_both_verdicts(self, store):
        rows = csv_rows(reviewed_view(store, view(store)).csv_text())
        assert {"vs_england", "vs_comparator", "area_lower", "area_upper"} <= set(rows.columns)
        assert rows["vs_england"].notna().all()
