"""Atomic publish: build a complete new version directory, validate it, then switch to it.

Layout under the data directory::

    CURRENT                      text file naming the published version
    versions/<version>/<table>/part-0.parquet
    versions/<version>/indicators/source=<source>/part-0.parquet
    records/...                  record-level extracts (never served)

Files are never modified in place: unchanged tables are hard-linked from the previous version,
so a publish costs only what it replaces, the previous version stays readable for in-flight
readers, and a failure at any step leaves CURRENT untouched. Every file and directory of the
new version is fsynced before the switch, so a power cut cannot expose a half-written version.
A publisher killed mid-way leaves dot-named staging behind; the next publish removes it under
the publish lock (a live owner's staging under ``records/`` is recognised by its held flock).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from queries import schema

KEEP_VERSIONS = 2
STAGING_PREFIX = ".staging-"


class PublishError(RuntimeError):
    """The new version could not be published; the previous one is still current."""


def current_version(data_dir: Path) -> str | None:
    """The published version id, or None before the first publish."""
    marker = Path(data_dir) / "CURRENT"
    if not marker.exists():
        return None
    return marker.read_text().strip() or None


def version_dir(data_dir: Path, version: str) -> Path:
    return Path(data_dir) / "versions" / version


@contextmanager
def _publish_lock(data_dir: Path):
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _new_version_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]


def _link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=os.link)


def _write(path: Path, data: pa.Table) -> None:
    path.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, path / "part-0.parquet", compression="zstd")


def _partition_column_dropped(data: pa.Table, column: str) -> pa.Table:
    return data.drop_columns([column]) if column in data.column_names else data


def read_table(directory: Path, name: str) -> pa.Table | None:
    """Read one table of a version directory back (partition column restored)."""
    spec = schema.table(name)
    path = directory / name
    if not path.exists():
        return None
    if spec.partition_by:
        parts = []
        for part_dir in sorted(path.glob(f"{spec.partition_by}=*")):
            value = part_dir.name.split("=", 1)[1]
            part = pq.read_table(part_dir)
            part = part.append_column(
                spec.partition_by, pa.array([value] * part.num_rows, pa.string())
            )
            parts.append(schema.conform(name, part))
        return pa.concat_tables(parts) if parts else schema.conform(name, spec.schema.empty_table())
    return pq.read_table(path)


def read_columns(directory: Path, name: str, columns: Sequence[str]) -> pa.Table | None:
    """Only ``columns`` of one table of a version directory (all partitions), for checks that
    need a few columns of a large table."""
    spec = schema.table(name)
    path = directory / name
    if not path.exists():
        return None
    if not spec.partition_by:
        return pq.read_table(path, columns=list(columns))
    stored = [c for c in columns if c != spec.partition_by]
    parts = []
    for part_dir in sorted(path.glob(f"{spec.partition_by}=*")):
        part = pq.read_table(part_dir, columns=stored)
        if spec.partition_by in columns:
            value = part_dir.name.split("=", 1)[1]
            part = part.append_column(
                spec.partition_by, pa.array([value] * part.num_rows, pa.string())
            )
        parts.append(part.select(list(columns)))
    if not parts:
        return spec.schema.empty_table().select(list(columns))
    return pa.concat_tables(parts)


def _check_unique_keys(directory: Path, name: str) -> None:
    """No key in two partitions (each partition was validated on its own when written)."""
    spec = schema.table(name)
    keys = read_columns(directory, name, spec.key)
    example = None if keys is None else schema.duplicate_key(keys, spec.key)
    if example is not None:
        raise PublishError(f"{name}: duplicate key {example}")


def _check_references(directory: Path) -> None:
    """Every area code used anywhere must be a published area."""
    areas = read_table(directory, "areas")
    if areas is None:
        return
    known = areas.column("area_code")
    for name, columns in (
        ("population", ("area_code",)),
        ("comparators", ("area_code", "peer_code")),
        ("indicators", ("area_code",)),
        ("cqc_locations", ("area_code",)),
        ("area_tiles", ("area_code",)),
    ):
        data = read_columns(directory, name, columns)
        if data is None:
            continue
        for column in columns:
            unknown = pc.unique(
                pc.filter(data.column(column), pc.invert(pc.is_in(data.column(column), known)))
            )
            if len(unknown):
                codes = ", ".join(sorted(str(c) for c in unknown.to_pylist())[:10])
                raise PublishError(f"{name}.{column}: unknown area code(s) {codes}")


def publish(
    data_dir: Path,
    *,
    tables: Mapping[str, pa.Table] | None = None,
    partitions: Mapping[str, Mapping[str, pa.Table]] | None = None,
    fresh: bool = False,
) -> str:
    """Publish a new version: ``tables`` replace whole tables, ``partitions`` replace single
    partitions (e.g. ``{"indicators": {"dtoc": table}}``) and keep the rest. With ``fresh``
    nothing is carried over from the current version. Returns the new version id."""
    data_dir = Path(data_dir)
    tables = dict(tables or {})
    partitions = {name: dict(parts) for name, parts in (partitions or {}).items()}
    with _publish_lock(data_dir):
        remove_crash_leftovers(data_dir)
        base = current_version(data_dir)
        version = _new_version_id()
        staging = data_dir / "versions" / f"{STAGING_PREFIX}{version}"
        try:
            if base and not fresh:
                _link_tree(version_dir(data_dir, base), staging)
            else:
                staging.mkdir(parents=True)
            _stage(staging, tables, partitions)
            _check_references(staging)
            sync_tree(staging)
            staging.rename(version_dir(data_dir, version))
            sync_directory(data_dir / "versions")
        except Exception as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, (PublishError, schema.SchemaError)):
                raise PublishError(str(error)) from None
            raise
        marker = data_dir / f".CURRENT.{version}"
        with open(marker, "w") as handle:
            handle.write(version + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(marker, data_dir / "CURRENT")
        sync_directory(data_dir)
        _prune(data_dir, keep=KEEP_VERSIONS)
        return version


def sync_tree(root: Path) -> None:
    """fsync every file and directory under ``root`` (deepest first), and ``root`` itself."""
    for directory, _subdirectories, names in os.walk(root, topdown=False):
        for name in names:
            _fsync(Path(directory) / name, os.O_RDONLY)
        sync_directory(Path(directory))


def sync_directory(path: Path) -> None:
    """Make a directory's entries (new names, renames) durable."""
    _fsync(path, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def staging_area(parent: Path) -> Iterator[Path]:
    """A private staging directory path under ``parent``, removed at the end; while the context
    lasts its lock file is flocked, so a publish can tell a live owner's staging from what a
    killed process left behind. The lock is taken before the directory can exist."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    lock = _lock_path(staging)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            lock.unlink(missing_ok=True)


def _lock_path(staging: Path) -> Path:
    return staging.with_name(staging.name + ".lock")


def remove_crash_leftovers(data_dir: Path) -> list[Path]:
    """Remove what killed publishers left: staging versions and CURRENT markers (only a
    publisher holding the publish lock makes those, and the caller holds it), and staging or
    swapped-out record folders whose owner no longer holds their lock. Returns what went."""
    data_dir = Path(data_dir)
    removed = []
    for path in sorted((data_dir / "versions").glob(f"{STAGING_PREFIX}*")):
        _remove(path)
        removed.append(path)
    for marker in sorted(data_dir.glob(".CURRENT.*")):
        marker.unlink(missing_ok=True)
        removed.append(marker)
    records = data_dir / "records"
    for path in sorted(records.glob(f"{STAGING_PREFIX}*")):
        if path.name.endswith(".lock") or not path.is_dir():
            continue
        if _remove_if_abandoned(path):
            removed.append(path)
    for path in sorted(records.glob(".old-*")):  # swapped out, about to be deleted by its owner
        _remove(path)
        removed.append(path)
    return removed


def _remove_if_abandoned(staging: Path) -> bool:
    lock = _lock_path(staging)
    if not lock.exists():  # made before staging_area existed, or its owner is gone
        _remove(staging)
        return True
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live process is still building it
        _remove(staging)
        lock.unlink(missing_ok=True)
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _stage(
    staging: Path,
    tables: Mapping[str, pa.Table],
    partitions: Mapping[str, Mapping[str, pa.Table]],
) -> None:
    for name, data in tables.items():
        spec = schema.table(name)
        data = schema.validate(name, data)
        shutil.rmtree(staging / name, ignore_errors=True)
        if spec.partition_by:
            for value in pc.unique(data.column(spec.partition_by)).to_pylist():
                part = data.filter(pc.equal(data.column(spec.partition_by), value))
                _write(
                    staging / name / f"{spec.partition_by}={value}",
                    _partition_column_dropped(part, spec.partition_by),
                )
        else:
            _write(staging / name, data)
    for name, parts in partitions.items():
        spec = schema.table(name)
        if not spec.partition_by:
            raise PublishError(f"{name} is not partitioned")
        for value, data in parts.items():
            data = schema.validate(name, data)
            wrong = pc.not_equal(data.column(spec.partition_by), value)
            if pc.any(wrong).as_py():
                raise PublishError(
                    f"{name}: rows for partition {value!r} carry another {spec.partition_by}"
                )
            target = staging / name / f"{spec.partition_by}={value}"
            shutil.rmtree(target, ignore_errors=True)
            _write(target, _partition_column_dropped(data, spec.partition_by))
    for name in {*tables, *partitions}:
        if schema.table(name).partition_by:
            _check_unique_keys(staging, name)


def leased_versions(data_dir: Path) -> set[str]:
    """Versions that live reader processes still use (stale leases of dead pids are removed)."""
    leased: set[str] = set()
    for lease in (Path(data_dir) / schema.LEASES_DIR).glob("*.json"):
        try:
            content = json.loads(lease.read_text())
            os.kill(int(content["pid"]), 0)
        except ProcessLookupError:
            lease.unlink(missing_ok=True)
            continue
        except (OSError, ValueError, KeyError):
            continue
        leased.update(content.get("versions", []))
    return leased


def _prune(data_dir: Path, keep: int) -> None:
    """Remove old versions: keep the newest ``keep``, the current one and any still leased."""
    current = current_version(data_dir)
    leased = leased_versions(data_dir)
    versions = sorted(p for p in (data_dir / "versions").iterdir() if not p.name.startswith("."))
    for old in versions[:-keep]:
        if old.name != current and old.name not in leased:
            shutil.rmtree(old, ignore_errors=True)


def read_current(data_dir: Path, name: str) -> pa.Table | None:
    """A table of the published version, or None when nothing (or not that table) is published."""
    version = current_version(Path(data_dir))
    if version is None:
        return None
    return read_table(version_dir(Path(data_dir), version), name)
