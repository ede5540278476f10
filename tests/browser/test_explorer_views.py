"""The explorer's four views in a real browser: switching through the UI writes the URL, each
view draws its charts, a chart's CSV downloads with its metadata, and bad view values fall
back with a notice. Screenshots land in tests/artifacts/explorer-<view>.png."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]
VIEWS = {  # view -> (label on the switch, graphs it draws)
    "spc": ("SPC (XmR)", ["explorer-spc-graph"]),
    "ranking": ("Ranking and funnel", ["explorer-ranking-graph", "explorer-funnel-graph"]),
    "reviewed": ("Reviewed areas", ["explorer-reviewed-graph"]),
    "trend": ("Trend", ["explorer-graph"]),
}


def trace_count(page, graph_id: str) -> int:
    return page.evaluate(
        f"() => document.querySelector('#{graph_id} .js-plotly-plot')?.data?.length ?? 0"
    )


def wait_for_graph(page, graph_id: str) -> None:
    page.locator(f"#{graph_id} .js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)


def switch_to(page, label: str) -> None:
    page.locator(".lsr-view-switch label", has_text=label).click()


class TestExplorerViews:
    def test_switching_views_through_the_ui(self, page, artifacts):
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}")
        wait_for_graph(page, "explorer-graph")
        settle(page)
        for view, (label, graphs) in VIEWS.items():
            switch_to(page, label)
            if view == "trend":
                page.wait_for_url(re.compile(r"^(?!.*view=)"), timeout=TIMEOUT_MS)
            else:
                page.wait_for_url(re.compile(rf"view={view}"), timeout=TIMEOUT_MS)
            for graph_id in graphs:
                wait_for_graph(page, graph_id)
                assert trace_count(page, graph_id) > 0
            settle(page)
            page.screenshot(path=artifacts / f"explorer-{view}.png", full_page=True)

    def test_trend_summary_states_the_verdicts_in_words(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}")
        summary = page.locator(".lsr-explorer-summary")
        summary.wait_for(timeout=TIMEOUT_MS)
        text = summary.inner_text()
        assert "Latest" in text and "95% CI" in text
        assert "England" in text and "comparators" in text
        assert page.locator(".lsr-explorer-summary .lsr-verdict").count() == 3
        settle(page)

    def test_spc_baseline_goes_into_the_url(self, page):
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}&view=spc")
        wait_for_graph(page, "explorer-spc-graph")
        settle(page)
        page.locator("#explorer-baseline").select_option("first12")
        page.wait_for_url(re.compile(r"baseline=first12"), timeout=TIMEOUT_MS)
        page.locator("#explorer-spc-graph", has_text="Limits from the first 12 periods").wait_for(
            timeout=TIMEOUT_MS
        )
        settle(page)

    def test_spc_rebase_and_screening_go_into_the_url(self, page):
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}&view=spc")
        wait_for_graph(page, "explorer-spc-graph")
        page.click("#explorer-rebase")
        page.fill(".dash-dropdown-search", "Apr 2017")
        page.locator(".dash-dropdown-option", has_text="Apr 2017").first.click()
        page.wait_for_url(re.compile(r"rebase=Apr%202017"), timeout=TIMEOUT_MS)
        wait_for_graph(page, "explorer-spc-graph")
        page.locator("#explorer-spc-graph", has_text="Rebased from Apr 2017").wait_for(
            timeout=TIMEOUT_MS
        )
        page.locator("label", has_text="Screen moving-range outliers").click()
        page.wait_for_url(re.compile(r"screen=on"), timeout=TIMEOUT_MS)
        page.locator("#explorer-spc-graph", has_text="outliers screened").wait_for(
            timeout=TIMEOUT_MS
        )
        icon = page.locator(".lsr-mdc-icon").first
        assert icon.get_attribute("alt").startswith("Variation: ")
        settle(page)

    def test_funnel_limits_go_into_the_url_and_the_chart_says_which(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&view=ranking")
        wait_for_graph(page, "explorer-funnel-graph")
        settle(page)
        page.locator("#explorer-limits").select_option("none")
        page.wait_for_url(re.compile(r"limits=none"), timeout=TIMEOUT_MS)
        page.locator("#explorer-funnel-graph", has_text="binomial / Poisson limits").wait_for(
            timeout=TIMEOUT_MS
        )
        card = page.locator(".lsr-chart-card", has=page.locator("#explorer-funnel-graph"))
        assert "this metric's default is additive" in card.inner_text()
        settle(page)

    def test_ranking_legend_clears_the_axis_title_and_the_label_stays_inside(self, page, artifacts):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&view=ranking")
        wait_for_graph(page, "explorer-ranking-graph")
        settle(page)
        chart = page.locator("#explorer-ranking-graph .js-plotly-plot")
        chart.screenshot(path=artifacts / "explorer-ranking-legend.png")
        boxes = page.evaluate(
            """() => {
              const gd = document.querySelector('#explorer-ranking-graph .js-plotly-plot');
              const box = (selector) => gd.querySelector(selector).getBoundingClientRect();
              const label = [...gd.querySelectorAll('.annotation')]
                .find((note) => / of \\d+\\)/.test(note.textContent));
              return {frame: box('.main-svg'), legend: box('.legend .bg'),
                      title: box('.g-xtitle'), label: label.getBoundingClientRect()};
            }"""
        )
        assert boxes["legend"]["top"] >= boxes["title"]["bottom"], "legend over the axis title"
        label, frame = boxes["label"], boxes["frame"]
        assert frame["left"] <= label["left"] and label["right"] <= frame["right"]

    def test_ranking_period_and_csv_download(self, page, tmp_path):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&view=ranking")
        wait_for_graph(page, "explorer-funnel-graph")
        settle(page)
        page.locator("#explorer-at").select_option(label="2016/17 Q2")
        page.wait_for_url(re.compile(r"at=2016/17%20Q2"), timeout=TIMEOUT_MS)
        page.locator(".lsr-explorer-summary", has_text="2016/17 Q2").wait_for(timeout=TIMEOUT_MS)
        wait_for_graph(page, "explorer-funnel-graph")
        settle(page)
        card = page.locator(".lsr-chart-card", has=page.locator("#explorer-funnel-graph"))
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            card.get_by_role("button", name="Download data (CSV)").click()
        path = tmp_path / "funnel.csv"
        download.value.save_as(path)
        lines = path.read_text().splitlines()
        metadata = [line for line in lines if line.startswith("#")]
        assert metadata[0].startswith("# title: Emergency admissions 65+ — funnel plot")
        assert "# period: 2016/17 Q2" in metadata
        assert "# synthetic data: yes (demo values, not real figures)" in metadata
        rows = [line for line in lines if not line.startswith("#")]
        assert rows[0].startswith("position,area_code,name,role")
        assert len(rows) == 1 + len(COUNCILS)
        settle(page)

    def test_annual_metric_explains_that_spc_needs_monthly_data(self, page):
        page.goto(f"/metric/ascof_2b1?area={COVENTRY}&view=spc")
        message = page.locator(".lsr-empty-message")
        message.wait_for(timeout=TIMEOUT_MS)
        assert "monthly or quarterly" in message.inner_text()
        settle(page)

    def test_bad_view_values_fall_back_with_a_notice(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&view=pie&at=never")
        notice = page.locator(".lsr-notice")
        notice.wait_for(timeout=TIMEOUT_MS)
        assert "Unknown view “pie”" in notice.inner_text()
        wait_for_graph(page, "explorer-graph")
        settle(page)


class TestPeriodTypeSwitch:
    def test_monthly_to_quarterly_keeps_the_range_as_containing_quarters(self, rich_page):
        rich_page.goto(f"/metric/dtoc_rate?area={COVENTRY}&from=Jun%202016&to=Feb%202017")
        wait_for_graph(rich_page, "explorer-graph")
        settle(rich_page)
        assert rich_page.locator("#explorer-period-type").input_value() == "month"
        rich_page.locator("#explorer-period-type").select_option("quarter")
        rich_page.wait_for_url(re.compile(r"period=quarter"), timeout=TIMEOUT_MS)
        assert "from=2016/17%20Q1&to=2016/17%20Q4" in rich_page.url
        rich_page.wait_for_function(
            "() => document.querySelector('#explorer-graph .js-plotly-plot')"
            "?.data?.at(-1)?.x?.join() === '2016/17 Q1,2016/17 Q2,2016/17 Q3,2016/17 Q4'",
            timeout=TIMEOUT_MS,
        )
        assert rich_page.locator("#explorer-from").input_value() == "2016-04-01"
        assert rich_page.locator("#explorer-to").input_value() == "2017-01-01"
        settle(rich_page)
