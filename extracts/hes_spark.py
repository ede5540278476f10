"""The HES build on Spark: the same ``sql/hes/*.sql`` files, transpiled from DuckDB's dialect
to Spark SQL by SQLGlot, run over the same Parquet layout (local, HDFS, s3a://, abfss://).

Only the small results come back to the driver (the indicator rows), so disclosure control and
publishing are the ones the DuckDB build uses. ``pyspark`` is an optional extra
(``pip install -e ".[spark]"``) and needs Java 17; nothing here is imported unless asked for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
import sqlglot
from sqlglot import exp, transforms

from queries import hes_schema

DEFAULT_MASTER = "local[*]"
REMOTE_SCHEMES = ("sc://",)  # Spark Connect


class SparkUnavailable(RuntimeError):
    """pyspark (or the Java it needs) is not installed: a user's setup, not a bug."""


def _spark_weekday_iso(node: exp.Expression) -> exp.Expression:
    """ISO day of week (Monday 1 … Sunday 7). SQLGlot writes DuckDB's isodow for Spark as
    ``DAYOFWEEK(d) % 7 + 1``, which is off by one day (Spark's DAYOFWEEK counts from Sunday
    = 1); Spark's WEEKDAY counts from Monday = 0."""
    if isinstance(node, exp.DayOfWeekIso):
        return exp.Paren(
            this=exp.Add(
                this=exp.Anonymous(this="WEEKDAY", expressions=[node.this]),
                expression=exp.Literal.number(1),
            )
        )
    return node


@lru_cache(maxsize=64)
def transpile(query: str) -> str:
    """One DuckDB query as Spark SQL: ``$name`` parameters become ``:name`` markers (bound by
    ``spark.sql(args=…)``, never formatted in), named windows are spelled out (Spark cannot
    add a frame to a named window) and the day of the week is counted as DuckDB counts it."""
    tree = sqlglot.parse_one(query, read="duckdb")
    tree = tree.transform(transforms.eliminate_window_clause)
    tree = tree.transform(_spark_weekday_iso)
    return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


def is_url(location: Path | str) -> bool:
    return "://" in str(location)


def session(master: str | None = None):
    """A Spark session: Spark Connect when ``master`` is an ``sc://`` URL or SPARK_REMOTE is set,
    else a classic session on ``master`` (default ``local[*]``). An active session is reused."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(
            '--engine spark needs pyspark: pip install -e ".[spark]" (and Java 17)'
        ) from error
    builder = SparkSession.builder.appName("lsr-hes-build")
    remote = master if master and master.startswith(REMOTE_SCHEMES) else None
    remote = remote or (None if master else os.environ.get("SPARK_REMOTE"))
    if remote:
        return builder.remote(remote).getOrCreate()
    master = master or DEFAULT_MASTER
    builder = builder.master(master).config("spark.sql.session.timeZone", "UTC")
    if master.startswith("local"):
        # a laptop or CI machine: no web UI, and a handful of shuffle partitions, not 200
        builder = builder.config("spark.ui.enabled", "false")
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
    try:
        return builder.getOrCreate()
    except Exception as error:  # py4j's launcher fails with a bare Exception without Java
        if "JAVA_HOME" in str(error) or "Java gateway" in str(error):
            raise SparkUnavailable(f"Spark could not start Java: {error}") from error
        raise


class SparkEngine:
    """The build's five steps on Spark (see ``extracts.hes_build.DuckDBEngine``): record
    tables become temporary views, each step's result a cached view."""

    def __init__(self, spark, *, owns_session: bool):
        self.spark = spark
        self.owns_session = owns_session
        self.views: list[str] = []
        self.cached = []

    @classmethod
    def start(cls, master: str | None = None) -> SparkEngine:
        """An engine on a new session (stopped on close) or on the active one (left running)."""
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            active = None
        else:
            active = SparkSession.getActiveSession()
        spark = session(master)
        return cls(spark, owns_session=active is None)

    def register_records(self, records_dir: Path | str) -> set[str]:
        """A view per record table with the declared columns: the same files the DuckDB build
        reads for a local directory; every Parquet file under ``<table>/`` for a URL."""
        available = set()
        for name, spec in hes_schema.RECORD_TABLES.items():
            frame = self._read(records_dir, name)
            if frame is None:
                frame = self.spark.createDataFrame([], schema=_spark_schema(spec.schema))
            else:
                available.add(name)
                frame = frame.select(*spec.schema.names)
            self._view(name, frame)
        return available

    def _read(self, records_dir: Path | str, name: str):
        # the declared schema, so Spark need not open every footer to infer and merge one (and
        # a file without an optional column reads it as null, as DuckDB's union_by_name does)
        reader = self.spark.read.schema(_spark_schema(hes_schema.RECORD_TABLES[name].schema))
        if is_url(records_dir):
            location = f"{str(records_dir).rstrip('/')}/{name}"
            try:
                return reader.parquet(location)
            except Exception as error:  # AnalysisException: PATH_NOT_FOUND / UNABLE_TO_INFER
                if "PATH_NOT_FOUND" in str(error) or "UNABLE_TO_INFER" in str(error):
                    return None
                raise
        files = sorted(str(p) for p in (Path(records_dir) / name).glob("fy=*/*.parquet"))
        return reader.parquet(*files) if files else None

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self._view(name, self.spark.createDataFrame(frame))

    def materialise(self, name: str, query: str, parameters: Mapping[str, object]) -> None:
        frame = self.spark.sql(transpile(query), args=dict(parameters)).cache()
        frame.count()  # computed now, once, so each step's time is its own
        self.cached.append(frame)
        self._view(name, frame)

    def fetch(self, query: str, parameters: Mapping[str, object]) -> pd.DataFrame:
        return self.spark.sql(transpile(query), args=dict(parameters)).toPandas()

    def _view(self, name: str, frame) -> None:
        frame.createOrReplaceTempView(name)
        self.views.append(name)

    def close(self) -> None:
        for frame in self.cached:
            frame.unpersist()
        for name in self.views:
            self.spark.catalog.dropTempView(name)
        if self.owns_session:
            self.spark.stop()


def _spark_schema(schema):
    """A Spark schema for an Arrow one (for the empty view of a missing record table)."""
    from pyspark.sql import types as T

    types = {
        "int64": T.LongType(),
        "int32": T.IntegerType(),
        "int16": T.ShortType(),
        "int8": T.ByteType(),
        "double": T.DoubleType(),
        "float": T.FloatType(),
        "string": T.StringType(),
        "large_string": T.StringType(),
        "bool": T.BooleanType(),
        "date32[day]": T.DateType(),
    }
    return T.StructType([T.StructField(f.name, types[str(f.type)], True) for f in schema])
