"""Readers for the three ASCOF file layouts, each giving one ``Observation`` per figure.

* ``nhs_digital``: NHS Digital "Measures from the ASCOF" open-data CSV (2014-15 … 2018-19):
  one row per area × measure × disaggregation × Measure_Type (Numerator, Denominator,
  Outcome); the rows of one figure are pivoted into numerator, denominator and value.
* ``derived``: the same columns without Measure_Type (outcome values only), as in the
  social_care_datahub ``final_data_2019.csv`` (Year 2019 = 2018-19).
* ``oflog``: the Oflog Local Authority Data Explorer ``ASC_data.csv`` (councils only).
* ``lginform``: long LG Inform extracts (area_code, area_name, period, indicator, measure,
  unit, value), as in traffordDataLab's ``admissions_care_homes_65p.csv``.

The layout is told by the header; labels match with case, spaces and underscores ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extracts.ingest import ascof_measures as measures
from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.problems import IngestError, Location, Summary
from queries import schema

ONS_LIKE = re.compile(r"^E\d{8}$")
PREFERENCE = {"nhs_digital": 0, "derived": 1, "oflog": 2, "lginform": 3}  # lower wins
VINTAGES = {
    "derived": "NHS Digital, Measures from the ASCOF {label} (via {file})",
    "nhs_digital": "NHS Digital, Measures from the ASCOF {label} ({file})",
    "oflog": "Oflog Local Authority Data Explorer, ASCOF via {file}",
    "lginform": "NHS Digital ASCOF {label} via LG Inform ({file})",
}
COLUMNS = {  # role -> accepted header keys, first match wins
    "ons_code": ("ons_code", "ons_area_code", "geography_code", "area_code"),
    "cassr_code": ("cassr_code", "council_code", "la_code"),
    "name": ("geographical_description", "geography_name", "area_name", "council_name"),
    "level": ("geographical_level", "geography_level"),
    "code": ("ascof_measure_code", "measure_code", "ascof_code"),
    "description": ("measure_group_description", "measure_description", "measure_group"),
    "disaggregation": ("disaggregation_level", "disaggregation"),
    "measure_type": ("measure_type",),
    "value": ("measure_value",),
    "year": ("year", "financial_year", "reporting_year", "reporting_period"),
}
OFLOG_COLUMNS = ("financial_year", "local_authority_code", "local_authority_name", "measure")
LGINFORM_COLUMNS = ("area_code", "area_name", "period", "indicator", "value")
MEASURE_TYPES = {"numerator": "numerator", "denominator": "denominator", "outcome": "value"}


@dataclass
class Observation:
    """One published figure for a catalogue metric, area, year and breakdown."""

    metric_id: str
    area_code: str
    year: int
    breakdown: str
    breakdown_value: str
    numerator: float | None
    denominator: float | None
    value: float | None
    vintage: str
    location: Location
    preference: float
    layout: str


def layout_of(header: list[str]) -> str | None:
    keys = {measures.header_key(label) for label in header}
    if "measure_value" in keys and ("measure_type" in keys):
        return "nhs_digital"
    if "measure_value" in keys and keys & set(COLUMNS["description"] + COLUMNS["code"]):
        return "derived"
    if set(OFLOG_COLUMNS) <= keys and "value" in keys:
        return "oflog"
    if set(LGINFORM_COLUMNS) <= keys:
        return "lginform"
    return None


def read_rows(
    path: Path, summary: Summary | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the data rows (1-based row numbers as a spreadsheet shows them), each
    row checked to have the header's field count (see ``files.CsvFile``)."""
    return files.csv_header_and_rows(path, summary)


def read_file(
    path: Path, resolver: check.AreaResolver, summary: Summary, *, year: int | None = None
) -> list[Observation]:
    """Every catalogue figure in one ASCOF file; skipped measures become summary warnings."""
    header, rows = read_rows(path, summary)
    layout = layout_of(header)
    if layout is None:
        raise IngestError(
            Location(path, row=1),
            "not an ASCOF file: expected NHS Digital columns (ONS_Code, Geographical_Level, "
            "ASCOF_Measure_Code, Disaggregation_Level, Measure_Type, Measure_Value) or the "
            "Oflog columns (Financial year, Local authority code, Measure, Value)",
        )
    reader = _Reader(path, layout, header, resolver, summary)
    if layout == "oflog":
        found = reader.oflog(rows)
    elif layout == "lginform":
        found = reader.lginform(rows)
    else:
        found = reader.measures(rows, year)
    reader.report()
    return found


