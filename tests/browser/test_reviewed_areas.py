"""The reviewed areas in the explorer, in a real browser: ringed with a legend entry on the
ranking and the funnel, a "Reviewed areas only" switch kept in the URL, and each of the
small-multiples panels naming its latest value and verdict. The fixture's reviewed councils
are Halton and Coventry."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS, NAMES

pytestmark = pytest.mark.browser

OTHER = COUNCILS[5]  # not reviewed
RANKING = f"/metric/ea65_rate?area={OTHER}&view=ranking"
GRAPHS = ("#explorer-ranking-graph", "#explorer-funnel-graph")

# Councils plotted on a graph: every point of every trace but England's and the limits',
# named by the hover data (the ring traces have none and are counted apart).
PLOTTED = """(selector) => {
  const graph = document.querySelector(selector + ' .js-plotly-plot');
  const named = graph.data.filter(t => t.customdata && t.mode.includes('markers'));
  const rings = graph.data.filter(t => t.name === 'Reviewed areas');
  return {
    names: [...new Set(named.flatMap(t => t.customdata.map(row => row[0])))].sort(),
    rings: rings.length ? rings[0].x.length : 0,
  };
}"""


def svg_texts(locator) -> list[str]:
    """Text of SVG elements (which have no innerText)."""
    return locator.evaluate_all("nodes => nodes.map(node => node.textContent)")


def open_ranking(page, url: str) -> None:
    page.goto(url)
    for graph in GRAPHS:
        page.locator(f"{graph} .js-plotly-plot .scatterlayer").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def test_ranking_and_funnel_ring_the_reviewed_areas_with_a_legend_entry(page, artifacts):
    open_ranking(page, RANKING)
    for graph in GRAPHS:
        legend = svg_texts(page.locator(f"{graph} .legendtext"))
        assert "Reviewed areas" in legend
        plotted = page.evaluate(PLOTTED, graph)
        assert plotted["rings"] == 2 and len(plotted["names"]) > 3
    page.screenshot(path=artifacts / "explorer-ranking-reviewed.png", full_page=True)


def test_reviewed_only_switch_filters_both_charts_and_is_kept_in_the_url(page, artifacts):
    open_ranking(page, RANKING)
    page.get_by_label("Reviewed areas only").check()
    page.wait_for_url(re.compile(r"reviewed=1"), timeout=TIMEOUT_MS)
    page.locator("#explorer-ranking-graph-title", has_text="reviewed areas ranked").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    settle(page)
    shown = sorted(NAMES[code] for code in (COUNCILS[0], COUNCILS[1], OTHER))
    for graph in GRAPHS:
        plotted = page.evaluate(PLOTTED, graph)
        assert plotted["names"] == shown and plotted["rings"] == 2
    assert "of 20 councils" in page.locator(".lsr-explorer-summary").inner_text()
    page.screenshot(path=artifacts / "explorer-ranking-reviewed-only.png", full_page=True)

    page.reload()  # the address alone restores it
    page.locator("#explorer-ranking-graph .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    assert page.get_by_label("Reviewed areas only").is_checked()
    assert page.evaluate(PLOTTED, GRAPHS[0])["names"] == shown

    page.get_by_label("Reviewed areas only").uncheck()
    page.wait_for_url(lambda url: "reviewed=" not in url, timeout=TIMEOUT_MS)
    page.locator("#explorer-ranking-graph-title", has_text="all councils ranked").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    settle(page)
    assert len(page.evaluate(PLOTTED, GRAPHS[0])["names"]) > 3


def test_each_small_multiple_shows_its_latest_value_and_verdict(page, artifacts):
    page.goto(f"/metric/ea65_rate?area={COUNCILS[1]}&view=reviewed")
    graph = page.locator("#explorer-reviewed-graph .js-plotly-plot")
    graph.locator(".scatterlayer").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    titles = page.evaluate(
        "() => document.querySelector('#explorer-reviewed-graph .js-plotly-plot')"
        ".layout.annotations.filter(a => a.yanchor === 'bottom').map(a => a.text)"
    )
    assert len(titles) == 2
    verdict = re.compile(r"[\d,.]+ · (better than|worse than|similar to|not compared with) England")
    assert all(verdict.search(title) for title in titles), titles
    drawn = svg_texts(graph.locator(".annotation-text"))  # drawn, not only in the data
    assert sum(bool(verdict.search(text)) for text in drawn) == 2
    page.screenshot(path=artifacts / "explorer-reviewed-panels.png", full_page=True)
