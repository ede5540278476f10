"""DataStore: the one object that owns the DuckDB connection.

Each process opens its own in-memory DuckDB lazily (so gunicorn workers never share a handle
across fork), registers read-only Parquet views of the published version, and runs named
``.sql`` files with named parameters on a fresh cursor per call. When a new version is
published the next call switches to it; calls already running keep their cursor on the old one.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from queries import schema

SQL_DIR = Path(__file__).with_name("sql")
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
# A line ``-- include: <name>`` stands for the common table expressions in
# ``sql/shared/<name>.sql`` (``-- include: <name>,`` when more follow): SQL written once and
# composed by name, never from input.
_INCLUDE = re.compile(r"^-- include: ([a-z_]+)(,?)$", re.MULTILINE)
# Parameters any query may name that the store supplies, not the caller: constants of the
# data contract, so the SQL never spells them out.
SQL_CONSTANTS = {"england": schema.ENGLAND_CODE}


class DataNotPublishedError(RuntimeError):
    """No data has been published in the data directory yet."""


class QueryError(RuntimeError):
    """A named query does not exist or was called with the wrong parameters."""


# Request fields whose SQL parameter has a shorter name.
_PARAMETER_NAMES = {"metric_id": "metric", "area_code": "area"}


def request_parameters(request, **overrides) -> dict:
    """A request dataclass's fields as the named parameters of its SQL file (``metric_id``
    is ``$metric``, ``area_code`` is ``$area``, any other field its own name)."""
    named = {
        _PARAMETER_NAMES.get(f.name, f.name): getattr(request, f.name) for f in fields(request)
    }
    return {**named, **overrides}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    parameters: frozenset[str]


@cache
def load_query(name: str, sql_dir: Path = SQL_DIR) -> NamedQuery:
    """Read ``sql/<name>.sql`` once, its includes composed in; its ``$parameters`` are the
    names a caller must pass (less the store's ``SQL_CONSTANTS``)."""
    path = sql_dir / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"no query named {name!r} in {sql_dir}")
    text = _INCLUDE.sub(lambda m: _shared_part(m[1], sql_dir) + m[2], path.read_text())
    without_comments = re.sub(r"--[^\n]*", "", text)
    return NamedQuery(name, text, frozenset(_PARAMETER.findall(without_comments)))


def _shared_part(name: str, sql_dir: Path) -> str:
    path = sql_dir / "shared" / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"no shared SQL named {name!r} in {path.parent}")
    return path.read_text().rstrip("\n")


@dataclass
class CacheStats:
    """Counters shown on /metrics: how often results came from memory and how long SQL took."""

    hits: int = 0
    misses: int = 0
    query_seconds: float = 0.0
    per_query: dict[str, list[float]] = field(default_factory=dict)

    @property
    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class ResultCache:
    """A bounded LRU of query results keyed by (data version, query name, parameters).

    Keys carry the version, so a publish never serves stale results: old entries simply age
    out. Frames are copied on the way out because callers add columns to them.
    """

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = CacheStats()

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            frame = self._entries.get(key)
            if frame is None:
                self.stats.misses += 1
                return None
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return frame.copy()

    def put(self, key: tuple, frame: pd.DataFrame, seconds: float) -> None:
        with self._lock:
            self._entries[key] = frame.copy()
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            self._record(key[1], seconds)

    def record(self, name: str, seconds: float) -> None:
        """Count work done outside the cache (``DataStore.shared``) with the queries'."""
        with self._lock:
            self._record(name, seconds)

    def _record(self, name: str, seconds: float) -> None:
        self.stats.query_seconds += seconds
        self.stats.per_query.setdefault(name, []).append(seconds)
        del self.stats.per_query[name][:-200]

    def __len__(self) -> int:
        return len(self._entries)


def _key(version: str, name: str, parameters: dict) -> tuple:
    """What the result cache and ``DataStore.shared`` key a value by: the data version, the
    query or frame name and its parameters, order-free."""
    return (version, name, tuple(sorted((k, str(v)) for k, v in parameters.items())))


