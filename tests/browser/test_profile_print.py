"""The area profile prints to A4 PDF: the print stylesheet hides navigation and controls and
the footer carries the address."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import TIMEOUT_MS
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

COVENTRY = COUNCILS[1]


def test_profile_prints_to_an_a4_pdf(page, tmp_path):
    page.goto(f"/area/{COVENTRY}")
    page.locator("#profile-spine .js-plotly-plot .scatterlayer").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.locator(".lsr-header").is_visible()
    assert not page.locator(".lsr-page-actions").is_visible()
    assert page.locator(".lsr-tile").first.is_visible()
    assert "@bottom-left" in page.locator("#lsr-print-page").inner_text()
    path = tmp_path / "profile.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 1
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
