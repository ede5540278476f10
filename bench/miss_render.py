"""Where a page render on an answer-cache miss spends its time, in-process.

    python -m bench.miss_render [--data-dir data/parquet] [--views 12] [--profile KIND]

Builds the app on the published data with the answer cache off (every request renders, as
the first request for a view does on the server) and sends the pages router request of views
nobody asked for before (``bench.serving_distinct.views``: a new council each time) through
Flask's test client, one at a time. Per page kind: wall and CPU milliseconds per render (CPU:
``time.process_time``, every thread of the process, DuckDB's included, so it is comparable on
a machine busy with other work), the SQL queries run and their seconds, and the answer's size.
The first render of each page (each family page has its own) is not counted: imports and what
is built once per data version (look-ups over every council); those renders print apart. As on
the server, what building the app left in memory is frozen out of garbage collection first
(``dashboard.serving.heap``). With ``--profile KIND`` the renders of that kind run under
cProfile and the top functions print.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench import serving_distinct
from bench.serving_browser import CALLBACK_PATH
from bench.serving_stats import percentile

KINDS = serving_distinct.KINDS


@dataclass(frozen=True)
class Render:
    kind: str
    href: str
    wall_ms: float
    cpu_ms: float
    queries: int  # SQL files run (result-cache misses)
    query_ms: float
    derived: int  # derived frames computed (statistics, judgements)
    kilobytes: float


def _query_counts(store) -> dict[str, int]:
    return {name: len(times) for name, times in store.cache.stats.per_query.items()}


def _first_of_page(view) -> str:
    """The page whose first render builds its per-version look-ups: each family page has
    its own series; the profile and explorer pages share theirs across areas and metrics."""
    return view.pathname if view.kind == serving_distinct.FAMILY else view.kind


def render_views(data_dir: Path, per_kind: int, *, profile_kind: str | None = None):
    """Renders of ``per_kind`` new views of each kind (after one uncounted warm-up each),
    and the cProfile stats of ``profile_kind``'s renders (or None)."""
    os.environ["LSR_RESPONSE_CACHE_MB"] = "0"  # every request renders
    from app import create_app
    from dashboard import context
    from dashboard.serving.heap import freeze_startup_objects

    app = create_app(data_dir)
    client = app.server.test_client()
    client.get("/")  # Dash registers the pages router on the first request
    freeze_startup_objects()  # as gunicorn.conf.py does before forking the workers
    store = context.store()
    offer = serving_distinct.offer(data_dir)
    firsts = {kind: 1 for kind in KINDS} | {serving_distinct.FAMILY: len(offer.families)}
    chosen = serving_distinct.take(
        serving_distinct.views(offer), {kind: per_kind + firsts[kind] for kind in KINDS}
    )
    warmed: set[str] = set()
    profiler = cProfile.Profile() if profile_kind else None
    renders, firsts = [], []
    for view in chosen:
        body = serving_distinct.router_body(None, view)
        before_counts = _query_counts(store)
        before_seconds = store.cache.stats.query_seconds
        first = _first_of_page(view) not in warmed
        profiling = profiler is not None and view.kind == profile_kind and not first
        wall, cpu = time.perf_counter(), time.process_time()
        if profiling:
            profiler.enable()
        response = client.post(
            CALLBACK_PATH,
            data=body,
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        )
        if profiling:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if response.status_code != 200:
            raise RuntimeError(f"{view.href}: {response.status_code}")
        after = _query_counts(store)
        ran = {name: after[name] - before_counts.get(name, 0) for name in after}
        warmed.add(_first_of_page(view))
        (firsts if first else renders).append(
            Render(
                view.kind,
                view.href,
                wall * 1000,
                cpu * 1000,
                sum(n for name, n in ran.items() if ":" not in name),
                (store.cache.stats.query_seconds - before_seconds) * 1000,
                sum(n for name, n in ran.items() if ":" in name),
                len(response.data) / 1024,
            )
        )
    return renders, firsts, profiler


def table(renders: list[Render]) -> list[str]:
    """Per kind: p50 and p95 of wall and CPU ms, mean queries (and their ms) and answer KiB.
    Query ms include the derived frames' computation (cached alike)."""
    lines = [
        f"  {'page':<9} {'n':>3} {'wall p50':>9} {'wall p95':>9} {'CPU p50':>8} {'CPU p95':>8}"
        f" {'SQL/render':>10} {'cached ms':>9} {'derived':>7} {'KiB':>6}"
    ]
    by_kind = defaultdict(list)
    for render in renders:
        by_kind[render.kind].append(render)
    for kind, mine in by_kind.items():
        wall = [r.wall_ms for r in mine]
        cpu = [r.cpu_ms for r in mine]
        lines.append(
            f"  {kind:<9} {len(mine):>3} {percentile(wall, 50):>9.0f} {percentile(wall, 95):>9.0f}"
            f" {percentile(cpu, 50):>8.0f} {percentile(cpu, 95):>8.0f}"
            f" {statistics.mean(r.queries for r in mine):>10.1f}"
            f" {statistics.mean(r.query_ms for r in mine):>9.0f}"
            f" {statistics.mean(r.derived for r in mine):>7.1f}"
            f" {statistics.mean(r.kilobytes for r in mine):>6.0f}"
        )
    return lines


def profile_lines(profiler: cProfile.Profile, top: int) -> list[str]:
    lines = []
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        lines += [f"-- by {order}"] + [
            line for line in out.getvalue().splitlines()[4:] if line.strip()
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data/parquet"))
    parser.add_argument("--views", type=int, default=12, help="new views per page kind")
    parser.add_argument("--profile", choices=KINDS, help="cProfile this kind's renders")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    renders, firsts, profiler = render_views(args.data_dir, args.views, profile_kind=args.profile)
    print("\n".join(table(renders)))
    print("first render of each page (imports, per-version look-ups), not counted above:")
    for render in firsts:
        print(f"  {render.href:<40} wall {render.wall_ms:>6.0f} ms, CPU {render.cpu_ms:>6.0f} ms")
    print(f"load average {os.getloadavg()[0]:.2f}")
    if profiler is not None:
        print("\n".join(profile_lines(profiler, args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
