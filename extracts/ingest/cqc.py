"""`lsr ingest cqc-ratings FILE…`: CQC's monthly care directory with ratings (.xlsx or .csv).

Each file is one snapshot of the register: one row per location. Only adult social care
locations of three kinds are kept (care home with nursing → nursing_home; care home without
nursing → residential_home; domiciliary care and not a care home → domiciliary_care); local
authority names resolve through the alias table to 2017 councils. Several snapshots give the
inspection history: a location's rating that changes between snapshots is a new inspection,
dated by its publication date. ``cqc_locations``, ``cqc_inspections`` and the ``cqc``
indicators partition (derived by ``extracts.cqc_metrics``) are published together in one
atomic publish and replace what was there. Supported layouts: docs/importers-cqc-chc.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa

from extracts import cqc_metrics
from extracts.ingest import merge
from extracts.ingest import validation as check
from extracts.ingest.cqc_sheets import (
    Header,
    Sheet,
    find_header,
    flag,
    missing_header,
    open_sheets,
    parse_date,
)
from extracts.ingest.dtoc_metrics import DEFAULT_POPULATION_RULE
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import reference_table
from extracts.publish import publish, read_current
from queries import schema

COLUMNS: dict[str, tuple[str, ...]] = {
    "location_id": ("Location ID", "Location Id", "LocationID"),
    "name": ("Location Name", "Name"),
    "care_home": ("Care home?", "Care Home", "Care home"),
    "sector": ("Location Type/Sector", "Type/Sector", "Location Type Sector"),
    "nursing": ("Service type - Care home service with nursing",),
    "residential": ("Service type - Care home service without nursing",),
    "domiciliary": ("Service type - Domiciliary care service",),
    "beds": ("Care homes beds", "Care Home Beds", "Care homes beds (at the date of publication)"),
    "local_authority": ("Location Local Authority", "Local Authority"),
    "rating": (
        "Location Latest Overall Rating",
        "Overall Rating",
        "Latest Rating",
        "Latest Overall Rating",
    ),
    "published": (
        "Publication Date",
        "Location Latest Rating Publication Date",
        "Latest Rating Publication Date",
    ),
}
REQUIRED = (
    "location_id", "name", "care_home", "nursing", "residential", "domiciliary", "beds",
    "local_authority", "rating", "published",
)  # fmt: skip
RATINGS = {rating.lower(): rating for rating in schema.OVERALL_RATINGS}
UNRATED = (
    "", "insufficient evidence to rate", "not yet rated", "not rated", "unrated", "no rating",
    "rating not published", "-",
)  # fmt: skip
_AS_AT = re.compile(r"\bas\s+at:?\s*(.*)$", re.IGNORECASE)
LOCATION_COLUMNS = [
    "snapshot_date", "location_id", "name", "area_code", "service_type", "beds",
    "overall_rating", "rating_date",
]  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """One file read: the snapshot day, how it was found, and its kept locations."""

    file: Path
    day: date
    how: str
    locations: pd.DataFrame


def classify(care_home: bool, nursing: bool, residential: bool, domiciliary: bool) -> str | None:
    """The service type a location counts as here, or None when it is none of the three."""
    if care_home and nursing:
        return "nursing_home"
    if care_home and residential:
        return "residential_home"
    if domiciliary and not care_home:
        return "domiciliary_care"
    return None


def overall_rating(value: object, location: Location) -> str | None:
    """The schema's spelling of a latest overall rating; None for unrated locations."""
    raw = re.sub(r"\s+", " ", check.text(value)).lower()
    if raw in RATINGS:
        return RATINGS[raw]
    if raw in UNRATED:
        return None
    raise IngestError(
        location,
        f"unknown rating {check.text(value)!r}; expected one of "
        f"{', '.join(schema.OVERALL_RATINGS)} or 'Insufficient evidence to rate'",
    )


def read_snapshot(
    path: Path | str,
    resolver: check.AreaResolver,
    summary: Summary,
    *,
    snapshot_date: date | None = None,
    today: date | None = None,
) -> Snapshot:
    """Read one care directory file: the first sheet whose header row (within the first
    rows) has every required column."""
    path = Path(path)
    partial = None
    for sheet in open_sheets(path):
        header = find_header(sheet, COLUMNS, REQUIRED)
        if header is None or header.missing:
            partial = partial or (header and (sheet, header))
            continue
        frame = _locations(sheet, header, resolver, summary)
        day, how = _snapshot_day(sheet, header, frame, snapshot_date)
        check.not_in_future(day, sheet.location(), today=today)
        if how == "latest publication date":
            summary.warn(sheet.location(), f"no 'Data as at' date; snapshot {day} is the {how}")
        return Snapshot(path, day, how, frame.assign(snapshot_date=day))
    raise missing_header(path, COLUMNS, REQUIRED, partial or None)


