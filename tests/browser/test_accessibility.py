"""axe-core (vendored in axe-playwright-python, works offline) on every page: no serious or
critical WCAG 2.2 A/AA violations. Pages not built yet (404) are skipped."""

from __future__ import annotations

import pytest

from tests.browser.support import TIMEOUT_MS, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

PATHS = (
    "/",
    f"/area/{COUNCILS[1]}",
    "/metric/ea65_rate",
    "/hospital",
    "/dtoc",
    "/social-care",
    "/chc",
    "/ratings",
    "/methods",
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {', '.join(map(str, node['target']))}" for node in violation["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", PATHS)
def test_no_serious_or_critical_violations(page, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page.goto(path)
    page.locator("main").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    page.wait_for_timeout(500)  # let Plotly finish drawing before axe reads the page
    assert "404" not in page.locator("main").inner_text()[:200], f"{path} is not served"
    results = axe_module.Axe().run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{path}:\n{report(blocking)}"
