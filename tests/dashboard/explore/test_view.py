"""View models against the published fixture: what the explorer plots and exports, and what
the profile tiles show."""

import io
from datetime import date

import pandas as pd

from dashboard import reference
from dashboard.explore import view as explorer
from dashboard.profile.view import profile_view
from dashboard.urls import ExplorerState, ProfileState
from tests.fixtures import COUNCILS

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]


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
    return explorer.explorer_view(store, state, area_name="Halton")


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
        assert explorer.empty_message(empty) == (
            "No data is published for this metric and selection."
        )
        assert explorer.figure(empty).layout.annotations[0].text == explorer.empty_message(empty)


class TestCsvText:
    def test_metadata_lines_then_exactly_the_plotted_rows(self, store):
        explorer_view = view(store)
        text = explorer.csv_text(explorer_view)
        metadata = [line for line in text.splitlines() if line.startswith("#")]
        keys = [line[2:].split(":")[0] for line in metadata]
        for key in ("title", "unit", "source", "vintage", "synthetic data", "comparator method"):
            assert key in keys
        assert "# synthetic data: yes (demo values, not real figures)" in metadata
        assert "# comparator method: default" in metadata
        rows = pd.read_csv(io.StringIO(text), comment="#")
        assert rows["period_label"].tolist() == explorer_view.frame["period_label"].tolist()
        assert "peer_hover" not in rows.columns


class TestProfileView:
    def test_one_summary_per_catalogue_metric(self, store):
        profile = profile_view(
            store, ProfileState(COVENTRY, "default"), areas=reference.directory()
        )
        by_id = {s.metric.id: s for s in profile.summaries}
        assert by_id["ea65_rate"].latest["period_label"] == "2017/18 Q4"
        assert len(by_id["ea65_rate"].history) == 8
        assert by_id["ascof_2a2"].latest is None
        assert profile.area["name"] == "Coventry"
        assert len(profile.peers) == 15

    def test_families_in_catalogue_order(self, store):
        profile = profile_view(
            store, ProfileState(COVENTRY, "default"), areas=reference.directory()
        )
        titles = [title for title, _ in profile.by_family()]
        assert titles[0] == "Hospital activity"


class TestReference:
    def test_default_area_is_the_first_reviewed_council_without_liverpool(self, store):
        assert reference.choices().default_area == COVENTRY

    def test_metric_options_list_period_types_in_the_data(self, store):
        assert reference.metric_options("dtoc_rate").period_types == ("month",)
        assert reference.metric_options("ascof_2a2").period_types == ("financial_year",)

    def test_default_metric_is_the_first_interface_metric_with_data(self, store):
        assert next(iter(reference.metric_names())) == "ea65_rate"
