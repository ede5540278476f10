"""Helpers every browser test shares: one timeout, watched pages, waiting for Dash to settle,
dropdowns."""

from __future__ import annotations

import contextlib

import pytest

# Generous: CI machines have 2 cores and Chromium shares them with the server under test.
TIMEOUT_MS = 45_000
VIEWPORT = {"width": 1280, "height": 900}


def settle(page) -> None:
    """Wait until Dash has no callback in flight."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=TIMEOUT_MS
    )


def choose_in_dropdown(page, dropdown_id: str, text: str) -> None:
    """Open a dcc.Dropdown, search for ``text`` and pick the matching option."""
    page.click(f"#{dropdown_id}")
    page.fill(".dash-dropdown-search", text)
    page.get_by_role("option", name=text, exact=True).click()


@contextlib.contextmanager
def watched_page(context, problems):
    """A new page of ``context`` whose console errors, page errors and failed callbacks
    (recorded in ``problems``, see conftest.Problems) fail the test once it closes."""
    page = context.new_page()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.on("response", problems.response)
    yield page
    page.close()
    if problems.items:
        pytest.fail("browser problems:\n" + "\n".join(problems.items))


@contextlib.contextmanager
def opened_context(browser, base_url: str, **options):
    """A browser context on ``base_url`` with the suite's timeouts, for the with-block."""
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()
