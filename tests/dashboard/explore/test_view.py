"""View models against the published fixture: what the explorer exports, and what the profile
tiles show."""

import io

import pandas as pd

from dashboard import reference, series_view
from dashboard.explore import view as explorer
from dashboard.profile.view import profile_view
from dashboard.urls import ExplorerState, ProfileState
from tests.fixtures import COUNCILS

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]


class TestCsvText:
    def test_metadata_lines_then_exactly_the_plotted_rows(self, store):
        state = ExplorerState("ea65_rate", HALTON, "default", "quarter")
        explorer_view = series_view.explorer_view(store, state, area_name="Halton")
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
