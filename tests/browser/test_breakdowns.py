"""A breakdown on show is named wherever a chart names itself: every explorer view's chart
titles, the CSV's header and file name, the exported image's title and file name; a family
chart split by a breakdown names it in its CSV. Against a server over the family fixture,
which has breakdown rows (emergency admissions 65+ by admission source)."""

from __future__ import annotations

import pytest

from tests.browser.support import TIMEOUT_MS, VIEWPORT, opened_context, settle, watched_page
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]
CARE_HOME = "Admission source: Care home"
IN_FILE_NAME = "admission-source-care-home"
EXPLORER = f"/metric/ea65_rate?area={COVENTRY}&breakdown=admission_source:care_home"


@pytest.fixture(scope="module")
def breakdown_context(browser, breakdown_server):
    with opened_context(
        browser, breakdown_server, accept_downloads=True, viewport=VIEWPORT
    ) as context:
        yield context


@pytest.fixture()
def page(breakdown_context, problems):
    with watched_page(breakdown_context, problems) as page:
        yield page


def open_view(page, view: str) -> None:
    page.goto(f"{EXPLORER}&view={view}")
    page.locator(".lsr-chart-card").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


def chart_titles(page) -> list[str]:
    return page.locator(".lsr-chart-card [id$='-title']").all_inner_texts()


def download(page, click) -> tuple[str, str]:
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        click()
    path = download.value.path()
    return download.value.suggested_filename, open(path, encoding="utf-8").read()


@pytest.mark.parametrize(
    ("view", "charts"), [("trend", 1), ("spc", 1), ("ranking", 2), ("reviewed", 1)]
)
def test_every_explorer_chart_title_names_the_breakdown(page, view, charts):
    open_view(page, view)
    titles = chart_titles(page)
    assert len(titles) == charts
    assert all(CARE_HOME in title for title in titles), titles
    plotted = page.evaluate(
        "() => [...document.querySelectorAll('.lsr-chart-card .js-plotly-plot')]"
        ".map(g => JSON.stringify(g.layout.title || '') + JSON.stringify(g.layout.annotations))"
    )
    assert all(CARE_HOME in figure for figure in plotted)  # baked into the figure too


def test_ranking_csv_and_image_files_name_the_breakdown(page):
    open_view(page, "ranking")
    card = page.locator(".lsr-chart-card").filter(has=page.locator("#explorer-ranking-graph"))

    name, content = download(page, lambda: card.get_by_role("button", name="Download data").click())
    assert IN_FILE_NAME in name and name.endswith(".csv")
    assert f"# breakdown: {CARE_HOME}" in content.splitlines()
    assert content.startswith(f"# title: Emergency admissions 65+ ({CARE_HOME})")

    card.get_by_role("button", name="Download image").click()
    name, svg = download(page, lambda: card.locator(".lsr-export-svg").click())
    assert IN_FILE_NAME in name and name.endswith(".svg")
    assert CARE_HOME in svg


def test_family_chart_csv_names_its_breakdown(page):
    page.goto(f"/hospital?area={COVENTRY}")
    card = page.locator("#card-ea65-source")
    card.locator(".js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    name, content = download(page, lambda: card.get_by_role("button", name="Download data").click())
    assert name == "hospital-ea65-source-by-admission-source-coventry.csv"
    assert "# breakdown: Admission source: Own home, Care home" in content.splitlines()
