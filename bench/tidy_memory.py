"""Peak memory of `lsr ingest tidy` on a large tidy CSV, this checkout beside a baseline.

    python -m bench.tidy_memory [--rows 2000000] [--data-dir data/parquet]
                                [--baseline REF] [--keep DIR]

Writes a valid tidy CSV of ``--rows`` snapshot rows (three snapshot metrics × every area of
the published data × consecutive days from 1950) once, then imports it into a private copy of
``--data-dir`` with each checkout in turn (this one, and ``--baseline``, a git ref extracted
with `git archive`, when given), each in its own process, and prints the peak resident set size
(``ru_maxrss`` of that process, from wait4) and the wall time. The target is a flat memory
profile: peak RSS ≤ 1 GB for 2 million rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METRICS = ("pop_65_pct", "pop_85_pct", "domcare_locations_per100k_65")
TARGET_MB = 1024


def write_csv(path: Path, rows: int, areas: list[str]) -> None:
    """``rows`` distinct, valid tidy rows (plausible values, past days)."""
    per_day = len(METRICS) * len(areas)
    first = date(1950, 1, 1)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("metric_id,area_code,period,value,vintage\n")
        day = 0
        while written < rows:
            period = (first + timedelta(days=day)).isoformat()
            for index in range(min(per_day, rows - written)):
                metric = METRICS[index // len(areas)]
                area = areas[index % len(areas)]
                value = 10 + (day * 7 + index) % 800 / 100
                handle.write(f"{metric},{area},{period},{value:.2f},bench tidy file\n")
            written += min(per_day, rows - written)
            day += 1


def published_areas(data_dir: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from extracts.publish import read_current

    areas = read_current(data_dir, "areas")
    if areas is None:
        raise SystemExit(f"no published data in {data_dir}: run `make demo` first")
    return sorted(areas.column("area_code").to_pylist())


def checkout(ref: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(code: Path, data_dir: Path, csv_path: Path) -> tuple[int, float, float, str]:
    """(exit code, peak RSS in MB, seconds, last output line) of one import in a child."""
    environment = dict(os.environ, PYTHONPATH=str(code))
    command = [sys.executable, "-m", "lsr.cli", "--data-dir", str(data_dir), "ingest", "tidy",
               str(csv_path)]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=code, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = child.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    last = (output.strip().splitlines() or [""])[-1]
    for line in output.splitlines():
        if line.startswith("rows read") or line.startswith("lsr "):
            last = line
    return child.returncode, usage.ru_maxrss / 1024, seconds, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "parquet")
    parser.add_argument("--baseline", help="git ref to measure beside this checkout")
    parser.add_argument("--keep", type=Path, help="work directory to keep (CSV reused)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="tidy-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        csv_path = work / f"tidy-{args.rows}.csv"
        if not csv_path.exists():
            write_csv(csv_path, args.rows, published_areas(args.data_dir))
        size = csv_path.stat().st_size / 1e6
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
        print(f"file: {csv_path.name}, {args.rows:,} rows, {size:,.0f} MB")
        codes = [("this checkout", ROOT)]
        if args.baseline:
            codes.append((args.baseline, checkout(args.baseline, work / f"code-{time.time_ns()}")))
        results = {}
        for label, code in codes:
            data_dir = work / f"data-{time.time_ns()}"
            shutil.copytree(args.data_dir, data_dir)
            status, peak, seconds, last = measure(code, data_dir, csv_path)
            shutil.rmtree(data_dir, ignore_errors=True)
            results[label] = peak
            verdict = "met" if status == 0 and peak <= TARGET_MB else "MISSED"
            print(
                f"{label}: exit {status}, peak RSS {peak:,.0f} MB, {seconds:,.1f} s "
                f"({verdict} target ≤ {TARGET_MB} MB) — {last}"
            )
        if len(results) == 2:
            ratio = results[codes[1][0]] / results["this checkout"]
            print(f"ratio: baseline peak / this checkout's peak = {ratio:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
