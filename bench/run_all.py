"""Every benchmark in one command (`make bench`), each in its own process, then a summary.

    python -m bench.run_all [--duration 60] [--hes-scale 0.05] [--busy-cores 4]
                            [--skip-fresh-clone]

Runs bench.serving (with `make run` timed on a fresh clone, target e) and, when it exists,
bench.hes_build at a small scale; their full output streams through, and the summary repeats
each one's verdict lines and exit code. Then bench.report_pack (one data profile, the pack).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY_MARKERS = (
    "met ",
    "MISSED",
    "target",
    "ratio",
    "machine:",
    "HES build",
    "published",
    "fresh clone",
)


def run(name: str, arguments: list[str]) -> tuple[int, float, list[str]]:
    """Run ``python -m bench.<name>``, echoing its output; exit code, seconds, output lines."""
    print(f"\n######## bench.{name} {' '.join(arguments)}", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return process.wait(), time.monotonic() - started, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="serving load seconds")
    parser.add_argument("--hes-scale", type=float, default=0.05)
    parser.add_argument("--busy-cores", type=int, default=4, help="page loads beside N spinners")
    parser.add_argument(
        "--skip-fresh-clone", action="store_true", help="leave out `make run` on a fresh clone"
    )
    args = parser.parse_args(argv)
    serving = ["--duration", str(args.duration), "--busy-cores", str(args.busy_cores)]
    benches = [("serving", [*serving, "--profile"])]
    if not args.skip_fresh_clone:
        benches[0][1].append("--fresh-clone")
    if (ROOT / "bench" / "hes_build.py").exists():
        benches.append(("hes_build", ["--scale", str(args.hes_scale)]))
    benches.append(("report_pack", []))
    outcomes = [(name, *run(name, arguments)) for name, arguments in benches]
    print(f"\n######## summary ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f})")
    for name, code, seconds, lines in outcomes:
        print(f"bench.{name}: exit {code}, {seconds:.0f} s")
        for line in lines:
            if any(marker in line for marker in SUMMARY_MARKERS):
                print(f"  {line.strip()}")
    return max(code for _, code, _, _ in outcomes)


if __name__ == "__main__":
    sys.exit(main())
