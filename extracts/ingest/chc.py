"""`lsr ingest chc FILE…`: NHS England NHS Continuing Healthcare quarterly data, by CCG.

Files (.csv or .xlsx, from 2017-18 Q1) come in a wide layout (one row per CCG and quarter,
one column per measure) or a long one (one row per CCG, quarter and measure, with Measure and
Value columns); accepted header names are in docs/importers-cqc-chc.md. CCG figures are
combined into councils through the stored CCG lookup (`lsr ingest ccg-lookup`): numerators
and denominators are apportioned by population weight (count × weight) and the council value
is Σ numerators ÷ Σ denominators × multiplier; per-50,000 rates use the apportioned CCG
population (the file's population column, else the lookup's). England is the sum of CCGs.
The whole batch is validated, then the ``chc`` indicators partition is replaced atomically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.ingest import ccg_lookup, merge
from extracts.ingest import validation as check
from extracts.ingest.cqc_sheets import (
    Header,
    Sheet,
    find_header,
    header_key,
    missing_header,
    open_sheets,
    parse_date,
)
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.publish import publish, read_current
from queries import schema

SOURCE = "chc"
PER_50K = 50_000
MEASURES: dict[str, tuple[str, ...]] = {
    "completed_28": (
        "Number of referrals completed within 28 days (Standard)",
        "Number of referrals completed within 28 days",
        "Referrals completed within 28 days",
        "Referrals completed within 28 days (Standard)",
        "Standard referrals completed within 28 days",
    ),
    "completed": (
        "Number of referrals completed (Standard)",
        "Number of referrals completed",
        "Referrals completed",
        "Referrals completed (Standard)",
        "Standard referrals completed",
    ),
    "over_28": (
        "Number of incomplete referrals exceeding 28 days (Standard)",
        "Number of incomplete referrals exceeding 28 days",
        "Incomplete referrals exceeding 28 days",
        "Incomplete referrals over 28 days",
        "Incomplete referrals over 28 days (total)",
        "Total incomplete referrals exceeding 28 days",
    ),
    "eligible": (
        "Number eligible for standard NHS CHC",
        "Number of people eligible for standard NHS CHC",
        "Eligible for standard NHS CHC",
        "Standard NHS CHC eligible",
    ),
    "fast_track": (
        "Number eligible for Fast Track NHS CHC",
        "Number of people eligible for Fast Track NHS CHC",
        "Eligible for Fast Track NHS CHC",
        "Fast Track NHS CHC eligible",
    ),
    "phb": (
        "Number of personal health budgets",
        "Number of people in receipt of a personal health budget",
        "Personal health budgets",
        "PHB",
    ),
    "population": ("Population", "CCG population", "Population 18+", "Population aged 18+"),
}
# Length-of-wait bands of incomplete referrals over 28 days, summed when there is no total,
# e.g. "Incomplete referrals exceeding 28 days by 2-4 weeks" or "... over 28 days: >26 weeks".
BAND = re.compile(r"^(numberof)?incompletereferrals(exceeding|over)28days.*weeks?(standard)?$")
COLUMNS: dict[str, tuple[str, ...]] = {
    "org_code": ("CCG Code", "Org Code", "Organisation Code", "Commissioner Code", "CCG"),
    "org_type": ("Org Type", "Organisation Type"),
    "year": ("Year", "Financial Year"),
    "period": ("Quarter", "Period", "Reporting Period", "Time Period"),
    "measure": ("Measure", "Metric", "Variable", "Measure Description"),
    "value": ("Value", "Count"),
    **MEASURES,
}
METRICS = {  # metric_id -> (numerator, denominator, multiplier)
    "chc_28day": ("completed_28", "completed", 100),
    "chc_over28_per50k": ("over_28", "population", PER_50K),
    "chc_eligible_per50k": ("eligible", "population", PER_50K),
    "chc_fasttrack_per50k": ("fast_track", "population", PER_50K),
    "phb_per50k": ("phb", "population", PER_50K),
}
METRICS_INPUTS = ("completed_28", "completed", "over_28", "eligible", "fast_track", "phb")
_FY = re.compile(r"(20\d{2})\s*[-/]\s*(\d{2}|20\d{2})\b")
_QUARTER = re.compile(r"\bq(?:uarter)?\s*([1-4])\b", re.IGNORECASE)
_CCG_TYPES = ("ccg", "clinicalcommissioninggroup")


def quarter_label(start: date) -> str:
    year = start.year if start.month >= 4 else start.year - 1
    return f"{year}/{(year + 1) % 100:02d} Q{(start.month - 4) % 12 // 3 + 1}"


def quarter_start(value: str, location: Location) -> date:
    """The first day of a financial quarter written "2017-18 Q1", "Q1 2017/18" or as a date
    inside it (e.g. the quarter end, 30/06/2017)."""
    year, quarter = _FY.search(value), _QUARTER.search(value)
    if year and quarter:
        first = int(year.group(1))
        second = int(year.group(2)) % 100
        if second != (first + 1) % 100:
            raise IngestError(location, f"{value!r} is not a financial year such as 2017-18")
        month = 4 + 3 * (int(quarter.group(1)) - 1)
        return date(first + (month > 12), (month - 1) % 12 + 1, 1)
    try:
        day = parse_date(value, location)
    except IngestError:
        day = None
    if day is None:
        raise IngestError(location, f"expected a quarter such as '2017-18 Q1', found {value!r}")
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@dataclass
class Figures:
    """One CCG's figures for one quarter, with where each came from."""

    row: Location
    values: dict[str, float | None] = field(default_factory=dict)
    places: dict[str, Location] = field(default_factory=dict)


