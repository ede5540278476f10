"""`lsr ingest ccg-lookup FILE.csv`: which councils each CCG's population lives in.

NHS England publishes CHC figures by CCG; a council's value combines the CCGs mapped to it by
population weight. The lookup is a CSV with one row per CCG × council: the CCG code (3
characters such as 01C, or the E38 ONS code), the council (2017 ONS code or name, resolved
through the alias table) and the weight (share of the CCG's population living in the council)
or that population. Weights must add up to 1 per CCG (within 0.001); with only populations
they are derived. The validated lookup is stored as a tidy CSV, <data_dir>/reference/
ccg_lookup.csv (written atomically), which `lsr ingest chc` reads.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from extracts.ingest import files
from extracts.ingest import validation as check
from extracts.ingest.cqc_sheets import area_aliases, header_key
from extracts.ingest.problems import IngestError, Location, Summary
from queries import schema

LOOKUP_PATH = Path("reference") / "ccg_lookup.csv"
WEIGHT_TOLERANCE = 0.001
CCG_CODE = re.compile(r"^(\d{2}[A-Z]|[A-Z0-9]{5}|E38\d{6})$")
COLUMNS: dict[str, tuple[str, ...]] = {
    "ccg_code": ("ccg_code", "CCG code", "CCG", "CCG17CDH", "CCG17CD"),
    "ccg_ons_code": ("ccg_ons_code", "CCG ONS code"),
    "area_code": ("area_code", "LA code", "UTLA17CD", "CTYUA17CD", "council code"),
    "area_name": ("la_name", "area_name", "LA name", "local authority", "council", "UTLA17NM"),
    "weight": ("weight", "share", "proportion"),
    "population": ("population", "ccg_population", "population in council"),
}
TIDY_COLUMNS = ["ccg_code", "ccg_ons_code", "area_code", "weight", "population"]


def ccg_code(value: object, location: Location) -> str:
    """A CCG code in upper case (01C, 00T, E38000001); anything else is an error."""
    code = check.text(value).upper()
    if not CCG_CODE.match(code):
        raise IngestError(location, f"expected a CCG code such as 01C or E38000001, found {code!r}")
    return code


def _columns(header: Sequence[str], path: Path) -> dict[str, int]:
    keys = {header_key(label): index for index, label in enumerate(header)}
    found = {
        name: keys[header_key(variant)]
        for name, variants in COLUMNS.items()
        for variant in reversed(variants)
        if header_key(variant) in keys
    }
    problems = []
    if "ccg_code" not in found:
        problems.append("'ccg_code'")
    if "area_code" not in found and "area_name" not in found:
        problems.append("'area_code' (or 'la_name')")
    if "weight" not in found and "population" not in found:
        problems.append("'weight' (or 'population')")
    if problems:
        raise IngestError(
            Location(path, row=1),
            f"expected column(s) {', '.join(problems)}; found "
            f"{', '.join(repr(label) for label in header if label.strip()) or 'an empty row'}",
        )
    return found


def read_lookup(path: Path | str, aliases: Mapping[str, str]) -> pd.DataFrame:
    """The validated lookup: ccg_code, ccg_ons_code, area_code, weight, population."""
    path = Path(path)
    resolver = check.AreaResolver(aliases)
    reader = files.CsvFile(path)  # every row checked to have the header's field count
    columns = _columns(reader.header, path)
    labels = {name: reader.header[index].strip() for name, index in columns.items()}
    guard = check.DuplicateGuard("CCG and council pair")
    records = []
    for number, row in reader:
        cell = {name: row[index] for name, index in columns.items()}

        def where(name: str, number: int = number) -> Location:
            return Location(path, row=number, column=labels[name])

        record = {"ccg_code": ccg_code(cell["ccg_code"], where("ccg_code")), "row": number}
        ons = check.text(cell.get("ccg_ons_code"))
        record["ccg_ons_code"] = ccg_code(ons, where("ccg_ons_code")) if ons else None
        record["area_code"] = _council(cell, resolver, where)
        guard.add((record["ccg_code"], record["area_code"]), where("ccg_code"))
        if "weight" in columns:
            record["weight"] = check.count(cell["weight"], where("weight"))
            if record["weight"] is None or record["weight"] > 1:
                raise IngestError(
                    where("weight"), f"expected a weight from 0 to 1, found {cell['weight']!r}"
                )
        if "population" in columns:
            record["population"] = check.count(cell["population"], where("population"))
        records.append(record)
    if not records:
        raise IngestError(Location(path, row=2), "no rows under the header")
    frame = pd.DataFrame.from_records(records)
    return _weighted(frame, path, labels)


def _council(cell: Mapping[str, str], resolver: check.AreaResolver, where) -> str:
    column = "area_code" if check.text(cell.get("area_code")) else "area_name"
    if column not in cell:
        column = "area_code"
    value = cell.get(column)
    code = resolver.code(value)
    if code is None or not schema.COUNCIL_CODE_PATTERN.match(code):
        raise IngestError(where(column), f"unknown council {check.text(value)!r}")
    return code


def _weighted(frame: pd.DataFrame, path: Path, labels: Mapping[str, str]) -> pd.DataFrame:
    """Weights checked (Σ = 1 per CCG) or derived from populations."""
    if "population" not in frame.columns:
        frame["population"] = None
    frame["population"] = frame["population"].astype(float)
    if "weight" not in frame.columns:
        totals = frame.groupby("ccg_code")["population"].transform("sum")
        missing = frame["population"].isna() | (totals == 0)
        if missing.any():
            row = frame.loc[missing, "row"].iloc[0]
            raise IngestError(
                Location(path, row=int(row), column=labels["population"]),
                "a population is needed for every row to derive weights (no figure, or the "
                "CCG's populations add to 0)",
            )
        frame["weight"] = frame["population"] / totals
    sums = frame.groupby("ccg_code", sort=False)["weight"].sum()
    for code, total in sums.items():
        if abs(total - 1) > WEIGHT_TOLERANCE:
            row = frame.loc[frame["ccg_code"] == code, "row"].iloc[0]
            raise IngestError(
                Location(path, row=int(row), column=labels.get("weight", "weight")),
                f"weights of CCG {code} add up to {total:.4f}, not 1 (±{WEIGHT_TOLERANCE})",
            )
    ons = frame.groupby("ccg_code")["ccg_ons_code"].nunique()
    if (ons > 1).any():
        code = ons[ons > 1].index[0]
        raise IngestError(Location(path, column=labels["ccg_ons_code"]), f"{code}: two ONS codes")
    frame["ccg_ons_code"] = frame.groupby("ccg_code")["ccg_ons_code"].transform("first")
    return frame[TIDY_COLUMNS].sort_values(["ccg_code", "area_code"], ignore_index=True)


def lookup_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOOKUP_PATH


def write_lookup(lookup: pd.DataFrame, data_dir: Path) -> Path:
    """Write the tidy lookup CSV atomically (temporary file in the same folder, then rename)."""
    target = lookup_path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".ccg_lookup.", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            lookup[TIDY_COLUMNS].to_csv(out, index=False, float_format="%.10g")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load_lookup(data_dir: Path) -> pd.DataFrame:
    """The stored lookup; an error telling the user to import one when there is none."""
    path = lookup_path(data_dir)
    if not path.exists():
        raise IngestError(
            Location(path), "no CCG to council lookup: run lsr ingest ccg-lookup first"
        )
    frame = pd.read_csv(path, dtype={"ccg_code": str, "ccg_ons_code": str, "area_code": str})
    missing = [column for column in TIDY_COLUMNS if column not in frame.columns]
    if missing:
        raise IngestError(Location(path, row=1), f"stored lookup lacks {', '.join(missing)}")
    return frame


def ingest(paths: Sequence[Path], data_dir: Path, options: dict | None = None) -> Summary:
    """Validate one lookup CSV and store it for later CHC imports."""
    if len(paths) != 1:
        raise IngestError(Location(paths[-1] if paths else "ccg-lookup"), "give one lookup CSV")
    lookup = read_lookup(paths[0], area_aliases(data_dir))
    summary = Summary(source="ccg-lookup", files=1, rows=len(lookup))
    summary.areas = set(lookup["area_code"])
    summary.periods = {f"{lookup['ccg_code'].nunique()} CCGs"}
    write_lookup(lookup, data_dir)
    return summary
