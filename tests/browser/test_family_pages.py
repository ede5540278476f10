"""The five family pages and the service navigation in a real browser against the real
server on the fixture data: area changes go into the URL, charts render or say why not, the
CSV download is the plotted rows, and nothing errors. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS, choose_in_dropdown, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
PAGES = {  # path -> (artifact name, what the fixture lets the page draw)
    "/hospital": ("hospital", "message"),
    "/dtoc": ("dtoc", "chart"),
    "/social-care": ("social-care", "chart"),
    "/chc": ("chc", "message"),
    "/ratings": ("ratings", "message"),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_changing_the_area_updates_url_heading_and_charts(page, artifacts, path):
    name, expected = PAGES[path]
    page.goto(f"{path}?area={HALTON}")
    heading = page.locator("#family-heading")
    heading.filter(has_text="Halton").wait_for(timeout=TIMEOUT_MS)
    settle(page)

    choose_in_dropdown(page, "family-area", "Coventry")

    page.wait_for_url(re.compile(rf"{path}\?area={COVENTRY}&method=default"), timeout=TIMEOUT_MS)
    heading.filter(has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    if expected == "chart":
        page.locator(".lsr-family-card .js-plotly-plot .scatterlayer").first.wait_for(
            timeout=TIMEOUT_MS
        )
    messages = page.locator(".lsr-family-card .lsr-empty-message")
    assert messages.count() > 0 or expected == "chart"
    if messages.count():
        assert "not available in the published data" in messages.first.inner_text().lower()
    current = page.locator(".lsr-service-nav [aria-current='page']")
    assert current.count() == 1
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)


def test_navigation_carries_the_area_and_marks_the_current_page(page):
    page.goto(f"/dtoc?area={COVENTRY}&method=oflog-nn")
    page.locator("#family-heading", has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    links = page.locator(".lsr-service-nav a")
    assert links.count() == 9
    assert page.locator(".lsr-service-nav [aria-current='page']").inner_text() == (
        "Delayed transfers"
    )
    page.get_by_role("link", name="Social care", exact=True).click()
    page.wait_for_url(re.compile(rf"/social-care\?area={COVENTRY}&method=oflog-nn"))
    page.locator("#family-heading", has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
    assert page.locator("#family-method").input_value() == "oflog-nn"
    settle(page)
    page.get_by_role("link", name="Area profile", exact=True).click()
    page.wait_for_url(re.compile(rf"/area/{COVENTRY}\?method=oflog-nn"))
    page.locator("#area-heading", has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def test_the_navigation_fits_one_row_at_1280(page):
    page.goto("/chc")
    page.locator(".lsr-service-nav a").first.wait_for(timeout=TIMEOUT_MS)
    tops = page.evaluate(
        "() => new Set([...document.querySelectorAll('.lsr-service-nav-item')]"
        ".map(item => Math.round(item.getBoundingClientRect().top))).size"
    )
    assert tops == 1
    settle(page)


def test_download_is_the_plotted_rows_with_metadata(page, tmp_path):
    page.goto(f"/dtoc?area={COVENTRY}&from=Apr%202017")
    card = page.locator("#card-dtoc-rate")
    card.locator(".js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        card.get_by_role("button", name="Download data (CSV)").click()
    path = tmp_path / "download.csv"
    download.value.save_as(path)
    lines = path.read_text().splitlines()
    metadata = [line for line in lines if line.startswith("#")]
    assert metadata[0] == "# title: Delayed days per day — Coventry vs comparators vs England"
    assert "# synthetic data: no" in metadata
    rows = [line for line in lines if not line.startswith("#")]
    assert rows[0].startswith("panel,breakdown_value,period_label")
    labels = [row.split(",")[2] for row in rows[1:]]
    assert labels[0] == "Apr 2017" and len(labels) == 12
    plotted = page.evaluate(
        "() => document.querySelector('#card-dtoc-rate .js-plotly-plot').data[0].x"
    )
    assert plotted == labels


def test_rates_or_shares_toggle_goes_into_the_url(page):
    page.goto(f"/hospital?area={COVENTRY}")
    page.locator("#family-heading", has_text="Coventry").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    page.get_by_label("Shares (% of total)").check()
    page.wait_for_url(re.compile(r"show=shares"), timeout=TIMEOUT_MS)
    settle(page)
    page.reload()
    page.locator("#family-heading").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_label("Shares (% of total)").is_checked()
    settle(page)


class TestPeriodTypeSwitch:
    def test_monthly_to_quarterly_keeps_the_range_as_containing_quarters(self, rich_page):
        """As in the explorer: the range is carried as the quarters that contain it."""
        graph = "#family-graph-dtoc-rate .js-plotly-plot"
        rich_page.goto(f"/dtoc?area={COVENTRY}&period=month&from=Jun%202016&to=Feb%202017")
        rich_page.locator(f"{graph} .main-svg").first.wait_for(timeout=TIMEOUT_MS)
        settle(rich_page)
        assert rich_page.locator("#family-period-type").input_value() == "month"
        rich_page.locator("#family-period-type").select_option("quarter")
        rich_page.wait_for_url(re.compile(r"period=quarter"), timeout=TIMEOUT_MS)
        assert "from=2016/17%20Q1&to=2016/17%20Q4" in rich_page.url
        rich_page.wait_for_function(
            f"() => document.querySelector('{graph}')?.data?.at(-1)?.x?.join()"
            " === '2016/17 Q1,2016/17 Q2,2016/17 Q3,2016/17 Q4'",
            timeout=TIMEOUT_MS,
        )
        assert rich_page.locator("#family-from").input_value() == "2016-04-01"
        assert rich_page.locator("#family-to").input_value() == "2017-01-01"
        settle(rich_page)
