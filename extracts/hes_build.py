"""Derive the HES indicators (METRICS.md sections A and B) from record-level extracts in DuckDB.

Spells are built from episodes once (``sql/hes/spells.sql``) and summed into
small monthly cells (``spell_cells.sql``); those give additive monthly measures and a
length-of-stay histogram, rolled up to months, quarters, financial years and rolling 12 months
in one query; so the cost is one pass over the records whatever the number of periods. Counts
are weighted (RECORD_WEIGHT). Disclosure control is applied last, in ``extracts.disclosure``,
before anything reaches ``indicators``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from extracts import disclosure
from extracts.synthetic.common import population_year_for
from queries import hes_schema
from queries.schema import COUNCIL_CODE_PATTERN, ENGLAND_CODE, validate

SQL_DIR = Path(__file__).with_name("sql") / "hes"
SOURCE = "hes"
ALL_PERIODS = ("month", "quarter", "financial_year", "rolling_12m")
ANNUAL_PERIODS = ("financial_year", "rolling_12m")
SOURCES = ("own_home", "care_home", "other")
READMISSION_DAYS = 30
LOS_DAYS = 7
PERCENT = 90
KEY = ["metric_id", "area_code", "period_type", "period_start", "breakdown", "breakdown_value"]
OUTPUT_COLUMNS = [*KEY[:4], "period_end", *KEY[4:], "numerator", "denominator", "value"]


@dataclass(frozen=True)
class Metric:
    kind: str  # rate (per population), proportion (of records) or percentile
    multiplier: float
    periods: tuple[str, ...] = ALL_PERIODS
    breakdown: str | None = None
    records: str = "hes_apc"  # the record table it is derived from


METRICS: dict[str, Metric] = {
    "ea65_rate": Metric("rate", 100_000, breakdown="admission_source"),
    "ea65_carehome_rate": Metric("rate", 100_000),
    "ae65_rate": Metric("rate", 100_000, breakdown="admission_source", records="hes_ae"),
    "ea_pressure_ulcer_carehome": Metric("rate", 100_000, periods=ANNUAL_PERIODS),
    "ea_injury_carehome": Metric("rate", 100_000, periods=ANNUAL_PERIODS),
    "readmit30_65": Metric("proportion", 100, breakdown="discharge_destination"),
    "los_over7_ea65": Metric("proportion", 100, breakdown="admission_source"),
    "weekend_discharge_ea65": Metric("proportion", 100),
    "ae_gp_referred_carehome": Metric("proportion", 100, records="hes_ae"),
    "los_p90_ea65": Metric("percentile", 1),
}


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


# --- calendars, population ------------------------------------------------------------------


def period_months(first_day: date, last_day: date) -> pd.DataFrame:
    """Every period inside [first_day, last_day] (whole financial years) with its months:
    months, financial quarters, financial years and rolling 12 months ending each quarter."""
    months = pd.date_range(first_day, last_day, freq="MS")
    rows = []
    for period_type, length, step in (
        ("month", 1, 1),
        ("quarter", 3, 3),
        ("financial_year", 12, 12),
        ("rolling_12m", 12, 3),
    ):
        for start_index in range(0, len(months) - length + 1, step):
            start = months[start_index]
            end = start + pd.DateOffset(months=length) - pd.Timedelta(days=1)
            for month in months[start_index : start_index + length]:
                rows.append((period_type, start.date(), end.date(), month.date()))
    return pd.DataFrame(rows, columns=["period_type", "period_start", "period_end", "month_start"])


def population_65(population: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """People aged 65+ by area and mid-year (summing 65-74, 75-84, 85+ when 65+ is not given);
    England = its own row if present, else the sum of councils."""
    frame = population.to_pandas() if isinstance(population, pa.Table) else population
    frame = frame[["area_code", "year", "age_band", "count"]]
    direct = frame[frame["age_band"] == "65+"]
    bands = frame[frame["age_band"].isin(["65-74", "75-84", "85+"])]
    derived = bands.groupby(["area_code", "year"], as_index=False)["count"].sum()
    derived = derived[
        ~derived.set_index(["area_code", "year"]).index.isin(
            direct.set_index(["area_code", "year"]).index
        )
    ]
    people = pd.concat([direct[["area_code", "year", "count"]], derived], ignore_index=True)
    councils = people[people["area_code"].str.match(COUNCIL_CODE_PATTERN.pattern)]
    if not (people["area_code"] == ENGLAND_CODE).any():
        england = councils.groupby("year", as_index=False)["count"].sum()
        england["area_code"] = ENGLAND_CODE
        councils = pd.concat([councils, england], ignore_index=True)
    else:
        councils = pd.concat([councils, people[people["area_code"] == ENGLAND_CODE]])
    return councils.astype({"year": int, "count": float}).reset_index(drop=True)


def period_population(population: pd.DataFrame | pa.Table, periods: pd.DataFrame) -> pd.DataFrame:
    """65+ population of every area for every period under the METRICS.md rule: the mid-year
    estimate of the calendar year before the period's financial year starts, else nearest."""
    people = population_65(population)
    wide = people.pivot_table(index="area_code", columns="year", values="count", aggfunc="sum")
    starts = periods[["period_type", "period_start"]].drop_duplicates()
    rows = []
    for period_type, period_start in starts.itertuples(index=False):
        known = wide.columns[wide.notna().any()]
        year = population_year_for(period_start, known)
        column = wide[year]
        rows.append(
            pd.DataFrame(
                {
                    "area_code": column.index,
                    "period_type": period_type,
                    "period_start": period_start,
                    "population": column.to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(rows, ignore_index=True).dropna(subset=["population"])


def metric_tables(available: set[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(metric_periods, metric_breakdowns) as registered for indicators.sql, for the metrics
    whose record table is ``available`` (all by default): no A&E extract, no A&E rows."""
    metrics = {
        m: spec for m, spec in METRICS.items() if available is None or spec.records in available
    }
    periods = [
        (m, p, spec.kind, float(spec.multiplier))
        for m, spec in metrics.items()
        for p in spec.periods
    ]
    breakdowns = [(m, "all", "all") for m in metrics]
    for metric_id, spec in metrics.items():
        if spec.breakdown:
            breakdowns += [(metric_id, spec.breakdown, value) for value in SOURCES]
    return (
        pd.DataFrame(periods, columns=["metric_id", "period_type", "kind", "multiplier"]),
        pd.DataFrame(breakdowns, columns=["metric_id", "breakdown", "breakdown_value"]),
    )


# --- the build --------------------------------------------------------------------------------


def record_files(records_dir: Path, name: str) -> list[str]:
    return sorted(str(p) for p in (Path(records_dir) / name).glob("fy=*/*.parquet"))


def connect(
    threads: int | None = None, memory_limit: str = "3GB", temp_directory: str | None = None
) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute("SET preserve_insertion_order = false")
    connection.execute("SET enable_progress_bar = false")
    if temp_directory:  # where DuckDB spills if it must (by default .tmp in the working dir)
        connection.execute(f"SET temp_directory = '{temp_directory.replace(chr(39), chr(39) * 2)}'")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    return connection


class DuckDBEngine:
    """Runs the build's SQL in DuckDB in this process. The Spark engine
    (``extracts.hes_spark.SparkEngine``) has the same five methods and runs the same files."""

    # Steps DuckDB keeps as a CTE of the step after them instead of a table: DuckDB
    # materialises a CTE read several times itself, in a buffer that costs less to fill than a
    # table (the spells: 13 % less CPU for the two steps at scale 0.3). Spark caches them.
    AS_CTE = frozenset({"spells"})

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self.connection = connection
        self.pending: list[tuple[str, str, Mapping[str, object]]] = []

    def register_records(self, records_dir: Path) -> set[str]:
        """A view per record table (empty when it has no files); the names that have files."""
        available = set()
        for name, spec in hes_schema.RECORD_TABLES.items():
            files = record_files(records_dir, name)
            if files:
                available.add(name)
                listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
                self.connection.execute(
                    f"CREATE VIEW {name} AS SELECT * "
                    f"FROM read_parquet([{listing}], union_by_name = true)"
                )
            else:
                self.connection.register(f"{name}_empty", spec.schema.empty_table())
                self.connection.execute(f"CREATE VIEW {name} AS SELECT * FROM {name}_empty")
        return available

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.connection.register(name, _arrow(frame))

    def materialise(self, name: str, query: str, parameters: Mapping[str, object]) -> None:
        if name in self.AS_CTE:
            self.pending.append((name, query, parameters))
            return
        merged = dict(parameters)
        if self.pending:
            ctes = ", ".join(f"{n} AS ({q})" for n, q, _ in self.pending)
            query = f"WITH {ctes} {query}"
            for _, _, pending_parameters in self.pending:
                merged.update(pending_parameters)
            self.pending = []
        self.connection.execute(f"CREATE TEMP TABLE {name} AS {query}", merged)

    def fetch(self, query: str, parameters: Mapping[str, object]) -> pd.DataFrame:
        return self.connection.execute(query, dict(parameters)).df()

    def close(self) -> None:
        self.connection.close()


DATA_YEARS = (
    "SELECT MIN(d) AS low, MAX(d) AS high FROM (SELECT EPIEND AS d FROM hes_apc "
    "UNION ALL SELECT ARRIVALDATE AS d FROM hes_ae) AS record_dates"
)


def data_years(engine) -> tuple[date, date] | None:
    """First and last day of the financial years the records cover (APC by episode end)."""
    low, high = engine.fetch(DATA_YEARS, {}).iloc[0]
    if pd.isna(low):
        return None
    low, high = pd.Timestamp(low), pd.Timestamp(high)
    first = low.year if low.month >= 4 else low.year - 1
    last = high.year if high.month >= 4 else high.year - 1
    return date(first, 4, 1), date(last + 1, 3, 31)


ENGINES = ("duckdb", "spark")


def derive(
    records_dir: Path | str,
    population: pd.DataFrame | pa.Table,
    *,
    threads: int | None = None,
    memory_limit: str = "3GB",
    timings: dict[str, float] | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> pd.DataFrame:
    """All HES indicator rows before disclosure control, sorted by the indicator key.
    ``timings``, if given, receives the seconds each SQL step took. ``engine`` "spark" runs the
    same SQL files on Spark (``extracts.hes_spark``; records may then be an s3a:// or abfss://
    directory); the result is the same table."""
    if engine == "spark":
        from extracts import hes_spark

        return _derive(records_dir, population, hes_spark.SparkEngine.start(spark_master), timings)
    if engine != "duckdb":
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    with tempfile.TemporaryDirectory(prefix="hes-build-") as spill:
        engine_ = DuckDBEngine(connect(threads, memory_limit, spill))
        return _derive(Path(records_dir), population, engine_, timings)


def _derive(records_dir, population, engine, timings) -> pd.DataFrame:
    try:
        available = engine.register_records(records_dir)
        span = data_years(engine)
        if span is None:
            return pd.DataFrame(columns=OUTPUT_COLUMNS)
        periods = period_months(*span)
        people = period_population(population, periods)
        # one integer per period, so the roll-ups group and join on one small key
        periods["period_id"] = periods.groupby(["period_type", "period_start"]).ngroup()
        metric_periods, metric_breakdowns = metric_tables(available)
        areas = pd.DataFrame({"area_code": sorted(people["area_code"].unique())})
        for name, frame in (
            ("period_months", periods),
            ("period_population", people),
            ("areas", areas),
            ("metric_periods", metric_periods),
            ("metric_breakdowns", metric_breakdowns),
        ):
            engine.register(name, frame)
        for step, query, parameters in STEPS:
            started = time.perf_counter()
            engine.materialise(step, query(), parameters)
            if timings is not None:
                timings[step] = time.perf_counter() - started
        started = time.perf_counter()
        result = engine.fetch(sql("indicators"), {"percent": PERCENT})
        if timings is not None:
            timings["indicators"] = time.perf_counter() - started
    finally:
        engine.close()
    return tidy(result)


# The build after registering the calendar tables: (table, its query, parameters), each
# materialised in turn. Only spells (episodes: three column-projected scans, one sort) and
# ae_cells (attendances: one scan) read the records; spell_cells reads the spells three times
# (so they are a table, not a CTE that Spark would recompute), every later step small tables.
STEPS = (
    ("spells", lambda: sql("spells"), {"readmission_days": READMISSION_DAYS}),
    ("spell_cells", lambda: sql("spell_cells"), {"los_days": LOS_DAYS}),
    ("ae_cells", lambda: sql("ae_cells"), {}),
    (
        "monthly",
        lambda: (
            f"SELECT * FROM ({sql('apc_monthly')}) AS apc "
            f"UNION ALL SELECT * FROM ({sql('ae_monthly')}) AS ae"
        ),
        {"england": ENGLAND_CODE},
    ),
    (
        "los_histogram",
        lambda: sql("los_histogram"),
        {"england": ENGLAND_CODE},
    ),
)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Arrow with real date columns: DuckDB scans Python date objects one by one."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in ("period_start", "period_end", "month_start"):
        if name in table.column_names:
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, table.column(name).cast(pa.date32()))
    return table


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Column order, types and row order shared by the SQL build and the pandas reference."""
    frame = frame[OUTPUT_COLUMNS].copy()
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    for column in ("numerator", "denominator", "value"):
        frame[column] = frame[column].astype(float)
    return frame.sort_values(KEY, kind="mergesort").reset_index(drop=True)


def to_indicators(
    rows: pd.DataFrame, *, is_synthetic: bool | Mapping[str, bool], vintage: str
) -> pa.Table:
    """Indicator rows (schema order) with disclosure control applied. ``is_synthetic`` is one
    flag, or one per record table (a real APC extract beside synthetic A&E)."""
    if isinstance(is_synthetic, Mapping):
        flags = {m: bool(is_synthetic.get(spec.records, True)) for m, spec in METRICS.items()}
        synthetic = rows["metric_id"].map(flags).to_numpy(dtype=bool)
    else:
        synthetic = np.full(len(rows), bool(is_synthetic))
    kinds = rows["metric_id"].map({m: spec.kind for m, spec in METRICS.items()}).to_numpy()
    multipliers = rows["metric_id"].map({m: spec.multiplier for m, spec in METRICS.items()})
    return published(
        rows,
        {name: rows[name] for name in ("numerator", "denominator", "value")},
        synthetic=synthetic,
        vintage=vintage,
        denominator_is_count=kinds != "rate",
        recompute_value=kinds != "percentile",
        multiplier=multipliers.to_numpy(dtype=float),
    )


def published(
    rows: pd.DataFrame,
    measures: Mapping[str, pd.Series | np.ndarray],
    *,
    synthetic: np.ndarray,
    vintage: str,
    denominator_is_count: np.ndarray,
    recompute_value: np.ndarray,
    multiplier: np.ndarray,
) -> pa.Table:
    """The ``indicators`` table of ``rows`` (their key and period columns) with ``measures``
    (numerator, denominator, value and, if known, lower_ci, upper_ci; non-finite = null),
    under disclosure control (``extracts.disclosure.apply``, whose arguments the last three
    are). The one place the HES builds (crude and age-standardised) turn rows into the table."""
    count = len(rows)
    nulls = np.full(count, np.nan)
    table = pa.table(
        {
            "metric_id": pa.array(rows["metric_id"], pa.string()),
            "area_code": pa.array(rows["area_code"], pa.string()),
            "period_start": pa.array(rows["period_start"], pa.date32()),
            "period_end": pa.array(rows["period_end"], pa.date32()),
            "period_type": pa.array(rows["period_type"], pa.string()),
            "breakdown": pa.array(rows["breakdown"], pa.string()),
            "breakdown_value": pa.array(rows["breakdown_value"], pa.string()),
            **{
                name: _floats(measures.get(name, nulls))
                for name in ("numerator", "denominator", "value", "lower_ci", "upper_ci")
            },
            "suppressed": pa.array(np.zeros(count, dtype=bool)),
            "is_synthetic": pa.array(np.asarray(synthetic, dtype=bool), pa.bool_()),
            "vintage": pa.array([vintage] * count, pa.string()),
            "source": pa.array([SOURCE] * count, pa.string()),
        }
    )
    table = disclosure.apply(
        table,
        denominator_is_count=denominator_is_count,
        recompute_value=recompute_value,
        multiplier=multiplier,
    )
    return validate("indicators", table)


def build(
    records_dir: Path | str,
    population: pd.DataFrame | pa.Table,
    *,
    is_synthetic: bool | Mapping[str, bool],
    vintage: str,
    threads: int | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> pa.Table:
    """The ``hes`` partition of ``indicators`` derived from ``records_dir``, with the age
    bands and age-standardised rates of ``extracts.hes_standardised`` added (DuckDB builds)."""
    rows = derive(
        records_dir, population, threads=threads, engine=engine, spark_master=spark_master
    )
    indicators = to_indicators(rows, is_synthetic=is_synthetic, vintage=vintage)
    if engine != "duckdb":
        return indicators
    from extracts import hes_standardised  # it builds on this module's helpers

    return hes_standardised.append(
        indicators, Path(records_dir), population, is_synthetic=is_synthetic, vintage=vintage
    )


def _floats(values: pd.Series | np.ndarray) -> pa.Array:
    numbers = np.asarray(values, dtype=float)
    return pa.array(numbers, pa.float64(), mask=~np.isfinite(numbers))
