"""The Share link on every page: after a choice made with the page's own controls, the
button hands over the page's address (clipboard, or a field to copy by hand), and opening
that address in a fresh tab shows the same view."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import (
    TIMEOUT_MS,
    VIEWPORT,
    choose_in_dropdown,
    opened_context,
    settle,
    watched_page,
)
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
# path -> (dropdown to change, option to pick, what the URL then holds), or None: no control
PAGES = {
    "/?reviewed=1": None,
    f"/area/{HALTON}": ("profile-area", "Coventry", rf"/area/{COVENTRY}"),
    f"/metric/ea65_rate?area={HALTON}&view=ranking": (
        "explorer-area",
        "Coventry",
        rf"area={COVENTRY}",
    ),
    f"/hospital?area={HALTON}": ("family-area", "Coventry", rf"area={COVENTRY}"),
    f"/dtoc?area={HALTON}&method=oflog-nn": ("family-area", "Coventry", rf"area={COVENTRY}"),
    f"/social-care?area={HALTON}": ("family-area", "Coventry", rf"area={COVENTRY}"),
    f"/chc?area={COVENTRY}": ("family-area", "Halton", rf"area={HALTON}"),
    f"/ratings?area={COVENTRY}": ("family-area", "Halton", rf"area={HALTON}"),
    "/methods#metric-ea65_rate": None,
}

# The page's words, headings, notices and control values, without the Share widget itself
# (its status changes on click) and without the drawn charts (their titles are in headings).
FINGERPRINT = """() => {
  const main = document.querySelector('#main-content').cloneNode(true);
  main.querySelectorAll('.lsr-share, .js-plotly-plot').forEach(node => node.remove());
  const live = [...document.querySelectorAll('#main-content input, #main-content select')];
  const values = live.map(c => c.type === 'checkbox' || c.type === 'radio'
    ? String(c.checked) : c.value);
  return main.textContent.replace(/\\s+/g, ' ').trim() + ' || ' + values.join('|');
}"""


@pytest.fixture(scope="module")
def sharing(browser, live_server):
    """A context that may use the clipboard, as a user's browser on a secure origin does."""
    with opened_context(
        browser,
        live_server,
        permissions=["clipboard-read", "clipboard-write"],
        viewport=VIEWPORT,
    ) as context:
        yield context


@pytest.fixture()
def share_page(sharing, problems):
    with watched_page(sharing, problems) as page:
        yield page


def shared_link(page) -> str:
    """Click the page's one Share link and return the address it handed over."""
    buttons = page.get_by_role("button", name="Share link")
    assert buttons.count() == 1
    buttons.click()
    status = page.locator(".lsr-share-status")
    status.filter(has_text="ink").wait_for(timeout=TIMEOUT_MS)
    if "copied" in status.inner_text():
        return page.evaluate("() => navigator.clipboard.readText()")
    field = page.locator(".lsr-share-field input")
    assert field.is_visible()
    return field.input_value()


def difference(before: str, after: str) -> str:
    """Where two fingerprints part, with some words either side."""
    pairs = enumerate(zip(before, after, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(before), len(after)))
    at = max(at, 80)
    return f"shared: …{before[at - 80 : at + 120]}…\nopened: …{after[at - 80 : at + 120]}…"


@pytest.mark.parametrize("path", list(PAGES))
def test_share_link_reproduces_the_view(share_page, sharing, path):
    page = share_page
    page.goto(path)
    page.locator("#main-content h1").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    change = PAGES[path]
    if change is not None:  # a choice made on the page, not typed into the address
        dropdown, option, in_url = change
        choose_in_dropdown(page, dropdown, option)
        page.wait_for_url(re.compile(in_url), timeout=TIMEOUT_MS)
        heading = page.locator("#main-content :is(h1, h2)", has_text=option).first
        heading.wait_for(state="attached", timeout=TIMEOUT_MS)  # the page is redrawn
        settle(page)
    shown = page.evaluate(FINGERPRINT)

    link = shared_link(page)

    assert link == page.url
    fresh = sharing.new_page()
    try:
        fresh.goto(link)
        fresh.locator("#main-content h1").first.wait_for(timeout=TIMEOUT_MS)
        settle(fresh)
        assert fresh.url == link
        reopened = fresh.evaluate(FINGERPRINT)
        assert reopened == shown, difference(shown, reopened)
    finally:
        fresh.close()
