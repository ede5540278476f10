"""Import record-level HES extracts (``lsr ingest hes-apc|hes-ae``) and the synthetic demo.

Files (CSV or Parquet with HES field names) are checked column by column: a missing column, a
value of the wrong type, a code outside the HES code set or an impossible date stops the import
with the file, the 1-based data row and the field. Nothing is half-published: records go to a
staging directory, the ``hes`` indicators are built from it and published atomically, and only
then do the staged records replace ``<data_dir>/records/<table>``.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from extracts import hes_build
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import reference_table
from extracts.publish import publish, staging_area
from extracts.synthetic import hes as synthetic_hes
from queries import hes_schema

SOURCES = {"hes-apc": "hes_apc", "hes-ae": "hes_ae"}
OPTIONAL = {"DIAG_4_02", "CARE_HOME_RESIDENT", "RECORD_WEIGHT", "SPELL_ID"}
EARLIEST_ADMISSION = date(1990, 1, 1)
PROVENANCE = "_provenance.json"  # leading underscore: Parquet readers skip it


# --- the demo -------------------------------------------------------------------------------


def generate_and_build(
    data_dir: Path,
    areas: pd.DataFrame | pa.Table,
    population: pd.DataFrame | pa.Table,
    seed: int = synthetic_hes.DEFAULT_SEED,
    scale: float = synthetic_hes.DEMO_SCALE,
    progress: bool = False,
) -> pa.Table:
    """Generate synthetic HES into ``data_dir/records`` and return the ``hes`` indicators
    partition (the caller publishes it with the rest of the demo)."""
    areas = areas.to_pandas() if isinstance(areas, pa.Table) else areas
    population = population.to_pandas() if isinstance(population, pa.Table) else population
    records = Path(data_dir) / "records"
    with staging_area(records) as staging:  # a publish meanwhile leaves it alone
        synthetic_hes.generate(
            areas, population, staging, seed=seed, scale=scale, progress=progress
        )
        vintage = f"synthetic seed {seed} scale {scale:g}"
        for name in hes_schema.RECORD_TABLES:
            _write_provenance(staging / name, is_synthetic=True, vintage=vintage)
        table = hes_build.build(staging, population, is_synthetic=True, vintage=vintage)
        for name in hes_schema.RECORD_TABLES:
            _swap_in(staging / name, records / name)
    return table


def rebuild(
    data_dir: Path,
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
    records: Path | str | None = None,
) -> Summary:
    """`lsr build`: derive the HES indicators again from the records in ``data_dir/records``
    (e.g. after a population update) and publish the ``hes`` partition. With ``engine`` "spark"
    the records may live elsewhere (``records``: a directory or an s3a://, abfss:// URL of the
    same layout); records on object storage carry no provenance marker here, so they count as
    real, with the URL as their vintage."""
    data_dir = Path(data_dir)
    remote = records is not None and "://" in str(records)
    records = str(records) if remote else Path(records or data_dir / "records")
    if not remote and not all((records / name).exists() for name in hes_schema.RECORD_TABLES):
        raise IngestError(
            Location(records), "no HES records; run `lsr demo` or `lsr ingest hes-apc|hes-ae`"
        )
    summary = Summary(source=f"hes build ({engine})", files=len(hes_schema.RECORD_TABLES))
    indicators = hes_build.build(
        records,
        reference_table(data_dir, "population"),
        is_synthetic=False if remote else _provenance(records),
        vintage=f"HES records at {records}" if remote else _vintage(records),
        engine=engine,
        spark_master=spark_master,
    )
    summary.rows = indicators.num_rows
    summary.areas = set(indicators.column("area_code").to_pylist())
    summary.periods = set(indicators.column("period_type").to_pylist())
    summary.version = publish(data_dir, partitions={"indicators": {"hes": indicators}})
    return summary


# --- lsr ingest hes-apc | hes-ae ---------------------------------------------------------------


def ingest(paths: Sequence[Path], data_dir: Path, options: Mapping[str, object]) -> Summary:
    source = str(options.get("source", ""))
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    name = SOURCES[source]
    data_dir = Path(data_dir)
    summary = Summary(source=source)
    tables = []
    for path in paths:
        table = read_extract(Path(path), name)
        tables.append(table)
        summary.files += 1
        summary.rows += table.num_rows
        summary.areas |= set(pc.unique(table.column("RESLADST_ONS")).to_pylist())
    records = (
        pa.concat_tables(tables) if tables else hes_schema.RECORD_TABLES[name].schema.empty_table()
    )
    years = _financial_years(records.column(hes_schema.PARTITION_DATE[name]))
    summary.periods |= {hes_schema.fy_label(int(y)) for y in np.unique(years)}

    records_root = data_dir / "records"
    vintage = str(options.get("vintage") or f"HES extract imported {date.today().isoformat()}")
    with staging_area(records_root) as staging:  # a publish meanwhile leaves it alone
        _write_partitions(staging / name, records, years)
        _write_provenance(staging / name, is_synthetic=False, vintage=vintage)
        other = next(n for n in hes_schema.RECORD_TABLES if n != name)
        if (records_root / other).exists():
            shutil.copytree(records_root / other, staging / other, copy_function=_link)
        indicators = hes_build.build(
            staging,
            reference_table(data_dir, "population"),
            is_synthetic=_provenance(staging),
            vintage=vintage,
        )
        summary.version = publish(data_dir, partitions={"indicators": {"hes": indicators}})
        _swap_in(staging / name, records_root / name)
    return summary


def read_extract(path: Path, name: str) -> pa.Table:
    """One extract file as a table of the declared schema, or IngestError naming where."""
    spec = hes_schema.RECORD_TABLES[name]
    if not path.exists():
        raise IngestError(Location(path), "file not found")
    try:
        if path.suffix.lower() == ".parquet":
            raw = pq.read_table(path)
        else:
            raw = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    column_types={f.name: pa.string() for f in spec.schema},
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
    except (pa.ArrowInvalid, OSError) as error:
        raise IngestError(Location(path), f"cannot be read as CSV or Parquet: {error}") from None
    missing = [
        f.name for f in spec.schema if f.name not in raw.column_names and f.name not in OPTIONAL
    ]
    if missing:
        raise IngestError(
            Location(path, row=None, column=missing[0]), f"missing column(s) {', '.join(missing)}"
        )
    columns = {}
    for field in spec.schema:
        if field.name in raw.column_names:
            columns[field.name] = _typed(path, raw.column(field.name), field)
    table = _with_defaults(pa.table(columns), name)
    _check(path, table, name)
    return table.select(spec.schema.names).cast(spec.schema)


def _typed(path: Path, column: pa.ChunkedArray, field: pa.Field) -> pa.ChunkedArray:
    if field.name == "PSEUDO_HESID" and not pa.types.is_integer(column.type):
        return _check_nulls(path, column, field).cast(pa.string())
    if pa.types.is_string(field.type):
        return column.cast(pa.string())
    text = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    if pa.types.is_date(field.type):
        if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
            return column.cast(pa.date32())
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    elif pa.types.is_boolean(field.type):
        lowered = pc.utf8_lower(text)
        ok = pc.is_in(lowered, pa.array(["true", "false", "1", "0", "y", "n"]))
        parsed = pc.if_else(ok, pc.is_in(lowered, pa.array(["true", "1", "y"])), None)
    else:
        ok = pc.match_substring_regex(
            text,
            r"^\s*-?\d+(\.0*)?\s*$"
            if pa.types.is_integer(field.type)
            else r"^\s*-?\d+(\.\d*)?([eE]-?\d+)?\s*$",
        )
        parsed = pc.if_else(ok, pc.cast(pc.if_else(ok, text, "0"), pa.float64()), None)
    bad = pc.and_(pc.is_valid(text), pc.is_null(parsed))
    if pc.any(bad).as_py():
        row = int(pc.index(bad, True).as_py())
        raise IngestError(
            Location(path, row=row + 1, column=field.name),
            f"{text[row].as_py()!r} is not a valid {_kind(field.type)}",
        )
    if pa.types.is_date(field.type):
        return parsed.cast(pa.date32())
    return parsed.cast(field.type)


def _check_nulls(path, column, field):
    if column.null_count:
        row = int(pc.index(pc.is_null(column), True).as_py())
        raise IngestError(Location(path, row=row + 1, column=field.name), "is empty but required")
    return column


def _kind(arrow_type: pa.DataType) -> str:
    if pa.types.is_date(arrow_type):
        return "date (YYYY-MM-DD)"
    if pa.types.is_boolean(arrow_type):
        return "true/false value"
    return "number"


def _with_defaults(table: pa.Table, name: str) -> pa.Table:
    count = table.num_rows
    if "PSEUDO_HESID" in table.column_names and pa.types.is_string(
        table.column("PSEUDO_HESID").type
    ):
        ids = pd.util.hash_array(
            table.column("PSEUDO_HESID").to_numpy(zero_copy_only=False).astype(object)
        )
        table = table.set_column(
            table.schema.get_field_index("PSEUDO_HESID"),
            "PSEUDO_HESID",
            pa.array(ids.view(np.int64)),
        )
    if "RECORD_WEIGHT" not in table.column_names:
        table = table.append_column("RECORD_WEIGHT", pa.array(np.ones(count)))
    if name == "hes_apc" and "DIAG_4_02" not in table.column_names:
        table = table.append_column("DIAG_4_02", pa.nulls(count, pa.string()))
    if name == "hes_apc" and "SPELL_ID" not in table.column_names:
        # same patient, provider and admission date = one hospital provider spell
        keys = table.select(["PSEUDO_HESID", "PROCODE3", "ADMIDATE"]).to_pandas()
        spell = pd.util.hash_pandas_object(keys, index=False).to_numpy().view(np.int64)
        table = table.append_column("SPELL_ID", pa.array(spell))
    if name == "hes_ae" and "CARE_HOME_RESIDENT" not in table.column_names:
        table = table.append_column("CARE_HOME_RESIDENT", pa.nulls(count, pa.bool_()))
    return table


def _check(path: Path, table: pa.Table, name: str) -> None:
    spec = hes_schema.RECORD_TABLES[name]

    def fail(mask, column: str, message) -> None:
        mask = pc.fill_null(mask, False)
        if pc.any(mask).as_py():
            row = int(pc.index(mask, True).as_py())
            text = message(table.column(column)[row].as_py())
            raise IngestError(Location(path, row=row + 1, column=column), text)

    for field in spec.schema:
        if not field.nullable:
            fail(
                pc.is_null(table.column(field.name)), field.name, lambda _: "is empty but required"
            )
    for column, allowed in spec.allowed.items():
        fail(
            pc.invert(pc.is_in(table.column(column), pa.array(allowed))),
            column,
            lambda value, allowed=allowed: f"{value!r} is not a HES code ({', '.join(allowed)})",
        )
    fail(
        pc.invert(
            pc.match_substring_regex(
                table.column("RESLADST_ONS"), hes_schema.RESIDENCE_PATTERN.pattern
            )
        ),
        "RESLADST_ONS",
        lambda value: f"{value!r} is not an ONS area code",
    )
    age = hes_schema.AGE_COLUMN[name]
    ages = table.column(age)
    valid_age = pc.or_(
        pc.and_(pc.greater_equal(ages, 0), pc.less_equal(ages, hes_schema.AGE_MAX)),
        pc.is_in(ages, pa.array(hes_schema.INFANT_AGES, pa.int16())),
    )
    fail(pc.invert(valid_age), age, lambda value: f"{value} is not an age (0-120 or 7001-7007)")
    fail(
        pc.less_equal(table.column("RECORD_WEIGHT"), 0),
        "RECORD_WEIGHT",
        lambda value: f"{value} is not a positive weight",
    )
    first, last = hes_schema.FIRST_DAY, hes_schema.LAST_DAY
    for column in hes_schema.DATE_COLUMNS[name]:
        earliest = EARLIEST_ADMISSION if column == "ADMIDATE" else first
        dates = table.column(column)
        outside = pc.or_(pc.less(dates, pa.scalar(earliest)), pc.greater(dates, pa.scalar(last)))
        fail(
            outside,
            column,
            lambda value, earliest=earliest: f"{value} is outside {earliest} to {last}",
        )
    if name == "hes_apc":
        for later, earlier in (
            ("DISDATE", "ADMIDATE"),
            ("EPIEND", "EPISTART"),
            ("EPISTART", "ADMIDATE"),
        ):
            fail(
                pc.less(table.column(later), table.column(earlier)),
                later,
                lambda value, earlier=earlier: f"{value} is before {earlier}",
            )
        fail(
            pc.less(table.column("EPIORDER"), 1),
            "EPIORDER",
            lambda value: f"{value} is not an episode number (1, 2, …)",
        )


# --- records on disk ------------------------------------------------------------------------


def _financial_years(dates: pa.ChunkedArray) -> np.ndarray:
    months = dates.to_numpy().astype("datetime64[M]").astype(np.int64)
    year, month = 1970 + months // 12, months % 12 + 1
    return np.where(month >= 4, year, year - 1)


def _write_partitions(directory: Path, records: pa.Table, years: np.ndarray) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for year in np.unique(years):
        part = records.filter(pa.array(years == year))
        target = directory / f"fy={hes_schema.fy_label(int(year))}"
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(part, target / "part-0.parquet", compression="zstd")


def _write_provenance(directory: Path, *, is_synthetic: bool, vintage: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / PROVENANCE).write_text(
        json.dumps({"is_synthetic": is_synthetic, "vintage": vintage})
    )


def _provenance(records_dir: Path) -> dict[str, bool]:
    """Whether each record table present is synthetic (default: synthetic when unmarked)."""
    flags = {}
    for name in hes_schema.RECORD_TABLES:
        marker = records_dir / name / PROVENANCE
        flags[name] = json.loads(marker.read_text())["is_synthetic"] if marker.exists() else True
    return flags


def _vintage(records_dir: Path) -> str:
    """The vintages recorded beside the record tables, joined."""
    vintages = []
    for name in hes_schema.RECORD_TABLES:
        marker = records_dir / name / PROVENANCE
        if marker.exists():
            vintages.append(json.loads(marker.read_text())["vintage"])
    return "; ".join(dict.fromkeys(vintages)) or "HES records"


def _swap_in(staged: Path, target: Path) -> None:
    """Replace ``target`` by ``staged`` (renames within one directory tree)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)
