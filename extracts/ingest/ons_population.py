"""ONS mid-year population estimates (MYE2 persons by single year of age, MYE5 density).

ONS changed the workbook layout almost every year (sheet 'Persons UK' in 2015, 'MYE2 - All',
'MYE2-All', 'MYE2 - Persons' later; a geography column from 2017), so the reader finds the
persons sheet by name, the header row by content (first cells Code / Name) and the mid-year
from the sheet title ("... mid-2016"), never from the file name. The sheet-parsing core
(`parse_persons_rows`) takes plain rows so it can be tested without a workbook.

Councils are published on 2017 boundaries. Later workbooks use 2019/2020 codes: renamed
codes map straight back (`RENAMED_CODES`); merged areas are apportioned back to their 2017
councils by each council's share of the combined population in the latest workbook that still
has them, per age band (`APPORTIONED_AREAS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from extracts.ingest import files
from extracts.ingest.problems import IngestError, Location, Summary
from extracts.ingest.reference_tables import reference_table
from extracts.ingest.validation import column_letter
from extracts.open_data import write_snapshots
from extracts.publish import publish
from queries import schema

MAX_AGE = 90  # the last single-year column is "90+"
BASE_BANDS: dict[str, range] = {
    "0-17": range(0, 18),
    "18-64": range(18, 65),
    "65-74": range(65, 75),
    "75-84": range(75, 85),
    "85+": range(85, MAX_AGE + 1),
}
DERIVED_BANDS: dict[str, tuple[str, ...]] = {
    "18+": ("18-64", "65-74", "75-84", "85+"),
    "65+": ("65-74", "75-84", "85+"),
    "all": tuple(BASE_BANDS),
}

# 2020 code -> 2017 code for areas whose boundary did not change (Buckinghamshire became a UA).
RENAMED_CODES: dict[str, str] = {"E06000060": "E10000002"}
# 2019 successors -> the 2017 councils they replaced. Bournemouth, Christchurch and Poole
# (E06000058) plus Dorset UA (E06000059) cover exactly Bournemouth + Poole + Dorset county.
APPORTIONED_AREAS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("E06000058", "E06000059"): ("E06000028", "E06000029", "E10000009"),
}

GSS_CODE = re.compile(r"^[EKNSW]\d{8}$")
_MID_YEAR = re.compile(r"mid-?\s*(\d{4})", re.IGNORECASE)
_DENSITY_HEADER = re.compile(r"^(\d{4})\s+people per sq", re.IGNORECASE)
_HEADER_SEARCH_ROWS = 30


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _find_header(rows: Sequence[Sequence[object]], file: Path | str, sheet: str) -> int:
    """Index of the first row whose first two cells read Code / Name (any case)."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if len(row) >= 2 and [_text(c).lower() for c in row[:2]] == ["code", "name"]:
            return index
    raise IngestError(
        Location(file, sheet),
        f"no header row with 'Code' and 'Name' in the first {_HEADER_SEARCH_ROWS} rows",
    )


def _mid_year(rows: Sequence[Sequence[object]], header: int, file: Path | str, sheet: str) -> int:
    """The mid-year named in the title above the header ("... mid-2016"); latest if a range."""
    for row in rows[:header]:
        for cell in row:
            years = _MID_YEAR.findall(_text(cell))
            if years:
                return max(int(year) for year in years)
    raise IngestError(
        Location(file, sheet, row=1), "no 'mid-YYYY' in the sheet title to say which year"
    )


def _age_of(label: object) -> int | None:
    if isinstance(label, int | float) and float(label).is_integer():
        age = int(label)
    else:
        match = re.fullmatch(r"(\d{1,2})\+?", _text(label))
        if not match:
            return None
        age = int(match.group(1))
    return age if 0 <= age <= MAX_AGE else None


def _whole_number(value: object, location: Location, what: str) -> int:
    if isinstance(value, str):
        value = value.replace(",", "").strip()
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise IngestError(location, f"{what} {value!r} is not a number") from None
    if not number.is_integer() or number < 0:
        raise IngestError(location, f"{what} {value!r} is not a whole, non-negative number")
    return int(number)