def _locations(
    sheet: Sheet, header: Header, resolver: check.AreaResolver, summary: Summary
) -> pd.DataFrame:
    records = []
    seen = check.DuplicateGuard("location")
    skipped = 0
    for number, row in enumerate(sheet.rows, start=header.row + 1):
        location_id = check.text(header.cell(row, "location_id"))
        if not location_id:
            continue
        seen.add(location_id, sheet.location(number, header.label["location_id"]))
        record = _location(sheet, header, row, number, resolver)
        if record is None:
            skipped += 1
            continue
        records.append({"location_id": location_id, **record})
    summary.rows += len(records) + skipped
    if not records:
        raise IngestError(
            sheet.location(header.row + 1),
            "no nursing homes, residential homes or domiciliary care agencies under the header",
        )
    return pd.DataFrame.from_records(records)


def _location(
    sheet: Sheet, header: Header, row: Sequence[object], number: int, resolver
) -> dict | None:
    """One kept location's fields, or None when it is not one of the three service types."""

    def where(column: str) -> Location:
        return sheet.location(number, header.label[column])

    sector = check.text(header.cell(row, "sector")).lower()
    if "sector" in header.index and sector and "social care" not in sector:
        return None
    flags = {
        name: flag(header.cell(row, name), where(name))
        for name in ("care_home", "nursing", "residential", "domiciliary")
    }
    service_type = classify(**flags)
    if service_type is None:
        return None
    name = check.text(header.cell(row, "name"))
    if not name:
        raise IngestError(where("name"), "the location name is empty")
    authority = header.cell(row, "local_authority")
    area_code = resolver.code(authority)
    if area_code is None or not schema.COUNCIL_CODE_PATTERN.match(area_code):
        raise IngestError(
            where("local_authority"), f"unknown local authority {check.text(authority)!r}"
        )
    rating = overall_rating(header.cell(row, "rating"), where("rating"))
    published = parse_date(header.cell(row, "published"), where("published"))
    return {
        "name": name,
        "area_code": area_code,
        "service_type": service_type,
        "beds": _beds(header.cell(row, "beds"), service_type, where("beds")),
        "overall_rating": rating,
        "rating_date": published if rating is not None else None,
        "row": number,
    }


def _beds(value: object, service_type: str, location: Location) -> int | None:
    beds = check.count(value, location)
    if beds is None:
        return None
    if not beds.is_integer():
        raise IngestError(location, f"expected a whole number of beds, found {beds:g}")
    if service_type == "domiciliary_care":
        return None
    return int(beds)


def _snapshot_day(
    sheet: Sheet, header: Header, frame: pd.DataFrame, given: date | None
) -> tuple[date, str]:
    if given is not None:
        return given, "given"
    for number, row in enumerate(header.titles, start=1):
        for index, cell in enumerate(row):
            match = _AS_AT.search(check.text(cell))
            if match is None:
                continue
            rest = match.group(1).strip()
            value = rest or (row[index + 1] if index + 1 < len(row) else None)
            found = parse_date(value, sheet.location(number))
            if found is not None:
                return found, "'Data as at' date"
    dates = frame["rating_date"].dropna()
    if dates.empty:
        raise IngestError(
            sheet.location(),
            "no snapshot date: no 'Data as at' title and no publication dates; give one",
        )
    return max(dates), "latest publication date"


def inspections_from_snapshots(snapshots: Sequence[Snapshot], summary: Summary) -> pd.DataFrame:
    """Inspection history: each location's distinct (publication date, rating) across the
    snapshots; a rating without a publication date is dated by the first snapshot showing it."""
    history: dict[tuple[str, date], dict] = {}
    last: dict[str, dict] = {}
    for snapshot in sorted(snapshots, key=lambda s: s.day):
        rated = snapshot.locations[snapshot.locations["overall_rating"].notna()]
        for record in rated.to_dict("records"):
            previous = last.get(record["location_id"])
            day = record["rating_date"]
            if day is None or pd.isna(day):
                if previous and previous["overall_rating"] == record["overall_rating"]:
                    continue
                day = snapshot.day
                summary.warn(
                    Location(snapshot.file, row=record["row"]),
                    f"{record['location_id']}: rating without a publication date; dated {day}",
                )
            key = (record["location_id"], day)
            earlier = history.get(key)
            if earlier and earlier["overall_rating"] != record["overall_rating"]:
                summary.warn(
                    Location(snapshot.file, row=record["row"]),
                    f"{record['location_id']}: rating published {day} changed from "
                    f"{earlier['overall_rating']} to {record['overall_rating']}; the later wins",
                )
            entry = {
                "location_id": record["location_id"],
                "area_code": record["area_code"],
                "service_type": record["service_type"],
                "inspection_date": day,
                "overall_rating": record["overall_rating"],
            }
            history[key] = entry
            last[record["location_id"]] = entry
    columns = ["location_id", "area_code", "service_type", "inspection_date", "overall_rating"]
    frame = pd.DataFrame(list(history.values()), columns=columns)
    return frame.sort_values(["location_id", "inspection_date"], ignore_index=True)


