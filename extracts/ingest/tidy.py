"""`lsr ingest tidy FILE.csv…`: add or replace any catalogue metric's series from a long CSV.

The format is documented in docs/tidy-csv.md. Every row is checked against the catalogue
(metric, period type, breakdown, unit, plausible range) and the area reference before
anything is written; the first problem stops the import naming file, row, column and value.
Rows go to the ``tidy`` partition of ``indicators`` (source ``tidy``), replacing rows there
with the same key; the same keys are removed from every other partition in the same atomic
publish, so a user's figure replaces the synthetic (or earlier real) one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import council_reference
from extracts.publish import publish, read_current
from queries import schema
from queries.catalogue import Metric, UnknownMetricError, load_catalogue

SOURCE = "tidy"
KEY = list(schema.INDICATORS.key)
REQUIRED = ("metric_id", "area_code", "period")
OPTIONAL = ("period_type", "numerator", "denominator", "value", "breakdown", "breakdown_value",
            "lower_ci", "upper_ci", "is_synthetic", "vintage")  # fmt: skip
TRUE, FALSE = ("true", "yes", "y", "1"), ("false", "no", "n", "0", "")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_FINANCIAL_YEAR = re.compile(
    r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?:\s*Q([1-4]))?$|^Q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})$",
    re.IGNORECASE,
)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_ROLLING = re.compile(r"^(?:12\s*m|12 months)\s+(?:to|ending)\s+(.+)$", re.IGNORECASE)


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Check every file, merge the rows into the ``tidy`` partition and publish atomically.

    Options: ``today`` (periods after it are errors; default the real today).
    """
    options = options or {}
    data_dir = Path(data_dir)
    summary = Summary(source=SOURCE)
    new = build_table(
        paths,
        summary,
        **council_reference(data_dir),
        today=options.get("today"),
    )
    current = read_current(data_dir, "indicators")
    existing = None if current is None else current.filter(pc.equal(current["source"], SOURCE))
    merged = replace_rows(existing, new)
    del new, existing  # only one copy of a large batch stays in memory
    partitions = partitions_replacing(current, SOURCE, merged)
    del current, merged
    summary.version = publish(data_dir, partitions={"indicators": partitions})
    return summary


def replace_rows(existing: pa.Table | None, new: pa.Table) -> pa.Table:
    """``existing`` without the keys ``new`` has, plus ``new``; validated and sorted by key."""
    new = schema.conform("indicators", new)
    if existing is None or existing.num_rows == 0:
        return new if _is_sorted(new) else _sorted(schema.validate("indicators", new))
    kept = schema.conform("indicators", without_keys(existing, new))
    return _sorted(schema.validate("indicators", pa.concat_tables([kept, new])))


def without_keys(data: pa.Table, keys: pa.Table) -> pa.Table:
    """The rows of ``data`` whose indicator key is not in ``keys``. Only rows of a metric that
    ``keys`` has can match, and the join's hash table is built on those (usually few) rows,
    not on a large ``keys``."""
    metrics = pc.unique(keys.column("metric_id"))
    candidate = pc.is_in(data.column("metric_id"), value_set=metrics)
    if not pc.any(candidate).as_py():
        return data
    survivors = keys.select(KEY).join(data.filter(candidate), keys=KEY, join_type="right anti")
    others = data.filter(pc.invert(candidate))
    return pa.concat_tables([others, survivors.select(data.column_names).cast(data.schema)])


def partitions_replacing(
    current: pa.Table | None, source: str, partition: pa.Table
) -> dict[str, pa.Table]:
    """What to publish so the keys of ``partition`` live only in ``source``: that partition plus
    every other partition that held one of its keys, without those rows."""
    result = {source: partition}
    if current is None:
        return result
    for other in pc.unique(current.column("source")).to_pylist():
        if other == source:
            continue
        rows = current.filter(pc.equal(current.column("source"), other))
        kept = without_keys(rows, partition)
        if kept.num_rows != rows.num_rows:
            result[other] = _sorted(schema.conform("indicators", kept))
    return result


