"""A breakdown other than "all" is named in every explorer chart's title (so in its image and
CSV file names) and in its CSV header. Against the family fixture, which has breakdown rows."""

from __future__ import annotations

import pytest

from dashboard import series_view, urls
from dashboard.explore import panels as explorer_panels
from dashboard.explore.ranking import ranking_view
from dashboard.explore.reviewed import reviewed_view
from dashboard.explore.spc import spc_view
from tests.dashboard.explore.test_panels import showing
from tests.fixtures import COUNCILS

COVENTRY = COUNCILS[1]
CARE_HOME = "Admission source: Care home"


@pytest.fixture()
def store(family_store):
    """The family fixture: it has breakdown rows."""
    return family_store


def view(store, breakdown="admission_source", value="care_home"):
    state = urls.ExplorerState(
        metric_id="ea65_rate",
        area=COVENTRY,
        method="default",
        period_type="quarter",
        breakdown=breakdown,
        breakdown_value=value,
    )
    return series_view.explorer_view(store, state, area_name="Coventry")


class TestExplorerTitles:
    def test_every_view_title_names_the_breakdown(self, store):
        shown = view(store)
        titles = {
            "trend": shown.title,
            "spc": spc_view(showing(shown, view="spc")).title,
            "ranking": ranking_view(store, showing(shown, view="ranking")).title("ranking"),
            "funnel": ranking_view(store, showing(shown, view="ranking")).title("funnel"),
            "reviewed": reviewed_view(store, shown).title,
        }
        for name, title in titles.items():
            assert title.startswith(f"Emergency admissions 65+ ({CARE_HOME}) — "), name

    def test_all_keeps_the_plain_title(self, store):
        shown = view(store, breakdown="all", value="all")
        assert shown.breakdown_text is None
        assert spc_view(showing(shown, view="spc")).title.startswith(
            "Emergency admissions 65+ — Coventry"
        )

    @pytest.mark.parametrize("key", ["trend", "spc", "ranking", "funnel", "reviewed"])
    def test_csv_file_name_and_header_name_the_breakdown(self, store, key):
        payload = explorer_panels.csv_for(store, key, showing(view(store), view=key))
        assert "admission-source-care-home" in payload["filename"]
        header = [line for line in payload["content"].splitlines() if line.startswith("#")]
        assert f"# breakdown: {CARE_HOME}" in header
        assert header[0].startswith(f"# title: Emergency admissions 65+ ({CARE_HOME})")

    def test_headline_csv_has_no_breakdown_line(self, store):
        payload = explorer_panels.csv_for(
            store, "ranking", view(store, breakdown="all", value="all")
        )
        assert "# breakdown:" not in payload["content"]
