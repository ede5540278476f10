"""The reference geography: 152 councils on 2017 boundaries + England, and their aliases.

Built from published files only: codes, names, regions and types from the Oflog ASCOF extract
(2016-17 rows), DH 3-digit codes from the NHS England DTOC workbooks that carry ONS codes
(2017 onwards), population context from ONS mid-2016, density from ONS MYE5 and deprivation
from the IMD 2019 average rank. Every name and code variant seen in those files becomes an
alias, so importers can resolve "Stoke-On-Trent", "Bristol, City of UA" or "407" to one code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

from extracts.ingest import ons_population
from extracts.ingest.problems import IngestError, Location, Summary
from queries import schema

ENGLAND = schema.ENGLAND_CODE
CONTEXT_YEAR = 2016  # mid-year used for the areas' population context
ASC_FINANCIAL_YEAR = "2016-17"

ASC_DATA = Path("ascof_oflog/ASC_data.csv")
IMD_DATA = Path("ascof_socialcaredatahub/final_data_2019.csv")
MYE_DIR = Path("ons_mye")
DTOC_DIR = Path("dtoc_psychty")
DTOC_WORKBOOKS = DTOC_DIR / "DTOC_data"

REVIEWED_AREAS = (
    "Halton", "Bracknell Forest", "Stoke-on-Trent", "Hartlepool", "Manchester", "Trafford",
    "York", "Oxfordshire", "East Sussex", "Plymouth", "Birmingham", "Coventry", "Bradford",
    "Cumbria", "Liverpool", "Sheffield", "Wiltshire", "Hampshire", "Northamptonshire",
    "Stockport",
)  # fmt: skip

LA_TYPE_BY_ENTITY = {
    "Counties": "county",
    "Unitary Authorities": "unitary",
    "Metropolitan Districts": "metropolitan",
    "London Boroughs": "london",
}

# Codes created by reorganisations after 2017 -> the 2017 councils whose area they cover
# (wholly or in part). Bournemouth, Christchurch and Poole also took Christchurch from Dorset.
SUCCESSOR_CODES: dict[str, tuple[str, ...]] = {
    "E06000058": ("E06000028", "E06000029", "E10000009"),  # Bournemouth, Christchurch & Poole
    "E06000059": ("E10000009",),  # Dorset UA (Dorset county less Christchurch)
    "E06000060": ("E10000002",),  # Buckinghamshire UA
    "E06000061": ("E10000021",),  # North Northamptonshire
    "E06000062": ("E10000021",),  # West Northamptonshire
    "E06000063": ("E10000006",),  # Cumberland
    "E06000064": ("E10000006",),  # Westmorland and Furness
    "E06000065": ("E10000023",),  # North Yorkshire UA
    "E06000066": ("E10000027",),  # Somerset UA
}
# Successors with exactly their predecessor's boundary: the new code is simply an alias.
SAME_BOUNDARY_CODES = {"E06000060": "E10000002", "E06000065": "E10000023", "E06000066": "E10000027"}


class AliasBook:
    """Normalised alias -> area code; an alias that would point at two areas is an error."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._first_seen: dict[str, Location] = {}

    def add(self, alias: str, area_code: str, location: Location) -> None:
        key = schema.normalise_area_name(alias)
        if not key:
            return
        existing = self._codes.get(key)
        if existing is not None and existing != area_code:
            raise IngestError(
                location,
                f"alias {alias!r} would map to {area_code} but already maps to {existing} "
                f"(first seen in {self._first_seen[key]})",
            )
        self._codes.setdefault(key, area_code)
        self._first_seen.setdefault(key, location)

    def resolve(self, alias: str) -> str | None:
        return self._codes.get(schema.normalise_area_name(alias))

    def table(self) -> pa.Table:
        aliases = sorted(self._codes)
        data = pa.table({"alias": aliases, "area_code": [self._codes[a] for a in aliases]})
        return schema.validate("area_aliases", data)


def _council_code(code: str, councils: set[str]) -> str | None:
    """The 2017 council (or England) a published code stands for, if it stands for one."""
    code = code.strip()
    if code in councils or code == ENGLAND:
        return code
    return SAME_BOUNDARY_CODES.get(code)