def build_table(
    paths: Sequence[Path],
    summary: Summary,
    *,
    areas: pa.Table,
    aliases: pa.Table,
    today: date | None = None,
) -> pa.Table:
    """The validated ``tidy`` rows of a batch of files (nothing is written).

    Rows are checked one at a time and kept as Arrow batches of ``BATCH_ROWS``, so memory
    grows with the compact columnar result, not with Python objects per row; duplicate keys
    are found afterwards on integer key codes (each row carries its file and row number until
    then).
    """
    reader = _Reader(_area_lookup(areas, aliases), today or date.today())
    paths = [Path(path) for path in paths]
    batches = []
    for index, path in enumerate(paths):
        rows, numbers = [], []
        for number, row in reader.read(path, summary):
            rows.append(row)
            numbers.append(number)
            if len(rows) == BATCH_ROWS:
                batches.append(_batch(rows, numbers, index))
                rows, numbers = [], []
        if rows:
            batches.append(_batch(rows, numbers, index))
        del rows, numbers
        summary.files += 1
    table = pa.Table.from_batches(batches, schema=_PLACED)
    del batches
    _refuse_duplicates(table, paths)
    table = _sorted(schema.validate("indicators", table.drop_columns(list(_PLACE))))
    summary.rows = table.num_rows
    summary.areas = set(pc.unique(table.column("area_code")).to_pylist())
    periods = table.select(["period_type", "period_start"]).group_by(
        ["period_type", "period_start"]
    ).aggregate([])  # fmt: skip
    summary.periods = {
        f"{kind} {day}"
        for kind, day in zip(periods["period_type"].to_pylist(),
                             periods["period_start"].to_pylist(), strict=True)
    }  # fmt: skip
    return table


BATCH_ROWS = 16_384
_PLACE = ("_file", "_row")  # where a row came from, kept only until duplicates are checked
_PLACED = schema.INDICATORS.schema.append(pa.field("_file", pa.int32())).append(
    pa.field("_row", pa.int64())
)


def _batch(rows: list[dict], numbers: list[int], file_index: int) -> pa.RecordBatch:
    batch = pa.RecordBatch.from_pylist(rows, schema=schema.INDICATORS.schema)
    columns = [*batch.columns, pa.array([file_index] * len(rows), pa.int32()),
               pa.array(numbers, pa.int64())]  # fmt: skip
    return pa.RecordBatch.from_arrays(columns, schema=_PLACED)


def _refuse_duplicates(table: pa.Table, paths: list[Path]) -> None:
    """Raise at the first row whose key an earlier row (of any file) already had, naming both."""
    rows = schema.duplicate_rows(table, KEY)
    if rows is None:
        return
    first, second = (table.slice(row, 1).to_pylist()[0] for row in rows)
    places = [Location(paths[row["_file"]], row=row["_row"]) for row in (first, second)]
    key = tuple(str(first[k]) for k in KEY)
    raise IngestError(places[1], f"duplicate row for {key!r}; first seen at {places[0]}")


class _Reader:
    """Reads tidy files one row at a time."""

    def __init__(self, areas: dict[str, str], today: date) -> None:
        self.areas, self.today = areas, today
        self.catalogue = load_catalogue()
        self._known: dict[str, str] = {}

    def read(self, path: Path, summary: Summary) -> Iterator[tuple[int, dict]]:
        """(row number, indicator row) for each data row, checked; the file's encoding and a
        missing final line break are noted in ``summary``."""
        reader = files.CsvFile(path)
        columns = _columns(reader.header, Location(path, row=1))
        if reader.encoding != "utf-8-sig":
            summary.warn(Location(path), f"read as {reader.encoding_name} text (not UTF-8)")
        last = None
        for number, cells in reader:
            cell = {name: cells[i].strip() for name, i in columns.items()}
            yield number, self.row(cell, Location(path, row=number))
            last = number
        if last is None:
            raise IngestError(Location(path, row=2), "the file has a header but no rows")
        if reader.ended_without_line_break:
            summary.warn(Location(path, row=last), files.NO_FINAL_LINE_BREAK)

    def row(self, cell: dict[str, str], where: Location) -> dict:
        def at(column: str) -> Location:
            return check.at(where, column=column)

        metric = self._metric(cell["metric_id"], at("metric_id"))
        area = self._area(cell["area_code"], at("area_code"))
        start, end, period_type = parse_period(
            cell["period"], cell.get("period_type", ""), at("period")
        )
        if period_type not in metric.period_types:
            raise IngestError(
                at("period"), f"{metric.id} is published by {', '.join(metric.period_types)}, "
                f"not {period_type} ({cell['period']!r})",
            )  # fmt: skip
        check.not_in_future(start, at("period"), today=self.today)
        breakdown, breakdown_value = _breakdown(metric, cell, at)
        numerator = check.count(cell.get("numerator", ""), at("numerator"))
        denominator = check.count(cell.get("denominator", ""), at("denominator"))
        value = _value(metric, numerator, denominator, cell.get("value", ""), at)
        lower = check.number(cell.get("lower_ci", ""), at("lower_ci"))
        upper = check.number(cell.get("upper_ci", ""), at("upper_ci"))
        _check_interval(value, lower, upper, at)
        return {
            "metric_id": metric.id, "area_code": area, "period_start": start, "period_end": end,
            "period_type": period_type, "breakdown": breakdown, "breakdown_value": breakdown_value,
            "numerator": numerator, "denominator": denominator, "value": value,
            "lower_ci": lower, "upper_ci": upper, "suppressed": False,
            "is_synthetic": _flag(cell.get("is_synthetic", ""), at("is_synthetic")),
            "vintage": cell.get("vintage") or f"{Path(where.file).name}, imported {self.today}",
            "source": SOURCE,
        }  # fmt: skip

    def _metric(self, raw: str, where: Location) -> Metric:
        try:
            return self.catalogue.get(raw)
        except UnknownMetricError as error:
            raise IngestError(where, str(error)) from None

    def _area(self, raw: str, where: Location) -> str:
        code = self._known.get(raw)  # a file repeats a few hundred spellings millions of times
        if code is None and raw:
            code = self.areas.get(schema.normalise_area_name(raw))
            if code is not None and len(self._known) < 100_000:
                self._known[raw] = code
        if code is None:
            raise IngestError(
                where, f"unknown area {raw!r}: give an ONS code (e.g. E08000026) or a council name"
            )
        return code