def _band_columns(header: Header) -> list[int]:
    return [i for i, label in enumerate(header.cells) if BAND.match(header_key(label))]


def read_file(path: Path | str, summary: Summary) -> dict[tuple[str, date], Figures]:
    """Every CCG row of one file: (CCG code, quarter start) -> its figures."""
    path = Path(path)
    partial = None
    for sheet in open_sheets(path):
        header = find_header(sheet, COLUMNS, ("org_code", "period"))
        if header is None or header.missing:
            partial = partial or (header and (sheet, header))
            continue
        long = "measure" in header.index and "value" in header.index
        figures = _long_rows(sheet, header, summary) if long else _wide_rows(sheet, header, summary)
        for key, found in figures.items():
            _check(key, found)
        return figures
    raise missing_header(path, COLUMNS, ("org_code", "period"), partial or None)


def _ccg_row(sheet: Sheet, header: Header, row, number: int) -> tuple[str, date] | None:
    """(CCG code, quarter) of a data row; None for England, region and blank rows."""
    code = check.text(header.cell(row, "org_code")).upper()
    org_type = header_key(header.cell(row, "org_type"))
    if not code or (org_type and org_type not in _CCG_TYPES):
        return None
    if not ccg_lookup.CCG_CODE.match(code):
        return None
    period = check.text(header.cell(row, "period"))
    if "year" in header.index:
        period = f"{check.text(header.cell(row, 'year'))} {period}"
    return code, quarter_start(period, sheet.location(number, header.label["period"]))


def _wide_rows(sheet: Sheet, header: Header, summary: Summary) -> dict:
    measures = [name for name in MEASURES if name in header.index]
    bands = _band_columns(header)
    if not set(measures) - {"population"} and not bands:
        raise IngestError(
            sheet.location(header.row),
            "no CHC measure columns; expected e.g. "
            + ", ".join(repr(MEASURES[name][0]) for name in METRICS_INPUTS),
        )
    out: dict[tuple[str, date], Figures] = {}
    guard = check.DuplicateGuard("CCG and quarter")
    for number, row in enumerate(sheet.rows, start=header.row + 1):
        key = _ccg_row(sheet, header, row, number)
        if key is None:
            continue
        where = sheet.location(number, header.label["org_code"])
        guard.add(key, where)
        found = out[key] = Figures(where)
        for name in measures:
            place = sheet.location(number, header.label[name])
            found.values[name] = check.count(header.cell(row, name), place)
            found.places[name] = place
        if bands and found.values.get("over_28") is None:
            parts = [
                check.count(row[i] if i < len(row) else None, sheet.location(number)) for i in bands
            ]
            found.values["over_28"] = None if None in parts else sum(parts)
            found.places["over_28"] = where
        summary.rows += 1
    return out


