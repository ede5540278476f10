"""Keyboard use in a real browser: focus stays on the explorer control the user changed while
the page is drawn again from the URL, letters typed in an open searchable dropdown filter it,
and Tab leaves the Select areas grid (a skip link jumps past it; arrow keys still move between
its cells)."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]
VIEW_INPUT = "_dbcprivate_radioitems_explorer-view_input_{}"
DOWNLOAD_TABLE = "select-table-download-button"
GRID_CELLS = ".lsr-select-grid .ag-center-cols-container"
MAX_TABS_PAST_GRID = 12


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: (document.activeElement.innerText || '').trim().slice(0, 60),"
        " inGrid: !!document.activeElement.closest('.lsr-select-grid'),"
        " colId: document.activeElement.getAttribute('col-id')})"
    )


def wait_for_redraw(page, old_marker: str) -> None:
    """Wait until the page body was replaced (the marked element has left the document)."""
    page.wait_for_function(
        f"() => !document.querySelector('[data-test-marker=\"{old_marker}\"]')",
        timeout=TIMEOUT_MS,
    )
    settle(page)


def mark_controls(page, marker: str) -> None:
    page.evaluate(
        f"() => document.querySelector('.lsr-view-switch').setAttribute('data-test-marker',"
        f" '{marker}')"
    )


def open_and_type(page, dropdown_id: str, text: str) -> None:
    """Open a searchable dropdown with Enter and type ``text`` as a keyboard user does: no
    focusing of the search box by hand. Dash's dropdown moves focus to the selected option once
    its list is drawn; wait for that (the state the user types in), then type."""
    page.focus(f"#{dropdown_id}")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !!document.activeElement.closest('.dash-dropdown-content')", timeout=TIMEOUT_MS
    )
    page.keyboard.type(text)


def wait_until_first_option_is(page, text: str) -> None:
    page.wait_for_function(
        "text => { const first = document.querySelector('[role=option]');"
        " return !!first && first.innerText.trim() === text; }",
        arg=text,
        timeout=TIMEOUT_MS,
    )


class TestExplorerFocus:
    def test_arrow_keys_change_the_view_and_focus_stays_on_the_switch(self, page):
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot .main-svg").first.wait_for()
        settle(page)
        page.focus(f"#{VIEW_INPUT.format('trend')}")
        for view in ("spc", "ranking"):
            mark_controls(page, f"before-{view}")
            page.keyboard.press("ArrowRight")
            page.wait_for_url(re.compile(rf"view={view}"), timeout=TIMEOUT_MS)
            wait_for_redraw(page, f"before-{view}")
            page.wait_for_function(
                f"() => document.activeElement.id === '{VIEW_INPUT.format(view)}'",
                timeout=TIMEOUT_MS,
            )
            assert page.locator(f"#{VIEW_INPUT.format(view)}").is_checked()

    def test_typing_after_opening_the_area_dropdown_filters_its_list(self, page):
        """Letters typed on the option Dash focused when the list opened reach the search box
        (assets/dropdown-type-to-search.js); they were lost before."""
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot .main-svg").first.wait_for()
        settle(page)
        open_and_type(page, "explorer-area", "Halton")
        wait_until_first_option_is(page, "Halton")
        assert page.locator(".dash-dropdown-search").input_value() == "Halton"
        assert page.evaluate("() => document.activeElement.className") == "dash-dropdown-search"

    def test_choosing_an_area_with_the_keyboard_keeps_focus_on_the_dropdown(self, page):
        page.goto(f"/metric/dtoc_rate?area={COVENTRY}")
        page.locator("#explorer-graph .js-plotly-plot .main-svg").first.wait_for()
        settle(page)
        open_and_type(page, "explorer-area", "Halton")
        wait_until_first_option_is(page, "Halton")
        mark_controls(page, "before-area")
        page.keyboard.press("Enter")  # in the search box: picks the first option left
        page.wait_for_url(re.compile(rf"area={COUNCILS[0]}"), timeout=TIMEOUT_MS)
        wait_for_redraw(page, "before-area")
        page.wait_for_function(
            "() => document.activeElement.id === 'explorer-area'", timeout=TIMEOUT_MS
        )

    def test_choosing_a_funnel_limit_keeps_focus_on_the_select(self, page):
        page.goto(f"/metric/ea65_rate?area={COVENTRY}&view=ranking")
        page.locator("#explorer-funnel-graph .js-plotly-plot .main-svg").first.wait_for()
        settle(page)
        page.focus("#explorer-limits")
        mark_controls(page, "before-limits")
        page.keyboard.press("ArrowDown")  # a closed <select> changes value with the arrows
        page.wait_for_url(re.compile(r"limits="), timeout=TIMEOUT_MS)
        wait_for_redraw(page, "before-limits")
        page.wait_for_function(
            "() => document.activeElement.id === 'explorer-limits'", timeout=TIMEOUT_MS
        )


def wait_for_grid(page) -> None:
    page.locator(f"{GRID_CELLS} .ag-row").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


class TestSelectAreasGridKeyboard:
    def test_tab_leaves_the_grid_for_the_download_button(self, page):
        page.goto("/")
        wait_for_grid(page)
        page.locator(f'{GRID_CELLS} .ag-row[row-index="0"] [col-id="composite_score"]').click()
        assert focused(page)["inGrid"]
        for _ in range(MAX_TABS_PAST_GRID):
            page.keyboard.press("Tab")
            if not focused(page)["inGrid"]:
                break
        assert focused(page)["id"] == DOWNLOAD_TABLE, focused(page)

    def test_shift_tab_leaves_the_grid_backwards(self, page):
        page.goto("/")
        wait_for_grid(page)
        page.locator(f'{GRID_CELLS} .ag-row[row-index="3"] [col-id="composite_score"]').click()
        for _ in range(MAX_TABS_PAST_GRID):
            page.keyboard.press("Shift+Tab")
            if not focused(page)["inGrid"]:
                break
        now = focused(page)
        assert not now["inGrid"] and now["tag"] in {"A", "BUTTON", "INPUT"}, now

    def test_arrow_keys_still_move_between_cells(self, page):
        page.goto("/")
        wait_for_grid(page)
        page.locator(f'{GRID_CELLS} .ag-row[row-index="0"] [col-id="composite_score"]').click()
        page.keyboard.press("ArrowRight")
        assert focused(page)["colId"] != "composite_score" and focused(page)["inGrid"]
        page.keyboard.press("ArrowDown")
        row = page.evaluate(
            "() => document.activeElement.closest('.ag-row').getAttribute('row-index')"
        )
        assert row == "1"

    def test_skip_link_is_shown_on_focus_and_jumps_past_the_grid(self, page):
        page.goto("/")
        wait_for_grid(page)
        skip = page.get_by_role("link", name="Skip the table")
        skip.focus()
        box = skip.bounding_box()
        assert box and box["x"] >= 0 and box["width"] > 40 and box["height"] > 16, box  # shown
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.activeElement.id === '{DOWNLOAD_TABLE}'", timeout=TIMEOUT_MS
        )
        hidden = skip.bounding_box()
        assert hidden is None or hidden["x"] + hidden["width"] <= 0, hidden  # off screen again

    def test_tab_from_the_shortlist_reaches_the_skip_link_before_the_grid(self, page):
        page.goto("/")
        wait_for_grid(page)
        page.locator("#select-table-summary").click()  # a point in the page just above the grid
        tabs = 0
        while tabs < MAX_TABS_PAST_GRID and focused(page)["text"] != "Skip the table":
            page.keyboard.press("Tab")
            tabs += 1
        assert focused(page)["text"] == "Skip the table"
