"""The distinct-views benchmark's pure parts: which views it asks for (each new to the
server), the router request it sends and the verdicts it prints. No server, no browser."""

from __future__ import annotations

import itertools
import json
import math

from bench import serving_distinct as distinct
from bench.serving_browser import Capture
from bench.serving_http import Result

OFFER = distinct.Offer(
    areas=("E06000001", "E06000002", "E06000003", "E08000012"),
    methods=("default", "nearest"),
    metrics=("dtoc_rate", "ea65_rate", "ae_rate"),
    families=("/hospital", "/dtoc"),
)


class TestViews:
    def test_every_view_is_new_and_kinds_take_turns(self):
        views = list(distinct.views(OFFER))
        hrefs = [view.href for view in views]
        assert len(hrefs) == len(set(hrefs))
        assert [view.kind for view in views[:6]] == list(distinct.KINDS) * 2

    def test_profiles_in_every_method_and_default_method_left_out_of_the_url(self):
        profiles = [v.href for v in distinct.views(OFFER) if v.kind == distinct.PROFILE]
        assert profiles[:4] == [f"/area/{area}" for area in OFFER.areas]
        assert profiles[4:] == [f"/area/{area}?method=nearest" for area in OFFER.areas]

    def test_neighbouring_councils_see_different_metrics_and_families(self):
        explorer = [v.href for v in distinct.views(OFFER) if v.kind == distinct.EXPLORER][:3]
        assert explorer == [
            "/metric/dtoc_rate?area=E06000001",
            "/metric/ea65_rate?area=E06000002",
            "/metric/ae_rate?area=E06000003",
        ]
        family = [v.href for v in distinct.views(OFFER) if v.kind == distinct.FAMILY][:2]
        assert family == ["/hospital?area=E06000001", "/dtoc?area=E06000002"]

    def test_skipped_areas_never_appear(self):
        views = list(distinct.views(OFFER, skip_areas={"E08000012", "E06000002"}))
        assert views
        assert not [v for v in views if "E08000012" in v.href or "E06000002" in v.href]

    def test_take_counts_per_kind_and_leaves_the_rest_in_the_source(self):
        source = distinct.views(OFFER)
        chosen = distinct.take(source, {distinct.PROFILE: 2, distinct.FAMILY: 1})
        assert [v.kind for v in chosen] == ["profile", "family", "profile"]
        rest = [v.href for v in source]
        assert not {v.href for v in chosen} & set(rest)

    def test_pathname_and_search(self):
        view = distinct.View(distinct.EXPLORER, "/metric/dtoc_rate?area=E06000001")
        assert (view.pathname, view.search) == ("/metric/dtoc_rate", "?area=E06000001")
        assert distinct.View(distinct.PROFILE, "/area/E06000001").search == ""


def test_areas_named_finds_codes_in_recorded_requests():
    bodies = ['{"value": "/area/E08000012"}', '{"value": "?area=E06000002&x=1"}']
    assert distinct.areas_named(bodies, OFFER.areas) == {"E08000012", "E06000002"}


class TestRouterBody:
    VIEW = distinct.View(distinct.FAMILY, "/dtoc?area=E06000003")

    def test_recorded_request_gets_the_views_location(self):
        template = json.dumps(
            {
                "output": "..._pages_content.children..._pages_store.data..",
                "inputs": [
                    {"id": "_pages_location", "property": "pathname", "value": "/"},
                    {"id": "_pages_location", "property": "search", "value": "?period=2019"},
                ],
                "state": [{"id": "_pages_location", "property": "hash", "value": ""}],
            }
        )
        body = json.loads(distinct.router_body(template, self.VIEW))
        assert [i["value"] for i in body["inputs"]] == ["/dtoc", "?area=E06000003"]
        assert body["state"] == [{"id": "_pages_location", "property": "hash", "value": ""}]

    def test_without_a_recording_dashs_minimal_request(self):
        body = json.loads(distinct.router_body(None, self.VIEW))
        assert {o["id"] for o in body["outputs"]} == {"_pages_content", "_pages_store"}
        assert [i["value"] for i in body["inputs"]] == ["/dtoc", "?area=E06000003"]

    def test_template_is_the_recorded_router_request(self):
        captures = [
            Capture("/", "service-nav-list.children", "nav", "load"),
            Capture("/", "..._pages_content.children..._pages_store.data..", "router", "load"),
        ]
        assert distinct.router_template(captures) == "router"
        assert distinct.router_template(captures[:1]) is None


def _load(kind: str, seconds: float, answers=("miss",)) -> distinct.DistinctLoad:
    return distinct.DistinctLoad(distinct.View(kind, f"/{kind}/{seconds}"), seconds, answers)


