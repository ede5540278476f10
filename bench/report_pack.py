"""The report pack's timings: one area's data profile and the 20 reviewed areas' pack.

    python -m bench.report_pack [--data-dir data/parquet] [--area Liverpool]

Runs `lsr export profile --area AREA` and `lsr export pack --reviewed` as a user would (each
its own process, so Python start, the data's first queries and Chromium's start are counted),
one after the other in one run, and prints both wall times against their targets (one area
<= 10 s, the pack <= 3 min), the seconds per area inside the pack, and the pages and findings
of every profile. The CPU seconds of all the processes each command ran (Chromium's too) are
printed beside the wall time: on a machine shared with other work they tell what the wall
time would be on an idle one. Builds the demo data into a temporary directory when none is
published.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LSR = [sys.executable, "-m", "lsr.cli"]
ONE_AREA_TARGET = 10.0
PACK_TARGET = 180.0
WROTE = re.compile(
    r"wrote .*/(?P<name>[^/]+)-data-profile\.pdf \((?P<pages>\d+) pages, "
    r"(?P<findings>\d+) findings"
)


def cpu_seconds() -> float:
    """User + system CPU of every finished descendant (lsr, Playwright's driver, Chromium)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(arguments: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (all processes of the command) and its output."""
    started, cpu_started = time.monotonic(), cpu_seconds()
    done = subprocess.run([*LSR, *arguments], cwd=ROOT, capture_output=True, text=True)
    seconds, cpu = time.monotonic() - started, cpu_seconds() - cpu_started
    if done.returncode != 0:
        raise SystemExit(f"lsr {' '.join(arguments)} failed: {done.stderr.strip()}")
    return seconds, cpu, done.stdout


def verdict(seconds: float, target: float) -> str:
    return f"met (<= {target:.0f} s)" if seconds <= target else f"MISSED (> {target:.0f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "parquet")
    parser.add_argument("--area", default="Liverpool")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lsr-report-bench-") as scratch:
        data_dir = args.data_dir
        if not (data_dir / "CURRENT").exists():
            data_dir = Path(scratch) / "data"
            seconds, _, _ = timed(["--data-dir", str(data_dir), "demo", "--no-progress"])
            print(f"built the demo data in {seconds:.0f} s")
        common = ["--data-dir", str(data_dir), "export"]
        dated = ["--generated-on", "2026-01-01"]
        load_before = os.getloadavg()[0]
        one, one_cpu, _ = timed([*common, "profile", "--area", args.area, "--out", scratch, *dated])
        pack, pack_cpu, output = timed(
            [*common, "pack", "--reviewed", "--no-progress", "--out", f"{scratch}/pack", *dated]
        )
        load_after = os.getloadavg()[0]
    profiles = [match.groupdict() for match in WROTE.finditer(output)]
    count = max(len(profiles), 1)
    print(
        f"machine: {os.cpu_count()} cores, load average {load_before:.2f} before, "
        f"{load_after:.2f} after"
    )
    print(
        f"one area ({args.area}): {one:.1f} s wall, {one_cpu:.1f} CPU-s — "
        f"{verdict(one, ONE_AREA_TARGET)}"
    )
    print(
        f"pack of {len(profiles)} reviewed areas: {pack:.1f} s wall ({pack / count:.1f} s per "
        f"area), {pack_cpu:.1f} CPU-s — {verdict(pack, PACK_TARGET)}"
    )
    print(f"ratio: pack / one area = {pack / one:.1f} (one browser and one data load per pack)")
    for profile in profiles:
        print(f"  {profile['name']}: {profile['pages']} pages, {profile['findings']} findings")
    return 1 if one > ONE_AREA_TARGET or pack > PACK_TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
