"""Page layouts called as the router calls them: any URL gives a page, never an error."""

import importlib

import pytest

from dashboard import context
from dashboard.ui.notice import PAGE_NOTICES
from queries.store import DataStore
from tests.dashboard.helpers import find, text_of
from tests.fixtures import COUNCILS


@pytest.fixture()
def pages(app, store):
    modules = {
        "select_areas": "select.page",
        "area_profile": "profile.page",
        "metric_explorer": "explore.page",
    }
    return {
        name: importlib.import_module(f"dashboard.{module}") for name, module in modules.items()
    }


def notices(layout) -> list[str]:
    return find(layout, PAGE_NOTICES).data


class TestAreaProfile:
    def test_renders_the_area_with_no_notices(self, pages):
        layout = pages["area_profile"].layout(COUNCILS[0], method="oflog-nn")
        assert "Halton" in text_of(find(layout, "area-heading"))
        assert find(layout, "profile-method").value == "oflog-nn"
        assert notices(layout) == []

    def test_bad_area_and_method_fall_back_with_notices(self, pages):
        layout = pages["area_profile"].layout("NOWHERE", method="tea-leaves")
        assert "Coventry" in text_of(find(layout, "area-heading"))
        assert len(notices(layout)) == 2

    def test_no_code_shows_the_default_area(self, pages):
        layout = pages["area_profile"].layout()
        assert find(layout, "profile-area").value == COUNCILS[1]


class TestMetricExplorer:
    def test_url_restores_the_controls(self, pages):
        layout = pages["metric_explorer"].layout(
            "ea65_rate", area=COUNCILS[0], method="oflog-nn", **{"from": "2017/18 Q1"}
        )
        assert find(layout, "explorer-area").value == COUNCILS[0]
        assert find(layout, "explorer-method").value == "oflog-nn"
        assert find(layout, "explorer-from").value == "2017-04-01"
        assert find(layout, "explorer-to").value == "2018-01-01"
        assert notices(layout) == []

    def test_everything_wrong_still_renders(self, pages):
        layout = pages["metric_explorer"].layout(
            "nonsense", area="Atlantis", method="x", period="aeon", **{"from": "?", "to": "?"}
        )
        assert find(layout, "explorer-metric").value == "ea65_rate"
        assert len(notices(layout)) == 6  # metric, period type, from, to, area, method

    def test_metric_without_data_says_so(self, pages):
        layout = pages["metric_explorer"].layout("ascof_2a2")
        assert "No data is published" in text_of(layout)


class TestNothingPublished:
    def test_pages_explain_instead_of_failing(self, app, pages, tmp_path):
        # Given a data directory with nothing published
        context.set_store(DataStore(tmp_path))
        # When each page is drawn, Then it says so in words
        for name, module in pages.items():
            assert "lsr demo" in text_of(module.layout()), name


class TestShareLink:
    """Every page offers the one Share link (the URL holds the view); a 404 or an empty
    data directory have nothing to share."""

    def test_every_page_has_exactly_one_share_button(self, app, store):
        import dash

        from dashboard.ui.share import BUTTON
        from tests.dashboard.helpers import walk

        served = {
            entry["path"]: entry["layout"]
            for entry in dash.page_registry.values()
            if entry["path"] != "/not-found"
        }
        assert len(served) == 9
        for path, layout in served.items():
            buttons = [
                c
                for c in walk(layout())
                if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == BUTTON
            ]
            assert len(buttons) == 1, path

    def test_not_found_and_no_data_pages_have_none(self, app, pages, tmp_path):
        from dashboard.ui import not_found_404

        assert "lsr-share-button" not in str(not_found_404.layout())
        context.set_store(DataStore(tmp_path))
        assert "lsr-share-button" not in str(pages["metric_explorer"].layout())
