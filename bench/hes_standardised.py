"""What the age-band and DSR pass adds to the HES build, side by side in one run.

    .venv/bin/python -m bench.hes_standardised [--data-dir data/parquet] [--repeats 2]

Times ``extracts.hes_build.derive`` (the main build) and ``extracts.hes_standardised.derive``
(one more filtered scan of first episodes, then small tables) on the records of a published
data directory (``make demo`` builds them at scale 0.05), and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd

from extracts import hes_build, hes_standardised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data/parquet"))
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    version = (args.data_dir / "CURRENT").read_text().strip()
    population = pd.read_parquet(args.data_dir / "versions" / version / "population")
    records = args.data_dir / "records"
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    for round_number in range(1, args.repeats + 1):
        started = time.perf_counter()
        main_rows = len(hes_build.derive(records, population))
        main_seconds = time.perf_counter() - started
        started = time.perf_counter()
        extra_rows = len(hes_standardised.derive(records, population))
        extra_seconds = time.perf_counter() - started
        print(
            f"round {round_number}: main build {main_seconds:.1f} s ({main_rows:,} rows), "
            f"age bands + DSR {extra_seconds:.1f} s ({extra_rows:,} rows), "
            f"ratio {extra_seconds / main_seconds:.2f}"
        )


if __name__ == "__main__":
    main()