@dataclass
class _Shared:
    """One ``DataStore.shared`` value and the lock its one computation holds."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    value: object = None
    done: bool = False


@dataclass
class _Connection:
    version: str
    pid: int
    connection: duckdb.DuckDBPyConnection


class DataStore:
    """Read access to the published data; views and callbacks never see a connection."""

    def __init__(self, data_dir: Path | str, *, sql_dir: Path = SQL_DIR, cache_entries: int = 512):
        self.data_dir = Path(data_dir)
        self.sql_dir = sql_dir
        self._lock = threading.Lock()
        self._current: _Connection | None = None
        self._in_flight: Counter[str] = Counter()
        self._pinned = threading.local()
        self.cache = ResultCache(cache_entries)
        self._shared: dict[tuple, _Shared] = {}

    @property
    def version(self) -> str:
        """The version this call reads: the request's pinned version, else the one in CURRENT
        (re-read every call: a publish may have switched it)."""
        pinned = getattr(self._pinned, "version", None)
        return pinned or self.published_version()

    @contextmanager
    def pinned(self):
        """Read one version for everything inside (one web request): a publish that lands
        half-way through never mixes two versions in one response."""
        self._pinned.version = self.published_version()
        try:
            yield self._pinned.version
        finally:
            self._pinned.version = None

    def pin(self) -> str:
        """Start reading one version on this thread until ``unpin`` (request hooks)."""
        self._pinned.version = self.published_version()
        return self._pinned.version

    def unpin(self) -> None:
        self._pinned.version = None

    def published_version(self) -> str:
        """The version id in CURRENT."""
        marker = self.data_dir / "CURRENT"
        try:
            version = marker.read_text().strip()
        except FileNotFoundError:
            version = ""
        if not version:
            raise DataNotPublishedError(
                f"no data published in {self.data_dir}; run `lsr demo` first"
            )
        return version

    def _connection_for(self, version: str) -> duckdb.DuckDBPyConnection:
        with self._lock:
            current = self._current
            if current and current.version == version and current.pid == os.getpid():
                return current.connection
            connection = duckdb.connect(":memory:", config={"threads": 2})
            self._register_views(connection, self.data_dir / "versions" / version)
            self._current = _Connection(version, os.getpid(), connection)
            self._write_lease()
            return connection

    @contextmanager
    def _using(self, version: str):
        """Count a query in flight on ``version`` so its files outlive a switch and a prune."""
        with self._lock:
            self._in_flight[version] += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[version] -= 1
                finished = self._in_flight[version] == 0
                if finished:
                    del self._in_flight[version]
            if finished and self._current and version != self._current.version:
                self._write_lease()

    def _write_lease(self) -> None:
        """Tell publishers which versions this process still reads (schema.LEASES_DIR)."""
        versions = set(self._in_flight)
        if self._current:
            versions.add(self._current.version)
        leases = self.data_dir / schema.LEASES_DIR
        try:
            leases.mkdir(exist_ok=True)
            path = leases / f"{os.getpid()}.json"
            temporary = path.with_suffix(f".tmp{threading.get_ident()}")
            temporary.write_text(json.dumps({"pid": os.getpid(), "versions": sorted(versions)}))
            temporary.replace(path)
        except OSError:
            pass  # a read-only data directory: publishers then keep versions by age alone

    @staticmethod
    def _register_views(connection: duckdb.DuckDBPyConnection, directory: Path) -> None:
        for name, spec in schema.TABLES.items():
            if not spec.served:
                continue
            path = directory / name
            if spec.partition_by:
                files = list(path.glob("*/*.parquet"))
                source = f"read_parquet('{path}/*/*.parquet', hive_partitioning = true)"
            else:
                files = list(path.glob("*.parquet"))
                source = f"read_parquet('{path}/*.parquet')"
            if files:
                connection.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {source}')
            else:
                empty = ", ".join(
                    f'CAST(NULL AS {_duckdb_type(field.type)}) AS "{field.name}"'
                    for field in spec.schema
                )
                connection.execute(f'CREATE VIEW "{name}" AS SELECT {empty} WHERE FALSE')

    def query(self, name: str, **parameters) -> pd.DataFrame:
        """Run the named SQL file with exactly its parameters; returns a materialised frame."""
        named, given = self._bound(name, parameters)
        return self._cached(name, parameters, lambda version: self._run(named, given, version))

    def query_once(self, name: str, **parameters) -> pd.DataFrame:
        """``query`` without keeping the result: for a frame kept by ``shared`` instead."""
        named, given = self._bound(name, parameters)
        return self._run(named, given, self.version)

    def _bound(self, name: str, parameters: dict) -> tuple[NamedQuery, dict]:
        """The named query and its parameters with the store's constants, checked."""
        named = load_query(name, self.sql_dir)
        constants = {k: v for k, v in SQL_CONSTANTS.items() if k in named.parameters}
        takes = named.parameters - constants.keys()
        missing = takes - parameters.keys()
        extra = parameters.keys() - takes
        if missing or extra:
            raise QueryError(
                f"query {name!r} takes {sorted(takes)}; "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        return named, {**parameters, **constants}

    def shared(self, name: str, parameters: dict, compute: Callable[[], object]) -> object:
        """An object computed once per data version and kept as it is, not copied: e.g. every
        council's rows at once, which a page then looks one council up in (a new council costs
        a look-up, not a query). Callers must not change it. One thread computes it; others
        asking meanwhile wait for that result. Values of other versions are let go."""
        version = self.version
        key = _key(version, name, parameters)
        with self._lock:
            entry = self._shared.get(key)
            if entry is None:
                keep = {version, *self._in_flight}
                self._shared = {k: v for k, v in self._shared.items() if k[0] in keep}
                entry = self._shared[key] = _Shared()
        with entry.lock:
            if not entry.done:
                started = time.perf_counter()
                with self.pinned_to(version):
                    entry.value = compute()
                entry.done = True
                self.cache.record(f"shared:{name}", time.perf_counter() - started)
        return entry.value

    @contextmanager
    def pinned_to(self, version: str):
        """Read ``version`` inside (restoring the pin there was)."""
        before = getattr(self._pinned, "version", None)
        self._pinned.version = version
        try:
            yield
        finally:
            self._pinned.version = before

    def derived(
        self, name: str, parameters: dict, compute: Callable[[], pd.DataFrame]
    ) -> pd.DataFrame:
        """A frame computed from query results (statistics, judgements), cached like a query
        under the same version: the work after the SQL is often the larger part."""
        return self._cached(f"derived:{name}", parameters, lambda _version: compute())

    def _cached(
        self, name: str, parameters: dict, compute: Callable[[str], pd.DataFrame]
    ) -> pd.DataFrame:
        """The result cache in front of every query and derived frame: keyed by (data
        version, name, parameters); ``compute`` gets the version the key was made for."""
        version = self.version
        key = _key(version, name, parameters)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        started = time.perf_counter()
        frame = compute(version)
        self.cache.put(key, frame, time.perf_counter() - started)
        return frame

    def _run(self, named, parameters: dict, version: str) -> pd.DataFrame:
        with self._using(version):
            cursor = self._connection_for(version).cursor()
            try:
                return cursor.execute(named.text, parameters).df()
            finally:
                cursor.close()


def _duckdb_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_date(arrow_type):
        return "DATE"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    if pa.types.is_integer(arrow_type):
        return "BIGINT"
    raise QueryError(f"no DuckDB type for {arrow_type}")
