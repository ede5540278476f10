"""The HTTP half of the serving benchmark: replay recorded callback requests against the warm
server, and simulated users clicking through pages, over keep-alive loopback connections.

Users are threads with the standard library's http.client (no extra dependency): the client
waits on sockets, so 20 threads measure the server, not the client.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.serving_browser import CALLBACK_PATH, Capture

REQUEST_TIMEOUT_SECONDS = 30
HEADERS = {"Accept-Encoding": "gzip", "Accept": "application/json"}
# a keep-alive connection the server closed before this request: no answer was ever started
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


@dataclass(frozen=True)
class Result:
    """One request as the benchmark saw it; ``started`` is time.monotonic()."""

    kind: str  # "page" or the callback's name
    started: float
    seconds: float
    status: int  # 0: no answer (connection error or timeout)
    version: str | None
    size: int
    cache: str | None = None  # X-Answer-Cache: "hit" or "miss" on a cached callback


class Client:
    """One keep-alive connection to the server, reopened after an error."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None, *, kind: str) -> Result:
        """One request; sent again once on a fresh connection when a reused one turns out to
        have been closed by the server (its keep-alive ran out while the user was reading),
        as browsers do."""
        headers = dict(HEADERS)
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        for attempt in ("reused", "fresh") if self._connection is not None else ("fresh",):
            try:
                return self._send(method, path, body, headers, kind, started)
            except (OSError, http.client.HTTPException) as error:
                self.close()
                if attempt == "fresh" or not isinstance(error, STALE_CONNECTION):
                    break
        return Result(kind, started, time.monotonic() - started, 0, None, 0)

    def _send(
        self, method: str, path: str, body: str | None, headers: dict, kind: str, started: float
    ) -> Result:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT_SECONDS
            )
        self._connection.request(method, path, body=body, headers=headers)
        response = self._connection.getresponse()
        payload = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Result(
            kind,
            started,
            time.monotonic() - started,
            response.status,
            response.getheader("X-Data-Version"),
            len(payload),
            response.getheader("X-Answer-Cache"),
        )

    def get(self, path: str, *, kind: str = "page") -> Result:
        return self.request("GET", path, kind=kind)

    def callback(self, capture: Capture) -> Result:
        return self.request("POST", CALLBACK_PATH, capture.body, kind=capture.name)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def replay(base_url: str, captures: Sequence[Capture], repeats: int) -> list[Result]:
    """``repeats`` rounds over ``captures`` in order, one at a time: latency without load."""
    client = Client(base_url)
    results = [client.callback(capture) for _ in range(repeats) for capture in captures]
    client.close()
    return results


@dataclass(frozen=True)
class Visit:
    """What one simulated user does on one page: load it, then its callbacks in order."""

    href: str
    callbacks: tuple[Capture, ...]


def run_users(
    base_url: str,
    visits: Sequence[Visit],
    *,
    users: int,
    duration: float,
    think_seconds: float = 0.2,
    seed: int = 0,
    stop: threading.Event | None = None,
) -> list[Result]:
    """``users`` threads, each clicking through ``visits`` from its own random starting page,
    pausing 0–``think_seconds`` between requests, for ``duration`` seconds or until ``stop``
    is set; a request in flight at the end finishes."""
    stop = stop or threading.Event()
    results: list[Result] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def user(number: int) -> None:
        chooser = random.Random(seed * 1000 + number)
        client = Client(base_url)
        position = chooser.randrange(len(visits))
        mine: list[Result] = []
        while not stop.is_set():
            visit = visits[position % len(visits)]
            position += 1
            steps = [lambda v=visit: client.get(v.href)]
            steps += [lambda c=capture: client.callback(c) for capture in visit.callbacks]
            for step in steps:
                if stop.is_set() or time.monotonic() >= deadline:
                    stop.set()
                    break
                mine.append(step())
                time.sleep(chooser.uniform(0, think_seconds))
        client.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + REQUEST_TIMEOUT_SECONDS + 5)
    return sorted(results, key=lambda result: result.started)
