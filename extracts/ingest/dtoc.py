"""`lsr ingest dtoc FILE…`: NHS England delayed transfers of care, by local authority.

Accepts the monthly "Total Delayed Days — Local Authority" workbooks (any layout April 2011 –
December 2019, see ``dtoc_workbook``) and the tidy compilation CSVs (``dtoc_tidy``), in any
mix. Per month a workbook wins over the tidy CSVs (the latest revision if several); months
both cover are cross-checked and every disagreement is a warning. The whole batch is read and
validated before anything is published. Metric definitions are in ``dtoc_metrics``.

Imports add, never erase (``merge``): the batch's months replace only the (metric, area,
month, breakdown) cells they contain, every other month is kept, and quarters, financial
years and ASCOF 2C are rebuilt from the merged months. A month already published from a
later revision is kept. ``--replace`` makes the batch the whole DTOC series instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from extracts.ingest import dtoc_metrics as metrics
from extracts.ingest import files, merge
from extracts.ingest import validation as check
from extracts.ingest.dtoc_tidy import read_tidy, reason_codes, tidy_kind
from extracts.ingest.dtoc_workbook import MonthlyReturn, parse_workbook, read_grids
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.open_data import (
    INDICATOR_SNAPSHOT_TYPES,
    OPEN_DIR,
    read_gzip_csv,
    read_snapshot,
    write_gzip_csv,
)
from extracts.publish import publish, read_current
from queries import schema

SNAPSHOT_NAME = "dtoc.csv.gz"
WORKBOOK_SUFFIXES = (".xls", ".xlsx")
KEY = ["area_code", "period_start", "breakdown", "breakdown_value"]


def ingest(paths: list[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Read, validate and publish DTOC files as the ``dtoc`` indicators partition.

    Options: ``population_rule`` (see ``dtoc_metrics.population_year``), ``reference_dir``
    (where areas, aliases and population snapshots are read; default data/open), ``open_dir``
    (also write the open snapshot there), ``progress`` (False hides the bar), ``today``,
    ``replace`` (the batch replaces the whole DTOC series instead of being merged in).
    """
    options = options or {}
    summary = Summary(source="dtoc")
    table = build_table(paths, summary, **_build_options(options))
    current = read_current(Path(data_dir), "indicators")
    partitions = merged_partitions(
        current,
        table,
        replace=bool(options.get("replace")),
        summary=summary,
        where=Location(paths[0] if len(paths) == 1 else "batch"),
    )
    summary.version = publish(Path(data_dir), partitions={"indicators": partitions})
    if options.get("open_dir"):
        write_open_snapshot(partitions[metrics.SOURCE], Path(options["open_dir"]))
    return summary


def merged_partitions(
    current: pa.Table | None,
    batch: pa.Table,
    *,
    replace: bool = False,
    summary: Summary | None = None,
    where: Location | None = None,
) -> dict[str, pa.Table]:
    """The ``indicators`` partitions to publish: the batch's months merged into the published
    ones cell by cell, and quarters, years and ASCOF 2C rebuilt from the merged months."""
    months = _monthly_rows(batch)
    report = merge.MergeReport()
    merged = merge.merge_cells(current, months, replace=replace, report=report, where=where)
    monthly = _monthly_rows(merged)
    rest = merged.filter(pc.invert(_monthly_mask(merged)))
    derived = metrics.indicator_table(metrics.derived_indicators(_frame(monthly)))
    rebuilt = merge.MergeReport()
    if replace:  # nothing derived from months that are gone may stay
        derived_metrics = pa.array([*metrics.MONTHLY_METRICS, *metrics.ASCOF_2C])
        stale = pc.is_in(rest.column("metric_id"), value_set=derived_metrics)
        rebuilt.removed.update(rest.filter(stale).column("metric_id").to_pylist())
        rest = rest.filter(pc.invert(stale))
    rest = merge.merge_cells(rest, derived, report=rebuilt, where=where)
    if summary is not None:
        summary.changes += [f"months {line}" for line in report.lines()]
        summary.changes += [f"derived {line}" for line in rebuilt.lines()]
    everything = pa.concat_tables([rest, monthly])
    touched = {*metrics.MONTHLY_METRICS, *metrics.ASCOF_2C}
    return merge.partitions_for(current, everything, touched)


