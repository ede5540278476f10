"""Reference tables an importer resolves codes against: the published ones, else data/open."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from extracts.ingest.problems import IngestError, Location, Summary
from extracts.open_data import OPEN_DIR, read_snapshot, write_snapshots
from extracts.publish import publish, read_current


def reference_table(data_dir: Path, name: str) -> pa.Table:
    """``areas``/``area_aliases``/``population`` as published in ``data_dir``, or the snapshot."""
    published = read_current(data_dir, name)
    return published if published is not None else read_snapshot(name)


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """`lsr ingest reference ../shared/real-data`: rebuild the council reference, population
    and comparator snapshots from the real published files, write them to data/open (or
    ``--open-dir``) and publish them."""
    from extracts.ingest.comparators import build_open_data

    options = options or {}
    if len(paths) != 1 or not Path(paths[0]).is_dir():
        raise IngestError(Location(paths[0]), "give the one real-data folder (../shared/real-data)")
    summary = Summary(source="reference", files=1)
    tables = build_open_data(Path(paths[0]), summary)
    write_snapshots(tables, options.get("open_dir") or OPEN_DIR)
    summary.rows = sum(t.num_rows for t in tables.values())
    summary.areas = set(tables["areas"].column("area_code").to_pylist())
    summary.periods = {f"mid-{y}" for y in tables["population"].column("year").to_pylist()}
    summary.version = publish(data_dir, tables=tables)
    return summary
