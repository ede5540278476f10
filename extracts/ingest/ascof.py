"""`lsr ingest ascof FILE…`: Adult Social Care Outcomes Framework measures, by council.

Reads NHS Digital's "Measures from the ASCOF" open-data CSVs, the derived 2018-19 CSV of the
social_care_datahub and Oflog's ``ASC_data.csv`` (layouts in ``ascof_layouts``, measure names
in ``ascof_measures``). Values are put in the catalogue unit (a proportion written 0.43 becomes
43 %) and checked against the catalogue's plausible range. Where files overlap, NHS Digital's
own CSV wins over the derived one, which wins over Oflog; disagreements are warnings.

Imports add, never erase (``merge``): a batch replaces only the (metric, area, year,
breakdown) cells it contains, in whichever partition held them, and keeps every other year.
A metric's series is never part real, part synthetic: a real batch for a metric that still
has synthetic values is refused unless ``--replace`` (then each metric in the batch is
replaced whole). England is the published row; else, when the source gives numerator and
denominator for every council, Σ numerators ÷ Σ denominators; else it is left missing with a
summary warning. ``overlay`` is the demo build's rule for laying real values over the
synthetic family before ``merge.synthetic_dropped_where_real`` leaves such metrics real-only.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from extracts.ingest import ascof_figures as figures
from extracts.ingest import ascof_layouts as layouts
from extracts.ingest import ascof_measures as measures
from extracts.ingest import merge
from extracts.ingest import validation as check
from extracts.ingest.ascof_layouts import Observation
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import council_reference
from extracts.open_data import (
    INDICATOR_SNAPSHOT_TYPES,
    OPEN_DIR,
    read_gzip_csv,
    read_snapshot,
    write_gzip_csv,
)
from extracts.publish import publish, read_current
from queries import schema

SOURCE = "ascof"
SNAPSHOT_NAME = "ascof.csv.gz"
REAL_FILES = (
    "ascof_socialcaredatahub/final_data_2019.csv",
    "ascof_oflog/ASC_data.csv",
    "trafford_themes/admissions_care_homes_65p.csv",
    "trafford_themes/social_care_satisfaction.csv",
    "trafford_dashboard/home_after_discharge.csv",
)
KEY = list(schema.INDICATORS.key)
GROUP = ["metric_id", "period_start", "period_type", "breakdown", "breakdown_value"]


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Read and check every file, overlay the real values on the ``ascof`` partition, publish.

    Options: ``year`` (financial year such as "2017-18" for NHS Digital files whose name and
    columns do not say it), ``open_dir`` (also write the open snapshot there), ``replace``
    (each metric in the batch replaces its whole series).
    """
    options = options or {}
    data_dir = Path(data_dir)
    summary = Summary(source=SOURCE)
    real = build_table(
        paths,
        summary,
        **council_reference(data_dir),
        year=_year_option(options.get("year")),
    )
    current = read_current(data_dir, "indicators")
    partitions = merge.publishable(
        current,
        real,
        replace=bool(options.get("replace")),
        changes=summary.changes,
        where=Location(paths[0] if len(paths) == 1 else "batch"),
    )
    summary.version = publish(data_dir, partitions={"indicators": partitions})
    if options.get("open_dir"):
        write_open_snapshot(real, Path(options["open_dir"]))
    return summary


def build_table(
    paths: Sequence[Path],
    summary: Summary,
    *,
    areas: pa.Table,
    aliases: pa.Table,
    year: int | None = None,
) -> pa.Table:
    """The validated real ASCOF rows (source ``ascof``) of a batch of files; nothing written."""
    resolver = _resolver(areas, aliases)
    observations: list[Observation] = []
    for path in paths:
        observations += layouts.read_file(Path(path), resolver, summary, year=year)
        summary.files += 1
    figures.normalise_units(observations, summary)
    chosen = figures.choose(observations, summary)
    councils = {c for c in areas.column("area_code").to_pylist() if c != schema.ENGLAND_CODE}
    frame = figures.with_england(_frame(chosen), councils, summary)
    table = indicator_table(frame)
    summary.rows = table.num_rows
    summary.areas = set(table.column("area_code").to_pylist())
    summary.periods = {
        measures.year_label(day.year) for day in table.column("period_start").to_pylist()
    }
    return table


