"""The Parquet contract: every published table, its columns, types and key.

Writers (``extracts``) validate against this before publishing; readers (``queries``) rely on
it. It is the one module both sides share, so it holds only declarations and checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ENGLAND_CODE = "E92000001"
# Readers write <data_dir>/leases/<pid>.json listing the versions they still read; publishers
# never prune a version a live process has leased.
LEASES_DIR = "leases"
COUNCIL_CODE_PATTERN = re.compile(r"^E(06|08|09|10)\d{6}$")
AREA_CODE_PATTERN = re.compile(rf"^(E(06|08|09|10)\d{{6}}|{ENGLAND_CODE})$")

PERIOD_TYPES = ("month", "quarter", "financial_year", "rolling_12m", "snapshot")
AGE_BANDS = ("0-17", "18-64", "65-74", "75-84", "85+", "18+", "65+", "all")
LA_TYPES = ("county", "unitary", "metropolitan", "london", "country")
OVERALL_RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


class SchemaError(ValueError):
    """A table does not meet the contract; the message names table, row and column."""


@dataclass(frozen=True)
class Table:
    """One published table: its Arrow schema, primary key and optional partition column."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    partition_by: str | None = None
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, re.Pattern] = field(default_factory=dict)
    served: bool = True  # record-level tables are never registered in the dashboard store
    # (breakdown, breakdown_value): a row of breakdown "all" is the headline row, its value
    # "all" too, so grouping a series by breakdown value never splits the headline
    headline: tuple[str, str] | None = None


def _fields(*pairs: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype, nullable=nullable) for name, dtype, nullable in pairs])


AREAS = Table(
    name="areas",
    schema=_fields(
        ("area_code", pa.string(), False),
        ("name", pa.string(), False),
        ("region", pa.string(), False),
        ("la_type", pa.string(), False),
        ("dh_code", pa.string(), True),
        ("reviewed", pa.bool_(), False),
        ("pop_all", pa.int64(), True),
        ("pop_18plus", pa.int64(), True),
        ("pop_65plus", pa.int64(), True),
        ("pop_85plus", pa.int64(), True),
        ("pct_65plus", pa.float64(), True),
        ("pct_85plus", pa.float64(), True),
        ("imd_avg_rank", pa.float64(), True),
        ("imd_decile", pa.int8(), True),
        ("density_per_km2", pa.float64(), True),
    ),
    key=("area_code",),
    allowed={"la_type": LA_TYPES},
    patterns={"area_code": AREA_CODE_PATTERN},
)

AREA_ALIASES = Table(
    name="area_aliases",
    schema=_fields(("alias", pa.string(), False), ("area_code", pa.string(), False)),
    key=("alias",),
    patterns={"area_code": AREA_CODE_PATTERN},
)

POPULATION = Table(
    name="population",
    schema=_fields(
        ("area_code", pa.string(), False),
        ("year", pa.int16(), False),
        ("age_band", pa.string(), False),
        ("count", pa.int64(), False),
    ),
    key=("area_code", "year", "age_band"),
    allowed={"age_band": AGE_BANDS},
    patterns={"area_code": AREA_CODE_PATTERN},
)

COMPARATORS = Table(
    name="comparators",
    schema=_fields(
        ("method", pa.string(), False),
        ("area_code", pa.string(), False),
        ("peer_code", pa.string(), False),
        ("rank", pa.int16(), False),
        ("distance", pa.float64(), True),
    ),
    key=("method", "area_code", "peer_code"),
    patterns={"area_code": COUNCIL_CODE_PATTERN, "peer_code": COUNCIL_CODE_PATTERN},
)

INDICATORS = Table(
    name="indicators",
    schema=_fields(
        ("metric_id", pa.string(), False),
        ("area_code", pa.string(), False),
        ("period_start", pa.date32(), False),
        ("period_end", pa.date32(), False),
        ("period_type", pa.string(), False),
        ("breakdown", pa.string(), False),
        ("breakdown_value", pa.string(), False),
        ("numerator", pa.float64(), True),
        ("denominator", pa.float64(), True),
        ("value", pa.float64(), True),
        ("lower_ci", pa.float64(), True),
        ("upper_ci", pa.float64(), True),
        ("suppressed", pa.bool_(), False),
        ("is_synthetic", pa.bool_(), False),
        ("vintage", pa.string(), False),
        ("source", pa.string(), False),
    ),
    key=("metric_id", "area_code", "period_start", "period_type", "breakdown", "breakdown_value"),
    partition_by="source",
    allowed={"period_type": PERIOD_TYPES},
    patterns={"area_code": AREA_CODE_PATTERN},
    headline=("breakdown", "breakdown_value"),
)

