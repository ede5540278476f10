"""Pure helpers of the serving benchmark: percentiles, latency summaries, the ratio table and
the data-version consistency check. No server, no browser: unit-tested in milliseconds."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks, as
    numpy's default; NaN for no values."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class Summary:
    """Latencies of one kind of request, in milliseconds."""

    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def summarise(seconds: Sequence[float]) -> Summary:
    milliseconds = [s * 1000 for s in seconds]
    return Summary(
        count=len(milliseconds),
        p50_ms=percentile(milliseconds, 50),
        p95_ms=percentile(milliseconds, 95),
        max_ms=max(milliseconds) if milliseconds else math.nan,
    )


def ratio_table(
    rows: Sequence[tuple[str, Summary]],
    baseline: Summary,
    *,
    target_ms: float,
    target_ratio: float,
) -> str:
    """One line per callback: p50, p95, p95 / baseline p95 and whether both targets hold."""
    width = max([len(name) for name, _ in rows] + [len("callback")])
    lines = [f"{'callback':<{width}}  {'n':>4}  {'p50 ms':>8}  {'p95 ms':>8}  {'×base':>6}  ok"]
    for name, summary in rows:
        ratio = summary.p95_ms / baseline.p95_ms if baseline.p95_ms else math.inf
        ok = summary.p95_ms <= target_ms and ratio <= target_ratio
        lines.append(
            f"{name:<{width}}  {summary.count:>4}  {summary.p50_ms:>8.1f}  "
            f"{summary.p95_ms:>8.1f}  {ratio:>6.1f}  {'yes' if ok else 'NO'}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Response:
    """What the version check needs of one response: when its request started (seconds on
    the benchmark's clock), its status and its X-Data-Version header (None when missing)."""

    started: float
    status: int
    version: str | None


@dataclass(frozen=True)
class VersionCheck:
    counts: dict[str, int]
    missing: int
    failed: int
    unexpected: dict[str, int]
    stale_after_switch: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.failed or self.unexpected or self.stale_after_switch)

    def lines(self) -> list[str]:
        counts = ", ".join(f"{version}: {n}" for version, n in sorted(self.counts.items()))
        return [
            f"responses per version: {counts or 'none'}",
            f"answers without X-Data-Version: {self.missing}, failed (status >= 400 or no "
            f"answer): "
            f"{self.failed}, other versions: {sum(self.unexpected.values())}, "
            f"old version after the switch: {self.stale_after_switch}",
        ]


def check_versions(
    responses: Iterable[Response], *, old: str, new: str, switched_at: float | None
) -> VersionCheck:
    """Every response must carry the old or the new version; requests started after the
    switch (``switched_at``, when the publish had replaced CURRENT) must carry the new one."""
    counts: Counter[str] = Counter()
    unexpected: Counter[str] = Counter()
    missing = failed = stale = 0
    for response in responses:
        if response.status == 0 or response.status >= 400:
            failed += 1
        if response.status == 0:
            continue  # no answer (timeout, connection error): counted as failed, no header
        if response.version is None:
            missing += 1
            continue
        counts[response.version] += 1
        if response.version not in (old, new):
            unexpected[response.version] += 1
        elif (
            switched_at is not None and response.started >= switched_at and response.version == old
        ):
            stale += 1
    return VersionCheck(dict(counts), missing, failed, dict(unexpected), stale)


def format_bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    return f"{count / 1024:.1f} KiB"
