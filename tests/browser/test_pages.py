"""Both pages in a real browser against the real server: URL state, controls, the chart,
the CSV download and URL fallbacks. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.browser.support import TIMEOUT_MS, choose_in_dropdown, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]


def plotted_traces(page) -> list[dict]:
    return page.evaluate(
        "() => document.querySelector('#explorer-graph .js-plotly-plot')"
        ".data.map(t => ({name: t.name, x: t.x}))"
    )


class TestAreaProfile:
    def test_changing_the_area_updates_url_and_heading(self, page, artifacts):
        page.goto(f"/area/{HALTON}")
        heading = page.locator("#area-heading")
        heading.filter(has_text="Halton").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        page.screenshot(path=artifacts / "area-profile.png", full_page=True)

        choose_in_dropdown(page, "profile-area", "Coventry")

        page.wait_for_url(re.compile(rf"/area/{COVENTRY}\?method=default$"), timeout=TIMEOUT_MS)
        heading.filter(has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
        settle(page)

    def test_tiles_show_values_and_missing_metrics(self, page):
        page.goto(f"/area/{COVENTRY}")
        page.locator(".lsr-tile").first.wait_for(timeout=TIMEOUT_MS)
        tile = page.locator(".lsr-tile", has_text="Emergency admissions 65+").first
        assert "2017/18 Q4" in tile.inner_text()
        assert "Synthetic data" in tile.inner_text()
        assert page.locator(".lsr-tile-missing", has_text="not available").count() > 0
        settle(page)

    def test_sparklines_are_drawn_images_with_a_description(self, page):
        page.goto(f"/area/{COVENTRY}")
        page.locator(".lsr-sparkline-image").first.wait_for(timeout=TIMEOUT_MS)
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('.lsr-sparkline-image')].map(img => ({"
            "loaded: img.complete && img.naturalWidth > 0, width: img.clientWidth, alt: img.alt}))"
        )
        assert len(drawn) == page.locator(".lsr-sparkline").count() >= 3  # one per tile with data
        assert all(image["loaded"] and image["width"] > 100 for image in drawn)
        assert all(image["alt"].startswith("Trend of ") for image in drawn)
        assert page.locator(".lsr-tile .js-plotly-plot").count() == 0  # no graph per tile
        settle(page)

    def test_method_is_kept_in_the_url_and_restored_from_it(self, page):
        page.goto(f"/area/{COVENTRY}")
        page.locator("#profile-method").select_option("oflog-nn")
        page.wait_for_url(re.compile(r"method=oflog-nn"), timeout=TIMEOUT_MS)
        settle(page)
        page.reload()
        page.locator("#area-heading").wait_for(timeout=TIMEOUT_MS)
        assert page.locator("#profile-method").input_value() == "oflog-nn"
        settle(page)

    def test_invalid_area_falls_back_with_a_dismissible_notice(self, page, artifacts):
        page.goto("/area/NOWHERE?method=tea-leaves")
        notice = page.locator(".lsr-notice")
        notice.wait_for(timeout=TIMEOUT_MS)
        assert "No council matches area “NOWHERE”" in notice.inner_text()
        assert "Coventry" in page.locator("#area-heading").inner_text()
        settle(page)
        page.screenshot(path=artifacts / "area-profile-notice.png")
        notice.locator(".btn-close").click()
        notice.wait_for(state="detached", timeout=TIMEOUT_MS)


class TestMetricExplorer:
    def test_chart_renders_with_its_traces_and_synthetic_badge(self, page, artifacts):
        page.goto(f"/metric/ascof_2b1?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot .scatterlayer").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        names = [trace["name"] for trace in plotted_traces(page)]
        assert {"Coventry", "Comparator mean", "England"} <= set(names)
        assert page.locator(".lsr-chart-card .lsr-synthetic-badge").is_visible()
        page.screenshot(path=artifacts / "metric-explorer.png", full_page=True)

    def test_download_is_the_plotted_rows_with_metadata(self, page, tmp_path):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&from=2017/18%20Q1")
        page.locator("#explorer-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.click("#explorer-download-button")
        path = tmp_path / "download.csv"
        download.value.save_as(path)
        lines = path.read_text().splitlines()
        metadata = [line for line in lines if line.startswith("#")]
        assert (
            metadata[0] == "# title: Emergency admissions 65+ — Coventry vs comparators vs England"
        )
        assert "# comparator method: default" in metadata
        assert "# synthetic data: yes (demo values, not real figures)" in metadata
        assert any(line.startswith("# source: Hospital Episode Statistics") for line in metadata)
        rows = [line for line in lines if not line.startswith("#")]
        assert rows[0].startswith("period_label,period_start,area_value")
        assert [row.split(",")[0] for row in rows[1:]] == [
            "2017/18 Q1",
            "2017/18 Q2",
            "2017/18 Q3",
            "2017/18 Q4",
        ]
        plotted = plotted_traces(page)[-1]["x"]
        assert plotted == [row.split(",")[0] for row in rows[1:]]

    def test_period_range_goes_into_the_url_and_back(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        page.locator("#explorer-from").select_option(label="2017/18 Q2")
        page.wait_for_url(re.compile(r"from="), timeout=TIMEOUT_MS)
        assert "from=2017/18 Q2" in unquote(page.url)
        page.wait_for_function(
            "() => document.querySelector('#explorer-graph .js-plotly-plot')"
            "?.data?.at(-1)?.x?.length === 3",
            timeout=TIMEOUT_MS,
        )
        settle(page)
        page.reload()
        page.locator("#explorer-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        assert page.locator("#explorer-from").input_value() == "2017-07-01"
        settle(page)

    def test_changing_the_area_in_the_explorer(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        choose_in_dropdown(page, "explorer-area", "Halton")
        page.wait_for_url(re.compile(rf"area={HALTON}"), timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => document.querySelector('#explorer-graph .js-plotly-plot')"
            "?.data?.some(t => t.name === 'Halton')",
            timeout=TIMEOUT_MS,
        )
        assert "suppressed (small numbers)" in page.locator(".lsr-chart-footer").inner_text()
        settle(page)

    def test_invalid_metric_and_area_fall_back_with_a_notice(self, page):
        page.goto("/metric/not_a_metric?area=Atlantis&period=aeon")
        notice = page.locator(".lsr-notice")
        notice.wait_for(timeout=TIMEOUT_MS)
        text = notice.inner_text()
        assert "No metric “not_a_metric”" in text and "Atlantis" in text
        page.locator("#explorer-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
        settle(page)


class TestPageBundles:
    """Pages without the grid are served without AG Grid's bundle; reaching Select areas from
    them, by its link or by an in-page URL change, still draws the grid, with no errors."""

    def test_the_brand_link_opens_select_areas_with_its_grid(self, page):
        page.goto("/methods")
        page.wait_for_selector("main h1")
        assert page.evaluate("() => window.dash_ag_grid === undefined")
        page.click("a.lsr-brand")
        page.wait_for_selector(".ag-root")
        assert page.evaluate("() => window.dash_ag_grid !== undefined")

    def test_an_in_page_change_to_select_areas_becomes_a_full_page_load(self, page):
        page.goto("/methods")
        page.wait_for_selector("main h1")
        page.evaluate(
            "() => { window.history.pushState({}, '', '/?sort=name');"
            " window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }"
        )
        page.wait_for_selector(".ag-root")
        assert page.url.endswith("/?sort=name")
        assert page.evaluate("() => window.dash_ag_grid !== undefined")
