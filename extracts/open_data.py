"""The committed open-data snapshots under data/open, written and read back as schema-valid
tables.

These small CSVs are made by the project's own importers from real published files, so a
fresh machine can build the demo without ../shared. Rows are written in a fixed order so a
rebuild from the same sources gives byte-identical files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from queries import schema

OPEN_DIR = Path(__file__).resolve().parents[1] / "data" / "open"
SNAPSHOTS = ("areas", "area_aliases", "population", "comparators", "area_tiles")

# Row order of the committed CSVs (the table key unless a more readable order exists).
_CSV_ORDER = {"comparators": ("method", "area_code", "rank")}


class MissingSnapshotError(FileNotFoundError):
    """A committed snapshot is missing; the message says how to rebuild it."""


def snapshot_path(name: str, open_dir: Path = OPEN_DIR) -> Path:
    return Path(open_dir) / f"{name}.csv"


def read_snapshot(name: str, open_dir: Path = OPEN_DIR) -> pa.Table:
    """Read ``<open_dir>/<name>.csv`` with the contract's column types and validate it."""
    path = snapshot_path(name, open_dir)
    if not path.exists():
        raise MissingSnapshotError(
            f"{path} is missing; rebuild data/open with "
            "`lsr ingest reference ../shared/real-data` (see README)"
        )
    spec = schema.table(name)
    options = pa_csv.ConvertOptions(
        column_types={f.name: f.type for f in spec.schema},
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    return schema.validate(name, pa_csv.read_csv(path, convert_options=options))


def read_snapshots(open_dir: Path = OPEN_DIR) -> dict[str, pa.Table]:
    """Every reference snapshot present in ``open_dir``."""
    return {
        name: read_snapshot(name, open_dir)
        for name in SNAPSHOTS
        if snapshot_path(name, open_dir).exists()
    }


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_snapshots(tables: dict[str, pa.Table], open_dir: Path = OPEN_DIR) -> list[Path]:
    """Validate and write tables as plain CSV in a fixed row order (temp file, then rename)."""
    open_dir = Path(open_dir)
    open_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in tables.items():
        order = _CSV_ORDER.get(name, schema.table(name).key)
        data = schema.validate(name, data).sort_by([(column, "ascending") for column in order])
        path = snapshot_path(name, open_dir)
        temporary = path.with_suffix(".csv.tmp")
        with open(temporary, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(data.column_names)
            for row in data.to_pylist():
                writer.writerow([_csv_cell(value) for value in row.values()])
        temporary.replace(path)
        written.append(path)
    return written


def write_gzip_csv(frame, path: Path) -> Path:
    """Write a frame as gzip CSV that is byte-identical for the same rows (no timestamp in the
    gzip header), atomically (temp file, then rename)."""
    import gzip

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with gzip.GzipFile(temporary, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(frame.to_csv(index=False, lineterminator="\n").encode())
    temporary.replace(path)
    return path


# The typed columns every indicator snapshot (data/open/*.csv.gz) holds; CSV inference would
# read a blank count as text and a vintage such as "2019" as a number.
INDICATOR_SNAPSHOT_TYPES = {
    "period_start": pa.date32(),
    "numerator": pa.float64(),
    "denominator": pa.float64(),
    "vintage": pa.string(),
}


def read_gzip_csv(path: Path, column_types: dict[str, pa.DataType], **options) -> pa.Table:
    """Read a gzip CSV snapshot with the given column types (other ConvertOptions as keywords)."""
    import gzip
    import io

    with gzip.open(path, "rb") as handle:
        return pa_csv.read_csv(
            io.BytesIO(handle.read()),
            convert_options=pa_csv.ConvertOptions(column_types=column_types, **options),
        )