def build_tables(
    paths: Sequence[Path | str],
    *,
    aliases: dict[str, str],
    population: pd.DataFrame,
    summary: Summary,
    snapshot_date: date | None = None,
    population_rule: str = DEFAULT_POPULATION_RULE,
    today: date | None = None,
) -> dict[str, pa.Table]:
    """Read and validate every file; the three tables to publish (nothing is written)."""
    if snapshot_date is not None and len(paths) > 1:
        raise IngestError(Location(paths[1]), "a snapshot date can be given for one file only")
    resolver = check.AreaResolver(aliases)
    snapshots: dict[date, Snapshot] = {}
    for path in map(Path, paths):
        snapshot = read_snapshot(path, resolver, summary, snapshot_date=snapshot_date, today=today)
        if snapshot.day in snapshots:
            raise IngestError(
                Location(path),
                f"snapshot {snapshot.day} is also in {snapshots[snapshot.day].file.name}",
            )
        snapshots[snapshot.day] = snapshot
        summary.files += 1
        summary.periods.add(f"snapshot {snapshot.day} ({snapshot.how})")
    locations = pd.concat([s.locations for s in snapshots.values()], ignore_index=True)
    inspections = inspections_from_snapshots(list(snapshots.values()), summary)
    councils = sorted(set(locations["area_code"]))
    check.warn_missing_areas(
        {day: set(s.locations["area_code"]) for day, s in snapshots.items()},
        Location("batch"),
        summary,
        label=lambda day: f"snapshot {day}",
    )
    frame = cqc_metrics.indicator_frame(
        locations, inspections, population, councils, population_rule=population_rule
    )
    _warn_implausible(frame, summary)
    latest = max(snapshots)
    vintage = [
        f"CQC care directory {day if kind == 'snapshot' else latest}"
        for day, kind in zip(frame["period_start"], frame["period_type"], strict=True)
    ]
    summary.areas |= set(councils)
    return {
        "cqc_locations": _table("cqc_locations", locations[LOCATION_COLUMNS]),
        "cqc_inspections": _table("cqc_inspections", inspections),
        "indicators": cqc_metrics.indicator_table(frame, vintage=vintage, is_synthetic=False),
    }


def _warn_implausible(frame: pd.DataFrame, summary: Summary) -> None:
    councils = frame[frame["area_code"] != schema.ENGLAND_CODE]
    for metric_id, rows in councils.groupby("metric_id"):
        check.check_plausible(
            str(metric_id),
            (
                (value, Location(f"{metric_id} {area} {start}"))
                for value, area, start in rows[["value", "area_code", "period_start"]].itertuples(
                    index=False
                )
            ),
            summary=summary,
        )


def _table(name: str, frame: pd.DataFrame) -> pa.Table:
    frame = frame.assign(is_synthetic=False)
    if "beds" in frame.columns:
        frame["beds"] = frame["beds"].astype("Int32")
    return schema.validate(name, pa.Table.from_pandas(frame, preserve_index=False))


def _snapshot_option(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(value, Location("--snapshot-date"))


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Read, validate and publish CQC care directory snapshots.

    Options: ``snapshot_date`` (one file only; else the 'Data as at' title or the latest
    publication date), ``population_rule``, ``today``.
    """
    options = options or {}
    summary = Summary(source="cqc-ratings")
    aliases = reference_table(data_dir, "area_aliases")
    tables = build_tables(
        paths,
        aliases=dict(
            zip(aliases["alias"].to_pylist(), aliases["area_code"].to_pylist(), strict=True)
        ),
        population=reference_table(data_dir, "population").to_pandas(),
        summary=summary,
        snapshot_date=_snapshot_option(options.get("snapshot_date")),
        population_rule=options.get("population_rule") or DEFAULT_POPULATION_RULE,
        today=options.get("today"),
    )
    partitions = merge.publishable(
        read_current(Path(data_dir), "indicators"),
        tables["indicators"],
        replace=bool(options.get("replace")),
        changes=summary.changes,
        where=Location(paths[0] if len(paths) == 1 else "batch"),
    )
    summary.version = publish(
        Path(data_dir),
        tables={name: tables[name] for name in ("cqc_locations", "cqc_inspections")},
        partitions={"indicators": partitions},
    )
    return summary
