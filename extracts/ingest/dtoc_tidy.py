"""The tidy DTOC compilations (one row per area and month), as made from the NHS England
workbooks by the psychty/DTOC R scripts: a reason file (with codes) and a responsible
organisation file (names only, joined to the reason file's codes on Name + Period).

Which file is which is told by the header, never the file name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.dtoc_workbook import REASONS, MonthlyReturn, resolve_area
from extracts.ingest.problems import IngestError, Location, Summary
from queries.schema import normalise_area_name

REASON_HEADERS = {
    "awaiting completion of assessment": "A",
    "awaiting public funding": "B",
    "awaiting further nhs non-acute care": "C",
    "awaiting residential home placement or availability": "Di",
    "awaiting nursing home placement or availability": "Dii",
    "awaiting care package in own home": "E",
    "awaiting community equipment and adaptations": "F",
    "patient or family choice": "G",
    "disputes": "H",
    "housing - patients not covered by nhs and community care act": "I",
    "other": "O",
}
REASON_TOTAL = "Total Delayed Transfers of Care"
ORG_HEADERS = {"NHS": "NHS", "Social Care": "social_care", "Both": "both"}
# Names that stand for different areas before and after the April 2019 Dorset reorganisation;
# without a code (the organisation file has none) they cannot be placed from then on.
REORGANISED_NAMES = ("bournemouth", "poole", "dorset", "bournemouth christchurch and poole")
REORGANISED_FROM = date(2019, 4, 1)
VINTAGE = "NHS England DTOC monthly situation reports via the psychty/DTOC compilation, {:%B %Y}"


def tidy_kind(header: Iterable[str]) -> str | None:
    """'tidy_reason' or 'tidy_org' for the two compilations' headers, else None."""
    labels = {label.strip().lower() for label in header}
    if {"code", "name", "period", REASON_TOTAL.lower()} <= labels:
        return "tidy_reason"
    if {"name", "nhs", "social care", "both", "period_year"} <= labels:
        return "tidy_org"
    return None


def read_tidy(
    path: Path,
    resolver: check.AreaResolver,
    summary: Summary,
    *,
    codes: dict[tuple[str, str], str] | None = None,
    today: date | None = None,
) -> list[MonthlyReturn]:
    """Monthly returns from one tidy CSV. ``codes`` ((name, period) -> code, from the reason
    file) places the organisation file's rows; without it they are placed by name."""
    path = Path(path)
    reader = files.CsvFile(path)  # every row checked to have the header's field count
    header = reader.header
    kind = tidy_kind(header)
    if kind is None:
        raise IngestError(
            Location(path, row=1),
            "not a DTOC tidy CSV: expected the reason header (Code, Name, reasons, "
            f"{REASON_TOTAL}, Period) or the organisation header (Name, NHS, Social Care, "
            "Both, Period_year)",
        )
    if kind == "tidy_reason":
        labels = ["Code", "Name", "Period", REASON_TOTAL]
        values = {"Total": ("all", "all")}
        for label in header:
            reason = REASON_HEADERS.get(label.strip().lower())
            if reason:
                values[label] = ("reason", reason)
        missing = [r for r in REASONS if r != "O" and r not in {v for _, v in values.values()}]
        if missing:
            raise IngestError(Location(path, row=1), f"expected reason column(s) {missing}")
        period_label = "Period"
    else:
        labels = ["Name", "Period_year", *ORG_HEADERS]
        values = {label: ("responsible_org", value) for label, value in ORG_HEADERS.items()}
        period_label = "Period_year"
    labels += [label for label in values if label not in labels and label != "Total"]
    columns = check.require_columns(header, labels, Location(path, row=1))
    if REASON_TOTAL in columns:
        columns["Total"] = columns[REASON_TOTAL]
    months: dict[date, MonthlyReturn] = {}
    guard = check.DuplicateGuard("council and month")
    for number, row in reader:
        where = Location(path, row=number)
        name = row[columns["Name"]].strip()
        period_cell = check.at(where, column=period_label)
        period = check.month_start(row[columns[period_label]], period_cell, today=today)
        code = row[columns["Code"]] if "Code" in columns else None
        if code is None and codes is not None:
            code = codes.get((name, row[columns[period_label]].strip()))
        if code is None and _ambiguous(name, period):
            summary.warn(where, f"{name} in {period:%B %Y} cannot be placed without a code")
            continue
        area = resolve_area(resolver, ons_code="", code=code or "", name=name,
                            location=check.at(where, column="Name"), summary=summary)  # fmt: skip
        if area is None:
            continue
        guard.add((area, period), check.at(where, column="Name"))
        month = months.setdefault(period, MonthlyReturn(path, period, kind, VINTAGE.format(period)))
        figures = []
        for label, (breakdown, value) in values.items():
            cell = check.at(where, column=REASON_TOTAL if label == "Total" else label)
            days = check.count(row[columns[label]], cell)
            if days is not None:
                figures.append((area, breakdown, value, days, cell))
        parts = [f for f in figures if f[1] != "all"]
        if not parts and not any(f[3] for f in figures):  # every figure '-', total 0 or '-'
            summary.warn(where, f"{name}: no figures published for {period:%B %Y}; row skipped")
            continue
        if kind == "tidy_org" and codes is None:  # the only source of the total: NHS+SC+Both
            figures.append((area, "all", "all", sum(f[3] for f in figures), where))
        month.observations += figures
    return [months[period] for period in sorted(months)]


def reason_codes(path: Path) -> dict[tuple[str, str], str]:
    """(Name, Period) -> Code from a tidy reason file, to place the organisation file's rows."""
    codes = {}
    for number, row in files.csv_records(path):
        missing = [label for label in ("Name", "Period", "Code") if label not in row]
        if missing:
            raise IngestError(Location(path, row=number), f"expected column(s) {missing}")
        codes[(row["Name"].strip(), row["Period"].strip())] = row["Code"].strip()
    return codes


def _ambiguous(name: str, period: date) -> bool:
    return period >= REORGANISED_FROM and normalise_area_name(name) in REORGANISED_NAMES
