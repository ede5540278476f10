"""Operational endpoints and HTTP settings: /metrics, compression, static cache headers.

Kept out of the pages: this is what an operator (or bench/serving.py) reads, not a user.
"""

from __future__ import annotations

import os

import flask
import numpy as np

from queries.store import DataNotPublishedError, DataStore

STATIC_MAX_AGE_SECONDS = 24 * 3600


def metrics_payload(store: DataStore) -> dict:
    """Cache hit ratio and per-query timings of this worker, and the data version it serves."""
    stats = store.cache.stats
    try:
        version = store.version
    except DataNotPublishedError:
        version = None
    queries = {}
    for name, seconds in sorted(stats.per_query.items()):
        milliseconds = np.asarray(seconds) * 1000
        queries[name] = {
            "count": len(seconds),
            "p50_ms": round(float(np.percentile(milliseconds, 50)), 2),
            "p95_ms": round(float(np.percentile(milliseconds, 95)), 2),
        }
    return {
        "pid": os.getpid(),
        "data_version": version,
        "cache": {
            "hits": stats.hits,
            "misses": stats.misses,
            "hit_ratio": round(stats.hit_ratio, 4),
            "entries": len(store.cache),
        },
        "query_seconds_total": round(stats.query_seconds, 4),
        "queries": queries,
    }


def install(server: flask.Flask, store: DataStore) -> None:
    """Add /metrics and /healthz, cache headers for static files and gzip compression."""
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

    @server.teardown_request
    def unpin_data_version(_error: BaseException | None) -> None:
        store.unpin()

    @server.route("/metrics")
    def metrics():  # noqa: ANN202 - Flask view
        return flask.jsonify(metrics_payload(store))

    @server.route("/healthz")
    def healthz():  # noqa: ANN202 - Flask view
        try:
            return flask.jsonify({"status": "ok", "data_version": store.version})
        except DataNotPublishedError as error:
            return flask.jsonify({"status": "no data", "detail": str(error)}), 503
