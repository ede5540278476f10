"""The series view against the published fixture: what the explorer and the data profile
plot for one metric and area, with its title, labels and provenance."""

from datetime import date

import numpy as np
import pandas as pd

from dashboard import series_view
from dashboard.urls import ExplorerState
from queries.catalogue import load_catalogue
from tests.fixtures import COUNCILS

HALTON = COUNCILS[0]


def view(store, **changes):
    state = ExplorerState(
        **{
            "metric_id": "ea65_rate",
            "area": HALTON,
            "method": "default",
            "period_type": "quarter",
            **changes,
        }
    )
    return series_view.explorer_view(store, state, area_name="Halton")


class TestExplorerView:
    def test_title_says_what_and_where(self, store):
        assert view(store).title == "Emergency admissions 65+ — Halton vs comparators vs England"

    def test_subtitle_has_unit_and_period_range(self, store):
        subtitle = view(store).subtitle
        assert subtitle.startswith("per 100,000 population aged 65+")
        assert "2016/17 Q1 to 2017/18 Q4" in subtitle

    def test_period_range_filters_rows_but_pickers_keep_every_period(self, store):
        ranged = view(store, period_from=date(2017, 4, 1))
        assert ranged.frame["period_label"].tolist()[0] == "2017/18 Q1"
        assert len(ranged.frame) == 4
        assert len(ranged.periods) == 8

    def test_peer_values_become_hover_lines(self, store):
        hover = view(store).frame["peer_hover"].iloc[1]
        assert hover.count("<br>") == 15
        assert "Coventry" in hover

    def test_hover_lines_list_each_periods_peers_highest_first(self):
        # Given peers' values in two periods: a tie, a suppressed peer and one without a value
        peers = pd.DataFrame(
            {
                "period_label": ["2016/17 Q2", "2016/17 Q1", "2016/17 Q1", "2016/17 Q1"]
                + ["2016/17 Q1", "2016/17 Q2"],
                "peer_name": ["Bury", "Ayr", "Bury", "Cork", "Derry", "Ayr"],
                "value": [3.0, 10.0, np.nan, 10.0, 12.5, 4.25],
                "suppressed": [False, False, False, True, False, False],
            }
        )
        metric = load_catalogue().get("ea65_rate")
        # When written as hover text
        lines = series_view.peer_hover_text(peers, metric)
        # Then each period lists its peers, highest first, ties in their order, no value last
        assert lines == {
            "2016/17 Q1": "<br>  Derry: 12<br>  Ayr: 10<br>  Cork: suppressed<br>  Bury: –",
            "2016/17 Q2": "<br>  Ayr: 4<br>  Bury: 3",
        }

    def test_synthetic_flag_and_vintage(self, store):
        ea65 = view(store)
        assert ea65.synthetic is True
        assert ea65.vintage == "fixture"
        assert "Synthetic data" in ea65.source_note()
        dtoc = view(store, metric_id="dtoc_rate", period_type="month")  # not synthetic
        assert dtoc.synthetic is False
        assert "Synthetic" not in dtoc.source_note()

    def test_suppressed_periods_are_counted(self, store):
        assert view(store).suppressed_count == 1

    def test_nothing_published_gives_a_message(self, store):
        empty = view(store, metric_id="ascof_2a2", period_type="financial_year")
        assert empty.frame.empty
        message = series_view.empty_message(empty)
        assert message == "No data is published for this metric and selection."
        assert series_view.figure(empty).layout.annotations[0].text == message


class TestWarm:
    def test_builds_the_default_methods_headline_look_up_and_the_availability(self, store):
        # Given a worker meeting a version; When the explorer's look-ups are warmed
        series_view.warm(store)
        computed = store.cache.stats.per_query
        # Then every area's headline series (default method) and every metric's availability
        # are built, and a view of the default method then runs no query of its own
        assert len(computed["shared:headline_series"]) == 1
        assert len(computed["shared:metric_availability"]) == 1
        before = {name: len(times) for name, times in computed.items()}
        view(store)
        ran = {name for name, times in computed.items() if len(times) > before.get(name, 0)}
        assert ran == {"derived:metric_series"}
