"""The cache of finished callback answers: same request and data version, same bytes; a new
version or an impure callback is computed again; the cache stays inside its byte budget."""

import gzip
import json
import threading
import time

import pytest

from app import create_app
from dashboard.serving.response_cache import CachedAnswer, ResponseCache, request_key
from tests.fixtures import publish_fixture

CALLBACK = "/_dash-update-component"


def page_request(pathname: str, search: str = "") -> dict:
    """The body Dash's router sends when the URL changes."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


NAVIGATION_REQUEST = {
    "output": "service-nav-list.children",
    "outputs": {"id": "service-nav-list", "property": "children"},
    "inputs": [
        {"id": "nav-location", "property": "pathname", "value": "/methods"},
        {"id": "nav-location", "property": "search", "value": ""},
    ],
    "changedPropIds": ["nav-location.pathname"],
    "state": [],
}


@pytest.fixture()
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("LSR_METRICS_TOKEN", "test-token")  # /metrics needs it (issue 15)
    publish_fixture(tmp_path)
    client = create_app(tmp_path).server.test_client()
    client.get("/")  # Dash registers the pages router on the first request
    return tmp_path, client


def post(client, body: dict, encoding: str = "gzip"):
    return client.post(CALLBACK, json=body, headers={"Accept-Encoding": encoding})


def answer_stats(client) -> dict:
    metrics = client.get("/metrics", headers={"Authorization": "Bearer test-token"})
    return metrics.get_json()["answer_cache"]


class TestPageAnswers:
    def test_second_identical_request_is_served_from_the_cache_with_the_same_bytes(self, served):
        _, client = served
        first = post(client, page_request("/methods"))
        second = post(client, page_request("/methods"))
        assert first.status_code == second.status_code == 200
        assert (first.headers["X-Answer-Cache"], second.headers["X-Answer-Cache"]) == (
            "miss",
            "hit",
        )
        assert second.headers["Content-Encoding"] == "gzip"
        assert first.data == second.data
        assert json.loads(gzip.decompress(second.data))["response"]["_pages_content"]
        stats = answer_stats(client)
        assert stats["hits"] == 1 and stats["misses"] == 1
        assert stats["render_on_miss"]["/methods"]["count"] == 1  # the miss's cost is reported

    def test_each_render_on_a_miss_is_reported_with_its_thread_cpu(self, served):
        """Two /metrics snapshots give the renders between them: ``total`` counts every one
        and ``recent`` lists the latest, [wall ms, CPU ms] each."""
        _, client = served
        before = answer_stats(client)["render_on_miss"].get("/methods", {"total": 0})
        post(client, page_request("/methods"))
        post(client, page_request("/methods"))  # a hit: not a render
        after = answer_stats(client)["render_on_miss"]["/methods"]
        assert after["total"] == before["total"] + 1
        (wall_ms, cpu_ms) = after["recent"][-1]
        assert 0 < cpu_ms and 0 < wall_ms
        assert after["cpu_p95_ms"] >= after["cpu_p50_ms"] > 0

    def test_clients_without_gzip_get_the_plain_answer(self, served):
        _, client = served
        post(client, page_request("/methods"))
        plain = post(client, page_request("/methods"), encoding="identity")
        assert "Content-Encoding" not in plain.headers
        assert plain.headers["X-Answer-Cache"] == "hit"
        assert json.loads(plain.data)["response"]["_pages_store"]["data"]["title"]

    def test_other_parameters_are_a_different_answer(self, served):
        _, client = served
        post(client, page_request("/dtoc"))
        other = post(client, page_request("/dtoc", "?area=E06000006"))
        assert other.headers["X-Answer-Cache"] == "miss"
        ignored = post(client, page_request("/methods", "?area=E06000006"))  # /methods reads none
        assert post(client, page_request("/methods")).data == ignored.data

    def test_junk_parameters_share_the_one_answer_of_the_page(self, served):
        """Issue 15: 300 ``?x=N`` variants of one page made 300 answers."""
        data_dir, client = served
        first = post(client, page_request("/dtoc", "?x=1"))
        for index in range(2, 30):
            answer = post(client, page_request("/dtoc", f"?x={index}&utm_source=a{index}"))
            assert answer.headers["X-Answer-Cache"] == "hit"
        assert answer.data == first.data
        assert len(list((data_dir / "answers").rglob("*.json.gz"))) == 1

    def test_a_known_parameter_keeps_its_first_value_and_order_does_not_matter(self, served):
        _, client = served
        post(client, page_request("/dtoc", "?period=month&show=shares"))
        same = post(client, page_request("/dtoc", "?show=shares&period=month&period=quarter"))
        assert same.headers["X-Answer-Cache"] == "hit"

    def test_a_new_data_version_is_rendered_again(self, served):
        data_dir, client = served
        post(client, page_request("/methods"))
        new_version = publish_fixture(data_dir, seed=99)
        answer = post(client, page_request("/methods"))
        assert answer.headers["X-Data-Version"] == new_version
        assert answer.headers["X-Answer-Cache"] == "miss"

    def test_callbacks_outside_the_pure_list_are_always_computed(self, served):
        _, client = served
        app = client.application
        with app.test_request_context(CALLBACK, method="POST", json=NAVIGATION_REQUEST):
            assert request_key("v1") is None
        with app.test_request_context(CALLBACK, method="POST", json=page_request("/")):
            assert request_key("v1")[0] == "v1"
            assert request_key(None) is None  # no published data: nothing to key on
        matching = {
            **NAVIGATION_REQUEST,
            "outputs": {"id": {"type": "explorer-csv", "chart": "spc"}, "property": "data"},
        }
        with app.test_request_context(CALLBACK, method="POST", json=matching):
            assert request_key("v1") is None  # pattern-matching ids are dicts
        with app.test_request_context(CALLBACK, method="POST", data="not json"):
            assert request_key("v1") is None


class TestSharedBetweenWorkers:
    def test_a_page_rendered_by_one_worker_is_served_by_another(self, served):
        data_dir, first_worker = served
        rendered = post(first_worker, page_request("/methods"))
        second_worker = create_app(data_dir).server.test_client()
        second_worker.get("/")
        answer = post(second_worker, page_request("/methods"))
        assert answer.headers["X-Answer-Cache"] == "hit"
        assert answer.data == rendered.data
        assert answer_stats(second_worker)["shared_hits"] == 1
        assert answer_stats(second_worker)["render_on_miss"] == {}  # it rendered nothing

    def test_without_gzip_the_shared_answer_is_decompressed(self, served):
        data_dir, first_worker = served
        post(first_worker, page_request("/methods"))
        second_worker = create_app(data_dir).server.test_client()
        second_worker.get("/")
        plain = post(second_worker, page_request("/methods"), encoding="identity")
        assert json.loads(plain.data)["response"]["_pages_content"]


class TestOneRenderAtATime:
    """Several users asking for the same uncached view at once (as after a publish) cost one
    render: the other threads wait for its answer."""

    def test_concurrent_identical_requests_render_once(self, served, monkeypatch):
        import dash

        _, client = served
        page = next(p for p in dash.page_registry.values() if p["path"] == "/methods")
        renders = []

        def slow_layout(**kwargs):
            renders.append(kwargs)
            time.sleep(0.4)
            return dash.html.P("methods")

        monkeypatch.setitem(page, "layout", slow_layout)
        answers = [None] * 4

        def ask(slot: int) -> None:
            answers[slot] = post(client.application.test_client(), page_request("/methods"))

        threads = [threading.Thread(target=ask, args=(slot,)) for slot in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(renders) == 1
        assert sorted(a.headers["X-Answer-Cache"] for a in answers) == ["hit"] * 3 + ["miss"]
        assert len({a.data for a in answers}) == 1
        stats = answer_stats(client)
        assert (stats["misses"], stats["waited_hits"]) == (1, 3)

    def test_claims_are_exclusive_and_released(self):
        cache = ResponseCache(max_bytes=1000)
        assert cache.claim(("v1", "a")) is None  # this thread renders
        waiting = cache.claim(("v1", "a"))
        assert waiting is not None and not waiting.is_set()
        cache.put(("v1", "a"), CachedAnswer(b"answer"))
        cache.release(("v1", "a"))
        assert waiting.is_set()
        assert cache.wait_for(("v1", "a"), waiting, timeout=1).gzipped == b"answer"
        assert cache.claim(("v1", "a")) is None  # released: the next render may be claimed

    def test_a_failed_render_leaves_the_waiter_to_render_itself(self):
        cache = ResponseCache(max_bytes=1000)
        cache.claim(("v1", "a"))
        waiting = cache.claim(("v1", "a"))
        cache.release(("v1", "a"))  # the owner stored nothing (an error)
        assert cache.wait_for(("v1", "a"), waiting, timeout=1) is None
        assert (cache.stats.misses, cache.stats.waited_hits) == (1, 0)

    def test_a_waiter_gives_up_after_the_timeout(self):
        cache = ResponseCache(max_bytes=1000)
        cache.claim(("v1", "a"))
        waiting = cache.claim(("v1", "a"))
        started = time.perf_counter()
        assert cache.wait_for(("v1", "a"), waiting, timeout=0.05) is None
        assert time.perf_counter() - started < 1


class TestBudget:
    @staticmethod
    def answer(size: int) -> CachedAnswer:
        return CachedAnswer(b"x" * size)

    def test_least_recently_used_answers_are_evicted_to_stay_within_bytes(self):
        cache = ResponseCache(max_bytes=250)
        for name in "abc":
            cache.put(("v1", name), self.answer(100))
        assert cache.lookup(("v1", "a")) is None
        assert cache.lookup(("v1", "c")) is not None
        assert cache.bytes <= 250 and len(cache) == 2

    def test_an_answer_larger_than_the_budget_is_not_kept(self):
        cache = ResponseCache(max_bytes=50)
        cache.put(("v1", "big"), self.answer(100))
        assert len(cache) == 0 and cache.bytes == 0

    def test_replacing_an_answer_keeps_the_byte_count_right(self):
        cache = ResponseCache(max_bytes=1000)
        cache.put(("v1", "a"), self.answer(100))
        cache.put(("v1", "a"), self.answer(300))
        assert cache.bytes == 300 and len(cache) == 1


def test_a_waiter_that_gave_up_does_not_release_the_render_it_waited_for():
    cache = ResponseCache(max_bytes=1000)
    cache.claim(("v1", "a"))  # another thread renders, slowly
    answer, claimed = cache.answer_or_claim(("v1", "a"), timeout=0.05)
    assert answer is None and not claimed
    still_rendering = cache.claim(("v1", "a"))
    assert still_rendering is not None and not still_rendering.is_set()


def test_every_query_parameter_a_page_reads_is_part_of_the_answer_key(served):
    """A parameter missing from a page's ``reads=`` would be dropped from the key, and its
    views would share one cached answer: so every ``query.get("…")`` in the dashboard is
    declared by some registered page."""
    import re
    from pathlib import Path

    from dashboard.serving.response_cache import query_parameters

    root = Path(__file__).resolve().parents[2] / "dashboard"
    read = set()
    for source in root.rglob("*.py"):
        text = source.read_text()
        read |= set(re.findall(r"query(?:\.get\(|\[)\s*[\"']([A-Za-z_][\w-]*)[\"']", text))
    assert read, "no page reads a query parameter: the pattern no longer matches the pages"
    pages = query_parameters()
    assert {"/", "/area", "/metric", "/hospital", "/ratings", "/methods"} <= set(pages)
    listed = set().union(*pages.values())
    assert read <= listed, f"add {sorted(read - listed)} to its page's reads= (register_page)"
