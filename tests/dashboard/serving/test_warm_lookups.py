"""Per-version look-ups are built in the background once per version a worker serves."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import flask
import pytest

from dashboard.serving import warm_lookups


class PinRecorder:
    """Stands in for the store: records the version each warmer ran pinned to."""

    def __init__(self):
        self.pinned: str | None = None

    @contextmanager
    def pinned_to(self, version):
        self.pinned = version
        try:
            yield
        finally:
            self.pinned = None


@pytest.fixture()
def warmers(monkeypatch):
    registered = []
    monkeypatch.setattr(warm_lookups, "_WARMERS", registered)
    return registered


def served(store) -> flask.Flask:
    server = flask.Flask(__name__)

    @server.before_request
    def pin() -> None:  # as operations.install does, from a header here
        flask.g.data_version = flask.request.headers.get("X-Version")

    warm_lookups.install(server, store)
    server.add_url_rule("/", "index", lambda: "ok")
    return server


def test_each_version_is_warmed_once_pinned_to_it(warmers):
    store, seen, done = PinRecorder(), [], threading.Semaphore(0)

    def warm(given):
        seen.append((given.pinned, threading.current_thread().name))
        done.release()

    warm_lookups.register(warm)
    warm_lookups.register(warm)  # registered once only
    client = served(store).test_client()
    for version in ("v1", "v1", "v2", "v1", "v2"):
        client.get("/", headers={"X-Version": version})
    assert done.acquire(timeout=5) and done.acquire(timeout=5)
    assert not done.acquire(timeout=0.3)  # no third run
    assert sorted(seen) == [("v1", "warm-lookups"), ("v2", "warm-lookups")]


def test_a_failing_warmer_is_logged_and_the_next_still_runs(warmers, caplog):
    store, ran = PinRecorder(), []

    def broken(_store):
        raise RuntimeError("no data")

    warm_lookups.register(broken)
    warm_lookups.register(lambda given: ran.append(given.pinned))
    warm_lookups.warm_version(store, "v9")
    assert ran == ["v9"]
    assert "warming" in caplog.text and "v9" in caplog.text


def test_off_unless_the_server_turns_it_on(monkeypatch):
    monkeypatch.delenv(warm_lookups.ENVIRONMENT_VARIABLE, raising=False)
    assert not warm_lookups.enabled()
    monkeypatch.setenv(warm_lookups.ENVIRONMENT_VARIABLE, "1")
    assert warm_lookups.enabled()
