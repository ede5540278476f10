"""NHS England "Total Delayed Days — Local Authority" monthly workbooks (April 2011 – 2019).

Layouts changed over the years (an 'SHA' or 'Region' column, an 'ONS Geography' column from
mid-2015, "DTOC Beds" blocks from 2017, upper-case reason labels before 2017, 'O) Other' from
April 2017), so everything is found by content: header rows by their Code/Name cells, columns
by label, the period from the 'Period:' cell of the England sheet (never the file name). The
sheet logic (`parse_workbook`) takes plain grids of cell values, so it is tested without Excel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_areas import SUCCESSOR_CODES
from queries import schema

Grid = Sequence[Sequence[object]]

ENGLAND_SHEET = "England"
ORG_SHEET = "LA - by responsible org"
REASON_SHEET = "LA - by reason"
CARE_SHEET = "LA - by type of care"
REQUIRED_SHEETS = (ENGLAND_SHEET, ORG_SHEET, REASON_SHEET)

ORG_COLUMNS = {"NHS": "NHS", "Social Care": "social_care", "Both": "both"}
REASONS = ("A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O")
_REASON_LABEL = re.compile(r"^\s*(dii|di|[a-io])\s*\)", re.IGNORECASE)
_HEADER_SEARCH_ROWS = 40
_META_SEARCH_ROWS = 15
GSS_CODE = re.compile(r"^E\d{8}$")
NON_ENGLISH_CODE = re.compile(r"^99\d\d$")  # 9900 Wales, 9901 Scotland, 9902 outside GB

# (area code, breakdown, breakdown value, delayed days, where the figure was read)
Observation = tuple[str, str, str, float, Location]


@dataclass
class MonthlyReturn:
    """Delayed days for one month as one file publishes them (a workbook or tidy CSV rows)."""

    file: Path
    period_start: date
    kind: str  # "workbook", "tidy_reason" or "tidy_org"
    vintage: str
    published: date | None = None  # latest publication or revision date, when the file says
    observations: list[Observation] = field(default_factory=list)


def resolve_area(
    resolver: check.AreaResolver,
    *,
    ons_code: object,
    code: object,
    name: object,
    location: Location,
    summary: Summary,
) -> str | None:
    """The 2017 ONS code of a published area row; None for rows that are not a 2017 council.

    ONS codes win over DH codes and names. Areas created after 2017 that are not one 2017
    council (Bournemouth, Christchurch and Poole; Dorset UA, April 2019) and residents of
    Wales, Scotland or outside GB are skipped; the former with a warning.
    """
    ons, dh_code, label = check.text(ons_code), check.text(code), check.text(name)
    if NON_ENGLISH_CODE.match(dh_code) or label.lower().startswith("resident"):
        return None
    if label.lower() == "england" and dh_code in ("", "-") and ons in ("", "-"):
        return schema.ENGLAND_CODE
    if GSS_CODE.match(ons) or GSS_CODE.match(dh_code):
        gss = ons if GSS_CODE.match(ons) else dh_code
        found = resolver.code(gss)
        if found is None and gss in SUCCESSOR_CODES:
            summary.warn(location, f"{label} ({gss}) is not a 2017 council; row skipped")
            return None
        if found is None:
            raise IngestError(location, f"unknown ONS area code {gss!r} ({label})")
        return found
    return resolver.resolve(dh_code, label, location)


def read_grids(path: Path) -> dict[str, list[list[object]]]:
    """All sheets of an .xls/.xlsx workbook as lists of row values (xlrd reads .xls)."""
    path = Path(path)
    book = files.open_xls(path)
    with files.reading_workbook(path, "Excel .xls workbook"):
        return {
            sheet.name: [sheet.row_values(index) for index in range(sheet.nrows)]
            for sheet in book.sheets()
        }


def parse_workbook(
    grids: Mapping[str, Grid],
    file: Path,
    resolver: check.AreaResolver,
    summary: Summary,
    *,
    today: date | None = None,
) -> MonthlyReturn:
    """One month of delayed days by area: total and by responsible organisation and reason."""
    notes = Summary(source=summary.source)  # the sheets repeat each row's warnings; keep one
    result = _parse(grids, file, resolver, notes, today=today)
    seen = set()
    for warning in notes.warnings:
        message = warning.split(": ", 1)[-1]
        if message not in seen:
            seen.add(message)
            summary.warnings.append(warning)
    return result


def _parse(grids, file, resolver, summary, *, today) -> MonthlyReturn:
    sheets = check.require_sheets(list(grids), REQUIRED_SHEETS, Location(file))
    england = Location(file, sheets[ENGLAND_SHEET])
    meta = _metadata(grids[sheets[ENGLAND_SHEET]], england)
    if "period" not in meta:
        raise IngestError(england, "no 'Period:' cell in the title block")
    row, column, value = meta["period"]
    period = check.month_start(value, check.at(england, row=row, column=column), today=today)
    published = [_date(meta[key][2]) for key in ("revised", "published") if key in meta]
    published = [day for day in published if day is not None]
    result = MonthlyReturn(
        file=Path(file),
        period_start=period,
        kind="workbook",
        vintage=_vintage(meta, period),
        published=max(published) if published else None,
    )
    org = _la_rows(grids[sheets[ORG_SHEET]], Location(file, sheets[ORG_SHEET]), resolver,
                   summary, [*ORG_COLUMNS, "Total"])  # fmt: skip
    reasons = _la_rows(grids[sheets[REASON_SHEET]], Location(file, sheets[REASON_SHEET]),
                       resolver, summary, None)  # fmt: skip
    for area, cells in org.items():
        for label, value in ORG_COLUMNS.items():
            _observe(result, area, "responsible_org", value, cells.get(label))
        _observe(result, area, "all", "all", cells.get("Total"))
        _check_sum(cells, [*ORG_COLUMNS], area, summary)
    for area, cells in reasons.items():
        for reason in REASONS:
            _observe(result, area, "reason", reason, cells.get(reason))
        _check_sum(cells, REASONS, area, summary)
        _check_same_total(org.get(area, {}).get("Total"), cells.get("Total"), area, summary)
    care_name = next((s for s in grids if s.strip().lower() == CARE_SHEET.lower()), None)
    if care_name is not None:  # optional: only cross-checks the totals
        care = _la_rows(grids[care_name], Location(file, care_name), resolver, summary,
                        ["Acute", "Non-Acute", "Total"])  # fmt: skip
        for area, cells in care.items():
            _check_same_total(org.get(area, {}).get("Total"), cells.get("Total"), area, summary)
    return result


def _metadata(grid: Grid, location: Location) -> dict[str, tuple[int, str, object]]:
    """Title-block cells ("Period:", "Published:", "Revised:") -> (row, column, value)."""
    found = {}
    for index, row in enumerate(grid[:_META_SEARCH_ROWS]):
        for position, cell in enumerate(row):
            label = check.text(cell).rstrip(":").lower()
            if label in ("period", "published", "revised") and check.text(cell).endswith(":"):
                rest = [(p, v) for p, v in enumerate(row) if p > position and check.text(v)]
                if rest:
                    found[label] = (index + 1, check.column_letter(rest[0][0]), rest[0][1])
                break
    return found


def _date(value: object) -> date | None:
    raw = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", check.text(value))
    for pattern in ("%d %B %Y", "%d %b %Y", "%B %Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _vintage(meta: Mapping[str, tuple[int, str, object]], period: date) -> str:
    parts = [
        f"{key} {_date(meta[key][2]) or check.text(meta[key][2])}"
        for key in ("published", "revised")
        if key in meta
    ]
    when = ", ".join(parts) if parts else f"{period:%B %Y}"
    return f"NHS England DTOC monthly situation report, {when}"


def _header_row(grid: Grid, location: Location) -> int:
    """0-based index of the first row holding both a 'Code' and a 'Name' cell."""
    for index, row in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        labels = {check.text(cell).lower() for cell in row}
        if {"code", "name"} <= labels:
            return index
    raise IngestError(
        location, f"no header row with 'Code' and 'Name' in the first {_HEADER_SEARCH_ROWS} rows"
    )


def _reason_columns(header: Sequence[object], location: Location) -> dict[str, int]:
    columns = {}
    for index, label in enumerate(header):
        match = _REASON_LABEL.match(check.text(label))
        if match:
            reason = {r.lower(): r for r in REASONS}[match.group(1).lower()]
            columns.setdefault(reason, index)
    columns.update(check.require_columns(header, ["Total"], location))
    missing = [r for r in REASONS if r != "O" and r not in columns]
    if missing:
        raise IngestError(location, f"expected reason column(s) {', '.join(missing)}")
    return columns


def _la_rows(
    grid: Grid,
    location: Location,
    resolver: check.AreaResolver,
    summary: Summary,
    value_labels: list[str] | None,
) -> dict[str, dict[str, float | None]]:
    """Area code -> {column label: delayed days or None} for one LA sheet."""
    header_index = _header_row(grid, location)
    header = _first_block(grid[header_index])
    header_location = check.at(location, row=header_index + 1)
    ids = check.require_columns(header, ["Code", "Name"], header_location)
    labels = [check.text(h).lower() for h in header]
    ons_column = labels.index("ons geography") if "ons geography" in labels else None
    if value_labels is None:
        columns = _reason_columns(header, header_location)
    else:
        columns = check.require_columns(header, value_labels, header_location)
    guard = check.DuplicateGuard("council")
    areas: dict[str, dict[str, float | None]] = {}
    for index in range(header_index + 1, len(grid)):
        row = list(grid[index]) + [""] * (len(header) - len(grid[index]))
        name = check.text(row[ids["Name"]])
        if not name:
            continue
        row_location = check.at(location, row=index + 1)
        area = resolve_area(
            resolver,
            ons_code=row[ons_column] if ons_column is not None else "",
            code=row[ids["Code"]],
            name=name,
            location=check.at(row_location, column=check.column_letter(ids["Code"])),
            summary=summary,
        )
        if area is None:
            continue
        guard.add(area, check.at(row_location, column=check.column_letter(ids["Name"])))
        cells = {}
        for label, position in columns.items():
            cell = check.at(row_location, column=check.column_letter(position))
            cells[label] = (check.count(row[position], cell), cell)
        if all(value is None for value, _ in cells.values()) or _all_dashes(cells):
            summary.warn(row_location, f"{name}: no figures published; row skipped")
            continue
        areas[area] = cells
    return areas


def _first_block(header: Sequence[object]) -> list[object]:
    """The header up to where labels repeat: from 2017 a second block ("DTOC Beds") repeats
    NHS … Total as averages per day, which must never stand in for a missing days column."""
    seen: set[str] = set()
    for index, cell in enumerate(header):
        label = check.text(cell).lower()
        if label in seen:
            return list(header[:index])
        if label:
            seen.add(label)
    return list(header)


def _all_dashes(cells: Mapping[str, tuple[float | None, Location]]) -> bool:
    """A row with every breakdown '-' and a zero total is an area that did not report."""
    parts = [value for label, (value, _) in cells.items() if label != "Total"]
    total = cells.get("Total", (None, None))[0]
    return bool(parts) and all(value is None for value in parts) and not total


def _observe(result: MonthlyReturn, area: str, breakdown: str, value: str, cell) -> None:
    if cell is None or cell[0] is None:
        return
    result.observations.append((area, breakdown, value, cell[0], cell[1]))


def _check_sum(cells, labels, area: str, summary: Summary) -> None:
    parts = [cells[label][0] for label in labels if label in cells and cells[label][0] is not None]
    total, location = cells.get("Total", (None, None))
    if total is not None and parts and abs(sum(parts) - total) > 0.5:
        summary.warn(location, f"{area}: parts add up to {sum(parts):g}, total says {total:g}")


def _check_same_total(expected, found, area: str, summary: Summary) -> None:
    if expected is None or found is None or expected[0] is None or found[0] is None:
        return
    if abs(expected[0] - found[0]) > 0.5:
        summary.warn(
            found[1], f"{area}: total {found[0]:g} differs from {expected[0]:g} at {expected[1]}"
        )
