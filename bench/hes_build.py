"""Benchmark: HES indicators in DuckDB SQL vs the plain pandas reference, side by side.

    python -m bench.hes_build [--scale 1.0] [--records DIR] [--skip-pandas] [--threads N]

Generates synthetic HES at ``--scale`` (or reuses ``--records``), then runs the SQL build and
the pandas reference each in its own subprocess and prints rows, seconds, speed ratio and each
one's peak RSS. Targets: SQL ≥ 10× faster than pandas, peak RSS ≤ 4 GB, SQL build ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _child(kind: str, records: Path, threads: int | None) -> None:
    from extracts import hes_build
    from extracts.open_data import read_snapshot

    population = read_snapshot("population")
    started = time.perf_counter()
    if kind == "sql":
        rows = len(hes_build.derive(records, population, threads=threads))
    elif kind == "pandas":
        from bench import hes_pandas_reference

        rows = len(hes_pandas_reference.indicators(records, population))
    else:
        from extracts.synthetic import hes

        areas = read_snapshot("areas").to_pandas()
        counts = hes.generate(areas, population.to_pandas(), records, scale=float(kind))
        rows = sum(counts.values())
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_kib / 1024}))


def _run(kind: str, records: Path, threads: int | None) -> dict:
    command = [sys.executable, "-m", "bench.hes_build", "--child", kind, "--records", str(records)]
    if threads:
        command += ["--threads", str(threads)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{kind} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--records", type=Path, help="reuse records already generated here")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.records, args.threads)
        return 0

    with tempfile.TemporaryDirectory(prefix="hes-bench-") as temporary:
        records = args.records or Path(temporary)
        results = {}
        if not args.records:
            results["generate"] = _run(str(args.scale), records, args.threads)
        results["sql"] = _run("sql", records, args.threads)
        if not args.skip_pandas:
            results["pandas"] = _run("pandas", records, args.threads)
    print(f"HES build benchmark, scale {args.scale:g}")
    print(f"{'step':<10}{'rows':>14}{'seconds':>10}{'peak RSS MB':>14}")
    for step, result in results.items():
        print(
            f"{step:<10}{result['rows']:>14,}{result['seconds']:>10.1f}{result['peak_mb']:>14,.0f}"
        )
    if "pandas" in results:
        ratio = results["pandas"]["seconds"] / results["sql"]["seconds"]
        print(f"speed ratio pandas / SQL: {ratio:.1f}x (target >= 10x)")
        if results["pandas"]["rows"] != results["sql"]["rows"]:
            print("warning: row counts differ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
