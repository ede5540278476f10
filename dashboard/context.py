"""Where pages find the DataStore: set once by create_app, read by callbacks.

Dash pages are modules registered at import time, so the store is injected here rather than
passed through every callback.
"""

from __future__ import annotations

from queries.store import DataStore

_store: DataStore | None = None


def set_store(store: DataStore) -> None:
    global _store
    _store = store


def store() -> DataStore:
    if _store is None:
        raise RuntimeError("the dashboard has no DataStore; build it with app.create_app()")
    return _store