CQC_LOCATIONS = Table(
    name="cqc_locations",
    schema=_fields(
        ("snapshot_date", pa.date32(), False),
        ("location_id", pa.string(), False),
        ("name", pa.string(), False),
        ("area_code", pa.string(), False),
        ("service_type", pa.string(), False),
        ("beds", pa.int32(), True),
        ("overall_rating", pa.string(), True),
        ("rating_date", pa.date32(), True),
        ("is_synthetic", pa.bool_(), False),
    ),
    key=("snapshot_date", "location_id"),
    allowed={"overall_rating": OVERALL_RATINGS},
    patterns={"area_code": COUNCIL_CODE_PATTERN},
)

CQC_INSPECTIONS = Table(
    name="cqc_inspections",
    schema=_fields(
        ("location_id", pa.string(), False),
        ("area_code", pa.string(), False),
        ("service_type", pa.string(), False),
        ("inspection_date", pa.date32(), False),
        ("overall_rating", pa.string(), False),
        ("is_synthetic", pa.bool_(), False),
    ),
    key=("location_id", "inspection_date"),
    allowed={"overall_rating": OVERALL_RATINGS},
    patterns={"area_code": COUNCIL_CODE_PATTERN},
)

DATASETS = Table(
    name="datasets",
    schema=_fields(
        ("dataset_id", pa.string(), False),
        ("name", pa.string(), False),
        ("publisher", pa.string(), False),
        ("licence", pa.string(), False),
        ("url", pa.string(), True),
        ("vintage", pa.string(), False),
        ("rows", pa.int64(), False),
        ("is_synthetic", pa.bool_(), False),
        ("checksum", pa.string(), True),
        ("notes", pa.string(), True),
    ),
    key=("dataset_id",),
)

AREA_TILES = Table(
    name="area_tiles",
    schema=_fields(
        ("area_code", pa.string(), False),
        ("q", pa.int32(), False),
        ("r", pa.int32(), False),
    ),
    key=("area_code",),
    patterns={"area_code": COUNCIL_CODE_PATTERN},
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        AREAS,
        AREA_ALIASES,
        POPULATION,
        COMPARATORS,
        INDICATORS,
        CQC_LOCATIONS,
        CQC_INSPECTIONS,
        DATASETS,
        AREA_TILES,
    )
}


def table(name: str) -> Table:
    """The declared table called ``name``; an unknown name is a programming error."""
    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(f"unknown table {name!r}; known: {', '.join(sorted(TABLES))}") from None


