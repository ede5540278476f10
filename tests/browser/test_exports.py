"""Exports in a real browser: "Download image" as PNG (at least 2x the on-screen chart) and
SVG (with the title and source baked in), the CSV, and the "Share link" button."""

from __future__ import annotations

import re
import struct

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def open_explorer(page) -> None:
    page.goto(f"/metric/ea65_rate?area={COVENTRY}")
    page.locator("#explorer-graph .js-plotly-plot .scatterlayer").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def download_image(page, card, image_format: str, tmp_path, name: str):
    card.get_by_role("button", name="Download image").click()
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        card.locator(f".lsr-export-{image_format}").click()
    path = tmp_path / name
    download.value.save_as(path)
    return download.value, path


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR is the first chunk)."""
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


class TestDownloadImage:
    def test_png_is_at_least_twice_the_on_screen_chart(self, page, tmp_path):
        open_explorer(page)
        card = page.locator(".lsr-chart-card").filter(has=page.locator("#explorer-graph"))
        box = page.locator("#explorer-graph .js-plotly-plot").bounding_box()
        download, path = download_image(page, card, "png", tmp_path, "c.png")
        width, height = png_size(path.read_bytes())
        assert download.suggested_filename.endswith(".png")
        assert width >= 2 * box["width"] and height >= 2 * box["height"]
        status = card.locator(".lsr-export-status")
        status.filter(has_text="PNG image downloaded").wait_for(timeout=TIMEOUT_MS)

    def test_svg_carries_title_and_source(self, page, tmp_path):
        open_explorer(page)
        card = page.locator(".lsr-chart-card").filter(has=page.locator("#explorer-graph"))
        _, path = download_image(page, card, "svg", tmp_path, "c.svg")
        svg = path.read_text()
        assert svg.lstrip().startswith("<svg")
        assert "Emergency admissions 65+" in svg
        assert "Source:" in svg and "Synthetic data" in svg

    def test_spine_png_gets_its_title_and_source(self, page, tmp_path):
        page.goto(f"/area/{COVENTRY}")
        page.locator("#profile-spine .js-plotly-plot .scatterlayer").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        card = page.locator(".lsr-chart-card").filter(has=page.locator("#profile-spine"))
        _, path = download_image(page, card, "svg", tmp_path, "spine.svg")
        svg = path.read_text()
        assert "Coventry compared with England" in svg and "Source: NHS" in svg


def hide_via_legend(page, graph_id: str, name: str) -> None:
    """Click a legend entry, as a reader does, and wait until Plotly has hidden the series."""
    page.locator(f"#{graph_id} .legend .traces", has_text=name).locator(".legendtoggle").click()
    page.wait_for_function(
        f"() => document.querySelector('#{graph_id} .js-plotly-plot').data"
        f".filter(t => t.name === {name!r}).every(t => t.visible === 'legendonly')",
        timeout=TIMEOUT_MS,
    )


def legend_names(svg: str) -> list[str]:
    return re.findall(r'class="legendtext"[^>]*>([^<]*)<', svg)


class TestWhatIsShown:
    def test_series_hidden_via_the_legend_stay_out_of_the_image(self, page, tmp_path):
        open_explorer(page)
        card = page.locator(".lsr-chart-card").filter(has=page.locator("#explorer-graph"))
        download, before = download_image(page, card, "svg", tmp_path, "before.svg")
        assert "Coventry vs comparators vs England<" in before.read_text()
        stem = "emergency-admissions-65-coventry-vs-comparators"
        assert download.suggested_filename == f"{stem}-vs-england.svg"

        hide_via_legend(page, "explorer-graph", "England")
        download, path = download_image(page, card, "svg", tmp_path, "no-england.svg")
        assert download.suggested_filename == f"{stem}.svg"  # named after what it shows
        svg = path.read_text()
        assert "Coventry vs comparators<" in svg and "England" not in svg
        assert legend_names(svg) == ["Comparator range (min–max)", "Comparator mean", "Coventry"]
        assert "Comparators: 15 similar councils" in svg
        status = card.locator(".lsr-export-status")
        status.filter(has_text=re.compile(r"Coventry vs comparators$")).wait_for(timeout=TIMEOUT_MS)

        for name in ("Comparator mean", "Comparator range (min–max)"):
            hide_via_legend(page, "explorer-graph", name)
        download, path = download_image(page, card, "slide", tmp_path, "area-only.png")
        assert download.suggested_filename == "emergency-admissions-65-coventry-slide.png"
        _, path = download_image(page, card, "svg", tmp_path, "area-only.svg")
        svg = path.read_text()
        assert "Emergency admissions 65+ — Coventry<" in svg
        assert "omparator" not in svg  # no legend entry, title words or note line
        assert "Source: Hospital Episode Statistics" in svg
        # the chart on screen keeps every series, only hidden
        assert page.locator("#explorer-graph .legend .traces").count() == 4

    def test_slide_png_is_16_by_9_at_1920_by_1080(self, page, artifacts):
        open_explorer(page)
        card = page.locator(".lsr-chart-card").filter(has=page.locator("#explorer-graph"))
        download, path = download_image(page, card, "slide", artifacts, "export-slide.png")
        assert png_size(path.read_bytes()) == (1920, 1080)
        assert download.suggested_filename.endswith("-slide.png")
        status = card.locator(".lsr-export-status")
        status.filter(has_text="Slide PNG image downloaded").wait_for(timeout=TIMEOUT_MS)


class TestCsv:
    def test_spine_csv_is_the_plotted_rows(self, page, tmp_path):
        page.goto(f"/area/{COVENTRY}")
        page.locator("#profile-spine .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.click("#profile-spine-download-button")
        path = tmp_path / "spine.csv"
        download.value.save_as(path)
        lines = path.read_text().splitlines()
        assert lines[0] == "# title: Coventry: latest value of each metric among all councils"
        rows = [line for line in lines if not line.startswith("#")]
        assert rows[0].startswith("metric_id,label,period_label,area_value")
        assert {row.split(",")[0] for row in rows[1:]} == {"ea65_rate", "dtoc_rate", "ascof_2b1"}


class TestShareLink:
    def test_copies_the_address_or_offers_it_to_copy(self, page):
        page.goto(f"/area/{COVENTRY}?method=oflog-nn")
        page.locator("#area-heading").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        page.get_by_role("button", name="Share link").first.click()
        status = page.locator(".lsr-share-status").first
        status.filter(has_text="ink").wait_for(timeout=TIMEOUT_MS)
        if "copied" in status.inner_text():
            return
        field = page.locator(".lsr-share-field input").first
        assert field.is_visible()
        assert field.input_value().endswith(f"/area/{COVENTRY}?method=oflog-nn")

    def test_clipboard_holds_the_address_when_allowed(self, browser, live_server):
        context = browser.new_context(
            base_url=live_server, permissions=["clipboard-read", "clipboard-write"]
        )
        page = context.new_page()
        try:
            page.goto(f"/area/{COVENTRY}")
            page.locator("#area-heading").wait_for(timeout=TIMEOUT_MS)
            settle(page)
            page.get_by_role("button", name="Share link").first.click()
            page.locator(".lsr-share-status", has_text="Link copied").first.wait_for(
                timeout=TIMEOUT_MS
            )
            copied = page.evaluate("() => navigator.clipboard.readText()")
            assert copied == page.url
        finally:
            context.close()
