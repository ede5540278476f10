"""Benchmark: the real server (`lsr serve`, gunicorn) under realistic callback traffic.

    python -m bench.serving [--duration 60] [--users 20] [--repeats 20] [--workers 2]
                            [--data-dir DIR] [--skip-refresh] [--skip-page-loads]
                            [--fresh-clone] [--profile]

Builds the demo data into a temporary directory, starts `lsr serve` on a free loopback port,
discovers the pages from the navigation and records the callback requests Chromium sends while
each page's controls are changed, then measures, side by side in one run:

a. each callback replayed one at a time (p50/p95, ratio to a no_update callback: the whole
   Flask + Dash dispatch and the data-version pin, but no queries);
b. simulated users clicking through pages (page GET + that page's callbacks, think time);
c. a refresh (`lsr demo --seed …`) published under that load: no failed request, every response
   carries the old or the new X-Data-Version, and only the new one once CURRENT has switched;
d. page load in Chromium until every chart is drawn, cold and warm;
e. with --fresh-clone: `make run` on a fresh clone of HEAD until /healthz answers;
f. views nobody asked for before (bench.serving_distinct): 16 Area profiles, 16 explorer views
   and 8 family pages in Chromium (static assets cached), one at a time, with the server's own
   render time of each (from /metrics before and after: judged), then users loading only new
   views, with the server's render times under that load (printed, not judged).
Also the initial payload size and the /metrics cache hit ratio after the load.
Other work on the machine inflates every latency, so the load average is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from bench import serving_browser, serving_distinct, serving_http, serving_misses
from bench.serving_stats import (
    Response,
    Summary,
    check_versions,
    format_bytes,
    ratio_table,
    summarise,
)
from dashboard.serving.operations import probe_request

ROOT = Path(__file__).resolve().parents[1]
METRICS_TOKEN = secrets.token_hex(16)  # /metrics answers only with the token (issue 15)
LSR = [sys.executable, "-m", "lsr.cli"]  # the `lsr` command of this interpreter
START_TIMEOUT_SECONDS = 120
TARGETS = {
    "callback_ms": 100,
    "callback_ratio": 3,
    "load_p95_ms": 300,
    "page_s": 2,
    "miss_render_p95_ms": 150,
}
OTHER_SEED = 20180401
PROBE_GROUP = "(probe)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_for_health(url: str, process: subprocess.Popen, timeout: float) -> float:
    """Seconds until ``url`` answers 200; raises if the process exits or time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def group_cpu_seconds(group: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of process ``group``
    (the server: gunicorn's master and workers), read from /proc; 0.0 where there is none."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone, or not a process
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def build_demo(data_dir: Path, *, seed: int | None = None) -> tuple[str, float]:
    """Run `lsr demo`; the published version and the seconds it took."""
    command = [*LSR, "--data-dir", str(data_dir), "demo", "--no-progress"]
    if seed is not None:
        command += ["--seed", str(seed)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    match = re.search(r"version (\S+)", done.stdout)
    if match is None:
        raise RuntimeError(f"lsr demo printed no version: {done.stdout!r}")
    return match.group(1), time.monotonic() - started


def start_server(
    data_dir: Path, port: int, workers: int, workdir: Path, threads: int | None = None
) -> subprocess.Popen:
    """`lsr serve` with its answers shared on disk in ``workdir`` (not the data directory:
    answers an earlier run left there would make new views cache hits); ``threads`` per
    worker overrides gunicorn.conf.py's (through GUNICORN_CMD_ARGS)."""
    command = [*LSR, "--data-dir", str(data_dir), "serve", "--workers", str(workers)]
    env = {
        **os.environ,
        "LSR_METRICS_TOKEN": METRICS_TOKEN,
        "LSR_ANSWERS_DIR": str(workdir / "answers"),
    }
    if threads is not None:
        env["GUNICORN_CMD_ARGS"] = f"--threads {threads}"
    log = workdir / "server.log"
    return subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def payload_sizes(base_url: str) -> list[str]:
    """Bytes of what every first visit fetches before any callback, gzip and identity."""
    client = serving_http.Client(base_url)
    lines, totals = [], {"gzip": 0, "identity": 0}
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        sizes = {}
        for encoding in totals:
            serving_http.HEADERS["Accept-Encoding"] = encoding
            sizes[encoding] = client.get(path).size
            totals[encoding] += sizes[encoding]
        lines.append(
            f"  {path:<20} {format_bytes(sizes['gzip']):>10} gzip  "
            f"{format_bytes(sizes['identity']):>10} uncompressed"
        )
    serving_http.HEADERS["Accept-Encoding"] = "gzip"
    client.close()
    lines.append(
        f"  {'total':<20} {format_bytes(totals['gzip']):>10} gzip  "
        f"{format_bytes(totals['identity']):>10} uncompressed"
    )
    return lines


def worker_metrics(base_url: str, workers: int, tries: int = 40) -> dict[int, dict]:
    """/metrics of every worker, by pid (each request answers for the worker it reached)."""

    seen: dict[int, dict] = {}
    request = urllib.request.Request(
        base_url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    for _ in range(tries):
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = json.load(response)
        seen[payload["pid"]] = payload
        if len(seen) >= workers:
            break
    return seen


def cache_ratio(base_url: str, workers: int) -> list[str]:
    """Query-result and answer cache hits and misses summed over the workers."""
    seen = worker_metrics(base_url, workers)
    lines = []
    for name, label in (("cache", "query-result cache"), ("answer_cache", "answer cache")):
        caches = {pid: payload[name] for pid, payload in seen.items() if payload.get(name)}
        hits = sum(cache["hits"] for cache in caches.values())
        misses = sum(cache["misses"] for cache in caches.values())
        ratio = hits / (hits + misses) if hits + misses else 0.0
        per_worker = ", ".join(
            f"pid {pid}: {c['hit_ratio']:.3f}" for pid, c in sorted(caches.items())
        )
        lines.append(f"{label} hit ratio {ratio:.3f} ({hits} hits, {misses} misses; {per_worker})")
    waited = sum((p.get("answer_cache") or {}).get("waited_hits", 0) for p in seen.values())
    lines.append(f"answers that waited for the same view's render in progress: {waited}")
    return lines


def render_snapshot(base_url: str, workers: int) -> serving_misses.Snapshot:
    return serving_misses.snapshot(worker_metrics(base_url, workers))


def render_on_miss_since_start(base_url: str, workers: int) -> list[str]:
    """Every render on a miss since the server started, all workers pooled (queued renders
    under load included): printed when the distinct views did not run, never judged."""
    renders = serving_misses.renders_between({}, render_snapshot(base_url, workers))
    return serving_misses.render_lines(renders, None)[0]


def replay_callbacks(base_url: str, discovery, repeats: int) -> tuple[dict, dict]:
    """Group the distinct recorded requests by page and callback (each is sent once to warm
    the caches, as on a warm server), then send ``repeats`` per group, cycling through its
    requests; the no-op probe is sent ``repeats`` times too, half before and half after."""
    members: dict[str, list] = defaultdict(list)
    client = serving_http.Client(base_url)
    for page, captures in discovery.by_page().items():
        for capture in {capture.body: capture for capture in captures}.values():
            client.callback(capture)
            members[f"{serving_browser.page_key(page)} {capture.name}"].append(capture)
    probe = serving_browser.Capture("", "probe", json.dumps(probe_request()), "probe")
    client.callback(probe)
    baseline = [client.callback(probe) for _ in range(repeats // 2)]
    groups = {
        key: [client.callback(captures[n % len(captures)]) for n in range(repeats)]
        for key, captures in members.items()
    }
    baseline += [client.callback(probe) for _ in range(repeats - repeats // 2)]
    client.close()
    groups[PROBE_GROUP] = baseline
    return groups, {key: captures[0] for key, captures in members.items()}


def report_callbacks(groups: dict[str, list]) -> tuple[list[str], str | None, bool]:
    """The ratio table against the no-op probe callback (``dashboard.serving.operations``); on a
    server without it, against the group with the lowest p50 (named in the output)."""
    probe = groups.get(PROBE_GROUP)
    if probe:
        baseline_name = "the no-op probe callback, half before and half after the others"
        baseline_seconds = [r.seconds for r in probe]
        groups = {key: rs for key, rs in groups.items() if key != PROBE_GROUP}
    else:  # a server without the probe: the cheapest group
        baseline_name = min(
            groups, key=lambda key: summarise([r.seconds for r in groups[key]]).p50_ms
        )
        baseline_seconds = [r.seconds for r in groups[baseline_name]]
    baseline = summarise(baseline_seconds)
    rows = [(key, summarise([r.seconds for r in rs])) for key, rs in sorted(groups.items())]
    failed = sum(1 for rs in groups.values() for r in rs if r.status >= 400 or r.status == 0)
    table = ratio_table(
        rows,
        baseline,
        target_ms=TARGETS["callback_ms"],
        target_ratio=TARGETS["callback_ratio"],
    )
    slowest = max(rows, key=lambda row: row[1].p95_ms)
    met = all(
        s.p95_ms <= TARGETS["callback_ms"]
        and s.p95_ms <= TARGETS["callback_ratio"] * baseline.p95_ms
        for _, s in rows
    )
    lines = [
        f"baseline ({baseline_name}): p50 {baseline.p50_ms:.1f} ms, "
        f"p95 {baseline.p95_ms:.1f} ms over {baseline.count}",
        table,
        f"failed replays: {failed}",
    ]
    return lines, (slowest[0] if not met else None), met and not failed


def summary_line(label: str, results: list, seconds: float) -> tuple[str, Summary, int]:
    errors = sum(1 for r in results if r.status == 0 or r.status >= 400)
    summary = summarise([r.seconds for r in results])
    line = (
        f"{label}: {len(results)} requests in {seconds:.1f} s "
        f"= {len(results) / seconds:.1f} req/s, "
        f"{errors} errors, p50 {summary.p50_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, "
        f"max {summary.max_ms:.0f} ms"
    )
    return line, summary, errors


def visits_of(discovery) -> list[serving_http.Visit]:
    return [
        serving_http.Visit(href, tuple(captures)) for href, captures in discovery.by_page().items()
    ]


def load_run(base_url: str, discovery, args) -> tuple[list[str], bool]:
    started = time.monotonic()
    results = serving_http.run_users(
        base_url, visits_of(discovery), users=args.users, duration=args.duration
    )
    line, summary, errors = summary_line("all", results, time.monotonic() - started)
    lines = [line]
    for kind in ("page", *sorted({r.kind for r in results} - {"page"})):
        of_kind = [r for r in results if r.kind == kind]
        lines.append("  " + summary_line(kind, of_kind, time.monotonic() - started)[0])
    return lines, summary.p95_ms <= TARGETS["load_p95_ms"] and errors == 0


def refresh_run(base_url: str, discovery, data_dir: Path, args) -> tuple[list[str], bool]:
    """Users click through while `lsr demo --seed …` publishes; load continues for half the
    duration after the switch, so post-switch responses are checked too."""
    with urllib.request.urlopen(base_url + "/healthz", timeout=10) as response:
        old = response.headers["X-Data-Version"]
    stop = threading.Event()
    collected: list = []
    users = threading.Thread(
        target=lambda: collected.extend(
            serving_http.run_users(
                base_url, visits_of(discovery), users=args.users, duration=3600, stop=stop
            )
        )
    )
    started = time.monotonic()
    users.start()
    time.sleep(min(5.0, args.duration / 4))
    try:
        new, publish_seconds = build_demo(data_dir, seed=OTHER_SEED)
        switched_at = time.monotonic()
        time.sleep(max(5.0, args.duration / 2))
    finally:
        stop.set()
        users.join()
    check = check_versions(
        [Response(r.started, r.status, r.version) for r in collected],
        old=old,
        new=new,
        switched_at=switched_at,
    )
    line = summary_line("under refresh", collected, time.monotonic() - started)[0]
    lines = [
        f"published {new} in {publish_seconds:.1f} s under load (old {old})",
        line,
        *check.lines(),
        f"after the switch: {sum(1 for r in collected if r.started >= switched_at)} requests",
    ]
    return lines, check.ok


@contextlib.contextmanager
def busy_cores(count: int):
    """``count`` processes spinning on the CPU for the duration: the page loads again with
    the machine's cores already taken, as on a shared or busy server."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield spinners
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def page_load_report(base_url: str, hrefs: list[str], rounds: int) -> tuple[list[str], bool, bool]:
    """Time every page's loads in Chromium; the table and the two verdicts."""
    return page_load_lines(serving_browser.time_page_loads(base_url, hrefs, rounds=rounds))


def page_load_lines(loads: list[serving_browser.PageLoad]) -> tuple[list[str], bool, bool]:
    """The table, and whether every page met the target on a repeat view (static assets in
    the browser's cache, as on every page after a user's first) and on a first visit. Each
    verdict is on the slowest of the rounds, so one lucky load cannot carry a page."""
    width = max(len(load.href) for load in loads)
    rounds = max(len(load.first_visits) for load in loads)
    lines = [
        f"  {'page':<{width}}  charts  first visit s (median / worst)  repeat view s"
        f" (median / worst)  first visit KiB"
    ]
    for load in loads:
        lines.append(
            f"  {load.href:<{width}}  {load.charts:>6}  {_median_worst(load.first_visits):>31}"
            f"  {_median_worst(load.repeat_views):>31}  {load.first_visit_bytes / 1024:>15,.0f}"
        )
    lines.append(
        f"  ({rounds} rounds; first visit: a fresh browser context, nothing cached; KiB: bytes "
        "over the wire; nan: not drawn in time)"
    )
    limit = TARGETS["page_s"]
    repeat_met = all(worst(load.repeat_views) <= limit for load in loads)
    first_met = all(worst(load.first_visits) <= limit for load in loads)
    return lines, repeat_met, first_met


def worst(seconds: tuple[float, ...]) -> float:
    """The slowest load; nan (not drawn in time) when any load was."""
    return math.nan if any(math.isnan(s) for s in seconds) else max(seconds)


def _median_worst(seconds: tuple[float, ...]) -> str:
    return f"{statistics.median(seconds):.2f} / {worst(seconds):.2f}"


def fresh_clone_run(workdir: Path) -> list[str]:
    """`make run` in a fresh clone of the committed HEAD until /healthz answers."""
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    log = workdir / "make-run.log"
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"},
    )
    try:
        wait_for_health(f"http://127.0.0.1:{port}/healthz", process, timeout=1800)
        return [
            f"fresh clone: `make run` answered /healthz after {time.monotonic() - started:.0f} s"
        ]
    except RuntimeError as error:
        return [f"fresh clone: `make run` failed: {error} (log {log})"]
    finally:
        stop_group(process)


def capacity_line(cpu_seconds: float, views: int) -> str:
    """The server's CPU per new view under the load (page GET and render, every process of
    it), and the views a second the machine's cores could serve at that cost."""
    if not views or cpu_seconds <= 0:
        return "  server CPU per new view: not measured"
    per_view = cpu_seconds / views
    return (
        f"  server CPU per new view (page GET + render, all its processes): "
        f"{per_view * 1000:.0f} ms, so {os.cpu_count()} cores serve at most "
        f"{os.cpu_count() / per_view:.1f} new views a second"
    )


def distinct_runs(
    base_url: str, data_dir: Path, discovery, args, server_group: int
) -> dict[str, bool]:
    """Views nobody asked for before (``bench.serving_distinct``): in Chromium, then under
    load; every view is of a council the discovery's requests never named. The server's own
    render time of each of these misses comes from /metrics snapshots around each step: the
    Chromium run is serial (one view at a time, as the first user of a view on an idle
    server), so its renders are judged; under load they mostly queue, so they print apart."""
    offer = serving_distinct.offer(data_dir)
    skip = serving_distinct.areas_named((c.body for c in discovery.captures), offer.areas)
    source = serving_distinct.views(offer, skip_areas=skip)
    chosen = serving_distinct.take(source, serving_distinct.DISTINCT_COUNTS)
    snapshots = {}

    def before_views() -> None:
        snapshots["serial"] = render_snapshot(base_url, args.workers)

    loads = serving_distinct.time_distinct_views(
        base_url, discovery.pages, chosen, before_views=before_views
    )
    after = render_snapshot(base_url, args.workers)
    serial = serving_misses.renders_between(snapshots["serial"], after)
    lines, distinct_met = serving_distinct.distinct_lines(loads)
    counts = ", ".join(f"{n} {kind}" for kind, n in serving_distinct.DISTINCT_COUNTS.items())
    section(f"f. distinct views in Chromium ({counts}; assets cached, each new)", lines)
    limit = TARGETS["miss_render_p95_ms"]
    lines, miss_met = serving_misses.render_lines(serial, limit)
    section(
        "f. page render on an answer-cache miss, one at a time (server-side, /metrics: the "
        "renders of the Chromium run above; wall ms judged, CPU: the rendering thread's)",
        [*lines, f"  (target: p95 <= {limit} ms on every page)"],
    )
    template = serving_distinct.router_template(discovery.captures)
    started, cpu = time.monotonic(), group_cpu_seconds(server_group)
    results = serving_distinct.uncached_load(
        base_url, source, users=args.users, duration=args.duration, template=template
    )
    cpu = group_cpu_seconds(server_group) - cpu
    lines, load_met = serving_distinct.uncached_lines(results, time.monotonic() - started)
    lines.append(capacity_line(cpu, sum(1 for r in results if r.kind.startswith("render"))))
    section(f"f. {args.users} users for {args.duration:.0f} s, every view new", lines)
    under_load = serving_misses.renders_between(after, render_snapshot(base_url, args.workers))
    section(
        f"f. page render on a miss under that load (server-side, /metrics; not judged: "
        f"{args.users} users on {os.cpu_count()} cores, so mostly waiting for a core)",
        serving_misses.render_lines(under_load, None)[0],
    )
    low, high = serving_distinct.READING_SECONDS
    started = time.monotonic()
    results = serving_distinct.uncached_load(
        base_url,
        source,
        users=args.users,
        duration=2 * args.duration,  # each user reads for seconds: twice as long for a sample
        template=template,
        think_seconds=0,
        reading_seconds=serving_distinct.READING_SECONDS,
    )
    lines = serving_distinct.uncached_lines(results, time.monotonic() - started)[0]
    section(
        f"f. {args.users} users arriving over {high:.0f} s, each reading every new view for "
        f"{low:.0f}–{high:.0f} s before the next, {2 * args.duration:.0f} s (not judged: a model "
        "for the lead to weigh beside the one above)",
        lines,
    )
    return {
        "f. distinct views median ≤ 0.8 s, max ≤ 1.2 s": distinct_met,
        f"f. render on a miss, one at a time, p95 ≤ {limit} ms": miss_met,
        "f. uncached load p95 ≤ 300 ms, 0 errors": load_met,
    }


STARTED = time.monotonic()


def section(title: str, lines: list[str]) -> None:
    """A titled block of results, stamped with the load average and the seconds since start
    (so a slow run shows which step took the time)."""
    elapsed = time.monotonic() - STARTED
    print(f"\n== {title}  [load average {load_average()}; {elapsed:.0f} s]")
    print("\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (b)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=50, help="replays per callback group")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)"
    )
    parser.add_argument("--max-controls", type=int, default=3, help="controls changed per page")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="serve this published data dir instead of a fresh demo build (the refresh "
        "publishes into it)",
    )
    parser.add_argument("--page-rounds", type=int, default=3, help="loads per page (d)")
    parser.add_argument(
        "--busy-cores", type=int, default=0, help="also time page loads beside N busy processes"
    )
    parser.add_argument(
        "--busy-rounds", type=int, default=1, help="loads per page beside the busy processes"
    )
    parser.add_argument("--skip-refresh", action="store_true")
    parser.add_argument("--skip-page-loads", action="store_true")
    parser.add_argument(
        "--skip-distinct", action="store_true", help="leave out the views never asked for (f)"
    )
    parser.add_argument("--fresh-clone", action="store_true", help="also time make run (slow)")
    parser.add_argument("--profile", action="store_true", help="cProfile the slowest callback")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_term)  # so the server is stopped on the way out
    with tempfile.TemporaryDirectory(prefix="lsr-serving-") as temporary:
        return _run(args, Path(temporary))


def _exit_on_term(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def _run(args, workdir: Path) -> int:
    print(f"machine: {os.cpu_count()} cores, load average {load_average()}")
    data_dir = args.data_dir or workdir / "data"
    if args.data_dir is None:
        version, seconds = build_demo(data_dir)
        section("demo build", [f"`lsr demo` published {version} in {seconds:.1f} s"])
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(data_dir, port, args.workers, workdir, args.threads)
    met: dict[str, bool] = {}
    try:
        started = wait_for_health(base_url + "/healthz", server, START_TIMEOUT_SECONDS)
        threads = f" (--threads {args.threads})" if args.threads else ""
        section(
            "server",
            [f"`lsr serve --workers {args.workers}`{threads} healthy after {started:.1f} s"],
        )
        section("initial payload", payload_sizes(base_url))
        discovery = serving_browser.discover(base_url, max_controls=args.max_controls)
        section(
            "discovery",
            [
                f"{len(discovery.pages)} pages, {discovery.interactions} control changes, "
                f"{len(discovery.captures)} callback requests recorded"
            ],
        )
        if not args.skip_page_loads:
            lines, repeat_met, first_met = page_load_report(
                base_url, discovery.pages, args.page_rounds
            )
            met["d. page load ≤ 2 s, repeat view"] = repeat_met
            met["d. page load ≤ 2 s, first visit"] = first_met
            section("d. page load until every chart is drawn (Chromium)", lines)
            if args.busy_cores:
                with busy_cores(args.busy_cores):
                    lines = page_load_report(base_url, discovery.pages, args.busy_rounds)[0]
                section(
                    f"d. the same with {args.busy_cores} busy processes, {args.busy_rounds} "
                    "round(s) (not judged)",
                    lines,
                )
        groups, examples = replay_callbacks(base_url, discovery, args.repeats)
        lines, slowest, met["a. callback p95 ≤ 100 ms and ≤ 3× baseline"] = report_callbacks(groups)
        section(f"a. callbacks replayed one at a time ({args.repeats}× each)", lines)
        lines, met["b. load p95 ≤ 300 ms, 0 errors"] = load_run(base_url, discovery, args)
        section(f"b. {args.users} users for {args.duration:.0f} s", lines)
        section("cache after load", cache_ratio(base_url, args.workers))
        if args.skip_distinct:
            section(
                "page render on an answer-cache miss since the start (server-side, /metrics; "
                "not judged: renders under load included)",
                render_on_miss_since_start(base_url, args.workers),
            )
        else:
            met.update(distinct_runs(base_url, data_dir, discovery, args, server.pid))
        if not args.skip_refresh:
            lines, met["c. refresh: 0 failures, versions consistent"] = refresh_run(
                base_url, discovery, data_dir, args
            )
            section("c. refresh under load", lines)
            section("cache after the refresh", cache_ratio(base_url, args.workers))
        if args.profile and slowest:
            from bench.serving_profile import profile_callback

            section(f"profile of {slowest}", [profile_callback(data_dir, examples[slowest])])
    finally:
        stop_group(server)
    if args.fresh_clone:
        section("e. fresh clone", fresh_clone_run(workdir))
    section("targets", [f"{'met ' if ok else 'MISSED'}  {name}" for name, ok in met.items()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
