"""Views nobody has asked for yet: what the first user of a view waits for.

The answer cache serves a view rendered before as stored bytes, so the serving benchmark's
replays and load mostly measure the cache. Here every view is one the server has never been
asked for (an area the discovery did not visit), so each one is rendered:

- in Chromium, one browser context whose static assets are already cached (as for an analyst
  who has used the service before), 16 councils' Area profiles, 16 explorer views and 8
  family pages, one navigation each: seconds until the page is drawn;
- under load, ``users`` threads that each load a new view (the page, then the pages router's
  render of it) and never ask for one that any user asked for before.

The views come from the published data (councils, comparator methods, metrics with data and
the catalogue's family pages), interleaved so that consecutive views are of different pages.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import statistics
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from bench import serving_browser, serving_http
from bench.serving_stats import summarise

PROFILE, EXPLORER, FAMILY = "profile", "explorer", "family"
KINDS = (PROFILE, EXPLORER, FAMILY)
DISTINCT_COUNTS = {PROFILE: 16, EXPLORER: 16, FAMILY: 8}
TARGETS = {"median_s": 0.8, "max_s": 1.2, "load_p95_ms": 300}
ROUTER_OUTPUT = "_pages_content"


@dataclass(frozen=True)
class Offer:
    """What the published data offers a URL: councils, comparator methods (the default
    first), metrics with data and the family pages' paths."""

    areas: tuple[str, ...]
    methods: tuple[str, ...]
    metrics: tuple[str, ...]
    families: tuple[str, ...]


def offer(data_dir: Path) -> Offer:
    """Read from the published data the same way the pages do."""
    from queries import series
    from queries.areas import AreaDirectory
    from queries.catalogue import load_catalogue
    from queries.store import DataStore

    store = DataStore(data_dir)
    catalogue = load_catalogue()
    councils = AreaDirectory.load(store).councils
    metrics = tuple(
        metric_id
        for metric_id in catalogue.metrics
        if not series.metric_availability(store, metric_id).empty
    )
    return Offer(
        areas=tuple(councils["area_code"]),
        methods=tuple(series.comparator_methods(store)["method"]) or ("default",),
        metrics=metrics,
        families=tuple(dict.fromkeys(f.page for f in catalogue.families.values() if f.page)),
    )


@dataclass(frozen=True)
class View:
    kind: str  # PROFILE, EXPLORER or FAMILY
    href: str

    @property
    def pathname(self) -> str:
        return urlsplit(self.href).path

    @property
    def search(self) -> str:
        query = urlsplit(self.href).query
        return f"?{query}" if query else ""


def href(kind: str, area: str, *, metric: str = "", family: str = "", method: str = "") -> str:
    """The address of a view; ``method`` only when it is not the default."""
    query = f"method={quote(method)}" if method else ""
    if kind == PROFILE:
        return f"/area/{area}" + (f"?{query}" if query else "")
    area_query = f"area={area}" + (f"&{query}" if query else "")
    if kind == EXPLORER:
        return f"/metric/{metric}?{area_query}"
    return f"{family}?{area_query}"


def views(data: Offer, *, skip_areas: Iterable[str] = ()) -> Iterator[View]:
    """Every view once, kinds interleaved: round r gives, for each council not skipped, its
    profile (the r-th comparator method), one metric's explorer view and one family page
    (each council a different metric and family, shifted every round)."""
    skipped = set(skip_areas)
    areas = [area for area in data.areas if area not in skipped]
    seen: set[str] = set()
    rounds = max(len(data.methods), len(data.metrics), len(data.families))
    for round_ in range(rounds):
        method = data.methods[round_] if round_ < len(data.methods) else ""
        method = "" if method == data.methods[0] else method
        for number, area in enumerate(areas):
            metric = data.metrics[(number + round_) % len(data.metrics)]
            family = data.families[(number + round_) % len(data.families)]
            candidates = [
                View(PROFILE, href(PROFILE, area, method=method))
                if round_ < len(data.methods)
                else None,
                View(EXPLORER, href(EXPLORER, area, metric=metric)),
                View(FAMILY, href(FAMILY, area, family=family)),
            ]
            for view in candidates:
                if view is not None and view.href not in seen:
                    seen.add(view.href)
                    yield view


