"""Finished callback answers kept per (data version, request body).

Rendering a page means queries, statistics, figure building, JSON encoding and compression:
0.1–2 s of one core. Every one of those steps is a pure function of the callback request and
the published data, so a worker keeps the compressed answer and serves the next identical
request as bytes. Keys carry the data version pinned for the request, so a publish never
serves a stale page: old answers age out of the LRU.

Behind each worker's memory sits ``shared_answers``: the same answers on disk for every worker
of the machine, so a page is rendered once per machine and data version.

The same uncached view asked for by several threads at once (users arriving together after
a publish) is rendered once: the first claims it, the others wait for its answer.

A page answer is keyed by its canonical address, not the raw request: the path and the query
parameters the page reads (declared where it registers), first value of each, in name order. Junk
parameters (``?x=1``, ``?utm_source=…``) therefore share the one answer of the page.

Only outputs listed in PURE_OUTPUTS are kept: callbacks whose answer depends on nothing but
the request body and the data version (no clock, no session, no side effects).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import dash
import flask

from dashboard.serving.shared_answers import SharedAnswers

CALLBACK_PATH = "/_dash-update-component"
# Dash pages' router: the whole page and its title, from the URL alone
PURE_OUTPUTS = frozenset({"_pages_content", "_pages_store"})
DEFAULT_MAX_MEGABYTES = 96
GZIP_LEVEL = 6
RENDER_WAIT_SECONDS = 10.0  # longest wait for another thread's render of the same view


JSON = "application/json"
OTHER_LABEL = "other"  # every address no page serves: labels stay bounded


@dataclass(frozen=True)
class CachedAnswer:
    """One callback answer (a 200 JSON body), kept gzip-compressed: nearly every client
    accepts gzip, and the rare one that does not gets it decompressed."""

    gzipped: bytes
    status: int = 200
    mimetype: str = JSON

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)

    @property
    def size(self) -> int:
        return len(self.gzipped)


RENDER_HISTORY = 200  # render times kept per label


@dataclass(frozen=True)
class RenderTime:
    """One miss's render: wall seconds (what its user waited, queueing on a busy worker
    included) and the CPU seconds of the thread that rendered it (the work itself)."""

    seconds: float
    cpu_seconds: float


@dataclass
class AnswerStats:
    """Hits and misses, and how long each miss took to compute, by label (the page path for
    the pages router), so an operator sees the cost a cache miss still has. ``rendered``
    counts every render, so a reader comparing two snapshots knows which of the recent
    ``renders`` are new."""

    hits: int = 0
    misses: int = 0
    shared_hits: int = 0  # of the hits, those read from the answers another worker rendered
    waited_hits: int = 0  # of the hits, those that waited for another thread's render
    renders: dict[str, list[RenderTime]] = field(default_factory=dict)  # the latest, by label
    rendered_total: dict[str, int] = field(default_factory=dict)

    @property
    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def rendered(self, label: str, render: RenderTime) -> None:
        history = self.renders.setdefault(label, [])
        history.append(render)
        del history[:-RENDER_HISTORY]
        self.rendered_total[label] = self.rendered_total.get(label, 0) + 1


class ResponseCache:
    """A thread-safe LRU of answers bounded by their total size in bytes, in front of the
    answers every worker shares on disk (when given)."""

    def __init__(self, max_bytes: int, shared: SharedAnswers | None = None):
        self.max_bytes = max_bytes
        self.shared = shared
        self._answers: OrderedDict[tuple[str, str], CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._rendering: dict[tuple[str, str], threading.Event] = {}
        self.stats = AnswerStats()

    def missed(self) -> None:
        """A look-up that found no answer: the caller renders it."""
        with self._lock:
            self.stats.misses += 1

    def answer_or_claim(
        self, key: tuple[str, str], timeout: float
    ) -> tuple[CachedAnswer | None, bool]:
        """The stored answer, or the one another thread is rendering right now (waiting up
        to ``timeout`` for it). Without one the caller renders it; the flag says whether it
        holds the claim on that render (then it must ``release`` it when done)."""
        answer = self.lookup(key)
        if answer is not None:
            return answer, False
        rendering = self.claim(key)
        if rendering is not None:
            return self.wait_for(key, rendering, timeout), False
        answer = self.lookup(key)  # stored between the first look and the claim
        if answer is not None:
            self.release(key)
            return answer, False
        self.missed()
        return None, True

    def claim(self, key: tuple[str, str]) -> threading.Event | None:
        """Take the render of ``key`` (None: the caller renders it and must ``release``), or
        the event that another thread's render of it sets when done."""
        with self._lock:
            if key in self._rendering:
                return self._rendering[key]
            self._rendering[key] = threading.Event()
            return None

    def release(self, key: tuple[str, str]) -> None:
        """The render of ``key`` is over (stored or failed): wake the threads waiting on it."""
        with self._lock:
            done = self._rendering.pop(key, None)
        if done is not None:
            done.set()

    def wait_for(
        self, key: tuple[str, str], done: threading.Event, timeout: float
    ) -> CachedAnswer | None:
        """The answer another thread was rendering, once it is stored; None when that render
        failed or took longer than ``timeout`` (the caller then renders it itself)."""
        done.wait(timeout)
        answer = self.lookup(key)
        if answer is None:
            self.missed()
            return None
        with self._lock:
            self.stats.waited_hits += 1
        return answer

    def lookup(self, key: tuple[str, str]) -> CachedAnswer | None:
        """The stored answer, in memory or shared on disk (counted as a hit), or None."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                self.stats.hits += 1
                return answer
        gzipped = self.shared.read(key) if self.shared is not None else None
        if gzipped is None:
            return None
        answer = CachedAnswer(gzipped)
        self._remember(key, answer)
        with self._lock:
            self.stats.hits += 1
            self.stats.shared_hits += 1
        return answer

    def put(self, key: tuple[str, str], answer: CachedAnswer) -> None:
        self._remember(key, answer)
        if self.shared is not None:
            self.shared.write(key, answer.gzipped)

    def _remember(self, key: tuple[str, str], answer: CachedAnswer) -> None:
        if answer.size > self.max_bytes:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._answers[key] = answer
            self._bytes += answer.size
            while self._bytes > self.max_bytes:
                _, evicted = self._answers.popitem(last=False)
                self._bytes -= evicted.size

    def rendered(self, label: str, render: RenderTime) -> None:
        with self._lock:
            self.stats.rendered(label, render)

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def bytes(self) -> int:
        return self._bytes


def max_bytes_from_environment() -> int:
    """LSR_RESPONSE_CACHE_MB per worker (0 turns the cache off)."""
    megabytes = float(os.environ.get("LSR_RESPONSE_CACHE_MB", DEFAULT_MAX_MEGABYTES))
    return int(megabytes * 1024 * 1024)


def request_key(version: str | None, outputs: frozenset[str] = PURE_OUTPUTS) -> tuple | None:
    """The cache key of the current callback request, or None when it must be computed."""
    request = flask.request
    if not version or request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
        return None
    payload = request.get_json(silent=True, cache=True)  # Dash reads the same parsed body
    if not isinstance(payload, dict):
        return None
    declared = payload.get("outputs")
    declared = declared if isinstance(declared, list) else [declared]
    ids = [output.get("id") for output in declared if isinstance(output, dict)]
    # pattern-matching outputs have dict ids: never in the pure list
    if not ids or not all(isinstance(id_, str) and id_ in outputs for id_ in ids):
        return None
    canonical = json.dumps(canonical_request(payload), sort_keys=True).encode()
    return version, hashlib.sha256(canonical).hexdigest()


def canonical_request(payload: dict) -> dict:
    """What a pure callback's answer depends on: its output and inputs, with a location's
    query string reduced to the parameters pages read (first value each, sorted)."""
    items = [item for item in payload.get("inputs") or [] if isinstance(item, dict)]
    pathname = next((i.get("value") for i in items if i.get("property") == "pathname"), None)
    inputs = {}
    for item in items:
        value = item.get("value")
        if item.get("property") == "search" and isinstance(value, str):
            value = canonical_search(value, page_label(pathname))
        inputs[f"{item.get('id')}.{item.get('property')}"] = value
    return {"output": payload.get("output"), "inputs": inputs}


def canonical_search(search: str, label: str) -> list[tuple[str, str]]:
    """The parameters the page at ``label`` reads, first value each, in name order (a page
    not listed keeps every parameter: never a wrong answer, at worst a duplicate)."""
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    read = query_parameters().get(label)
    return sorted(
        (name, values[0]) for name, values in parsed.items() if read is None or name in read
    )


def query_parameters() -> dict[str, frozenset[str]]:
    """The query parameters each page reads, by its path: what it declares where it registers
    (``reads=``; tests/dashboard/serving/test_response_cache.py checks them against the
    sources). A parameter left out would make that page's views share one cached answer."""
    return {
        page["path"]: frozenset(page["reads"])
        for page in dash.page_registry.values()
        if page.get("reads") is not None
    }


