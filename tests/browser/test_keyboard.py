"""Keyboard use in a real browser: focus stays on the explorer control the user changed while
the page is drawn again from the URL, and Tab leaves the Select areas grid (a skip link jumps
past it; arrow keys still move between its cells)."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]
VIEW_INPUT = "_dbcprivate_radioitems_explorer-view_input_{}"


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