def _age_columns(header_row: Sequence[object], location: Location) -> dict[int, int]:
    """Column index for each single year of age 0..90; every age exactly once."""
    columns: dict[int, int] = {}
    for index, label in enumerate(header_row[2:], start=2):
        age = _age_of(label)
        if age is not None and age not in columns:
            columns[age] = index
    missing = [age for age in range(MAX_AGE + 1) if age not in columns]
    if missing:
        raise IngestError(location, f"header has no column for age(s) {missing[:5]}")
    return columns


def _all_ages_column(header_row: Sequence[object]) -> int | None:
    labels = [_text(label).lower() for label in header_row]
    return labels.index("all ages") if "all ages" in labels else None


def _area_counts(
    row: Sequence[object],
    ages: Mapping[int, int],
    total_column: int | None,
    where: Location,
) -> list[int]:
    """The 91 single-year counts of one area row, checked against its 'All ages' cell."""
    code = _text(row[0])
    counts = []
    for age, column in ages.items():
        location = Location(where.file, where.sheet, where.row, column_letter(column))
        counts.append(_whole_number(row[column], location, f"{code} age {age} count"))
    if total_column is not None:
        location = Location(where.file, where.sheet, where.row, column_letter(total_column))
        total = _whole_number(row[total_column], location, f"{code} all ages count")
        if total != sum(counts):
            raise IngestError(
                location, f"{code}: all ages {total:,} but single years add to {sum(counts):,}"
            )
    return counts


def parse_persons_rows(
    rows: Sequence[Sequence[object]], *, file: Path | str, sheet: str
) -> tuple[int, pd.DataFrame]:
    """Parse an MYE2 persons sheet given as rows of cell values.

    Returns (mid-year, long frame with area_code, name, age, count) for every area row.
    Footnote rows (no code, no numbers) are skipped; anything else malformed is an IngestError.
    """
    header = _find_header(rows, file, sheet)
    year = _mid_year(rows, header, file, sheet)
    ages = _age_columns(rows[header], Location(file, sheet, row=header + 1))
    total_column = _all_ages_column(rows[header])
    width = len(rows[header])
    records: list[tuple[str, str, int, int]] = []
    for index in range(header + 1, len(rows)):
        row = list(rows[index]) + [""] * (width - len(rows[index]))
        code = _text(row[0])
        if not GSS_CODE.match(code):
            if any(_text(row[column]) for column in ages.values()):
                raise IngestError(
                    Location(file, sheet, row=index + 1, column="A"),
                    f"{code!r} is not an ONS area code but the row has counts",
                )
            continue
        counts = _area_counts(row, ages, total_column, Location(file, sheet, row=index + 1))
        name = _text(row[1])
        records.extend((code, name, age, count) for age, count in zip(ages, counts, strict=True))
    if not records:
        raise IngestError(Location(file, sheet, row=header + 2), "no area rows under the header")
    frame = pd.DataFrame(records, columns=["area_code", "name", "age", "count"])
    frame.attrs["location"] = Location(file, sheet)
    return year, frame


def parse_density_rows(
    rows: Sequence[Sequence[object]], *, file: Path | str, sheet: str
) -> tuple[int, pd.DataFrame]:
    """Parse an MYE5 sheet: (year, frame of area_code, density_per_km2) for the latest year.

    The latest year is the first '<year> people per sq. km' column (ONS lists newest first).
    """
    header = _find_header(rows, file, sheet)
    density_columns = [
        (int(match.group(1)), index)
        for index, label in enumerate(rows[header])
        if (match := _DENSITY_HEADER.match(_text(label)))
    ]
    if not density_columns:
        raise IngestError(
            Location(file, sheet, row=header + 1), "no '<year> people per sq. km' column"
        )
    year, column = max(density_columns)
    records = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        code = _text(row[0]) if row else ""
        if not GSS_CODE.match(code) or column >= len(row):
            continue
        location = Location(file, sheet, row=index + 1, column=column_letter(column))
        value = row[column]
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        try:
            density = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise IngestError(location, f"density {row[column]!r} is not a number") from None
        records.append((code, density))
    return year, pd.DataFrame(records, columns=["area_code", "density_per_km2"])