def _monthly_mask(table: pa.Table) -> pa.Array:
    return pc.and_(
        pc.is_in(table.column("metric_id"), value_set=pa.array(metrics.MONTHLY_METRICS)),
        pc.equal(table.column("period_type"), "month"),
    )


def _monthly_rows(table: pa.Table) -> pa.Table:
    return table.filter(_monthly_mask(table))


def _frame(monthly: pa.Table) -> pd.DataFrame:
    """Monthly indicator rows as the frame ``dtoc_metrics`` builds periods from."""
    frame = monthly.to_pandas()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def build_table(
    paths: Sequence[Path],
    summary: Summary,
    *,
    population_rule: str = metrics.DEFAULT_POPULATION_RULE,
    reference_dir: Path = OPEN_DIR,
    progress: bool | None = None,
    today: date | None = None,
) -> pa.Table:
    """The validated ``dtoc`` indicators table for a batch of files (nothing is written)."""
    resolver = check.AreaResolver(_aliases(reference_dir))
    returns = read_returns(paths, resolver, summary, progress=progress, today=today)
    chosen = choose_returns(returns, summary)
    cross_check(returns, summary)
    observations = observation_frame(chosen)
    presence = {
        period: set(rows["area_code"])
        for period, rows in observations[observations["breakdown"] == "all"].groupby("period_start")
    }
    check.warn_missing_areas(
        presence, Location(paths[0] if len(paths) == 1 else "batch"), summary,
        label=lambda day: f"{day:%B %Y}",
    )  # fmt: skip
    _warn_never_present(set(observations["area_code"]), reference_dir, summary)
    monthly = metrics.monthly_indicators(
        observations, _population_18plus(reference_dir), population_rule
    )
    metrics.check_plausible(monthly)
    table = metrics.indicator_table(
        pd.concat([monthly, metrics.derived_indicators(monthly)], ignore_index=True)
    )
    summary.files += len(paths)
    summary.rows += len(observations)
    summary.areas |= set(observations["area_code"])
    summary.periods |= {f"{day:%Y-%m}" for day in observations["period_start"]}
    return table


def read_returns(
    paths: Sequence[Path],
    resolver: check.AreaResolver,
    summary: Summary,
    *,
    progress: bool | None = None,
    today: date | None = None,
) -> list[MonthlyReturn]:
    """Every file's monthly returns; tidy reason files first so organisation files get codes."""
    if not paths:
        raise IngestError(Location("(no files)"), "give at least one DTOC file")
    kinds = {Path(path): _kind(Path(path)) for path in paths}
    codes: dict[tuple[str, str], str] = {}
    for path, kind in kinds.items():
        if kind == "tidy_reason":
            codes.update(reason_codes(path))
    order = sorted(kinds, key=lambda p: (kinds[p] != "tidy_reason", str(p)))
    returns: list[MonthlyReturn] = []
    for path in tqdm(order, desc="dtoc", unit="file", disable=_disabled(progress)):
        if kinds[path] == "workbook":
            returns.append(parse_workbook(read_grids(path), path, resolver, summary, today=today))
        else:
            returns += read_tidy(path, resolver, summary, codes=codes or None, today=today)
    return returns


