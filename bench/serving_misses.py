"""The server's own renders on an answer-cache miss, between two /metrics snapshots.

Every worker's /metrics lists, per page, how many renders it has done (``total``) and the
latest of them (``recent``: [wall ms, thread CPU ms] each, oldest first). Two snapshots taken
around a step give the renders of that step alone: the serial Chromium run of views nobody
asked for before is what a first user waits for on an idle server (judged), the uncached load
what they wait for behind 20 users on 2 cores (printed, not judged: mostly queueing).
Pure functions of the snapshots: unit-tested without a server.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.serving_stats import percentile

# {pid: {page label: {"total": int, "recent": [[wall ms, cpu ms], ...]}}}
Snapshot = dict[int, dict[str, dict]]


@dataclass(frozen=True)
class Renders:
    """Renders of one page between two snapshots; ``missing`` of them fell out of the
    workers' recent history (more renders than it keeps) and are not in the lists."""

    wall_ms: tuple[float, ...]
    cpu_ms: tuple[float, ...]
    missing: int = 0


def snapshot(metrics: dict[int, dict]) -> Snapshot:
    """The render counts and recent renders in the /metrics payloads of the workers (by pid)."""
    return {
        pid: dict((payload.get("answer_cache") or {}).get("render_on_miss") or {})
        for pid, payload in metrics.items()
    }


def renders_between(before: Snapshot, after: Snapshot) -> dict[str, Renders]:
    """Per page, the renders every worker did after ``before`` and up to ``after``."""
    walls: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    missing: dict[str, int] = defaultdict(int)
    for pid, pages in after.items():
        for label, timing in pages.items():
            earlier = before.get(pid, {}).get(label, {}).get("total", 0)
            new = timing.get("total", 0) - earlier
            if new <= 0:
                continue
            recent = timing.get("recent", [])[-new:]
            missing[label] += new - len(recent)
            walls[label] += [wall for wall, _ in recent]
            cpus[label] += [cpu for _, cpu in recent]
    return {
        label: Renders(tuple(walls[label]), tuple(cpus[label]), missing[label])
        for label in sorted(walls)
    }


def render_lines(renders: dict[str, Renders], limit_ms: float | None) -> tuple[list[str], bool]:
    """Per page: renders, wall p50/p95/max and thread CPU p50/p95; with ``limit_ms`` an ok
    column judged on the wall p95, and met when every page is within it (not met on none)."""
    if not renders:
        return ["  (no renders on a miss)"], False
    judged = limit_ms is not None
    lines = [
        f"  {'page':<14} {'renders':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'CPU p50':>8} {'CPU p95':>8}" + ("  ok" if judged else "")
    ]
    met = True
    for label, page in renders.items():
        p95 = percentile(page.wall_ms, 95)
        ok = judged and p95 <= limit_ms
        met &= ok
        lines.append(
            f"  {label:<14} {len(page.wall_ms) + page.missing:>7}"
            f" {percentile(page.wall_ms, 50):>8.0f} {p95:>8.0f} {max(page.wall_ms):>8.0f}"
            f" {percentile(page.cpu_ms, 50):>8.0f} {percentile(page.cpu_ms, 95):>8.0f}"
            + (f"  {'yes' if ok else 'NO'}" if judged else "")
        )
    missing = sum(page.missing for page in renders.values())
    if missing:
        lines.append(f"  ({missing} renders fell out of the workers' recent history)")
    return lines, judged and met
