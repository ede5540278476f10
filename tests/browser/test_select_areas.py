"""Select areas in a real browser against the real server: sorting, ticking a shortlist into
the URL and back, the scatter axis in the URL, the CSV of the rows shown, URL fallbacks.
Screenshot: tests/artifacts/select-areas.png."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS, NAMES

pytestmark = pytest.mark.browser

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
PINNED = ".lsr-select-grid .ag-center-cols-container"


def wait_for_grid(page) -> None:
    page.locator(f"{PINNED} .ag-row").first.wait_for(timeout=TIMEOUT_MS)
    page.locator("#select-scatter .js-plotly-plot").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def tick(page, code: str) -> None:
    page.locator(f'{PINNED} [row-id="{code}"] input.ag-checkbox-input').click()


def shortlist_in(url: str) -> list[str]:
    values = parse_qs(urlsplit(url).query).get("shortlist", [""])
    return [code for code in values[0].split(",") if code]


def first_council(page) -> str:
    return page.locator(f'{PINNED} .ag-row[row-index="0"] [col-id="name_link"]').inner_text()


class TestSelectAreas:
    def test_sort_tick_reload_and_change_the_scatter(self, page, artifacts):
        page.goto("/")
        wait_for_grid(page)

        # Sorting by council name puts the alphabetically first council on top
        page.locator('.ag-header-cell[col-id="name_link"] .ag-header-cell-label').click()
        page.wait_for_function(
            "() => document.querySelector('.ag-header-cell[col-id=\"name_link\"]')"
            ".getAttribute('aria-sort') === 'ascending'",
            timeout=TIMEOUT_MS,
        )
        assert first_council(page).strip() == sorted(NAMES[c] for c in COUNCILS)[0]

        # Ticking two councils puts both in the URL and in the chips, keeping the sort
        tick(page, HALTON)
        page.wait_for_url(re.compile(rf"shortlist={HALTON}"), timeout=TIMEOUT_MS)
        tick(page, COVENTRY)
        page.wait_for_url(re.compile(rf"shortlist={HALTON},{COVENTRY}"), timeout=TIMEOUT_MS)
        settle(page)
        chips = page.locator("#select-shortlist-chips")
        assert "Halton" in chips.inner_text() and "Coventry" in chips.inner_text()
        assert first_council(page).strip() == sorted(NAMES[c] for c in COUNCILS)[0]
        shortlist_trace = page.evaluate(
            "() => document.querySelector('#select-scatter .js-plotly-plot').data"
            ".filter(t => t.name === 'Shortlisted').map(t => t.text)[0]"
        )
        assert sorted(shortlist_trace) == ["Coventry", "Halton"]

        # Reloading the address restores the shortlist
        page.reload()
        wait_for_grid(page)
        assert shortlist_in(page.url) == [HALTON, COVENTRY]
        assert page.locator(f"{PINNED} .ag-row-selected").count() == 2
        assert "Coventry" in page.locator("#select-shortlist-chips").inner_text()
        page.screenshot(path=artifacts / "select-areas.png", full_page=True)

        # Another scatter x axis goes into the URL; the shortlist stays
        page.locator("#select-x").select_option("ea65_rate")
        page.wait_for_url(re.compile(r"x=ea65_rate"), timeout=TIMEOUT_MS)
        wait_for_grid(page)
        assert shortlist_in(page.url) == [HALTON, COVENTRY]
        title = page.evaluate(
            "() => document.querySelector('#select-scatter .js-plotly-plot').layout.title.text"
        )
        assert "Emergency admissions 65+" in title

    def test_grid_sort_goes_into_the_url_and_back(self, page):
        page.goto("/")
        wait_for_grid(page)
        header = page.locator('.ag-header-cell[col-id="name_link"] .ag-header-cell-label')
        header.click()
        page.wait_for_url(re.compile(r"sort=council$"), timeout=TIMEOUT_MS)
        header.click()
        page.wait_for_url(re.compile(r"sort=-council$"), timeout=TIMEOUT_MS)
        settle(page)
        last = sorted(NAMES[c] for c in COUNCILS)[-1]
        assert first_council(page).strip() == last

        page.reload()
        wait_for_grid(page)
        assert page.url.endswith("/?sort=-council")
        sort = page.locator('.ag-header-cell[col-id="name_link"]').get_attribute("aria-sort")
        assert sort == "descending"
        assert first_council(page).strip() == last
        rank = page.locator('.ag-header-cell[col-id="composite_rank"]').get_attribute("aria-sort")
        assert rank in (None, "none")

    def test_download_is_the_rows_shown_with_metadata(self, page, tmp_path):
        page.goto(f"/?shortlist={COVENTRY}&weights=dtoc_rate:2")
        wait_for_grid(page)
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            f"'{PINNED} .ag-row')).sort((a, b) => a.getAttribute('row-index') - "
            "b.getAttribute('row-index')).map(row => row.getAttribute('row-id'))"
        )
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.click("#select-table-download-button")
        path = tmp_path / "table.csv"
        download.value.save_as(path)
        lines = path.read_text().splitlines()
        metadata = [line for line in lines if line.startswith("#")]
        rows = [line for line in lines if not line.startswith("#")]
        assert metadata[0] == "# title: Councils ranked on the interface metrics, 2017/18"
        assert any(line.startswith("# period: financial year 2017/18") for line in metadata)
        assert any("dtoc_rate 2" in line for line in metadata if line.startswith("# weights"))
        assert f"# shortlist: {COVENTRY}" in metadata
        assert any(line.startswith("# synthetic data: yes") for line in metadata)
        assert rows[0].startswith("area_code,name,region,la_type,reviewed,shortlisted")
        codes = [row.split(",")[0] for row in rows[1:]]
        assert len(codes) == len(COUNCILS)
        assert codes[: len(shown)] == [code for code in shown if code in COUNCILS]
        settle(page)

    def test_filters_live_in_the_url(self, page):
        page.goto("/")
        wait_for_grid(page)
        page.locator("#select-reviewed").check()
        page.wait_for_url(re.compile(r"reviewed=1"), timeout=TIMEOUT_MS)
        wait_for_grid(page)
        assert page.locator(f"{PINNED} .ag-row").count() == 2
        settle(page)

    def test_bad_parameters_fall_back_with_a_notice(self, page):
        page.goto("/?period=1066&x=tea&shortlist=Atlantis")
        notice = page.locator(".lsr-notice")
        notice.wait_for(timeout=TIMEOUT_MS)
        text = notice.inner_text()
        assert "1066" in text and "tea" in text and "Atlantis" in text
        wait_for_grid(page)
