from dashboard.layout import NAV_LINKS, shell
from tests.dashboard.helpers import text_of, walk


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
        assert {href for _, href in NAV_LINKS} <= hrefs

    def test_footer_attributes_the_open_government_licence(self):
        text = text_of(shell())
        assert "Contains public sector information licensed under the" in text
        assert "Open Government Licence v3.0" in text
        assert "synthetic" in text
