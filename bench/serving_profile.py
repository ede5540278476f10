"""Where a slow callback spends its time: the recorded request run in-process through the
Flask test client under cProfile, against the same published data."""

from __future__ import annotations

import cProfile
import io
import pstats
from pathlib import Path

from bench.serving_browser import CALLBACK_PATH, Capture


def profile_callback(data_dir: Path, capture: Capture, *, rounds: int = 5, top: int = 18) -> str:
    """The ``top`` functions by cumulative time over ``rounds`` warm calls (one call first
    warms the result cache, as on the benchmarked server)."""
    from app import create_app

    client = create_app(data_dir).server.test_client()
    headers = {"Content-Type": "application/json"}
    client.post(CALLBACK_PATH, data=capture.body, headers=headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.post(CALLBACK_PATH, data=capture.body, headers=headers)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "\n".join(lines[2:])