def is_persons_sheet(name: str) -> bool:
    """'Persons UK', 'MYE2 - Persons', 'MYE2 - All', 'MYE2-All' (not the male/female sheets)."""
    label = re.sub(r"[\s\-_]+", " ", name.lower()).strip()
    if "male" in label:
        return False
    return "persons" in label or bool(re.fullmatch(r"mye ?2 all", label))


def is_density_sheet(name: str) -> bool:
    return re.sub(r"\s+", "", name.lower()) == "mye5"


def _sheet_rows(path: Path, wanted: Callable[[str], bool]) -> tuple[str, list[list]] | None:
    """The first sheet whose name passes ``wanted``, as rows of cell values (legacy .xls)."""
    if path.suffix.lower() != ".xls":
        raise IngestError(Location(path), "expected an ONS .xls workbook")
    book = files.open_xls(path, on_demand=True)
    with files.reading_workbook(path, "Excel .xls workbook"):  # on demand: sheets parse here
        names = [name for name in book.sheet_names() if wanted(name)]
        if not names:
            return None
        worksheet = book.sheet_by_name(names[0])
        return names[0], [worksheet.row_values(index) for index in range(worksheet.nrows)]


def read_workbook(path: Path | str) -> tuple[int, pd.DataFrame]:
    """Read the persons sheet of one MYE workbook: (mid-year, long frame by single age)."""
    path = Path(path)
    found = _sheet_rows(path, is_persons_sheet)
    if found is None:
        raise IngestError(
            Location(path),
            "no persons sheet (expected e.g. 'MYE2 - Persons', 'MYE2 - All' or 'Persons UK')",
        )
    sheet, rows = found
    return parse_persons_rows(rows, file=path, sheet=sheet)


def read_density(path: Path | str) -> tuple[int, pd.DataFrame] | None:
    """Population density from the MYE5 sheet, or None when the workbook has none (2015)."""
    path = Path(path)
    found = _sheet_rows(path, is_density_sheet)
    if found is None:
        return None
    sheet, rows = found
    return parse_density_rows(rows, file=path, sheet=sheet)


