"""Family charts as a reader sees them, on the richer browser data: the area's points carry
their 95 % interval bars, quarterly axes tick once per financial year (at Q1, April) and the
two ratings charts colour each CQC rating the same. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import pytest

from dashboard import theme
from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]


def open_family(page, path: str) -> None:
    page.goto(f"{path}?area={COVENTRY}")
    page.locator(".lsr-family-card .js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


def test_area_points_carry_interval_bars(rich_page, artifacts):
    open_family(rich_page, "/dtoc")
    card = rich_page.locator("#card-dtoc-rate")
    bars = card.locator(".scatterlayer .errorbar")
    bars.first.wait_for(timeout=TIMEOUT_MS)
    drawn = rich_page.evaluate(
        "() => document.querySelector('#card-dtoc-rate .js-plotly-plot').data"
        ".filter(t => t.error_y && t.error_y.array).map(t => t.name)"
    )
    assert drawn == ["Published data"]  # the fixture's DTOC months are all published
    assert bars.count() >= 12  # one per plotted month
    card.screenshot(path=artifacts / "family-interval-bars.png")


def test_quarterly_axes_tick_at_financial_year_starts(rich_page, artifacts):
    rich_page.goto(f"/dtoc?area={COVENTRY}&period=quarter")
    card = rich_page.locator("#card-dtoc-rate")
    card.locator(".js-plotly-plot g.xtick text").first.wait_for(timeout=TIMEOUT_MS)
    settle(rich_page)
    ticks = card.locator("g.xtick text").all_text_contents()
    assert ticks == ["2016/17", "2017/18"]  # at 2016/17 Q1 and 2017/18 Q1 (April)
    plotted = rich_page.evaluate(
        "() => document.querySelector('#card-dtoc-rate .js-plotly-plot').data[0].x"
    )
    assert plotted[0] == "2016/17 Q1" and len(plotted) == 8
    card.screenshot(path=artifacts / "family-quarter-ticks.png")


def test_both_ratings_charts_use_one_palette(rich_page, artifacts):
    open_family(rich_page, "/ratings")
    trend = rich_page.locator("#card-rating-trend .js-plotly-plot .main-svg")
    trend.first.wait_for(timeout=TIMEOUT_MS)
    colours = rich_page.evaluate(
        """() => Object.fromEntries(['rating-mix', 'rating-trend'].map(key => {
            const gd = document.querySelector(`#card-${key} .js-plotly-plot`);
            return [key, Object.fromEntries(gd.data.map(t => [
                t.name, (t.marker && t.marker.color) || t.fillcolor]))];
        }))"""
    )
    assert colours["rating-mix"] == theme.RATING_COLOURS
    assert colours["rating-trend"] == theme.RATING_COLOURS
    rich_page.screenshot(path=artifacts / "ratings-palette.png", full_page=True)