def _read_councils(real_data_dir: Path) -> pd.DataFrame:
    path = real_data_dir / ASC_DATA
    frame = pd.read_csv(path, dtype=str)
    rows = frame[frame["Financial year"] == ASC_FINANCIAL_YEAR]
    columns = ["Local authority code", "Local authority name", "Region", "Entity_Name"]
    councils = (
        rows[columns].drop_duplicates().set_axis(["area_code", "name", "region", "entity"], axis=1)
    )
    unknown = sorted(set(councils["entity"]) - set(LA_TYPE_BY_ENTITY))
    if unknown:
        raise IngestError(Location(path, column="Entity_Name"), f"unknown LA type(s) {unknown}")
    if councils["area_code"].duplicated().any():
        code = councils.loc[councils["area_code"].duplicated(), "area_code"].iloc[0]
        raise IngestError(Location(path), f"{code} has two names or types in {ASC_FINANCIAL_YEAR}")
    councils["la_type"] = councils.pop("entity").map(LA_TYPE_BY_ENTITY)
    return councils.sort_values("area_code", ignore_index=True)


def _add_asc_aliases(book: AliasBook, real_data_dir: Path, councils: set[str]) -> set[str]:
    """Aliases from every year of ASC_data.csv; returns names of successor areas skipped."""
    path = real_data_dir / ASC_DATA
    frame = pd.read_csv(path, dtype=str)
    skipped = set()
    pairs = frame[["Local authority code", "Local authority name"]].drop_duplicates()
    for index, code, name in pairs.itertuples():
        area = _council_code(code, councils)
        if area is None:
            skipped.add(schema.normalise_area_name(name))
            continue
        location = Location(path, row=index + 2)
        book.add(code, area, location)
        book.add(name, area, location)
    return skipped


def _add_mye_aliases(book: AliasBook, workbooks: dict[int, pd.DataFrame], councils: set[str]):
    for frame in workbooks.values():
        location = frame.attrs["location"]
        for code, name in frame[["area_code", "name"]].drop_duplicates().itertuples(index=False):
            area = _council_code(code, councils)
            if area is not None:
                book.add(code, area, location)
                book.add(name, area, location)


def dtoc_area_rows(path: Path) -> Iterator[tuple[Location, str | None, str, str]]:
    """(location, ONS code or None, DH code, name) of each area row in a DTOC LA workbook.

    The LA sheets start with a title block; the header row is found by its Code and Name cells.
    Workbooks from 2017 also have an 'ONS Geography' column.
    """
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    for sheet_name in book.sheet_names():
        if not sheet_name.strip().lower().startswith("la"):
            continue
        sheet = book.sheet_by_name(sheet_name)
        rows = [[str(v).strip() for v in sheet.row_values(i)] for i in range(sheet.nrows)]
        header = next((i for i, r in enumerate(rows[:30]) if {"Code", "Name"} <= set(r)), None)
        if header is None:
            raise IngestError(Location(path, sheet_name), "no header row with Code and Name")
        labels = rows[header]
        code_col, name_col = labels.index("Code"), labels.index("Name")
        ons_col = labels.index("ONS Geography") if "ONS Geography" in labels else None
        for index in range(header + 1, len(rows)):
            row = rows[index]
            code, name = row[code_col], row[name_col]
            if not code or not name or code.startswith("99"):  # blanks, notes, non-English
                continue
            ons = row[ons_col] if ons_col is not None else None
            yield Location(path, sheet_name, row=index + 1), ons, code.removesuffix(".0"), name


