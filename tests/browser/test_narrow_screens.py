"""Every page on a 390 px wide phone screen: no horizontal scroll, nothing poking out of the
right edge, and every chart legible: title clear of the mode bar and inside the chart, axis titles
inside and clear of it, tick labels horizontal, inside the chart and not under each other or the
legend, the legend clear of the source note. Screenshots land in
tests/artifacts/narrow-<page>.png. The ratings page is also opened on the rich fixture, whose
rating bars are labelled with every service type's long name."""

from __future__ import annotations

import pytest

from tests.browser.support import TIMEOUT_MS, opened_context, settle
from tests.fixtures import COUNCILS

pytestmark = pytest.mark.browser

WIDTH = 390
PHONE = {"width": WIDTH, "height": 844}
COVENTRY = COUNCILS[1]
PAGES = {
    "select-areas": "/",
    "area-profile": f"/area/{COVENTRY}",
    "explorer": f"/metric/dtoc_rate?area={COVENTRY}",
    "explorer-ranking": f"/metric/ea65_rate?area={COVENTRY}&view=ranking",
    "hospital": f"/hospital?area={COVENTRY}",
    "dtoc": f"/dtoc?area={COVENTRY}",
    "social-care": f"/social-care?area={COVENTRY}",
    "chc": f"/chc?area={COVENTRY}",
    "ratings": f"/ratings?area={COVENTRY}",
    "methods": "/methods",
    "not-found": "/no-such-page",
}

# Elements in <main> that cross the right edge of the screen, outside any box that scrolls
# or clips its content (the grid, a wide table, a chart's SVG).
OVERFLOWING = """(width) => {
  const clipped = (element) => {
    for (let at = element.parentElement; at && at.tagName !== 'MAIN'; at = at.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(at).overflowX)) {
        return true;
      }
    }
    return false;
  };
  return [...document.querySelectorAll('main *')]
    .filter((element) => !(element instanceof SVGElement) || element.tagName === 'svg')
    .filter((element) => {
      const rect = element.getBoundingClientRect();
      return rect.width > 0 && rect.left < width && rect.right > width + 1 && !clipped(element);
    })
    .slice(0, 5)
    .map((element) => `${element.tagName}.${element.className} ${element.id}`);
}"""

# What is wrong with each drawn chart, in words.
CHART_PROBLEMS = """() => {
  const boxes = (gd, selector) => [...gd.querySelectorAll(selector)]
    .map((element) => element.getBoundingClientRect())
    .filter((rect) => rect.width > 0 && rect.height > 0);
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const inside = (rect, frame) => rect.left >= frame.left - 1 && rect.right <= frame.right + 1;
  const problems = [];
  const say = (name, words) => problems.push(`${name}: ${words}`);
  document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    const frame = gd.getBoundingClientRect();
    if (frame.width === 0 || !gd._fullLayout) {
      return;
    }
    const name = gd.closest('[id]') ? gd.closest('[id]').id : 'a chart';
    const titles = boxes(gd, 'text.gtitle, text.gtitle-subtitle');
    const modebar = boxes(gd, '.modebar');
    const legend = boxes(gd, '.legend .bg');
    const notes = [...gd.querySelectorAll('.annotation')]
      .filter((note) => /Source:/.test(note.textContent))
      .map((note) => note.getBoundingClientRect());
    titles.forEach((title) => {
      if (!inside(title, frame)) say(name, 'title runs out of the chart');
      if (modebar.some((bar) => meets(title, bar))) say(name, 'title under the mode bar');
    });
    boxes(gd, '.g-xtitle, .g-ytitle').forEach((axisTitle) => {
      if (!inside(axisTitle, frame)) say(name, 'axis title runs out of the chart');
      if (titles.some((title) => meets(axisTitle, title))) say(name, 'axis title over the title');
    });
    notes.forEach((note) => {
      if (!inside(note, frame)) say(name, 'source note runs out of the chart');
      if (legend.some((key) => meets(key, note))) say(name, 'legend over the source note');
    });
    gd.querySelectorAll('.xaxislayer-above, .yaxislayer-above').forEach((layer) => {
      const ticks = [...layer.querySelectorAll('text')]
        .filter((tick) => tick.textContent.trim())
        .map((tick) => [tick.textContent, tick.getBoundingClientRect()]);
      const onEnd = [...layer.querySelectorAll('text')]
        .some((tick) => /rotate\\((?!0[,)])/.test(tick.getAttribute('transform') || ''));
      if (onEnd) say(name, 'tick labels turned on end');
      ticks.forEach(([text, rect], index) => {
        if (!inside(rect, frame)) say(name, `tick label "${text}" cut`);
        if (legend.some((key) => meets(rect, key))) say(name, `"${text}" under the legend`);
        ticks.slice(index + 1).forEach(([other, next]) => {
          if (meets(rect, next)) say(name, `tick labels "${text}" and "${other}" collide`);
        });
      });
    });
  });
  return [...new Set(problems)];
}"""


@pytest.fixture(scope="module")
def phone(browser, live_server):
    with opened_context(browser, live_server, viewport=PHONE) as context:
        yield context


@pytest.fixture()
def phone_page(phone, problems):
    yield from _watched_phone_page(phone, problems)


@pytest.fixture()
def rich_phone_page(browser, rich_server, problems):
    """A phone-sized page on the rich fixture (rating bars for three service types)."""
    with opened_context(browser, rich_server, viewport=PHONE) as phone:
        yield from _watched_phone_page(phone, problems)


def _watched_phone_page(phone, problems):
    page = phone.new_page()
    page.on("console", lambda message: None if _not_found(message) else problems.console(message))
    page.on("pageerror", problems.page_error)
    page.on("response", problems.response)
    yield page
    page.close()
    if problems.items:
        pytest.fail("browser problems:\n" + "\n".join(problems.items))


def _not_found(message) -> bool:
    """The 404 page's own status, which Chromium reports as a failed resource."""
    url = message.location.get("url", "")
    return "404 (NOT FOUND)" in message.text and url.endswith(PAGES["not-found"])


def open_page(page, path: str) -> None:
    page.goto(path)
    page.locator("main h1").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)
    page.wait_for_timeout(1500)  # the charts' narrow re-layout runs after Plotly draws


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_390_px_screen(phone_page, name, artifacts):
    open_page(phone_page, PAGES[name])
    phone_page.screenshot(path=artifacts / f"narrow-{name}.png", full_page=True)
    scroll_width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{name} is {scroll_width} px wide"
    assert phone_page.evaluate(OVERFLOWING, WIDTH) == []


@pytest.mark.parametrize("name", [name for name in PAGES if name != "not-found"])
def test_charts_are_legible_at_390_px(phone_page, name):
    open_page(phone_page, PAGES[name])
    assert phone_page.evaluate(CHART_PROBLEMS) == []


def test_rating_bars_for_every_service_type_are_legible_at_390_px(rich_phone_page, artifacts):
    open_page(rich_phone_page, f"/ratings?area={COVENTRY}")
    chart = rich_phone_page.locator("[id*='rating-mix'] .js-plotly-plot").first
    chart.screenshot(path=artifacts / "narrow-rating-bars.png")
    drawn = chart.text_content()
    assert all(
        service in drawn for service in ("Nursing home", "Residential home", "Domiciliary care")
    )
    assert rich_phone_page.evaluate(CHART_PROBLEMS) == []