def choose_returns(returns: Iterable[MonthlyReturn], summary: Summary) -> list[MonthlyReturn]:
    """Per month: the latest workbook revision if there is a workbook, else the tidy rows."""
    by_month: dict[date, list[MonthlyReturn]] = {}
    for item in returns:
        by_month.setdefault(item.period_start, []).append(item)
    chosen = []
    for period in sorted(by_month):
        workbooks = [r for r in by_month[period] if r.kind == "workbook"]
        if not workbooks:
            chosen += by_month[period]
            continue
        workbooks.sort(key=lambda r: r.published or date.min)
        latest, earlier = workbooks[-1], workbooks[:-1]
        for other in earlier:
            if other.published == latest.published:
                raise IngestError(
                    Location(latest.file, "England"),
                    f"{period:%B %Y} is also in {Path(other.file).name} with the same "
                    "publication date; give one workbook per month",
                )
            summary.warn(
                Location(other.file), f"superseded by the revision in {Path(latest.file).name}"
            )
        chosen.append(latest)
    return chosen


def cross_check(returns: Iterable[MonthlyReturn], summary: Summary) -> int:
    """Compare workbooks with tidy CSVs for the months both cover.

    Each figure both give that differs is a warning naming area, month, breakdown and both
    numbers; an area one source has and the other lacks is one warning with its month count.
    Returns the number of differing figures.
    """
    returns = list(returns)
    workbook = observation_frame([r for r in returns if r.kind == "workbook"], unique=False)
    tidy = observation_frame([r for r in returns if r.kind != "workbook"], unique=False)
    shared = set(workbook["period_start"]) & set(tidy["period_start"])
    if not shared:
        return 0
    sides = [
        frame[frame["period_start"].isin(shared)].drop_duplicates(KEY, keep="last")
        for frame in (workbook, tidy)
    ]
    _warn_presence(sides, summary)
    areas_in_both = set(sides[0]["area_code"]) & set(sides[1]["area_code"])
    breakdowns = set(sides[0]["breakdown"]) & set(sides[1]["breakdown"])
    both = sides[0].merge(sides[1], on=KEY, how="inner", suffixes=("_workbook", "_tidy"))
    both = both[both["area_code"].isin(areas_in_both) & both["breakdown"].isin(breakdowns)]
    differ = both[both["days_delayed_workbook"] != both["days_delayed_tidy"]]
    for row in differ.itertuples(index=False):
        summary.warn(
            row.location_workbook,
            f"cross-check {row.area_code} {row.period_start:%B %Y} "
            f"{row.breakdown}={row.breakdown_value}: workbook {_figure(row.days_delayed_workbook)}"
            f", tidy CSV {_figure(row.days_delayed_tidy)}",
        )
    return len(differ)


def _warn_presence(sides: list[pd.DataFrame], summary: Summary) -> None:
    """One warning per area that only one source has in months both cover."""
    totals = [side[side["breakdown"] == "all"] for side in sides]
    months = [totals[i].groupby("area_code")["period_start"].apply(set) for i in (0, 1)]
    for here, there, name, other in ((0, 1, "workbooks", "tidy CSVs"),
                                     (1, 0, "tidy CSVs", "workbooks")):  # fmt: skip
        for area, periods in months[here].items():
            lacking = periods - months[there].get(area, set())
            if lacking:
                summary.warn(
                    Location("cross-check"),
                    f"{area} is in the {name} but not the {other} for {len(lacking)} month(s), "
                    f"{min(lacking):%B %Y} – {max(lacking):%B %Y}",
                )


def observation_frame(returns: Iterable[MonthlyReturn], *, unique: bool = True) -> pd.DataFrame:
    """One row per area, month and breakdown; a figure given twice is an error when unique."""
    rows = [
        (area, item.period_start, breakdown, value, days, location, item.vintage)
        for item in returns
        for area, breakdown, value, days, location in item.observations
    ]
    frame = pd.DataFrame(rows, columns=[*KEY, "days_delayed", "location", "vintage"]).astype(
        {"days_delayed": float}
    )
    if unique and frame.duplicated(KEY).any():
        duplicate = frame[frame.duplicated(KEY, keep=False)]
        first, second = duplicate["location"].iloc[0], duplicate["location"].iloc[1]
        area, period = duplicate["area_code"].iloc[0], duplicate["period_start"].iloc[0]
        raise IngestError(second, f"{area} {period:%B %Y} given twice; first at {first}")
    return frame


