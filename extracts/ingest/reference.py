"""`lsr ingest reference`: rebuild the council reference, population and comparator snapshots
from the real published files (the tables importers read through ``reference_tables``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extracts.ingest.comparators import build_open_data
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.open_data import OPEN_DIR, write_snapshots
from extracts.publish import publish


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """`lsr ingest reference ../shared/real-data`: rebuild the council reference, population
    and comparator snapshots from the real published files, write them to data/open (or
    ``--open-dir``) and publish them."""
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
