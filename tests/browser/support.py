"""Helpers every browser test shares: one timeout, waiting for Dash to settle, dropdowns."""

from __future__ import annotations

# Generous: CI machines have 2 cores and Chromium shares them with the server under test.
TIMEOUT_MS = 45_000


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