class TestDistinctVerdict:
    def test_met_on_median_and_max(self):
        loads = [_load("profile", 0.5), _load("explorer", 0.7)]
        loads += [_load("family", 0.6), _load("family", 1.1), _load("family", 0.7)]
        lines, met = distinct.distinct_lines(loads)
        assert met
        assert "5 of 5" in lines[-1]
        all_row = next(line for line in lines if line.split()[0] == "all")
        assert all_row.split()[1:5] == ["5", "0.70", "1.10", "yes"]

    def test_each_page_kind_is_judged_on_its_own_median(self):
        loads = [_load("profile", 0.3)] * 6 + [_load("family", 0.9)] * 3
        lines, met = distinct.distinct_lines(loads)
        assert not met  # over all the median is 0.3 s, but the family pages' is 0.9 s
        family_row = next(line for line in lines if line.split()[0] == "family")
        assert family_row.split()[4] == "NO"

    def test_one_slow_view_misses_the_max(self):
        loads = [_load("profile", 0.5)] * 5 + [_load("family", 1.3)]
        assert not distinct.distinct_lines(loads)[1]

    def test_a_view_never_drawn_misses(self):
        loads = [_load("profile", 0.5), _load("profile", math.nan), _load("profile", 0.4)]
        assert not distinct.distinct_lines(loads)[1]

    def test_cache_hits_are_counted_apart(self):
        loads = [_load("profile", 0.5, ("hit",)), _load("profile", 0.5)]
        assert "1 of 2" in distinct.distinct_lines(loads)[0][-1]


def _result(kind: str, seconds: float, status: int = 200, cache: str | None = "miss") -> Result:
    return Result(kind, 0.0, seconds, status, "v1", 10, cache)


class TestUncachedVerdict:
    def test_judged_on_renders_only(self):
        results = [_result("page", 2.0, cache=None)] + [_result("render profile", 0.1)] * 20
        lines, met = distinct.uncached_lines(results, 10.0)
        assert met
        assert "20 of 20" in lines[-1]

    def test_slow_renders_miss(self):
        results = [_result("render explorer", 0.1)] * 10 + [_result("render family", 0.9)] * 2
        assert not distinct.uncached_lines(results, 10.0)[1]

    def test_any_error_misses(self):
        results = [_result("render explorer", 0.1)] * 10 + [_result("page", 0.01, status=500)]
        assert not distinct.uncached_lines(results, 10.0)[1]


def test_uncached_load_asks_for_each_view_once(monkeypatch):
    asked: list[tuple[str, str]] = []

    class FakeClient:
        def __init__(self, base_url):
            pass

        def get(self, path, *, kind="page"):
            asked.append(("GET", path))
            return _result(kind, 0.001, cache=None)

        def request(self, method, path, body=None, *, kind):
            asked.append((method, json.loads(body)["inputs"][1]["value"]))
            return _result(kind, 0.001)

        def close(self):
            pass

    monkeypatch.setattr(distinct.serving_http, "Client", FakeClient)
    source = iter(list(itertools.islice(distinct.views(OFFER), 9)))
    results = distinct.uncached_load(
        "http://x", source, users=3, duration=30, template=None, think_seconds=0
    )
    gets = [path for method, path in asked if method == "GET"]
    assert len(gets) == len(set(gets)) == 9
    assert sum(1 for r in results if r.kind.startswith("render")) == 9


def test_miss_render_table_per_kind():
    from bench.miss_render import Render, table

    renders = [
        Render("profile", "/area/a", 100.0, 50.0, 3, 20.0, 2, 300.0),
        Render("profile", "/area/b", 300.0, 70.0, 3, 40.0, 2, 310.0),
        Render("family", "/dtoc?area=a", 80.0, 40.0, 9, 30.0, 0, 150.0),
    ]
    lines = table(renders)
    profile = next(line.split() for line in lines if line.split()[0] == "profile")
    assert profile[1:6] == ["2", "200", "290", "60", "69"]  # n, wall p50/p95, CPU p50/p95
    assert profile[6:] == ["3.0", "30", "2.0", "305"]
    assert next(line for line in lines if line.split()[0] == "family").split()[6] == "9.0"


def test_readers_wait_between_views_not_between_page_and_render(monkeypatch):
    """The reading model: the router request follows its page at once (think 0), then the
    user reads for ``reading_seconds`` before the next view."""
    slept: list[float] = []
    monkeypatch.setattr(distinct.time, "sleep", slept.append)

    class FakeClient:
        def __init__(self, base_url):
            pass

        def get(self, path, *, kind="page"):
            return _result(kind, 0.001, cache=None)

        def request(self, method, path, body=None, *, kind):
            return _result(kind, 0.001)

        def close(self):
            pass

    monkeypatch.setattr(distinct.serving_http, "Client", FakeClient)
    source = iter(list(itertools.islice(distinct.views(OFFER), 4)))
    distinct.uncached_load(
        "http://x",
        source,
        users=1,
        duration=30,
        template=None,
        think_seconds=0,
        reading_seconds=(5.0, 14.0),
    )
    assert slept[0] == 0.0  # the first user arrives at once (the others later)
    assert slept[1::2] == [0.0] * 4  # page, then its render at once
    assert slept[2::2] == [5.0, 6.0, 7.0, 8.0]  # then reading, spread over 5-14 s