def build_open_snapshot(paths: Sequence[Path], *, reference_dir: Path = OPEN_DIR) -> pa.Table:
    """The indicator rows for the committed open snapshot (real DTOC, 2011–2019)."""
    return build_table(paths, Summary(source="dtoc"), reference_dir=reference_dir, progress=False)


def write_open_snapshot(table: pa.Table, open_dir: Path = OPEN_DIR) -> Path:
    """Write data/open/dtoc.csv.gz compactly: monthly rows only, without the columns that are
    constant or derived; ``read_open_snapshot`` rebuilds values, quarters and years."""
    table = schema.validate("indicators", table)
    frame = table.to_pandas()
    frame = frame.loc[frame["period_type"] == "month", _SNAPSHOT_COLUMNS]
    frame["numerator"] = frame["numerator"].map(_figure)
    frame["denominator"] = frame["denominator"].map(_figure)
    return write_gzip_csv(frame, Path(open_dir) / SNAPSHOT_NAME)


def read_open_snapshot(path: Path = OPEN_DIR / SNAPSHOT_NAME) -> pa.Table:
    """The committed DTOC snapshot as a schema-valid ``indicators`` table (source dtoc)."""
    data = read_gzip_csv(path, INDICATOR_SNAPSHOT_TYPES)
    monthly = data.to_pandas()
    starts = pd.to_datetime(monthly["period_start"])
    monthly["period_end"] = (starts + pd.offsets.MonthEnd(0)).dt.date
    monthly["period_type"] = "month"
    monthly = metrics.with_values(monthly)
    return metrics.indicator_table(
        pd.concat([monthly, metrics.derived_indicators(monthly)], ignore_index=True)
    )


_SNAPSHOT_COLUMNS = [
    "metric_id", "area_code", "period_start", "breakdown", "breakdown_value", "numerator",
    "denominator", "vintage",
]  # fmt: skip


def _figure(value: float) -> str:
    return "missing" if pd.isna(value) else f"{value:.15g}"


def _kind(path: Path) -> str:
    files.require_file(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return "workbook"
    if path.suffix.lower() == ".csv":
        with files.CsvFile(path) as reader:
            header = [label.strip() for label in reader.header]
        kind = tidy_kind(header)
        if kind is None:
            raise IngestError(Location(path, row=1), "not a DTOC tidy CSV (unknown header)")
        return kind
    raise IngestError(Location(path), "expected an NHS England .xls workbook or a tidy .csv")


def _aliases(reference_dir: Path) -> dict[str, str]:
    aliases = read_snapshot("area_aliases", reference_dir)
    return dict(zip(aliases["alias"].to_pylist(), aliases["area_code"].to_pylist(), strict=True))


def _population_18plus(reference_dir: Path) -> dict[tuple[str, int], float]:
    population = read_snapshot("population", reference_dir).to_pandas()
    adults = population[population["age_band"] == "18+"]
    return {
        (code, int(year)): float(count)
        for code, year, count in adults[["area_code", "year", "count"]].itertuples(index=False)
    }


def _warn_never_present(found: set[str], reference_dir: Path, summary: Summary) -> None:
    areas = read_snapshot("areas", reference_dir).select(["area_code", "name"]).to_pylist()
    for area in areas:
        if area["area_code"] not in found:
            summary.warn(
                Location("batch"),
                f"{area['area_code']} ({area['name']}) is in no file of the batch",
            )


def _disabled(progress: bool | None) -> bool | None:
    return None if progress is None else not progress


def _build_options(options: dict) -> dict:
    keys = ("population_rule", "reference_dir", "progress", "today")
    return {key: options[key] for key in keys if options.get(key) is not None}


if __name__ == "__main__":  # python -m extracts.ingest.dtoc ../shared/real-data [data/open]
    import sys

    real = Path(sys.argv[1]) / "dtoc_psychty" / "DTOC_data"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else OPEN_DIR
    print(write_open_snapshot(build_open_snapshot(sorted(real.glob("*.xls"))), target))
