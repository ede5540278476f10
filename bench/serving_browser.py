"""The browser half of the serving benchmark: discover the pages from the navigation, drive
their controls in headless Chromium so callbacks fire, record every callback request, and time
page loads until every chart is drawn.

Nothing here names a page or a callback: pages come from the service navigation's links and
controls from the DOM (native selects, radio groups, Dash dropdowns), so new pages are measured
without changes here.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
CALLBACK_PATH = "/_dash-update-component"
SETTLE_SECONDS = 0.3  # quiet time (no callback in flight, charts drawn) that counts as done
NAVIGATION_TIMEOUT_MS = 30_000

# Controls on the page, in document order: native selects and radio groups of dbc, and Dash 4
# dropdowns (a button that opens a listbox). Each gets one "choose another option" turn.
_CONTROLS_JS = """() => {
  const inside = e => e.closest('main') && e.offsetParent !== null;
  const selects = [...document.querySelectorAll('main select[id]')].filter(inside)
    .filter(e => !e.disabled && [...e.options].filter(o => !o.disabled).length > 1)
    .map(e => ({kind: 'select', id: e.id}));
  const radios = [...new Set([...document.querySelectorAll('main input[type=radio][name]')]
    .filter(inside).map(e => e.name))].map(name => ({kind: 'radio', id: name}));
  const dropdowns = [...document.querySelectorAll('main button.dash-dropdown[id]')]
    .filter(inside).map(e => ({kind: 'dropdown', id: e.id}));
  return [...dropdowns, ...selects, ...radios];
}"""

_RENDERED_JS = """() => {
  const content = document.getElementById('_pages_content');
  if (!content || content.children.length === 0) return false;
  if (document.querySelector('._dash-loading, .dash-spinner, [data-dash-is-loading="true"]'))
    return false;
  // dcc.Graph is a .dash-graph until plotly.js has loaded, then a .js-plotly-plot
  return [...document.querySelectorAll('.dash-graph, .js-plotly-plot')]
    .every(plot => plot.querySelector('.main-svg'));
}"""


@dataclass
class Capture:
    """One recorded callback request: the page it came from and what it asked for."""

    page: str
    output: str
    body: str
    trigger: str  # "load" or the control that was changed

    @property
    def name(self) -> str:
        return callback_name(self.output)


@dataclass
class Discovery:
    pages: list[str] = field(default_factory=list)  # hrefs, in visiting order
    captures: list[Capture] = field(default_factory=list)
    interactions: int = 0

    def by_page(self) -> dict[str, list[Capture]]:
        grouped: dict[str, list[Capture]] = {}
        for capture in self.captures:
            grouped.setdefault(capture.page, []).append(capture)
        return grouped


def callback_name(output: str) -> str:
    """A readable name for a callback's output spec: the ``@hash`` of duplicate outputs and
    the dots around multi-output specs dropped (``..a.b...c.d..`` -> ``a.b+c.d``)."""
    if output.startswith("..") and output.endswith(".."):
        parts = [part for part in output[2:-2].split("...") if part]
    else:
        parts = [output]
    return "+".join(part.split("@", 1)[0] for part in parts)


def page_key(href: str) -> str:
    """The page an href shows, its first path segment (``/area/E08000012?method=x`` ->
    ``/area``): each page gets one visit."""
    path = urlsplit(href).path.strip("/")
    return "/" + path.split("/")[0] if path else "/"


def launch(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)


class Tracker:
    """Callback requests in flight on one page, and the captures they make."""

    def __init__(self, page, discovery: Discovery):
        self.in_flight = 0
        self.current_page = ""
        self.trigger = "load"
        self.recording = True
        self.discovery = discovery
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._finished)

    def _request(self, request) -> None:
        if CALLBACK_PATH not in request.url:
            return
        self.in_flight += 1
        if self.recording and request.method == "POST" and request.post_data:
            output = json.loads(request.post_data).get("output", "?")
            self.discovery.captures.append(
                Capture(self.current_page, output, request.post_data, self.trigger)
            )

    def _finished(self, request) -> None:
        if CALLBACK_PATH in request.url:
            self.in_flight -= 1


def wait_until_drawn(page, tracker: Tracker, started: float, timeout: float = 30.0) -> float:
    """Seconds from ``started`` until the page content is drawn, every chart has its SVG, no
    spinner shows and no callback is in flight, held for SETTLE_SECONDS."""
    deadline = time.perf_counter() + timeout
    quiet_since: float | None = None
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        if tracker.in_flight == 0 and page.evaluate(_RENDERED_JS):
            quiet_since = quiet_since or now
            if now - quiet_since >= SETTLE_SECONDS:
                return quiet_since - started
        else:
            quiet_since = None
        page.wait_for_timeout(25)
    raise TimeoutError(f"{page.url} was not drawn within {timeout:.0f}s")


def _nav_links(page) -> list[str]:
    """The navigation's links, once the shell has drawn them: the first render of a fresh
    worker can take a second while it builds its per-version look-ups."""
    page.wait_for_selector("nav a[href]", timeout=NAVIGATION_TIMEOUT_MS)
    return page.eval_on_selector_all("nav a[href]", "els => els.map(e => e.getAttribute('href'))")


def _choose_another(page, control: dict) -> bool:
    """Pick a different option of one control; False when it offers none."""
    css_id = control["id"].replace('"', '\\"')
    if control["kind"] == "select":
        values = page.eval_on_selector(
            f'[id="{css_id}"]',
            "e => [...e.options].filter(o => !o.disabled && !o.selected).map(o => o.value)",
        )
        if not values:
            return False
        page.select_option(f'[id="{css_id}"]', values[-1] if len(values) < 3 else values[1])
        return True
    if control["kind"] == "radio":
        others = page.locator(f'input[type=radio][name="{css_id}"]:not(:checked)')
        if others.count() == 0:
            return False
        label = others.first.get_attribute("id")
        target = page.locator(f'label[for="{label}"]') if label else others.first
        (target if target.count() else others.first).click()
        return True
    page.click(f'[id="{css_id}"]')
    options = page.locator('[role="option"]:not([aria-selected="true"])')
    try:
        options.first.wait_for(timeout=3000)
    except Exception:  # noqa: BLE001 - a dropdown without options: nothing to choose
        page.keyboard.press("Escape")
        return False
    options.nth(min(2, options.count() - 1)).click()
    page.keyboard.press("Escape")
    return True


def discover(base_url: str, *, max_controls: int = 3, max_pages: int = 20, log=print) -> Discovery:
    """Visit every page the navigation links to (and any new page a visited page links to),
    change up to ``max_controls`` of its controls once each, record the callbacks."""
    from playwright.sync_api import sync_playwright

    discovery = Discovery()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
        page = context.new_page()
        tracker = Tracker(page, discovery)
        tracker.recording = False
        page.goto("/", timeout=NAVIGATION_TIMEOUT_MS)
        queue = _nav_links(page)
        seen: set[str] = set()
        while queue and len(discovery.pages) < max_pages:
            href = queue.pop(0)
            if page_key(href) in seen:
                continue
            seen.add(page_key(href))
            discovery.pages.append(href)
            tracker.current_page, tracker.trigger, tracker.recording = href, "load", True
            page.goto(href, timeout=NAVIGATION_TIMEOUT_MS)
            try:
                wait_until_drawn(page, tracker, time.perf_counter())
            except TimeoutError as error:
                log(f"  {error}")
            controls = page.evaluate(_CONTROLS_JS)[:max_controls]
            for control in controls:
                tracker.trigger = f"{control['kind']}:{control['id']}"
                try:
                    changed = _choose_another(page, control)
                    if changed:
                        discovery.interactions += 1
                        wait_until_drawn(page, tracker, time.perf_counter())
                except Exception as error:  # noqa: BLE001 - a control that vanished on re-render
                    log(f"  {href}: could not change {control['id']}: {type(error).__name__}")
            tracker.recording = False
            queue.extend(link for link in _nav_links(page) if page_key(link) not in seen)
            calls = sum(1 for c in discovery.captures if c.page == href)
            log(f"  {href}: {len(controls)} controls, {calls} callback requests")
        browser.close()
    return discovery


_TRANSFER_JS = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return entries.reduce((total, e) => total + (e.transferSize || 0), 0);
}"""