def _long_rows(sheet: Sheet, header: Header, summary: Summary) -> dict:
    names = {header_key(v): name for name, variants in MEASURES.items() for v in variants}
    out: dict[tuple[str, date], Figures] = {}
    bands: dict[tuple[str, date], list[float | None]] = {}
    guard = check.DuplicateGuard("CCG, quarter and measure")
    for number, row in enumerate(sheet.rows, start=header.row + 1):
        key = _ccg_row(sheet, header, row, number)
        if key is None:
            continue
        measure_key = header_key(header.cell(row, "measure"))
        name = names.get(measure_key)
        if name is None and not BAND.match(measure_key):
            continue
        place = sheet.location(number, header.label["value"])
        value = check.count(header.cell(row, "value"), place)
        found = out.setdefault(key, Figures(sheet.location(number, header.label["org_code"])))
        guard.add((*key, name or measure_key), place)
        if name is None:
            bands.setdefault(key, []).append(value)
        else:
            found.values[name], found.places[name] = value, place
        summary.rows += 1
    if not out:
        raise IngestError(
            sheet.location(header.row),
            "no CCG rows with a known measure; expected e.g. "
            + ", ".join(repr(MEASURES[name][0]) for name in METRICS_INPUTS),
        )
    for key, parts in bands.items():
        if "over_28" not in out[key].values:
            out[key].values["over_28"] = None if None in parts else sum(parts)
            out[key].places["over_28"] = out[key].row
    return out


def _check(key: tuple[str, date], found: Figures) -> None:
    within, completed = found.values.get("completed_28"), found.values.get("completed")
    place = found.places.get("completed_28", found.row)
    check.numerator_within_denominator(within, completed, place)


def figures_frame(figures: dict[tuple[str, date], Figures], lookup: pd.DataFrame) -> pd.DataFrame:
    """One row per CCG and quarter with every measure (NaN = no figure), codes as in the
    lookup; a CCG the lookup does not know is an error at its row."""
    by_ons = dict(zip(lookup["ccg_ons_code"], lookup["ccg_code"], strict=True))
    known = set(lookup["ccg_code"])
    records = []
    for (code, start), found in figures.items():
        ccg = code if code in known else by_ons.get(code)
        if ccg is None:
            raise IngestError(
                found.row,
                f"CCG {code} is not in the CCG lookup; add it with lsr ingest ccg-lookup",
            )
        records.append({"ccg_code": ccg, "period_start": start, **found.values})
    frame = pd.DataFrame.from_records(records)
    for name in MEASURES:
        if name not in frame.columns:
            frame[name] = np.nan
        frame[name] = frame[name].astype(float)
    population = lookup.groupby("ccg_code")["population"].sum(min_count=1)
    frame["population"] = frame["population"].fillna(frame["ccg_code"].map(population))
    return frame


def _council_rows(frame: pd.DataFrame, lookup: pd.DataFrame, summary: Summary) -> pd.DataFrame:
    """Council rows: Σ weight × numerator ÷ Σ weight × denominator over the council's CCGs;
    a council with any CCG lacking the figure is left out (warned)."""
    mapped = lookup.loc[lookup["weight"] > 0, ["ccg_code", "area_code", "weight"]]
    ccgs_per_area = mapped.groupby("area_code")["ccg_code"].nunique()
    parts = []
    for metric_id, (numerator, denominator, multiplier) in METRICS.items():
        pairs = frame[["ccg_code", "period_start", numerator, denominator]].dropna()
        if pairs.empty:
            continue
        joined = mapped.merge(pairs, on="ccg_code")
        joined = joined.assign(
            numerator=joined[numerator] * joined["weight"],
            denominator=joined[denominator] * joined["weight"],
        )
        sums = joined.groupby(["area_code", "period_start"]).agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            ccgs=("ccg_code", "nunique"),
        )
        complete = sums["ccgs"] == sums.index.get_level_values("area_code").map(ccgs_per_area)
        for start, rows in sums[~complete].groupby(level="period_start"):
            summary.warn(
                Location(f"{metric_id} {quarter_label(start)}"),
                f"{len(rows)} council(s) left out: a CCG mapped to them has no figure "
                f"({', '.join(rows.index.get_level_values('area_code')[:5])})",
            )
        rows = sums[complete].drop(columns="ccgs").reset_index()
        parts.append(rows.assign(metric_id=metric_id, multiplier=multiplier))
    england = _england_rows(frame, summary)
    return pd.concat([*parts, england], ignore_index=True)