def _add_dtoc_workbook_aliases(
    book: AliasBook, real_data_dir: Path, councils: set[str], summary: Summary
) -> dict[str, str]:
    """Aliases from all DTOC workbooks; returns DH code by council (from 2017+ workbooks)."""
    paths = sorted((real_data_dir / DTOC_WORKBOOKS).glob("*.xls"))
    dh_codes: dict[str, str] = {}
    undated: list[tuple[Location, str, str]] = []
    for path in paths:
        for location, ons, dh_code, name in dtoc_area_rows(path):
            if ons is None:
                undated.append((location, dh_code, name))
                continue
            area = ENGLAND if ons == "-" and name == "England" else _council_code(ons, councils)
            if area is None:
                continue  # a post-2019 area that is not one 2017 council (e.g. BCP)
            book.add(name, area, location)
            if area == ENGLAND:
                continue
            book.add(ons, area, location)
            if dh_codes.setdefault(area, dh_code) != dh_code:
                raise IngestError(location, f"{area} has DH codes {dh_codes[area]} and {dh_code}")
            book.add(dh_code, area, location)
    for location, dh_code, name in undated:  # 2011-2016 workbooks: match on name
        area = book.resolve(name)
        if area is None:
            raise IngestError(location, f"area name {name!r} matches no council")
        if area != ENGLAND and dh_codes.get(area) != dh_code:
            summary.warn(location, f"{name}: DH code {dh_code} differs from {dh_codes.get(area)}")
        if area != ENGLAND:
            book.add(dh_code, area, location)
    return dh_codes