@dataclass(frozen=True)
class PageLoad:
    """One page's loads: a first visit (fresh browser context) then a repeat view (the same
    context again, static assets cached), ``rounds`` times over."""

    href: str
    first_visits: tuple[float, ...]
    repeat_views: tuple[float, ...]
    charts: int
    first_visit_bytes: int  # over the wire, headers included, on the last first visit


def time_page_loads(base_url: str, hrefs: list[str], *, rounds: int = 3) -> list[PageLoad]:
    """Navigation until drawn, per page and round: a first visit (a fresh browser context,
    empty HTTP cache) and then a repeat view (the same context again, assets cached)."""
    from playwright.sync_api import sync_playwright

    timings = {href: ([], []) for href in hrefs}
    charts, transferred = dict.fromkeys(hrefs, 0), dict.fromkeys(hrefs, 0)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(rounds):
            for href in hrefs:
                context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
                page = context.new_page()
                tracker = Tracker(page, Discovery())
                tracker.recording = False
                first_visits, repeat_views = timings[href]
                first_visits.append(timed_visit(page, tracker, href))
                transferred[href] = page.evaluate(_TRANSFER_JS)
                repeat_views.append(timed_visit(page, tracker, href))
                charts[href] = page.locator(".dash-graph").count()  # one per dcc.Graph
                context.close()
        browser.close()
    return [
        PageLoad(href, tuple(first), tuple(repeat), charts[href], transferred[href])
        for href, (first, repeat) in timings.items()
    ]


def timed_visit(page, tracker: Tracker, href: str) -> float:
    """Seconds from navigation until drawn; nan when not drawn in time (a result, reported)."""
    started = time.perf_counter()
    try:
        page.goto(href, timeout=NAVIGATION_TIMEOUT_MS)
        return wait_until_drawn(page, tracker, started)
    except Exception:  # noqa: BLE001 - a timeout is a result, reported as nan
        return math.nan
