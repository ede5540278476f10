"""Small shared checks for importers: each raises an ``IngestError`` that says where and what.

Importers call these while reading, so a user's mistake is reported against the cell it came
from (file, sheet, row, column) with what was expected. Problems that should not stop an import
(a council missing in one month) go to the ``Summary`` as warnings instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from extracts.ingest.problems import IngestError, Location, Summary
from queries import schema

MISSING_MARKS = ("", "-", "..", ":", "*", "n/a", "na")  # how publishers write "no figure"
_MONTH_NAMES = {
    name: index + 1
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )  # fmt: skip
    for name in names
}
_MONTH_YEAR = re.compile(r"^\s*([A-Za-z]+)\.?\s+(\d{4})\s*$")


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def text(value: object) -> str:
    """A cell as stripped text; whole floats lose their ".0" (xlrd reads 316 as 316.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def require_sheets(
    available: Sequence[str], required: Iterable[str], location: Location
) -> dict[str, str]:
    """Map each required sheet name to the workbook's own spelling (case and spaces ignored)."""
    by_key = {_key(name): name for name in available}
    found, missing = {}, []
    for name in required:
        actual = by_key.get(_key(name))
        if actual is None:
            missing.append(name)
        else:
            found[name] = actual
    if missing:
        raise IngestError(
            location,
            f"missing sheet(s) {', '.join(map(repr, missing))}; the file has "
            f"{', '.join(map(repr, available)) or 'no sheets'}",
        )
    return found


def require_columns(
    header: Sequence[object], required: Iterable[str], location: Location
) -> dict[str, int]:
    """Map each required column label to its 0-based index in ``header`` (case ignored)."""
    by_key: dict[str, int] = {}
    for index, label in enumerate(header):
        by_key.setdefault(_key(text(label)), index)
    found, missing = {}, []
    for label in required:
        index = by_key.get(_key(label))
        if index is None:
            missing.append(label)
        else:
            found[label] = index
    if missing:
        raise IngestError(
            location,
            f"expected column(s) {', '.join(map(repr, missing))} in the header row; found "
            f"{', '.join(repr(text(h)) for h in header if text(h)) or 'an empty row'}",
        )
    return found


def number(value: object, location: Location, *, missing_ok: bool = True) -> float | None:
    """A numeric cell as float; a "no figure" mark gives None, any other text is an error."""
    if isinstance(value, bool):
        raise IngestError(location, f"expected a number, found {value!r}")
    if isinstance(value, int | float):
        if math.isnan(value) or math.isinf(value):
            raise IngestError(location, f"expected a number, found {value!r}")
        return float(value)
    raw = text(value)
    if raw.lower() in MISSING_MARKS:
        if missing_ok:
            return None
        raise IngestError(location, f"expected a number, found {raw!r} (no figure)")
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        raise IngestError(location, f"expected a number, found text {raw!r}") from None


def count(value: object, location: Location) -> float | None:
    """A count cell: a number (or no figure) that is not negative."""
    result = number(value, location)
    if result is not None and result < 0:
        raise IngestError(location, f"expected a count of 0 or more, found {result:g}")
    return result


def month_start(value: object, location: Location, *, today: date | None = None) -> date:
    """The first day of a month written "September 2017" (or "Sep 2017"); not in the future."""
    raw = text(value)
    match = _MONTH_YEAR.match(raw)
    month = _MONTH_NAMES.get(match.group(1).lower()) if match else None
    if match is None or month is None:
        raise IngestError(location, f"expected a month such as 'September 2017', found {raw!r}")
    start = date(int(match.group(2)), month, 1)
    not_in_future(start, location, today=today)
    return start


def not_in_future(day: date, location: Location, *, today: date | None = None) -> date:
    today = today or date.today()
    if day > today:
        raise IngestError(location, f"period {day:%B %Y} is in the future (today is {today})")
    return day


def numerator_within_denominator(
    numerator: float | None, denominator: float | None, location: Location
) -> None:
    """For proportions: the part cannot exceed the whole."""
    if numerator is not None and denominator is not None and numerator > denominator:
        raise IngestError(
            location, f"numerator {numerator:g} is larger than denominator {denominator:g}"
        )


def plausible_range(metric_id: str) -> tuple[float, float] | None:
    """The catalogue's plausible range for a metric, or None when there is no catalogue entry."""
    try:
        from queries.catalogue import load_catalogue

        return tuple(load_catalogue().get(metric_id).plausible_range)
    except (ImportError, LookupError, AttributeError):
        return None


def check_plausible(
    metric_id: str,
    values: Iterable[tuple[float | None, Location]],
    *,
    summary: Summary | None = None,
) -> None:
    """Values outside the catalogue range raise (or, with ``summary``, become warnings)."""
    bounds = plausible_range(metric_id)
    if bounds is None:
        return
    low, high = bounds
    for value, location in values:
        if value is None or low <= value <= high:
            continue
        message = f"{metric_id} = {value:,.4g} is outside the plausible range {low:g}–{high:g}"
        if summary is None:
            raise IngestError(location, message)
        summary.warn(location, message)


@dataclass
class AreaResolver:
    """Resolves published area codes and names to 2017 ONS codes through the alias table."""

    aliases: Mapping[str, str]
    england_names: tuple[str, ...] = ("england",)
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    def code(self, value: object) -> str | None:
        raw = text(value)
        if not raw:
            return None
        if raw not in self._cache:
            self._cache[raw] = self.aliases.get(schema.normalise_area_name(raw))
        return self._cache[raw]

    def resolve(self, code: object, name: object, location: Location) -> str:
        """Code first, then name; neither known is an error naming both values."""
        found = self.code(code) or self.code(name)
        if found is None and schema.normalise_area_name(text(name)) in self.england_names:
            found = schema.ENGLAND_CODE
        if found is None:
            raise IngestError(
                location, f"unknown council: code {text(code)!r}, name {text(name)!r}"
            )
        return found


@dataclass
class DuplicateGuard:
    """Remembers keys and where they were seen; a key seen twice raises naming both places."""

    what: str = "key"
    _seen: dict[Hashable, Location] = field(default_factory=dict)

    def add(self, key: Hashable, location: Location) -> None:
        first = self._seen.get(key)
        if first is not None:
            raise IngestError(location, f"duplicate {self.what} {key!r}; first seen at {first}")
        self._seen[key] = location


def warn_missing_areas(
    present: Mapping[Hashable, set[str]], location: Location, summary: Summary, label=str
) -> int:
    """Warn for each area present in some periods of a batch but missing in others."""
    everywhere = set().union(*present.values()) if present else set()
    warned = 0
    for period, areas in sorted(present.items()):
        for area in sorted(everywhere - areas):
            summary.warn(location, f"{area} missing in {label(period)}")
            warned += 1
    return warned


def at(location: Location, *, row: int | None = None, column: str | None = None) -> Location:
    """The same place, narrowed to a row and/or column."""
    return Location(
        location.file,
        location.sheet,
        row if row is not None else location.row,
        column if column is not None else location.column,
    )


def _key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().lower())