def _add_tidy_dtoc_aliases(book: AliasBook, real_data_dir: Path, skipped_names: set[str]):
    """Aliases from the tidy DTOC CSVs: names (and codes, where the file has them)."""
    for path in sorted((real_data_dir / DTOC_DIR).glob("*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row_number, row in enumerate(csv.DictReader(handle), start=2):
                name, code = row.get("Name", "").strip(), row.get("Code", "").strip()
                location = Location(path, row=row_number, column="Name")
                area = book.resolve(name)
                if area is None and schema.normalise_area_name(name) in skipped_names:
                    continue  # e.g. Bournemouth, Christchurch and Poole (2019 onwards)
                if area is None:
                    raise IngestError(location, f"area name {name!r} matches no council")
                if code in SUCCESSOR_CODES and code not in SAME_BOUNDARY_CODES:
                    continue  # e.g. Dorset UA E06000059 is not the 2017 Dorset county
                if code and code != "-":
                    known = book.resolve(code)
                    if known is not None and known != area:
                        raise IngestError(
                            Location(path, row=row_number, column="Code"),
                            f"code {code} is {known} but name {name!r} is {area}",
                        )
                    book.add(code, area, location)


def _imd(real_data_dir: Path, councils: pd.DataFrame) -> pd.DataFrame:
    """IMD 2019 average rank per council and decile 1..10, 1 = most deprived.

    In MHCLG's local-authority summaries the most deprived neighbourhood has the highest rank,
    so a higher average rank means more deprived (Blackpool ~26,800, Wokingham ~3,650).
    """
    path = real_data_dir / IMD_DATA
    frame = pd.read_csv(path, dtype={"ONS Code": str})
    column = "IMD - Average rank "
    if column not in frame.columns:
        raise IngestError(Location(path, column=column), "column missing")
    rows = frame[frame["Geographical Level"] == "Council"]
    ranks = rows.groupby("ONS Code")[column].first().reindex(councils["area_code"])
    order = ranks.rank(method="min", ascending=False)
    deciles = ((order - 1) * 10 // ranks.notna().sum() + 1).astype("Int8")
    return pd.DataFrame({"imd_avg_rank": ranks.round(2), "imd_decile": deciles})


def _population_context(population: pa.Table) -> pd.DataFrame:
    frame = population.to_pandas()
    year = frame[frame["year"] == CONTEXT_YEAR]
    if year.empty:
        raise IngestError(Location(MYE_DIR), f"no mid-{CONTEXT_YEAR} workbook among the MYE files")
    wide = year.pivot(index="area_code", columns="age_band", values="count")
    context = pd.DataFrame(
        {
            "pop_all": wide["all"],
            "pop_18plus": wide["18+"],
            "pop_65plus": wide["65+"],
            "pop_85plus": wide["85+"],
        }
    )
    context["pct_65plus"] = (100 * wide["65+"] / wide["all"]).round(3)
    context["pct_85plus"] = (100 * wide["85+"] / wide["all"]).round(3)
    return context


def _density(mye_paths: list[Path]) -> pd.Series:
    for path in mye_paths:
        found = ons_population.read_density(path)
        if found is not None and found[0] == CONTEXT_YEAR:
            return found[1].set_index("area_code")["density_per_km2"]
    raise IngestError(Location(MYE_DIR), f"no MYE5 density sheet for mid-{CONTEXT_YEAR}")


def _resolve_reviewed(book: AliasBook) -> set[str]:
    reviewed = {}
    for name in REVIEWED_AREAS:
        code = book.resolve(name)
        if code is None:
            raise IngestError(Location("REVIEWED_AREAS"), f"reviewed area {name!r} is unknown")
        reviewed[name] = code
    return set(reviewed.values())


def _build_aliases(
    real_data_dir: Path,
    workbooks: dict[int, pd.DataFrame],
    council_codes: set[str],
    summary: Summary,
) -> tuple[AliasBook, dict[str, str]]:
    """All aliases, in order of authority (coded sources first); plus DH code per council."""
    book = AliasBook()
    book.add("England", ENGLAND, Location("England"))
    book.add(ENGLAND, ENGLAND, Location("England"))
    skipped_names = _add_asc_aliases(book, real_data_dir, council_codes)
    _add_mye_aliases(book, workbooks, council_codes)
    dh_codes = _add_dtoc_workbook_aliases(book, real_data_dir, council_codes, summary)
    _add_tidy_dtoc_aliases(book, real_data_dir, skipped_names)
    for code in sorted(council_codes - set(dh_codes)):
        summary.warn(Location(DTOC_WORKBOOKS), f"{code} has no DH code in any DTOC workbook")
    return book, dh_codes


def _source_files(real_data_dir: Path) -> list[Path]:
    return [
        real_data_dir / ASC_DATA,
        real_data_dir / IMD_DATA,
        *sorted((real_data_dir / MYE_DIR).glob("*.xls")),
        *sorted((real_data_dir / DTOC_WORKBOOKS).glob("*.xls")),
        *sorted((real_data_dir / DTOC_DIR).glob("*.csv")),
    ]


def build_reference(
    real_data_dir: Path | str, summary: Summary | None = None
) -> dict[str, pa.Table]:
    """Build the areas, area_aliases and population tables from the published files.

    Population is built here too because the areas' context needs it and it needs the
    council list; reading the workbooks once serves both.
    """
    real_data_dir = Path(real_data_dir)
    summary = summary if summary is not None else Summary(source="reference")
    councils = _read_councils(real_data_dir)
    council_codes = set(councils["area_code"])
    codes = sorted(council_codes) + [ENGLAND]
    mye_paths = sorted((real_data_dir / MYE_DIR).glob("*.xls"))
    workbooks = ons_population.read_workbooks(mye_paths)
    population = ons_population.population_table(workbooks, codes)
    book, dh_codes = _build_aliases(real_data_dir, workbooks, council_codes, summary)

    england = pd.DataFrame(
        [{"area_code": ENGLAND, "name": "England", "region": "England", "la_type": "country"}]
    )
    areas = pd.concat([councils, england], ignore_index=True).set_index("area_code")
    areas["dh_code"] = pd.Series(dh_codes, dtype="string")
    areas["reviewed"] = areas.index.isin(_resolve_reviewed(book))
    areas = areas.join(_population_context(population)).join(_imd(real_data_dir, councils))
    areas["density_per_km2"] = _density(mye_paths)
    table = pa.Table.from_pandas(areas.reset_index(), preserve_index=False)
    summary.files += len(_source_files(real_data_dir))
    summary.rows += table.num_rows
    summary.areas |= set(codes)
    summary.periods |= {f"mid-{year}" for year in workbooks}
    return {
        "areas": schema.validate("areas", table),
        "area_aliases": book.table(),
        "population": population,
    }


def alias_lookup(aliases: pa.Table) -> dict[str, str]:
    """Normalised alias -> area code, for resolving names and codes in user files."""
    return dict(
        zip(
            aliases.column("alias").to_pylist(),
            aliases.column("area_code").to_pylist(),
            strict=True,
        )
    )
