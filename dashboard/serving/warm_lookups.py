"""Look-ups a page builds once per data version (a family page's series for every council),
built in a background thread when a worker first serves a version: after a publish or a
worker start the first user of a page then finds them ready instead of waiting seconds for
them. Features register what to build (``register``); nothing here renders a view.

On in ``lsr serve`` (gunicorn.conf.py sets ``LSR_WARM_LOOKUPS=1``); off elsewhere, so tests
and in-process benchmarks measure exactly the requests they send.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import flask

from queries.store import DataStore

ENVIRONMENT_VARIABLE = "LSR_WARM_LOOKUPS"
_WARMERS: list[Callable[[DataStore], None]] = []
log = logging.getLogger(__name__)


def register(warm: Callable[[DataStore], None]) -> None:
    """``warm(store)`` builds a feature's per-version look-ups (the store is pinned)."""
    if warm not in _WARMERS:
        _WARMERS.append(warm)


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT_VARIABLE, "0") == "1"


def install(server: flask.Flask, store: DataStore) -> None:
    """After the version pin: the first request of each version starts the warm-up thread."""
    warmed: set[str] = set()
    lock = threading.Lock()

    @server.before_request
    def warm_a_new_version() -> None:
        version = getattr(flask.g, "data_version", None)
        if not version or version in warmed:
            return
        with lock:
            if version in warmed:
                return
            warmed.add(version)
        threading.Thread(
            target=warm_version, args=(store, version), name="warm-lookups", daemon=True
        ).start()


def warm_version(store: DataStore, version: str) -> None:
    """Every registered warmer on ``version``; a failure is logged, never raised (the pages
    build the same look-ups on demand)."""
    with store.pinned_to(version):
        for warm in list(_WARMERS):
            try:
                warm(store)
            except Exception:  # noqa: BLE001 - a warm-up must never take a worker down
                log.exception("warming %s for version %s failed", warm.__qualname__, version)
