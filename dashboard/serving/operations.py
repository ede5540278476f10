"""Operational endpoints and HTTP settings: /metrics, compression, static cache headers, the
per-request data-version pin and the cache of finished callback answers.

Kept out of the pages: this is what an operator (or bench/serving.py) reads, not a user.
"""

from __future__ import annotations

import hmac
import os

import dash
import flask
import numpy as np
from dash import Input, Output, no_update

from dashboard.serving import response_cache, warm_lookups
from dashboard.serving.response_cache import RenderTime, ResponseCache
from dashboard.serving.shared_answers import SharedAnswers
from queries.store import DataNotPublishedError, DataStore

STATIC_MAX_AGE_SECONDS = 24 * 3600
METRICS_TOKEN_VARIABLE = "LSR_METRICS_TOKEN"
PROBE_ID = "lsr-probe"  # no component has this id, so no page ever fires the probe


def register_probe(app: dash.Dash) -> None:
    """A callback that does nothing (``no_update``: an empty answer): what Flask, the
    data-version pin and Dash's dispatch cost on the live server, with no work of ours. The
    serving benchmark measures every callback as a ratio to it."""

    @app.callback(
        Output(PROBE_ID, "children"), Input(PROBE_ID, "n_clicks"), prevent_initial_call=True
    )
    def probe(_clicks: int | None) -> object:
        return no_update


def probe_request() -> dict:
    """The body a browser would send if the probe's input changed."""
    return {
        "output": f"{PROBE_ID}.children",
        "outputs": {"id": PROBE_ID, "property": "children"},
        "inputs": [{"id": PROBE_ID, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{PROBE_ID}.n_clicks"],
        "state": [],
    }


def metrics_payload(store: DataStore, answers: ResponseCache | None = None) -> dict:
    """Cache hit ratios and per-query timings of this worker, and the data version it serves."""
    stats = store.cache.stats
    try:
        version = store.version
    except DataNotPublishedError:
        version = None
    queries = {name: timing_summary(seconds) for name, seconds in sorted(stats.per_query.items())}
    return {
        "pid": os.getpid(),
        "data_version": version,
        "cache": {
            "hits": stats.hits,
            "misses": stats.misses,
            "hit_ratio": round(stats.hit_ratio, 4),
            "entries": len(store.cache),
        },
        "answer_cache": None if answers is None else answer_stats(answers),
        "query_seconds_total": round(stats.query_seconds, 4),
        "queries": queries,
    }


def timing_summary(seconds: list[float]) -> dict:
    milliseconds = np.asarray(seconds) * 1000
    return {
        "count": len(seconds),
        "p50_ms": round(float(np.percentile(milliseconds, 50)), 2),
        "p95_ms": round(float(np.percentile(milliseconds, 95)), 2),
        "max_ms": round(float(milliseconds.max()), 2),
    }


def answer_stats(answers: ResponseCache) -> dict:
    """The answer cache's counts and, per page, its renders on a miss: wall and thread-CPU
    summaries of the latest, every render counted (``total``) and the latest themselves
    (``recent``, [wall ms, CPU ms] oldest first), so two snapshots give the renders between."""
    renders = {label: list(times) for label, times in answers.stats.renders.items()}
    return {
        "hits": answers.stats.hits,
        "misses": answers.stats.misses,
        "hit_ratio": round(answers.stats.hit_ratio, 4),
        "shared_hits": answers.stats.shared_hits,
        "waited_hits": answers.stats.waited_hits,
        "entries": len(answers),
        "megabytes": round(answers.bytes / 1024 / 1024, 2),
        "render_on_miss": {
            label: render_summary(times, answers.stats.rendered_total[label])
            for label, times in sorted(renders.items())
        },
    }


def render_summary(renders: list[RenderTime], total: int) -> dict:
    cpu = timing_summary([render.cpu_seconds for render in renders])
    return {
        **timing_summary([render.seconds for render in renders]),
        "cpu_p50_ms": cpu["p50_ms"],
        "cpu_p95_ms": cpu["p95_ms"],
        "total": total,
        "recent": [
            [round(render.seconds * 1000, 2), round(render.cpu_seconds * 1000, 2)]
            for render in renders
        ],
    }


def metrics_allowed(request: flask.Request, token: str) -> bool:
    """/metrics is for the operator: only with the token of LSR_METRICS_TOKEN, sent as
    ``Authorization: Bearer <token>``; without a configured token it does not exist (404)."""
    if not token:
        return False
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(sent.encode(), token.encode())


def install(server: flask.Flask, store: DataStore, answers: ResponseCache | None = None) -> None:
    """Add /metrics and /healthz, the version pin, cache headers for static files and the
    answer cache (compression itself is Dash's ``compress=True``)."""
    if answers is None:  # (an empty cache is falsy: it has a length)
        answers = ResponseCache(
            response_cache.max_bytes_from_environment(), shared=SharedAnswers(store.data_dir)
        )
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE_SECONDS

    @server.before_request
    def pin_data_version() -> None:
        try:
            flask.g.data_version = store.pin()
        except DataNotPublishedError:
            flask.g.data_version = None

    @server.after_request
    def report_data_version(response: flask.Response) -> flask.Response:
        if getattr(flask.g, "data_version", None):
            response.headers["X-Data-Version"] = flask.g.data_version
        return response

    response_cache.install(server, answers)  # after the pin: answers are keyed by version
    if warm_lookups.enabled():
        warm_lookups.install(server, store)  # after the pin: it reads the pinned version

    @server.teardown_request
    def unpin_data_version(_error: BaseException | None) -> None:
        store.unpin()

    token = os.environ.get(METRICS_TOKEN_VARIABLE, "")
    server.config.setdefault("LSR_METRICS_TOKEN", token)

    @server.route("/metrics")
    def metrics():  # noqa: ANN202 - Flask view
        if not metrics_allowed(flask.request, server.config.get("LSR_METRICS_TOKEN", "")):
            flask.abort(404)
        return flask.jsonify(metrics_payload(store, answers))

    @server.route("/healthz")
    def healthz():  # noqa: ANN202 - Flask view
        try:
            return flask.jsonify({"status": "ok", "data_version": store.version})
        except DataNotPublishedError as error:
            return flask.jsonify({"status": "no data", "detail": str(error)}), 503
