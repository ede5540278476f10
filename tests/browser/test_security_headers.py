"""Every page renders under the Content-Security-Policy with no violation (issue 15 item 9).

The page fixture already fails a test on console errors; this test also listens for
``securitypolicyviolation`` events (reported even where the console stays quiet, e.g. a
blocked style) and checks that each page's header carries the policy it was rendered under.
"""

from __future__ import annotations

import pytest

from tests.browser.support import TIMEOUT_MS, settle

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/area/E06000001",
    "/metric/dtoc_rate",
    "/metric/dtoc_rate?view=spc",
    "/hospital",
    "/dtoc",
    "/social-care",
    "/chc",
    "/ratings",
    "/methods",
)
LISTEN = """() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
}"""


@pytest.mark.parametrize("path", PAGES)
def test_the_page_renders_with_no_csp_violation(page, path, artifacts):
    page.add_init_script(f"({LISTEN})()")
    csp_messages = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_messages.append(message.text)
        ),
    )
    response = page.goto(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.locator("#main-content h1").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    if path == "/metric/dtoc_rate":
        page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=artifacts / "csp-explorer.png", full_page=True)
    assert page.evaluate("() => window.__cspViolations") == []
    assert csp_messages == []