def _columns(header: list[str], where: Location) -> dict[str, int]:
    known = REQUIRED + OPTIONAL
    found = {}
    for index, label in enumerate(header):
        name = label.strip().lower().replace(" ", "_")
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise IngestError(
                check.at(where, column=label),
                f"unknown column {label!r}{hint} (see docs/tidy-csv.md)",
            )
        if name in found:
            raise IngestError(check.at(where, column=label), f"column {label!r} appears twice")
        found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise IngestError(where, f"missing column(s) {', '.join(missing)} (see docs/tidy-csv.md)")
    return found


def _breakdown(metric: Metric, cell: dict[str, str], at) -> tuple[str, str]:
    breakdown = cell.get("breakdown") or "all"
    value = cell.get("breakdown_value") or "all"
    if breakdown == "all":
        if value != "all":
            raise IngestError(at("breakdown_value"), f"{value!r} given without a breakdown")
        return breakdown, value
    if breakdown not in metric.breakdowns:
        known = ", ".join(metric.breakdowns) or "none"
        raise IngestError(
            at("breakdown"), f"{metric.id} has no breakdown {breakdown!r} (it has: {known})"
        )
    codes = metric.breakdowns[breakdown]
    if value not in codes:
        raise IngestError(
            at("breakdown_value"),
            f"{metric.id} {breakdown} has no value {value!r} (one of {', '.join(codes)})",
        )
    return breakdown, value


def _value(metric: Metric, numerator, denominator, raw: str, at) -> float | None:
    """The value as given, or numerator ÷ denominator × multiplier; both must agree."""
    value = check.number(raw, at("value"))
    proportion = metric.is_percentage or metric.ci_method == "wilson"
    if proportion:
        check.numerator_within_denominator(numerator, denominator, at("numerator"))
    computed = None
    if numerator is not None and denominator is not None:
        if denominator == 0:
            raise IngestError(at("denominator"), "denominator is 0")
        computed = numerator / denominator * metric.multiplier
    if value is None and computed is None:
        raise IngestError(at("value"), "give a value, or a numerator and a denominator")
    if value is not None and computed is not None:
        decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
        if abs(value - computed) > 0.5 * 10**-decimals + 1e-9 * abs(computed):
            raise IngestError(
                at("value"), f"value {raw} does not match numerator ÷ denominator × "
                f"{metric.multiplier:g} = {computed:.6g}",
            )  # fmt: skip
    result = value if value is not None else computed
    check.check_plausible(metric.id, [(result, at("value"))])
    return result


def _check_interval(value, lower, upper, at) -> None:
    if lower is not None and upper is not None and lower > upper:
        raise IngestError(at("lower_ci"), f"lower_ci {lower:g} is above upper_ci {upper:g}")
    if value is not None and lower is not None and value < lower:
        raise IngestError(at("lower_ci"), f"lower_ci {lower:g} is above the value {value:g}")
    if value is not None and upper is not None and value > upper:
        raise IngestError(at("upper_ci"), f"upper_ci {upper:g} is below the value {value:g}")


