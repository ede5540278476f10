"""Benchmark: HES indicators in DuckDB SQL vs the plain pandas reference, side by side.

    python -m bench.hes_build [--scale 1.0] [--records DIR] [--skip-pandas] [--threads N]
                              [--baseline GIT_REF] [--repeat N]

Generates synthetic HES at ``--scale`` (or reuses ``--records``), then runs the SQL build, the
pandas reference and, with ``--baseline``, the SQL build as it was at a git commit (read with
``git archive``, nothing checked out), each in its own subprocess, and prints one table: rows,
wall seconds, CPU seconds, peak RSS and the ratio of each step's seconds to the SQL build's,
then the SQL build's own steps. The floor is a bare DuckDB scan of the same Parquet files that
hashes every column (what any build must at least read), run the same way in the same run; the
SQL build's ratio to it is printed in wall and in CPU seconds. Other work on the machine
inflates wall seconds, so the load average is printed too, CPU seconds are the steadier
comparison, and ``--repeat N`` runs the floor, the baseline and the SQL build N times each,
alternately (so none always meets a cold cache), keeping each one's fastest run.
Targets: SQL ≥ 10× faster than pandas, peak RSS ≤ 4 GB, SQL build ≤ 3× the floor (scale 1).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _baseline_module(ref: str, directory: Path):
    """``extracts.hes_build`` (with its SQL) as of git ``ref``, loaded from ``directory``."""
    archive = subprocess.run(
        ["git", "archive", ref, "extracts/hes_build.py", "extracts/sql/hes"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(directory, filter="data")
    path = directory / "extracts" / "hes_build.py"
    spec = importlib.util.spec_from_file_location("hes_build_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _child(kind: str, records: Path, threads: int | None, baseline: str | None) -> None:
    from extracts import hes_build
    from extracts.open_data import read_snapshot

    population = read_snapshot("population")
    steps: dict[str, float] = {}
    started = time.perf_counter()
    if kind == "sql":
        rows = len(hes_build.derive(records, population, threads=threads, timings=steps))
    elif kind == "floor":
        rows = floor_scan(records, threads)
    elif kind == "baseline":
        with tempfile.TemporaryDirectory(prefix="hes-baseline-") as directory:
            module = _baseline_module(baseline, Path(directory))
            started = time.perf_counter()
            rows = len(module.derive(records, population, threads=threads))
    elif kind == "pandas":
        from bench import hes_pandas_reference

        rows = len(hes_pandas_reference.indicators(records, population))
    else:
        from extracts.synthetic import hes

        areas = read_snapshot("areas").to_pandas()
        counts = hes.generate(areas, population.to_pandas(), records, scale=float(kind))
        rows = sum(counts.values())
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "steps": steps,
    }
    print(json.dumps(result))


def floor_scan(records: Path, threads: int | None) -> int:
    """Read every column of every record file and hash it: the least any build must do."""
    from extracts import hes_build
    from queries import hes_schema

    connection = hes_build.connect(threads)
    rows = 0
    for name, spec in hes_schema.RECORD_TABLES.items():
        files = hes_build.record_files(records, name)
        if files:
            hashes = ", ".join(f"SUM(hash({column}))" for column in spec.schema.names)
            rows += connection.execute(
                f"SELECT COUNT(*), {hashes} FROM read_parquet(?, union_by_name = true)", [files]
            ).fetchone()[0]
    connection.close()
    return rows


def _run(kind: str, records: Path, threads: int | None, baseline: str | None = None) -> dict:
    command = [sys.executable, "-m", "bench.hes_build", "--child", kind, "--records", str(records)]
    if threads:
        command += ["--threads", str(threads)]
    if baseline:
        command += ["--baseline", baseline]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{kind} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _keep_best(results: dict[str, dict], step: str, result: dict) -> None:
    print(  # each run as it ends: a long run on a busy machine still leaves its figures
        f"{step}: {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} CPU s, "
        f"peak {result['peak_mb']:,.0f} MB, load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
        flush=True,
    )
    if step not in results or result["seconds"] < results[step]["seconds"]:
        results[step] = result


def report(results: dict[str, dict], scale: float, load: tuple[float, float]) -> str:
    """The benchmark table; ratio = a step's wall seconds / the SQL build's."""
    lines = [
        f"HES build benchmark, scale {scale:g}, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} at start, {load[1]:.1f} at end",
        f"{'step':<16}{'rows':>12}{'seconds':>9}{'CPU s':>8}{'peak RSS MB':>13}{'ratio':>8}",
    ]
    sql = results.get("sql", {}).get("seconds")
    for step, result in results.items():
        ratio = f"{result['seconds'] / sql:.1f}x" if sql and step != "generate" else ""
        lines.append(
            f"{step:<16}{result['rows']:>12,}{result['seconds']:>9.1f}"
            f"{result.get('cpu_seconds', float('nan')):>8.1f}{result['peak_mb']:>13,.0f}"
            f"{ratio:>8}"
        )
    floor = results.get("floor")
    if floor and sql:
        lines.append(
            f"ratio SQL build / floor: {sql / floor['seconds']:.1f}x wall, "
            f"{results['sql']['cpu_seconds'] / floor['cpu_seconds']:.1f}x CPU (target <= 3x); "
            f"peak RSS {results['sql']['peak_mb']:,.0f} MB (target <= 4,096)"
        )
    for step, seconds in results.get("sql", {}).get("steps", {}).items():
        lines.append(f"  sql: {step:<16}{'':>4}{seconds:>9.1f}")
    if "pandas" in results and sql:
        speed = results["pandas"]["seconds"] / sql
        lines.append(f"speed ratio pandas / SQL: {speed:.1f}x (target >= 10x)")
        if results["pandas"]["rows"] != results["sql"]["rows"]:
            lines.append("warning: row counts differ (pandas vs SQL)")
    if "baseline" in results and results["baseline"]["rows"] != results.get("sql", {}).get("rows"):
        lines.append("warning: row counts differ (baseline vs SQL)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--records", type=Path, help="reuse records already generated here")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--baseline", help="also time the SQL build as of this git commit")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build (best kept)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.records, args.threads, args.baseline)
        return 0

    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="hes-bench-") as temporary:
        records = args.records or Path(temporary)
        results = {}
        if not args.records:
            results["generate"] = _run(str(args.scale), records, args.threads)
        for _ in range(max(args.repeat, 1)):
            if args.baseline:
                run = _run("baseline", records, args.threads, args.baseline)
                _keep_best(results, "baseline", run)
            _keep_best(results, "floor", _run("floor", records, args.threads))
            _keep_best(results, "sql", _run("sql", records, args.threads))
        if not args.skip_pandas:
            results["pandas"] = _run("pandas", records, args.threads)
    print(report(results, args.scale, (load_start, os.getloadavg()[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