def take(source: Iterator[View], counts: dict[str, int]) -> list[View]:
    """The first ``counts[kind]`` views of each kind from ``source``, in the order met."""
    wanted = dict(counts)
    chosen = []
    for view in source:
        if wanted.get(view.kind, 0) > 0:
            wanted[view.kind] -= 1
            chosen.append(view)
        if not any(wanted.values()):
            break
    return chosen


def areas_named(bodies: Iterable[str], areas: Sequence[str]) -> set[str]:
    """The councils whose code appears in any recorded request: views the discovery asked for
    (or could have), left out so that every view here is new to the server."""
    text = "\n".join(bodies)
    return {area for area in areas if area in text}


def router_body(template: str | None, view: View) -> str:
    """The pages router request for ``view``: a recorded one (what the browser sends) with the
    location's pathname and search replaced; Dash's minimal form without a recording."""
    if template is None:
        payload = {
            "output": f"..{ROUTER_OUTPUT}.children..._pages_store.data..",
            "outputs": [
                {"id": ROUTER_OUTPUT, "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": view.pathname},
                {"id": "_pages_location", "property": "search", "value": view.search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
        return json.dumps(payload)
    payload = copy.deepcopy(json.loads(template))
    values = {"pathname": view.pathname, "search": view.search}
    for item in [*payload.get("inputs", []), *payload.get("state", [])]:
        if isinstance(item, dict) and item.get("property") in values:
            item["value"] = values[item["property"]]
    return json.dumps(payload)


def router_template(captures: Iterable[serving_browser.Capture]) -> str | None:
    """A recorded pages router request, if the discovery recorded one."""
    return next((c.body for c in captures if ROUTER_OUTPUT in c.output), None)


@dataclass(frozen=True)
class DistinctLoad:
    view: View
    seconds: float  # navigation until drawn; nan when not drawn in time
    answers: tuple[str, ...]  # X-Answer-Cache of the router answers it got ("miss", "hit")


def time_distinct_views(
    base_url: str,
    warm_hrefs: Sequence[str],
    chosen: Sequence[View],
    *,
    before_views: Callable[[], None] = lambda: None,
) -> list[DistinctLoad]:
    """One browser context: the ``warm_hrefs`` are loaded first (untimed) so every static
    asset is in its cache, then ``before_views()`` is called (the serving benchmark takes its
    /metrics snapshot there) and each view is navigated to once and timed until drawn."""
    from playwright.sync_api import sync_playwright

    answers: list[str] = []

    def on_response(response) -> None:
        request = response.request
        if serving_browser.CALLBACK_PATH in response.url and ROUTER_OUTPUT in (
            request.post_data or ""
        ):
            answers.append(response.headers.get("x-answer-cache", "none"))

    loads = []
    with sync_playwright() as playwright:
        browser = serving_browser.launch(playwright)
        context = browser.new_context(viewport=serving_browser.VIEWPORT, base_url=base_url)
        page = context.new_page()
        tracker = serving_browser.Tracker(page, serving_browser.Discovery())
        tracker.recording = False
        for warm in warm_hrefs:
            serving_browser.timed_visit(page, tracker, warm)
        before_views()
        page.on("response", on_response)
        for view in chosen:
            answers.clear()
            seconds = serving_browser.timed_visit(page, tracker, view.href)
            loads.append(DistinctLoad(view, seconds, tuple(answers)))
        browser.close()
    return loads


def distinct_lines(loads: Sequence[DistinctLoad]) -> tuple[list[str], bool]:
    """Median and max per page kind and over all, each beside the targets; met when every
    page kind's median and slowest view are within them and every view was drawn."""
    lines = [f"  {'page':<10} {'views':>5} {'median s':>9} {'max s':>7}  ok   slowest view"]
    met = bool(loads)
    for kind in (*KINDS, "all"):
        mine = [load for load in loads if kind in (load.view.kind, "all")]
        if not mine:
            continue
        seconds = [load.seconds for load in mine]
        slowest = max(mine, key=lambda load: _sortable(load.seconds))
        ok = (
            statistics.median(seconds) <= TARGETS["median_s"]
            and _worst(seconds) <= TARGETS["max_s"]
        )
        met &= ok
        lines.append(
            f"  {kind:<10} {len(mine):>5} {statistics.median(seconds):>9.2f} "
            f"{_worst(seconds):>7.2f}  {'yes' if ok else 'NO ':<3}  {slowest.view.href}"
        )
    rendered = sum(load.answers.count("miss") for load in loads)
    routed = sum(len(load.answers) for load in loads)
    lines.append(
        f"  router answers rendered on request (answer cache miss): {rendered} of {routed}; "
        f"targets per page: median <= {TARGETS['median_s']} s, max <= {TARGETS['max_s']} s"
    )
    return lines, met


def _sortable(seconds: float) -> float:
    return math.inf if math.isnan(seconds) else seconds


def _worst(seconds: Sequence[float]) -> float:
    return math.nan if any(math.isnan(s) for s in seconds) else max(seconds)


def uncached_load(
    base_url: str,
    source: Iterator[View],
    *,
    users: int,
    duration: float,
    template: str | None,
    think_seconds: float = 0.2,
    reading_seconds: tuple[float, float] | None = None,
) -> list[serving_http.Result]:
    """``users`` threads for ``duration`` seconds, each taking the next view nobody has asked
    for from ``source``: the page GET, then the router request that renders it (its result's
    kind is ``render <page kind>``), 0–``think_seconds`` between requests. With
    ``reading_seconds`` (low, high) a user reads each view for that long before the next
    instead (spread evenly between users and views), and the users arrive spread over the
    first ``high`` seconds rather than all at once."""
    lock = threading.Lock()
    results: list[serving_http.Result] = []
    deadline = time.monotonic() + duration

    def next_view() -> View | None:
        with lock:
            return next(source, None)

    def user(number: int) -> None:
        pause = itertools.cycle([think_seconds * ((number * 7 + k) % 10) / 10 for k in range(10)])
        low, high = reading_seconds or (0.0, 0.0)
        reading = itertools.cycle(
            [low + (high - low) * ((number * 3 + k) % 10) / 9 for k in range(10)]
        )
        client = serving_http.Client(base_url)
        mine = []
        if reading_seconds:
            time.sleep(high * number / users)
        while time.monotonic() < deadline:
            view = next_view()
            if view is None:
                break
            mine.append(client.get(view.href))
            time.sleep(next(pause))
            body = router_body(template, view)
            mine.append(
                client.request(
                    "POST", serving_browser.CALLBACK_PATH, body, kind=f"render {view.kind}"
                )
            )
            time.sleep(next(reading) if reading_seconds else next(pause))
        client.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + serving_http.REQUEST_TIMEOUT_SECONDS + 5)
    return sorted(results, key=lambda result: result.started)


READING_SECONDS = (5.0, 15.0)  # an analyst reads a new view before asking for the next


def uncached_lines(
    results: Sequence[serving_http.Result], seconds: float
) -> tuple[list[str], bool]:
    """Per request kind: count, errors, p50/p95/max; judged on the renders (every one a view
    not cached yet: checked by the answers' X-Answer-Cache)."""
    lines = []
    kinds = sorted({r.kind for r in results})
    renders = [r for r in results if r.kind.startswith("render")]
    for kind in ("all renders", *kinds):
        mine = renders if kind == "all renders" else [r for r in results if r.kind == kind]
        summary = summarise([r.seconds for r in mine])
        errors = sum(1 for r in mine if r.status == 0 or r.status >= 400)
        lines.append(
            f"  {kind:<16} {len(mine):>5} requests ({len(mine) / seconds:.1f}/s), {errors} errors, "
            f"p50 {summary.p50_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, max {summary.max_ms:.0f} ms"
        )
    misses = sum(1 for r in renders if r.cache == "miss")
    errors = sum(1 for r in results if r.status == 0 or r.status >= 400)
    p95 = summarise([r.seconds for r in renders]).p95_ms
    lines.append(
        f"  renders that were answer cache misses: {misses} of {len(renders)}; "
        f"target: renders p95 <= {TARGETS['load_p95_ms']} ms, 0 errors"
    )
    return lines, bool(renders) and p95 <= TARGETS["load_p95_ms"] and errors == 0
