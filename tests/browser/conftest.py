"""The real server in a subprocess on a free port, driven by headless system Chromium.

Every page fixture records console errors, page errors and failed Dash callbacks; a test that
leaves any behind fails.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from extracts.publish import publish
from tests.browser.rich_fixture import rich_tables
from tests.browser.support import VIEWPORT, opened_context, watched_page
from tests.fixtures import publish_fixture
from tests.queries.test_family import publish_family_fixture

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_TIMEOUT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {START_TIMEOUT_SECONDS}s")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not on PATH")
    return path


@contextlib.contextmanager
def serving(data_dir: Path):
    """Base URL of `create_app(data_dir).run()` in its own process, for the with-block."""
    port = _free_port()
    code = f"from app import create_app; create_app({str(data_dir)!r}).run(port={port})"
    # The server's log goes to a file: a pipe nobody reads fills up with access-log lines and
    # then blocks every request thread of the server.
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(base_url + "/", process, log_path)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _server_over(tmp_path_factory, name: str, publish):
    """A fresh data directory filled by ``publish``, served for the session."""
    data_dir = tmp_path_factory.mktemp(name)
    publish(data_dir)
    with serving(data_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, chromium_path) -> str:
    """Base URL of the real server over the fixture data."""
    yield from _server_over(tmp_path_factory, "browser-data", publish_fixture)


@pytest.fixture(scope="session")
def breakdown_server(tmp_path_factory, chromium_path) -> str:
    """Base URL of a second server over the family fixture, which adds breakdown rows."""
    yield from _server_over(tmp_path_factory, "browser-breakdowns", publish_family_fixture)


@pytest.fixture(scope="session")
def rich_server(tmp_path_factory, chromium_path) -> str:
    """Base URL of a third server on the richer data of tests/browser/rich_fixture.py
    (monthly and quarterly series, rating mix over time); started only when a test asks."""
    yield from _server_over(
        tmp_path_factory,
        "browser-rich-data",
        lambda data_dir: publish(data_dir, tables=rich_tables(), fresh=True),
    )


@pytest.fixture()
def rich_page(browser, rich_server, problems):
    """A page on the rich server, checked for browser problems like ``page``."""
    options = {"viewport": VIEWPORT, "accept_downloads": True}
    with opened_context(browser, rich_server, **options) as context:
        with watched_page(context, problems) as page:
            yield page


@pytest.fixture(scope="session")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Problems:
    """Everything that went wrong in the browser while a test ran."""

    items: list[str] = field(default_factory=list)

    def console(self, message) -> None:
        if message.type == "error":
            self.items.append(f"console error: {message.text}")

    def page_error(self, error) -> None:
        self.items.append(f"page error: {error}")

    def response(self, response) -> None:
        if "/_dash-update-component" in response.url and response.status >= 400:
            self.items.append(f"callback failed: HTTP {response.status}")


@pytest.fixture()
def problems() -> Problems:
    return Problems()


@pytest.fixture(scope="session")
def browser_context(browser, live_server):
    """One context for the session so the Dash and Plotly bundles are fetched once; the app
    keeps no state in the browser (no persistence, no cookies), so tests stay independent."""
    with opened_context(browser, live_server, viewport=VIEWPORT, accept_downloads=True) as context:
        yield context


@pytest.fixture()
def page(browser_context, problems):
    with watched_page(browser_context, problems) as page:
        yield page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