def _band_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts per base age band, one row per area code."""
    band_of_age = {age: band for band, ages in BASE_BANDS.items() for age in ages}
    banded = frame.assign(age_band=frame["age"].map(band_of_age))
    table = banded.pivot_table(
        index="area_code", columns="age_band", values="count", aggfunc="sum", fill_value=0
    )
    return table.reindex(columns=list(BASE_BANDS)).astype("int64")


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split a whole number in proportion to weights so the parts add up exactly."""
    weight_sum = sum(weights)
    if weight_sum == 0:
        shares = [total // len(weights)] * len(weights)
        shares[0] += total - sum(shares)
        return shares
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _apportion(
    counts: pd.DataFrame,
    successors: tuple[str, ...],
    predecessors: tuple[str, ...],
    reference: pd.DataFrame,
) -> pd.DataFrame:
    """Replace successor rows by predecessor rows, split by the reference-year shares."""
    rows = {code: [] for code in predecessors}
    for band in BASE_BANDS:
        total = int(counts.loc[list(successors), band].sum())
        weights = [int(reference.loc[code, band]) for code in predecessors]
        for code, part in zip(predecessors, _largest_remainder(total, weights), strict=True):
            rows[code].append(part)
    apportioned = pd.DataFrame.from_dict(rows, orient="index", columns=list(BASE_BANDS))
    return pd.concat([counts.drop(index=list(successors)), apportioned])


def _on_2017_boundaries(
    year: int, counts: pd.DataFrame, banded: Mapping[int, pd.DataFrame], location: Location
) -> pd.DataFrame:
    renamed = {new: old for new, old in RENAMED_CODES.items() if old not in counts.index}
    counts = counts.rename(index=renamed)
    for successors, predecessors in APPORTIONED_AREAS.items():
        present = [code for code in successors if code in counts.index]
        if not present or all(code in counts.index for code in predecessors):
            continue
        if len(present) < len(successors):
            missing = sorted(set(successors) - set(present))
            raise IngestError(location, f"mid-{year}: {', '.join(missing)} missing")
        reference_years = [
            ref for ref, frame in banded.items() if set(predecessors) <= set(frame.index)
        ]
        if not reference_years:
            raise IngestError(
                location,
                f"mid-{year} uses {', '.join(successors)}; to split them back into "
                f"{', '.join(predecessors)} also give a workbook on 2017 boundaries (mid-2017)",
            )
        reference = banded[max(reference_years)]
        counts = _apportion(counts, successors, predecessors, reference)
    return counts


def area_codes(areas: pd.DataFrame | pa.Table | Iterable[str]) -> list[str]:
    """The area codes of an areas frame/table (or a plain list of codes)."""
    if isinstance(areas, pa.Table):
        return areas.column("area_code").to_pylist()
    if isinstance(areas, pd.DataFrame):
        return areas["area_code"].tolist()
    return list(areas)


def population_table(
    workbooks: Mapping[int, pd.DataFrame] | Iterable[Path | str],
    areas: pd.DataFrame | pa.Table | Iterable[str],
) -> pa.Table:
    """Population by age band for every area in ``areas`` (2017 councils + England), all years.

    ``workbooks`` maps mid-year to the frame `read_workbook` returned for it (as
    `read_workbooks` gives), or is a list of workbook paths to read.
    """
    if not isinstance(workbooks, Mapping):
        workbooks = read_workbooks(workbooks)
    codes = area_codes(areas)
    banded = {year: _band_counts(frame) for year, frame in workbooks.items()}
    parts = []
    for year in sorted(workbooks):
        location = workbooks[year].attrs.get("location", Location("population"))
        counts = _on_2017_boundaries(year, banded[year], banded, location)
        missing = [code for code in codes if code not in counts.index]
        if missing:
            raise IngestError(location, f"mid-{year}: no row for area(s) {', '.join(missing)}")
        counts = counts.loc[codes].copy()
        for band, members in DERIVED_BANDS.items():
            counts[band] = counts[list(members)].sum(axis=1)
        long = counts.rename_axis("area_code").reset_index()
        long = long.melt(id_vars="area_code", var_name="age_band", value_name="count")
        parts.append(long.assign(year=year))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values(["area_code", "year", "age_band"], ignore_index=True)
    frame.attrs.clear()  # the source Location is for error messages, not for the table
    table = pa.Table.from_pandas(
        frame[["area_code", "year", "age_band", "count"]], preserve_index=False
    )
    return schema.validate("population", table)


def read_workbooks(paths: Iterable[Path | str]) -> dict[int, pd.DataFrame]:
    """Read several workbooks, keyed by mid-year; two workbooks for one year is an error."""
    workbooks: dict[int, pd.DataFrame] = {}
    for path in paths:
        year, frame = read_workbook(path)
        if year in workbooks:
            earlier = workbooks[year].attrs["location"].file
            raise IngestError(
                Location(path), f"mid-{year} was already read from {Path(earlier).name}"
            )
        workbooks[year] = frame
    return workbooks


def build_population(
    paths: Iterable[Path | str], areas_frame: pd.DataFrame | pa.Table | Iterable[str]
) -> pa.Table:
    """Read MYE workbooks and return the schema-valid population table for ``areas_frame``."""
    return population_table(read_workbooks(paths), areas_frame)


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """`lsr ingest ons-population`: read every workbook, then publish the population table
    (and, with ``open_dir``, rewrite the committed snapshot) only if all of them are valid."""
    options = options or {}
    summary = Summary(source="ons-population", files=len(paths))
    areas = reference_table(data_dir, "areas")
    population = build_population(paths, areas)
    summary.rows = population.num_rows
    summary.areas = set(population.column("area_code").to_pylist())
    summary.periods = {f"mid-{year}" for year in population.column("year").to_pylist()}
    summary.version = publish(data_dir, tables={"population": population})
    if options.get("open_dir"):
        write_snapshots({"population": population}, options["open_dir"])
    return summary