def _frame(observations: list[Observation]) -> pd.DataFrame:
    rows = [
        {
            "metric_id": o.metric_id,
            "area_code": o.area_code,
            "year": o.year,
            "breakdown": o.breakdown,
            "breakdown_value": o.breakdown_value,
            "numerator": o.numerator,
            "denominator": o.denominator,
            "value": o.value,
            "vintage": o.vintage,
        }
        for o in observations
    ]
    columns = ["metric_id", "area_code", "year", "breakdown", "breakdown_value", "numerator",
               "denominator", "value", "vintage"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def indicator_table(frame: pd.DataFrame) -> pa.Table:
    """Real ASCOF rows as a schema-valid ``indicators`` partition, sorted by key."""
    starts = [measures.year_bounds(int(year)) for year in frame["year"]]
    count = len(frame)
    table = pa.table(
        {
            "metric_id": pa.array(frame["metric_id"].tolist(), pa.string()),
            "area_code": pa.array(frame["area_code"].tolist(), pa.string()),
            "period_start": pa.array([s for s, _ in starts], pa.date32()),
            "period_end": pa.array([e for _, e in starts], pa.date32()),
            "period_type": pa.array(["financial_year"] * count, pa.string()),
            "breakdown": pa.array(frame["breakdown"].tolist(), pa.string()),
            "breakdown_value": pa.array(frame["breakdown_value"].tolist(), pa.string()),
            "numerator": _floats(frame["numerator"]),
            "denominator": _floats(frame["denominator"]),
            "value": _floats(frame["value"]),
            "lower_ci": pa.nulls(count, pa.float64()),
            "upper_ci": pa.nulls(count, pa.float64()),
            "suppressed": pa.array([False] * count, pa.bool_()),
            "is_synthetic": pa.array([False] * count, pa.bool_()),
            "vintage": pa.array(frame["vintage"].tolist(), pa.string()),
            "source": pa.array([SOURCE] * count, pa.string()),
        }
    )
    return _sorted(schema.validate("indicators", table))


def overlay(synthetic: pa.Table | None, real: pa.Table) -> pa.Table:
    """The merge rule (see module docstring) as a pure function: ``synthetic`` without the keys
    ``real`` covers and without England for the groups ``real`` covers, plus ``real``."""
    real = schema.conform("indicators", real)
    if synthetic is None or synthetic.num_rows == 0:
        return _sorted(schema.validate("indicators", real))
    synthetic = schema.conform("indicators", synthetic)
    kept = synthetic.join(real.select(KEY), keys=KEY, join_type="left anti")
    england = pc.equal(kept.column("area_code"), schema.ENGLAND_CODE)
    covered = real.select(GROUP).group_by(GROUP).aggregate([])
    kept_england = kept.filter(england).join(covered, keys=GROUP, join_type="left anti")
    parts = [kept.filter(pc.invert(england)), kept_england, real]
    merged = pa.concat_tables([schema.conform("indicators", part) for part in parts])
    return _sorted(schema.validate("indicators", merged))


def _sorted(table: pa.Table) -> pa.Table:
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in KEY]))


def _floats(series: pd.Series) -> pa.Array:
    return pa.array([None if pd.isna(v) else float(v) for v in series], pa.float64())


def _resolver(areas: pa.Table, aliases: pa.Table) -> check.AreaResolver:
    lookup = dict(
        zip(
            aliases.column("alias").to_pylist(),
            aliases.column("area_code").to_pylist(),
            strict=True,
        )
    )
    for code in areas.column("area_code").to_pylist():
        lookup[schema.normalise_area_name(code)] = code
    return check.AreaResolver(lookup)


def _year_option(value: object) -> int | None:
    if value in (None, ""):
        return None
    start = measures.financial_year_start(value)
    if start is None:
        raise IngestError(
            Location("--year"), f"expected a financial year such as 2017-18, not {value!r}"
        )
    return start


# --- committed open snapshot ---------------------------------------------------------------
_SNAPSHOT_COLUMNS = ["metric_id", "area_code", "period_start", "breakdown", "breakdown_value",
                     "numerator", "denominator", "value", "vintage"]  # fmt: skip


def build_open_snapshot(
    real_data: Path, *, reference_dir: Path = OPEN_DIR
) -> tuple[pa.Table, Summary]:
    """The real rows for data/open/ascof.csv.gz from the files in ../shared/real-data."""
    summary = Summary(source=SOURCE)
    table = build_table(
        [Path(real_data) / name for name in REAL_FILES],
        summary,
        areas=read_snapshot("areas", reference_dir),
        aliases=read_snapshot("area_aliases", reference_dir),
    )
    return table, summary


def write_open_snapshot(table: pa.Table, open_dir: Path = OPEN_DIR) -> Path:
    """Write the real rows as gzip CSV (constant and derived columns left out), byte-stable."""
    frame = _sorted(schema.validate("indicators", table)).select(_SNAPSHOT_COLUMNS).to_pandas()
    for column in ("numerator", "denominator", "value"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    return write_gzip_csv(frame, Path(open_dir) / SNAPSHOT_NAME)


def read_open_snapshot(path: Path = OPEN_DIR / SNAPSHOT_NAME) -> pa.Table:
    """The committed real ASCOF values as a schema-valid ``indicators`` table (source ascof)."""
    data = read_gzip_csv(
        path,
        {**INDICATOR_SNAPSHOT_TYPES, "value": pa.float64(), "breakdown_value": pa.string()},
        strings_can_be_null=False,
    )
    frame = data.to_pandas()
    frame["year"] = [day.year for day in frame["period_start"]]
    return indicator_table(frame)


if __name__ == "__main__":  # python -m extracts.ingest.ascof ../shared/real-data data/open
    snapshot, report = build_open_snapshot(Path(sys.argv[1]))
    print("\n".join(report.lines()))
    print(write_open_snapshot(snapshot, Path(sys.argv[2]) if len(sys.argv) > 2 else OPEN_DIR))
