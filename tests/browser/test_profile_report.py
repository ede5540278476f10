"""The Area profile's "Download report (PDF)" returns the report pack's PDF for the area and
comparator method on screen, and the page shows the same findings under each heading."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.browser.support import TIMEOUT_MS
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

HALTON = COUNCILS[0]
RENDER_TIMEOUT_MS = 180_000  # a browser prints the report inside the request


def test_download_report_returns_the_profile_pdf(page, tmp_path) -> None:
    # Given Halton's profile with the Oflog comparator method
    page.goto(f"/area/{HALTON}?method=oflog-nn")
    findings = page.locator(".lsr-findings")
    findings.first.wait_for(timeout=TIMEOUT_MS)
    on_page = " ".join(findings.all_inner_texts())
    assert "Delayed transfers of care in Halton stood at" in on_page
    # When the reviewer downloads the report
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="Download report (PDF)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    # Then it is Halton's data profile for that method, with the page's findings
    assert download.suggested_filename == "Halton-data-profile.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        flat = " ".join(text.split())
        assert "Halton: data profile" in flat
        assert "Oflog nearest neighbours" in flat
        sentence = next(
            line for line in on_page.splitlines() if "Delayed transfers of care in Halton" in line
        )
        assert " ".join(sentence.split()) in flat
    assert page.get_by_role("button", name="Download report (PDF)").is_enabled()