class _Reader:
    """State of one file: its columns, what was skipped (reported once), pivoted figures."""

    def __init__(self, path, layout, header, resolver, summary) -> None:
        self.path, self.layout, self.resolver, self.summary = path, layout, resolver, summary
        keys = [measures.header_key(label) for label in header]
        self.columns = {
            role: next((keys.index(k) for k in accepted if k in keys), None)
            for role, accepted in COLUMNS.items()
        }
        self.header = header
        self.skipped_measures: dict[str, str] = {}
        self.skipped_areas: dict[str, str] = {}
        self.skipped_levels: dict[str, set[str]] = {}

    def where(self, row: int, role: str) -> Location:
        index = self.columns.get(role)
        label = self.header[index] if index is not None else role
        return Location(self.path, row=row, column=label)

    def cell(self, row: list[str], role: str) -> str:
        index = self.columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    def require(self, *roles: str) -> None:
        missing = [role for role in roles if self.columns.get(role) is None]
        if missing:
            wanted = ", ".join(repr(COLUMNS[role][0]) for role in missing)
            found = ", ".join(repr(label) for label in self.header)
            raise IngestError(
                Location(self.path, row=1), f"expected column(s) {wanted}; found {found}"
            )

    # --- NHS Digital and derived layouts -------------------------------------------------
    def measures(self, rows, year: int | None) -> list[Observation]:
        self.require("value", "disaggregation")
        if self.columns["code"] is None:
            self.require("description")
        if self.columns["ons_code"] is None and self.columns["cassr_code"] is None:
            self.require("name")
        figures: dict[tuple, dict] = {}
        guard = check.DuplicateGuard("figure")
        for number, row in rows:
            found = self._measure_row(number, row, year)
            if found is None:
                continue
            key, part, value, location = found
            guard.add((*key, part), location)
            figure = figures.setdefault(key, {"location": location})
            figure[part] = value
            if part == "value":
                figure["location"] = location
        return [self._observation(key, figure) for key, figure in figures.items()]

    def _measure_row(self, number: int, row: list[str], year: int | None):
        metric_id = self._metric(number, row)
        if metric_id is None:
            return None
        part = "value"
        if self.columns["measure_type"] is not None:
            kind = measures.words(self.cell(row, "measure_type"))
            part = MEASURE_TYPES.get(kind)
            if part is None:
                self.skipped_measures[f"Measure_Type {kind!r}"] = "not read"
                return None
        area = self._measure_area(number, row)
        if area is None:
            return None
        level = self.cell(row, "disaggregation")
        breakdown = measures.breakdown_for(measures.metric(metric_id), level)
        if breakdown is None:
            self.skipped_levels.setdefault(metric_id, set()).add(level)
            return None
        start_year = self._year(number, row, year)
        value = check.number(self.cell(row, "value"), self.where(number, "value"))
        key = (
            metric_id,
            area,
            start_year,
            breakdown.breakdown,
            breakdown.value,
            breakdown.fallback,
        )
        return key, part, value, self.where(number, "value")

    def _metric(self, number: int, row: list[str]) -> str | None:
        if self.columns["code"] is not None:
            code = self.cell(row, "code")
            metric_id = measures.metric_for_code(code)
            label = f"measure code {code!r}"
        else:
            text = self.cell(row, "description")
            metric_id = measures.metric_for_description(text)
            label = f"measure {text!r}"
        reason = measures.skip_reason(metric_id)
        if reason:
            self.skipped_measures.setdefault(label, reason)
            return None
        return metric_id

    def _measure_area(self, number: int, row: list[str]) -> str | None:
        level = measures.words(self.cell(row, "level"))
        name = self.cell(row, "name")
        if "region" in level:
            return None
        if level in ("england", "national", "country") or measures.words(name) == "england":
            return schema.ENGLAND_CODE
        codes = [self.cell(row, "ons_code"), self.cell(row, "cassr_code")]
        return self._council(codes, name, self.where(number, "ons_code"))

    def _year(self, number: int, row: list[str], year: int | None) -> int:
        raw = self.cell(row, "year")
        if raw:
            start = measures.financial_year_start(raw)
            if start is None and re.fullmatch(r"20\d\d", raw):
                start = int(raw) - 1  # a bare year names the year the financial year ends
            if start is None:
                raise IngestError(
                    self.where(number, "year"), f"expected a year such as 2018-19, found {raw!r}"
                )
            return start
        start = year or measures.financial_year_start(Path(self.path).name)
        if start is None:
            raise IngestError(
                Location(self.path),
                "no year column and no year such as 2018-19 in the file name; give the "
                "financial year (option year)",
            )
        return start

    def _observation(self, key: tuple, figure: dict) -> Observation:
        metric_id, area, year, breakdown, value, fallback = key
        return Observation(
            metric_id=metric_id,
            area_code=area,
            year=year,
            breakdown=breakdown,
            breakdown_value=value,
            numerator=figure.get("numerator"),
            denominator=figure.get("denominator"),
            value=figure.get("value"),
            vintage=self.vintage(year),
            location=figure["location"],
            preference=PREFERENCE[self.layout] + (0.5 if fallback else 0.0),
            layout=self.layout,
        )

    # --- Oflog layout ----------------------------------------------------------------------
    def oflog(self, rows) -> list[Observation]:
        keys = [measures.header_key(label) for label in self.header]
        index = {key: keys.index(key) for key in (*OFLOG_COLUMNS, "value")}
        found, guard = [], check.DuplicateGuard("figure")

        def cell(row: list[str], key: str) -> str:
            return row[index[key]].strip() if index[key] < len(row) else ""

        for number, row in rows:
            metric_id, reason = measures.metric_for_oflog(cell(row, "measure"))
            if metric_id is None:
                self.skipped_measures.setdefault(f"measure {cell(row, 'measure')!r}", reason)
                continue
            where = Location(self.path, row=number, column=self.header[index["value"]])
            year = measures.financial_year_start(cell(row, "financial_year"))
            if year is None:
                column = self.header[index["financial_year"]]
                raise IngestError(
                    Location(self.path, row=number, column=column),
                    f"expected a financial year such as 2016-17, found "
                    f"{cell(row, 'financial_year')!r}",
                )
            code_where = Location(
                self.path, row=number, column=self.header[index["local_authority_code"]]
            )
            area = self._council(
                [cell(row, "local_authority_code")], cell(row, "local_authority_name"), code_where,
                by_name=False,
            )  # fmt: skip
            if area is None:
                continue
            guard.add((metric_id, area, year), where)
            value = check.number(cell(row, "value"), where)
            found.append(
                Observation(
                    metric_id, area, year, "all", "all", None, None, value,
                    self.vintage(year), where, PREFERENCE["oflog"], "oflog",
                )
            )  # fmt: skip
        return found

    # --- LG Inform layout ------------------------------------------------------------------
    def lginform(self, rows) -> list[Observation]:
        keys = [measures.header_key(label) for label in self.header]
        index = {key: keys.index(key) for key in LGINFORM_COLUMNS}
        found, guard = [], check.DuplicateGuard("figure")

        def cell(row: list[str], key: str) -> str:
            return row[index[key]].strip() if index[key] < len(row) else ""

        def where(number: int, key: str) -> Location:
            return Location(self.path, row=number, column=self.header[index[key]])

        for number, row in rows:
            metric_id, reason = measures.metric_for_lginform(cell(row, "indicator"))
            if metric_id is None:
                self.skipped_measures.setdefault(f"indicator {cell(row, 'indicator')!r}", reason)
                continue
            year = measures.financial_year_start(cell(row, "period"))
            if year is None:
                raise IngestError(
                    where(number, "period"),
                    f"expected a financial year such as 2016/17, found {cell(row, 'period')!r}",
                )
            code = cell(row, "area_code")
            if code.upper() == schema.ENGLAND_CODE:
                area = schema.ENGLAND_CODE
            else:
                area = self._council([code], cell(row, "area_name"), where(number, "area_code"))
            if area is None:
                continue
            guard.add((metric_id, area, year), where(number, "value"))
            value = check.number(cell(row, "value"), where(number, "value"))
            found.append(
                Observation(
                    metric_id, area, year, "all", "all", None, None, value,
                    self.vintage(year), where(number, "value"), PREFERENCE["lginform"],
                    "lginform",
                )
            )  # fmt: skip
        return found

    # --- shared ------------------------------------------------------------------------------
    def _council(
        self, codes: list[str], name: str, location: Location, *, by_name: bool = True
    ) -> str | None:
        """A 2017 council code; a well-formed code of a later council (BCP, Dorset UA, North
        Northamptonshire…) is skipped with a warning, never matched by name."""
        for code in codes:
            found = self.resolver.code(code)
            if found:
                return found
        onslike = [code for code in codes if ONS_LIKE.match(code.upper())]
        if onslike:
            self.skipped_areas.setdefault(onslike[0], name)
            return None
        if by_name and self.resolver.code(name):
            return self.resolver.code(name)
        raise IngestError(
            location, f"unknown council: code {' / '.join(c for c in codes if c)!r}, name {name!r}"
        )

    def vintage(self, year: int) -> str:
        return VINTAGES[self.layout].format(label=measures.year_label(year), file=self.path.name)

    def report(self) -> None:
        where = Location(self.path)
        for label, reason in sorted(self.skipped_measures.items()):
            self.summary.warn(where, f"skipped {label}: {reason}")
        for metric_id, levels in sorted(self.skipped_levels.items()):
            self.summary.warn(
                where,
                f"{metric_id}: skipped disaggregation(s) {', '.join(sorted(levels))} "
                "(the catalogue shows the total and age groups only)",
            )
        for code, name in sorted(self.skipped_areas.items()):
            self.summary.warn(where, f"skipped {code} {name}: not a council on 2017 boundaries")