def _england_rows(frame: pd.DataFrame, summary: Summary) -> pd.DataFrame:
    parts = []
    for metric_id, (numerator, denominator, multiplier) in METRICS.items():
        pairs = frame[["ccg_code", "period_start", numerator, denominator]]
        for start, rows in pairs.groupby("period_start"):
            valid = rows.dropna()
            if valid.empty:
                continue
            if len(valid) < len(rows):
                summary.warn(
                    Location(f"{metric_id} {quarter_label(start)}"),
                    f"England sums {len(valid)} of {len(rows)} CCGs (the others have no figure)",
                )
            parts.append(
                {
                    "metric_id": metric_id,
                    "area_code": schema.ENGLAND_CODE,
                    "period_start": start,
                    "numerator": valid[numerator].sum(),
                    "denominator": valid[denominator].sum(),
                    "multiplier": multiplier,
                }
            )
    return pd.DataFrame(parts)


def indicator_table(rows: pd.DataFrame, vintage: str) -> pa.Table:
    """The schema-valid ``chc`` indicators partition."""
    rows = rows[rows["denominator"] > 0].copy()
    rows["value"] = rows["numerator"] / rows["denominator"] * rows["multiplier"]
    starts = pd.to_datetime(rows["period_start"])
    rows = rows.assign(
        period_start=starts.dt.date,
        period_end=(starts + pd.DateOffset(months=3) - pd.Timedelta(days=1)).dt.date,
        period_type="quarter",
        breakdown="all",
        breakdown_value="all",
        lower_ci=np.nan,
        upper_ci=np.nan,
        suppressed=False,
        is_synthetic=False,
        vintage=vintage,
        source=SOURCE,
    )
    columns = schema.table("indicators").schema.names
    rows = rows[columns].sort_values(["metric_id", "area_code", "period_start"], ignore_index=True)
    return schema.validate("indicators", pa.Table.from_pandas(rows, preserve_index=False))


def build_table(paths: Sequence[Path | str], lookup: pd.DataFrame, summary: Summary) -> pa.Table:
    """Read and validate every file; the ``chc`` partition (nothing is written)."""
    figures: dict[tuple[str, date], Figures] = {}
    for path in map(Path, paths):
        for key, found in read_file(path, summary).items():
            if key in figures:
                raise IngestError(
                    found.row, f"CCG {key[0]} {quarter_label(key[1])} is also at {figures[key].row}"
                )
            figures[key] = found
        summary.files += 1
    frame = figures_frame(figures, lookup)
    _require_population(frame, figures)
    rows = _council_rows(frame, lookup, summary)
    for metric_id, metric_rows in rows.groupby("metric_id"):
        values = metric_rows["numerator"] / metric_rows["denominator"] * metric_rows["multiplier"]
        check.check_plausible(
            str(metric_id),
            (
                (value, Location(f"{metric_id} {area} {quarter_label(start)}"))
                for value, area, start in zip(
                    values, metric_rows["area_code"], metric_rows["period_start"], strict=True
                )
            ),
            summary=summary,
        )
    quarters = sorted(frame["period_start"].unique())
    summary.periods |= {quarter_label(start) for start in quarters}
    summary.areas |= set(rows["area_code"])
    return indicator_table(rows, f"NHS England CHC to {quarter_label(quarters[-1])}")


def _require_population(frame: pd.DataFrame, figures: dict) -> None:
    """Per-50,000 rates need every CCG's population (file column or lookup)."""
    counts = frame[[METRICS[m][0] for m in METRICS if METRICS[m][1] == "population"]]
    lacking = frame["population"].isna() & counts.notna().any(axis=1)
    if lacking.any():
        index = int(np.flatnonzero(lacking.to_numpy())[0])
        found = list(figures.values())[index]
        raise IngestError(
            found.row,
            f"no population for CCG {frame['ccg_code'].iloc[index]}: give a population column "
            "in the file or populations in the CCG lookup",
        )


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Read, validate and merge CHC files into the published indicators: the batch replaces
    only the cells it holds (``merge``); ``replace`` makes it each metric's whole series."""
    summary = Summary(source="chc")
    lookup = ccg_lookup.load_lookup(Path(data_dir))
    table = build_table(paths, lookup, summary)
    partitions = merge.publishable(
        read_current(Path(data_dir), "indicators"),
        table,
        replace=bool((options or {}).get("replace")),
        changes=summary.changes,
        where=Location(paths[0] if len(paths) == 1 else "batch"),
    )
    summary.version = publish(Path(data_dir), partitions={"indicators": partitions})
    return summary
