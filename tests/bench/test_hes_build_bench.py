"""bench.hes_build: the floor it measures reads every record, and its ratio line is printed."""

from __future__ import annotations

from bench import hes_build as bench
from tests.extracts.test_hes_build import random_records


def test_floor_scan_reads_every_record_of_both_tables(tmp_path) -> None:
    random_records(tmp_path, seed=5, patients=50)
    import pyarrow.parquet as pq

    expected = sum(pq.read_metadata(p).num_rows for p in tmp_path.glob("*/fy=*/*.parquet"))
    assert bench.floor_scan(tmp_path, threads=1) == expected > 0


def test_report_prints_the_ratio_to_the_floor_in_wall_and_cpu_seconds() -> None:
    results = {
        "floor": {"rows": 100, "seconds": 2.0, "cpu_seconds": 3.0, "peak_mb": 200},
        "sql": {"rows": 10, "seconds": 5.0, "cpu_seconds": 12.0, "peak_mb": 3000, "steps": {}},
    }
    text = bench.report(results, 1.0, (1.0, 1.0))
    assert "ratio SQL build / floor: 2.5x wall, 4.0x CPU (target <= 3x)" in text
    assert "peak RSS 3,000 MB (target <= 4,096)" in text