def page_label(pathname: object) -> str:
    """``/area`` for ``/area/E08000012``: the page a path shows."""
    path = str(pathname or "/").strip("/")
    return "/" + path.split("/")[0] if path else "/"


def request_label() -> str:
    """The page a router request renders (``/area`` for ``/area/E08000012``), else the
    callback's output spec."""
    payload = flask.request.get_json(silent=True, cache=True) or {}
    for item in payload.get("inputs") or []:
        if isinstance(item, dict) and item.get("property") == "pathname":
            label = page_label(item.get("value"))
            return label if label in query_parameters() else OTHER_LABEL
    return OTHER_LABEL


def accepts_gzip() -> bool:
    return "gzip" in flask.request.headers.get("Accept-Encoding", "").lower()


def send(response: flask.Response, answer: CachedAnswer, outcome: str) -> flask.Response:
    """``response`` carrying ``answer`` in the encoding the client accepts (compressed here,
    so flask-compress leaves it alone), marked as a cache hit or miss."""
    if accepts_gzip():
        response.set_data(answer.gzipped)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(answer.body)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["X-Answer-Cache"] = outcome
    return response


def install(server: flask.Flask, cache: ResponseCache) -> None:
    """Serve pure callbacks from ``cache``; call after the data-version pin is installed."""
    if cache.max_bytes <= 0:
        return

    @server.before_request
    def answer_from_cache() -> flask.Response | None:
        key = request_key(getattr(flask.g, "data_version", None))
        if key is None:
            return None
        # the same view asked for by several users at once (as after a publish) is rendered
        # by one thread; the others wait for its answer instead of rendering it too
        answer, claimed = cache.answer_or_claim(key, RENDER_WAIT_SECONDS)
        if claimed:
            flask.g.answer_claimed = key
        if answer is None:
            flask.g.answer_cache_key = key
            flask.g.answer_started = (time.perf_counter(), time.thread_time())
            return None
        return send(flask.Response(status=answer.status, mimetype=answer.mimetype), answer, "hit")

    @server.teardown_request
    def release_claim(_error: BaseException | None) -> None:
        key = flask.g.pop("answer_claimed", None)
        if key is not None:
            cache.release(key)

    @server.after_request
    def keep_answer(response: flask.Response) -> flask.Response:
        key = getattr(flask.g, "answer_cache_key", None)
        if (
            key is None
            or response.status_code != 200
            or response.mimetype != JSON
            or "Content-Encoding" in response.headers
        ):
            return response
        answer = CachedAnswer(gzip.compress(response.get_data(), compresslevel=GZIP_LEVEL, mtime=0))
        cache.put(key, answer)
        wall, cpu = flask.g.answer_started
        cache.rendered(
            request_label(), RenderTime(time.perf_counter() - wall, time.thread_time() - cpu)
        )
        return send(response, answer, "miss")
