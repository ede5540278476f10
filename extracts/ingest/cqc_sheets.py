"""Reading published tables whose header row sits under a few title rows (CQC, NHS England).

Sheets are streamed (openpyxl read-only for .xlsx, the csv module for .csv), the header row is
found by its labels within the first rows, and labels are compared ignoring case, spaces and
punctuation ("Care home?" = "Care Home"), each canonical column accepting listed variants.
Used by the CQC ratings, CHC and CCG lookup importers, with ``area_aliases``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location
from extracts.ingest.reference_tables import reference_table
from queries import schema

HEADER_SEARCH_ROWS = 10
SUFFIXES = (".xlsx", ".xlsm", ".csv")
_DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d-%b-%y",
    "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
)  # fmt: skip
_TRUE = ("y", "yes", "true", "1")
_FALSE = ("", "n", "no", "false", "0")


def header_key(label: object) -> str:
    """A header label with case, spaces and punctuation removed."""
    return re.sub(r"[^a-z0-9]", "", check.text(label).lower())


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a CSV file) as a stream of rows; ``name`` is None for CSV."""

    file: Path
    name: str | None
    rows: Iterator[Sequence[object]]
    csv: files.TitledCsv | None = None  # the reader of a CSV file, told its header row

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, self.name, row, column)


def open_sheets(path: Path) -> Iterator[Sheet]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(Location(path), "expected an .xlsx workbook or a .csv file")
    files.require_file(path)
    if suffix == ".csv":
        reader = files.TitledCsv(path)  # field counts are checked from the header row on
        yield Sheet(path, None, iter(reader), reader)
        return
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise IngestError(Location(path), f"not a readable .xlsx workbook ({error})") from None
    try:
        for worksheet in book.worksheets:
            rows = _guarded(path, worksheet.iter_rows(values_only=True))
            yield Sheet(path, worksheet.title, rows)
    finally:
        book.close()


def _guarded(path: Path, rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    """A read-only sheet's rows; a damaged sheet (bad XML, cut-short zip member) is reported as
    one IngestError when reached, not as the XML parser's traceback."""
    with files.reading_workbook(path, ".xlsx workbook"):
        yield from rows


def area_aliases(data_dir: Path) -> dict[str, str]:
    """Normalised name or code -> 2017 area code: the alias table plus every area's own code."""
    aliases = reference_table(Path(data_dir), "area_aliases")
    out = dict(zip(aliases["alias"].to_pylist(), aliases["area_code"].to_pylist(), strict=True))
    for code in reference_table(Path(data_dir), "areas").column("area_code").to_pylist():
        out.setdefault(schema.normalise_area_name(code), code)
    return out


@dataclass(frozen=True)
class Header:
    """The header row found in a sheet: its 1-based row number, the title rows above it, the
    0-based index and label of every column found, and the required columns it lacks (a
    partial header, kept only to say what is missing)."""

    row: int
    titles: list[Sequence[object]]
    index: dict[str, int]
    label: dict[str, str]
    cells: Sequence[object] = ()
    missing: tuple[str, ...] = ()

    def cell(self, row: Sequence[object], column: str) -> object:
        index = self.index.get(column)
        return row[index] if index is not None and index < len(row) else None


def find_header(
    sheet: Sheet,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    *,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> Header | None:
    """Read rows until one holds every ``required`` column (by any variant). When none of the
    first ``search_rows`` does, the row matching most required columns (at least two) comes
    back with ``missing`` set, else None. ``columns`` maps a canonical name to its variants."""
    keys = {name: {header_key(v) for v in variants} for name, variants in columns.items()}
    titles: list[Sequence[object]] = []
    best: Header | None = None
    for number, row in enumerate(sheet.rows, start=1):
        found = _match(row, keys)
        labels = {name: check.text(row[index]) for name, index in found.items()}
        missing = tuple(name for name in required if name not in found)
        header = Header(number, list(titles), found, labels, tuple(row), missing)
        if not missing:
            _checking_widths_from(sheet, row)
            return header
        matched = len(required) - len(missing)
        if matched >= min(2, len(required)) and (best is None or len(best.missing) > len(missing)):
            best = header
        titles.append(row)
        if number >= search_rows:
            break
    return best


def _checking_widths_from(sheet: Sheet, header: Sequence[object]) -> None:
    """For a CSV, every later row must have the header's field count (see files.TitledCsv)."""
    if sheet.csv is not None:
        sheet.csv.found_header(list(header))


def _match(row: Sequence[object], keys: Mapping[str, set[str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, label in enumerate(row):
        key = header_key(label)
        for name, variants in keys.items():
            if key and key in variants and name not in found:
                found[name] = index
    return found


def missing_header(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    partial: tuple[Sheet, Header] | None = None,
) -> IngestError:
    """The error for a file where no sheet has the whole header: the closest header row and
    the columns it lacks, else which columns were expected."""
    if partial is not None:
        sheet, header = partial
        wanted = ", ".join(repr(columns[name][0]) for name in header.missing)
        found = ", ".join(repr(check.text(c)) for c in header.cells if check.text(c))
        return IngestError(
            sheet.location(header.row),
            f"expected column(s) {wanted} in the header row; found {found}",
        )
    wanted = ", ".join(repr(columns[name][0]) for name in required)
    return IngestError(
        Location(path),
        f"no header row with columns {wanted} in the first {HEADER_SEARCH_ROWS} rows of any sheet",
    )


def flag(value: object, location: Location) -> bool:
    """A Y/N flag cell (Y, Yes, TRUE, 1 / blank, N, No, FALSE, 0)."""
    raw = check.text(value).lower()
    if raw in _TRUE or value is True:
        return True
    if raw in _FALSE or value is False:
        return False
    raise IngestError(location, f"expected Y or N, found {check.text(value)!r}")


def parse_date(value: object, location: Location) -> date | None:
    """A date cell (a real date, or text such as 01/09/2017 or 2017-09-01); blank is None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = check.text(value)
    if not raw:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise IngestError(location, f"expected a date such as 01/09/2017, found {raw!r}")
