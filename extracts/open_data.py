"""The committed open-data snapshots under data/open, read back as schema-valid tables.

These small CSVs are made by the project's own importers from real published files, so a
fresh machine can build the demo without ../shared.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from queries import schema

OPEN_DIR = Path(__file__).resolve().parents[1] / "data" / "open"
SNAPSHOTS = ("areas", "area_aliases", "population", "comparators")


class MissingSnapshotError(FileNotFoundError):
    """A committed snapshot is missing; the message says which importer rebuilds it."""


def snapshot_path(name: str, open_dir: Path = OPEN_DIR) -> Path:
    return Path(open_dir) / f"{name}.csv"


def read_snapshot(name: str, open_dir: Path = OPEN_DIR) -> pa.Table:
    """Read ``data/open/<name>.csv`` with the contract's column types and validate it."""
    path = snapshot_path(name, open_dir)
    if not path.exists():
        raise MissingSnapshotError(f"{path} is missing; rebuild it with `lsr ingest` (see README)")
    spec = schema.table(name)
    types = {f.name: f.type for f in spec.schema if not _is_small_int(f.type)}
    data = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=True, null_values=[""]
        ),
    )
    return schema.validate(name, data)


def write_snapshot(name: str, data: pa.Table, open_dir: Path = OPEN_DIR) -> Path:
    """Validate and write a snapshot atomically (temp file, then rename)."""
    data = schema.validate(name, data)
    path = snapshot_path(name, open_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".csv.tmp")
    pacsv.write_csv(data, temporary)
    temporary.replace(path)
    return path


def _is_small_int(arrow_type: pa.DataType) -> bool:
    return pa.types.is_integer(arrow_type) and arrow_type.bit_width < 64