def conform(name: str, data: pa.Table) -> pa.Table:
    """Cast ``data`` to the declared schema (column order, types) or raise naming the column."""
    spec = table(name)
    missing = [f.name for f in spec.schema if f.name not in data.column_names]
    if missing:
        raise SchemaError(f"{name}: missing column(s) {', '.join(missing)}")
    extra = [c for c in data.column_names if c not in spec.schema.names]
    if extra:
        raise SchemaError(f"{name}: unexpected column(s) {', '.join(extra)}")
    columns = []
    for f in spec.schema:
        try:
            columns.append(data.column(f.name).cast(f.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise SchemaError(f"{name}.{f.name}: cannot be read as {f.type}: {error}") from None
    return pa.Table.from_arrays(columns, schema=spec.schema)


def _first_row(mask: pa.ChunkedArray) -> int:
    return int(pc.index(mask, True).as_py())


def validate(name: str, data: pa.Table) -> pa.Table:
    """Conform ``data`` and check nulls, allowed values, code patterns and key uniqueness.

    Returns the conformed table; raises SchemaError naming the first offending row (0-based).
    """
    spec = table(name)
    data = conform(name, data)
    for f in spec.schema:
        column = data.column(f.name)
        if not f.nullable and column.null_count:
            row = _first_row(pc.is_null(column))
            raise SchemaError(f"{name} row {row}: {f.name} is empty but required")
    for column_name, allowed in spec.allowed.items():
        column = data.column(column_name)
        bad = pc.and_(pc.invert(pc.is_in(column, pa.array(allowed))), pc.is_valid(column))
        if pc.any(bad).as_py():
            row = _first_row(bad)
            raise SchemaError(
                f"{name} row {row}: {column_name}={column[row].as_py()!r} is not one of "
                f"{', '.join(allowed)}"
            )
    for column_name, pattern in spec.patterns.items():
        column = data.column(column_name)
        ok = pc.match_substring_regex(column, pattern.pattern)
        bad = pc.and_(pc.invert(pc.fill_null(ok, True)), pc.is_valid(column))
        if pc.any(bad).as_py():
            row = _first_row(bad)
            raise SchemaError(
                f"{name} row {row}: {column_name}={column[row].as_py()!r} is not a valid code"
            )
    if spec.headline:
        breakdown, value = (data.column(c) for c in spec.headline)
        bad = pc.and_(pc.equal(breakdown, "all"), pc.not_equal(value, "all"))
        if pc.any(bad).as_py():
            row = _first_row(bad)
            raise SchemaError(
                f"{name} row {row}: {spec.headline[1]}={value[row].as_py()!r} in the headline "
                f"{spec.headline[0]} 'all' (it must be 'all' too)"
            )
    example = duplicate_key(data, spec.key)
    if example is not None:
        raise SchemaError(f"{name}: duplicate key {example}")
    return data


KEY_CODE_LIMIT = 2**62


def duplicate_key(data: pa.Table, key: Sequence[str]) -> dict | None:
    """One key ``data`` holds twice, or None."""
    rows = duplicate_rows(data, key)
    if rows is None:
        return None
    return {k: data.column(k)[rows[1]].as_py() for k in key}


def duplicate_rows(data: pa.Table, key: Sequence[str]) -> tuple[int, int] | None:
    """(first, second): the earliest row whose key an earlier row already had, and that earlier
    row; None when every key is unique. Each key column is dictionary-encoded and the codes are
    combined into one integer per row, so two million rows cost tens of MB (a hash group-by
    over six string columns took about 750 MB)."""
    if data.num_rows < 2:
        return None
    combined = _key_codes(data, key)
    order = np.argsort(combined, kind="stable")
    ordered = combined[order]
    repeats = order[1:][ordered[1:] == ordered[:-1]]
    if not len(repeats):
        return None
    second = int(repeats.min())
    first = int(np.flatnonzero(combined == combined[second])[0])
    return first, second


def key_sort_indices(data: pa.Table, key: Sequence[str]) -> pa.Array:
    """The row order of ``data`` sorted by ``key`` ascending (nulls last), as
    ``pc.sort_indices`` gives it, computed on integer codes: an Arrow sort on six string
    columns of two million rows took about 500 MB more than these codes."""
    combined = _key_codes(data, key, ranked=True)
    if combined is None:
        return pc.sort_indices(data, sort_keys=[(k, "ascending") for k in key])
    return pa.array(np.argsort(combined, kind="stable"))


def _key_codes(data: pa.Table, key: Sequence[str], *, ranked: bool = False) -> np.ndarray | None:
    """One int64 per row, equal exactly when the rows' keys are equal; ``ranked``: ordered as
    the keys sort (None when the combinations do not fit one integer)."""
    combined = np.zeros(data.num_rows, dtype=np.int64)
    radix = 1
    for name in key:
        encoded = pc.dictionary_encode(data.column(name).combine_chunks())
        size = len(encoded.dictionary) + 1  # the last code stands for null
        radix *= size
        if radix >= KEY_CODE_LIMIT:
            return None if ranked else _joined_codes(data, key)
        codes = pc.fill_null(encoded.indices, size - 1).to_numpy().astype(np.int64)
        if ranked:
            rank = np.arange(size, dtype=np.int64)
            rank[pc.sort_indices(encoded.dictionary).to_numpy()] = np.arange(size - 1)
            codes = rank[codes]
        combined = combined * size + codes
    return combined


def _joined_codes(data: pa.Table, key: Sequence[str]) -> np.ndarray:
    """Key codes for keys with too many combinations: the key columns joined as text."""
    columns = [pc.fill_null(data.column(k).cast(pa.string()), "\x00") for k in key]
    joined = pc.binary_join_element_wise(*columns, "\x1f").combine_chunks()
    return pc.dictionary_encode(joined).indices.to_numpy().astype(np.int64)


def normalise_area_name(name: str) -> str:
    """Fold the spelling variants publishers use ("Stoke-On-Trent", "Bristol, City of UA")."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("-", " ").replace(".", " ")
    text = re.sub(r"[,()']", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(ua|u a|council|county council|city council|mbc)$", "", text)
    if text.endswith(" city of"):
        text = "city of " + text[: -len(" city of")]
    return text.strip()