def _flag(raw: str, where: Location) -> bool:
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise IngestError(where, f"expected true or false, found {raw!r}")


def parse_period(raw: str, period_type: str, where: Location) -> tuple[date, date, str]:
    """(first day, last day, period type) of "2017-09", "Sep 2017", "2016/17", "2016/17 Q4",
    "12m to Mar 2017" or "2017-09-30" (a snapshot day); ``period_type`` may say which."""
    text, wanted = raw.strip(), period_type.strip().lower()
    if wanted and wanted not in schema.PERIOD_TYPES:
        column = check.at(where, column="period_type")
        raise IngestError(column, f"{period_type!r} is not one of {', '.join(schema.PERIOD_TYPES)}")
    year = _financial_year(text)
    month = _month(text)
    day = _day(text)
    rolling = _ROLLING.match(text)
    if rolling and wanted in ("", "rolling_12m"):
        end = _month(rolling.group(1).strip())
        if end is not None:
            return _add_months(end, -11), _add_months(end, 1) - timedelta(days=1), "rolling_12m"
    if year is not None and wanted in ("", "financial_year", "quarter"):
        start_year, quarter = year
        if quarter is None and wanted in ("", "financial_year"):
            return date(start_year, 4, 1), date(start_year + 1, 3, 31), "financial_year"
        if quarter is not None and wanted in ("", "quarter"):
            start = _add_months(date(start_year, 4, 1), 3 * (quarter - 1))
            return start, _add_months(start, 3) - timedelta(days=1), "quarter"
    if day is not None and (wanted in ("", "snapshot") or (wanted == "month" and day.day == 1)):
        if wanted == "month":
            return day, _add_months(day, 1) - timedelta(days=1), "month"
        return day, day, "snapshot"
    if month is not None and wanted in ("", "month", "rolling_12m", "snapshot"):
        if wanted == "rolling_12m":
            return _add_months(month, -11), _add_months(month, 1) - timedelta(days=1), wanted
        if wanted == "snapshot":
            return month, month, wanted
        return month, _add_months(month, 1) - timedelta(days=1), "month"
    expected = "e.g. 2017-09, Sep 2017, 2016/17, 2016/17 Q4, 12m to Mar 2017 or 2017-09-30"
    suffix = f" with period_type {wanted}" if wanted else ""
    raise IngestError(where, f"cannot read period {raw!r}{suffix}; use {expected}")


def _financial_year(text: str) -> tuple[int, int | None] | None:
    match = _FINANCIAL_YEAR.match(text)
    if not match:
        return None
    if match.group(1):
        start, end, quarter = match.group(1), match.group(2), match.group(3)
    else:
        quarter, start, end = match.group(4), match.group(5), match.group(6)
    start_year = int(start)
    end_year = int(end) if len(end) == 4 else start_year // 100 * 100 + int(end)
    if end_year != start_year + 1:
        return None
    return start_year, int(quarter) if quarter else None


def _month(text: str) -> date | None:
    if match := _ISO_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        return date(year, month, 1) if 1 <= month <= 12 else None
    if match := _NAMED_MONTH.match(text):
        name = match.group(1).lower()
        for index, full in enumerate(_MONTHS):
            if len(name) >= 3 and full.startswith(name):
                return date(int(match.group(2)), index + 1, 1)
    return None


def _day(text: str) -> date | None:
    match = _ISO_DAY.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _area_lookup(areas: pa.Table, aliases: pa.Table) -> dict[str, str]:
    """Normalised alias, code or name -> area code (England included)."""
    lookup = dict(
        zip(
            aliases.column("alias").to_pylist(),
            aliases.column("area_code").to_pylist(),
            strict=True,
        )
    )
    for code, name in zip(areas["area_code"].to_pylist(), areas["name"].to_pylist(), strict=True):
        lookup[schema.normalise_area_name(code)] = code
        lookup.setdefault(schema.normalise_area_name(name), code)
    lookup["england"] = schema.ENGLAND_CODE
    return lookup


def _is_sorted(table: pa.Table) -> bool:
    """Whether ``table`` is already in key order (as ``build_table`` returns it)."""
    order = schema.key_sort_indices(table, KEY).to_numpy()
    return bool((order == np.arange(len(order))).all())


def _sorted(table: pa.Table) -> pa.Table:
    return table.take(schema.key_sort_indices(table, KEY))
