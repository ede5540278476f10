import dash
import pytest
from dash import html

from dashboard.ui.shell import (
    is_active,
    nav_context,
    nav_href,
    nav_items,
    nav_links,
    shell,
)
from tests.dashboard.helpers import text_of, walk

PAGES = {
    "Select areas": "/",
    "Area profile": "/area",
    "Metric explorer": "/metric",
    "Hospital activity": "/hospital",
    "Delayed transfers": "/dtoc",
    "Social care": "/social-care",
    "Continuing healthcare": "/chc",
    "Care services & ratings": "/ratings",
    "Methods & sources": "/methods",
}


@pytest.fixture(autouse=True)
def registered_pages(app):
    """The navigation is read from Dash's page registry, which the app fills."""


def links(items) -> dict[str, object]:
    return {a.children: a for a in walk(items) if getattr(a, "href", None) is not None}


class TestShell:
    def test_skip_link_points_at_main(self):
        layout = shell()
        skip = next(c for c in walk(layout) if getattr(c, "href", None) == "#main-content")
        assert skip.children == "Skip to main content"
        assert any(getattr(c, "id", None) == "main-content" for c in walk(layout))

    def test_header_names_the_product_and_links_the_pages(self):
        layout = shell()
        hrefs = {getattr(c, "href", None) for c in walk(layout)}
        assert "LSR Explorer" in text_of(layout)
        assert {href for _, href in nav_links()} <= hrefs

    def test_footer_attributes_the_open_government_licence(self):
        text = text_of(shell())
        assert "Contains public sector information licensed under the" in text
        assert "Open Government Licence v3.0" in text
        assert "synthetic" in text


class TestServiceNavigation:
    def test_all_nine_pages_in_design_order(self):
        assert dict(nav_links()) == PAGES
        assert list(links(nav_items("/", ""))) == list(PAGES)

    def test_a_registered_page_joins_the_navigation_in_its_order(self):
        dash.register_page(
            "tests.dashboard.ui.extra_page",
            path="/extra",
            name="Extra page",
            order=50,
            layout=lambda **_query: html.Div("extra"),
            shows_area=True,
        )
        try:
            names = [name for name, _ in nav_links()]
            assert names.index("Extra page") == names.index("Methods & sources") - 1
            assert nav_href("/extra", {"area": "E06000001"}) == "/extra?area=E06000001"
        finally:
            dash.page_registry.pop("tests.dashboard.ui.extra_page")
        assert "Extra page" not in dict(nav_links())

    def test_the_navigation_is_a_labelled_landmark(self):
        nav = next(c for c in walk(shell()) if type(c).__name__ == "Nav")
        assert nav.to_plotly_json()["props"]["aria-label"] == "Pages"

    @pytest.mark.parametrize(
        ("pathname", "active"),
        [
            ("/", "Select areas"),
            ("/area/E06000001", "Area profile"),
            ("/metric/dtoc_rate", "Metric explorer"),
            ("/hospital", "Hospital activity"),
            ("/social-care/", "Social care"),
            ("/ratings", "Care services & ratings"),
        ],
    )
    def test_only_the_current_page_is_marked_current(self, pathname, active):
        current = [
            label
            for label, a in links(nav_items(pathname, "")).items()
            if a.to_plotly_json()["props"].get("aria-current") == "page"
        ]
        assert current == [active]

    def test_prefixes_do_not_count_as_the_same_page(self):
        assert not is_active("/area", "/areas")
        assert not is_active("/", "/hospital")

    def test_area_and_method_are_carried_to_area_pages(self):
        hrefs = {
            label: a.href
            for label, a in links(nav_items("/hospital", "?area=E06000002&method=oflog-nn")).items()
        }
        assert hrefs["Area profile"] == "/area/E06000002?method=oflog-nn"
        assert hrefs["Metric explorer"] == "/metric?area=E06000002&method=oflog-nn"
        assert hrefs["Delayed transfers"] == "/dtoc?area=E06000002&method=oflog-nn"
        assert hrefs["Select areas"] == "/" and hrefs["Methods & sources"] == "/methods"

    def test_the_area_profile_path_names_the_area(self):
        assert nav_context("/area/E06000002", "?method=default") == {
            "area": "E06000002",
            "method": "default",
        }
        assert nav_href("/chc", nav_context("/area/E06000002", "")) == "/chc?area=E06000002"

    def test_without_an_area_links_are_plain(self):
        assert nav_href("/hospital", nav_context("/", "")) == "/hospital"
        assert nav_href("/area", {"method": "default"}) == "/area?method=default"


class TestNavigationCallback:
    def test_answers_each_url_with_its_own_links_built_once(self):
        from dashboard.ui.shell import _remembered_nav_items

        first = _remembered_nav_items("/hospital", "?area=E06000002")
        assert _remembered_nav_items("/hospital", "?area=E06000002") is first
        other = _remembered_nav_items("/hospital", "?area=E06000003")
        assert links(list(other))["Area profile"].href == "/area/E06000003"
        assert links(list(first))["Area profile"].href == "/area/E06000002"
