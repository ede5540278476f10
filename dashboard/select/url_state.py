"""Select areas page state <-> URL: period, filters, weights, shortlist, scatter axes, map
and the ranking grid's sort.

Like dashboard.urls: parsing never fails (a value that cannot be used falls back to its
default with a plain-English notice) and serialising writes only what differs from the
defaults, so a bookmark keeps following the latest data where it did not choose otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlencode

from dashboard.urls import Parsed, first_value, parse_choice
from queries import periods

SELECT_AREAS_PATH = "/"
DEFAULT_WEIGHT = 1.0
MIN_WEIGHT, MAX_WEIGHT = 0.0, 3.0
MAX_SHORTLIST = 50
ALL = "all"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
DEFAULT_SORT = (("composite_rank", "asc"),)  # (grid column, asc|desc), primary first
NO_SORT = "none"
SORT_NAMES = {"name_link": "council", "la_type": "type"}  # grid column -> its name in the URL
FIXED_SORT_COLUMNS = ("name_link", "composite_rank", "composite_score", "region", "la_type")


@dataclass(frozen=True)
class SelectionChoices:
    """What the URL may name, read from the data; ``metrics`` are the interface metrics
    (id -> short name) in catalogue order."""

    years: Sequence[int]
    default_year: int
    metrics: Mapping[str, str]
    regions: Sequence[str]
    la_types: Sequence[str]
    areas: Mapping[str, str]
    default_x: str
    default_y: str
    default_map: str
    resolve_area: Callable[[str], str] | None = None


@dataclass(frozen=True)
class SelectionState:
    year: int
    x: str
    y: str
    map_metric: str
    region: str = ALL
    la_type: str = ALL
    reviewed_only: bool = False
    weights: tuple[tuple[str, float], ...] = ()  # only weights that differ from 1
    shortlist: tuple[str, ...] = field(default=())
    sort: tuple[tuple[str, str], ...] = DEFAULT_SORT  # the ranking grid's sort

    def weight(self, metric_id: str) -> float:
        return dict(self.weights).get(metric_id, DEFAULT_WEIGHT)

    def weight_map(self, metric_ids: Sequence[str]) -> dict[str, float]:
        return {metric_id: self.weight(metric_id) for metric_id in metric_ids}


def year_label(year: int) -> str:
    return periods.financial_year_label(year)


def parse_selection(
    query: Mapping[str, object], choices: SelectionChoices
) -> Parsed[SelectionState]:
    """State of /?period=&region=&type=&reviewed=&weights=&shortlist=&x=&y=&map=&sort=."""
    notices: list[str] = []
    state = SelectionState(
        year=_parse_year(query.get("period"), choices, notices),
        x=_parse_metric(query.get("x"), choices, choices.default_x, "scatter x axis", notices),
        y=_parse_metric(query.get("y"), choices, choices.default_y, "scatter y axis", notices),
        map_metric=_parse_metric(query.get("map"), choices, choices.default_map, "map", notices),
        region=_parse_option(query.get("region"), choices.regions, "region", notices),
        la_type=_parse_option(query.get("type"), choices.la_types, "council type", notices),
        reviewed_only=_parse_flag(query.get("reviewed"), notices),
        weights=_parse_weights(query.get("weights"), choices, notices),
        shortlist=_parse_shortlist(query.get("shortlist"), choices, notices),
        sort=_parse_sort(query.get("sort"), choices, notices),
    )
    return Parsed(state, notices)


def selection_href(state: SelectionState, choices: SelectionChoices) -> str:
    """The page's URL, naming only what differs from the defaults."""
    query: dict[str, str] = {}
    if state.year != choices.default_year:
        query["period"] = year_label(state.year)
    if state.region != ALL:
        query["region"] = state.region
    if state.la_type != ALL:
        query["type"] = state.la_type
    if state.reviewed_only:
        query["reviewed"] = "1"
    weights = [(m, w) for m, w in state.weights if m in choices.metrics and w != DEFAULT_WEIGHT]
    if weights:
        query["weights"] = ",".join(f"{m}:{_number(w)}" for m, w in weights)
    if state.shortlist:
        query["shortlist"] = ",".join(state.shortlist)
    for key, value, default in (
        ("x", state.x, choices.default_x),
        ("y", state.y, choices.default_y),
        ("map", state.map_metric, choices.default_map),
    ):
        if value != default:
            query[key] = value
    if state.sort != DEFAULT_SORT:
        query["sort"] = sort_text(state.sort)
    encoded = urlencode(query, quote_via=quote, safe="/:,")
    return f"{SELECT_AREAS_PATH}?{encoded}" if encoded else SELECT_AREAS_PATH


def with_weights(state: SelectionState, weights: Mapping[str, float | None]) -> SelectionState:
    """The state with these weights (blank inputs count as the default, out-of-range clamped)."""
    cleaned = []
    for metric_id, weight in weights.items():
        value = (
            DEFAULT_WEIGHT if weight is None else min(max(float(weight), MIN_WEIGHT), MAX_WEIGHT)
        )
        if value != DEFAULT_WEIGHT:
            cleaned.append((metric_id, value))
    return replace(state, weights=tuple(cleaned))


def sortable_columns(metric_ids: Sequence[str]) -> tuple[str, ...]:
    """The grid columns a URL may sort by: council, composite, each metric's value and rank,
    region and type."""
    return (*FIXED_SORT_COLUMNS, *metric_ids, *(f"rank_{m}" for m in metric_ids))


def sort_text(sort: Sequence[tuple[str, str]]) -> str:
    """``?sort=`` for a grid sort: columns by URL name, primary first, ``-`` for descending
    (e.g. ``-ea65_rate,council``); ``none`` for no sort."""
    if not sort:
        return NO_SORT
    return ",".join(
        ("-" if order == "desc" else "") + SORT_NAMES.get(column, column) for column, order in sort
    )


def sort_from_columns(column_state: Sequence[Mapping] | None) -> tuple[tuple[str, str], ...]:
    """The sort in a dash-ag-grid ``columnState``: sorted columns by sort index."""
    sorted_columns = [
        c for c in column_state or () if c.get("sort") in ("asc", "desc") and c.get("colId")
    ]
    sorted_columns.sort(key=lambda c: c.get("sortIndex") or 0)
    return tuple((str(c["colId"]), str(c["sort"])) for c in sorted_columns)


def _parse_sort(
    text: object, choices: SelectionChoices, notices: list[str]
) -> tuple[tuple[str, str], ...]:
    raw = first_value(text)
    if raw is None:
        return DEFAULT_SORT
    if raw.strip().lower() == NO_SORT:
        return ()
    by_name = {SORT_NAMES.get(c, c): c for c in sortable_columns(list(choices.metrics))}
    sort = []
    for item in (part.strip() for part in raw.split(",") if part.strip()):
        column = by_name.get(item.lstrip("-"))
        if column is None or any(column == c for c, _ in sort):
            notices.append(f"Cannot sort the table by “{item}”; sorting by composite rank.")
            return DEFAULT_SORT
        sort.append((column, "desc" if item.startswith("-") else "asc"))
    return tuple(sort) or DEFAULT_SORT


def _number(value: float) -> str:
    return f"{value:g}"


def _parse_year(text: object, choices: SelectionChoices, notices: list[str]) -> int:
    raw = first_value(text)
    if raw is None:
        return choices.default_year
    try:
        year = periods.parse(raw).year if "/" in raw or "-" in raw else int(raw)
    except ValueError:
        year = None
    if year in choices.years:
        return year
    notices.append(
        f"No data for the period “{raw}”; showing {year_label(choices.default_year)} instead."
    )
    return choices.default_year


def _parse_metric(
    text: object, choices: SelectionChoices, default: str, what: str, notices: list[str]
) -> str:
    raw = first_value(text)
    if raw is None or raw == default:
        return default
    if raw in choices.metrics:
        return raw
    notices.append(
        f"No interface metric “{raw}” for the {what}; showing {choices.metrics[default]}."
    )
    return default


def _parse_option(text: object, allowed: Sequence[str], what: str, notices: list[str]) -> str:
    """A region or council type, in any case; ``all`` (the default) for every one."""
    return parse_choice(
        text,
        (ALL, *allowed),
        notices,
        lambda raw: f"Unknown {what} “{raw}”; showing all.",
        fold_case=True,
    )


def _parse_flag(text: object, notices: list[str]) -> bool:
    raw = first_value(text)
    if raw is None or raw.lower() in FALSE_WORDS:
        return False
    if raw.lower() in TRUE_WORDS:
        return True
    notices.append(f"Cannot read “reviewed={raw}”; showing all councils.")
    return False


def _parse_weights(
    text: object, choices: SelectionChoices, notices: list[str]
) -> tuple[tuple[str, float], ...]:
    raw = first_value(text)
    if raw is None:
        return ()
    weights: dict[str, float] = {}
    for item in raw.split(","):
        metric_id, _, number = item.strip().partition(":")
        try:
            weight = float(number)
        except ValueError:
            weight = float("nan")
        if metric_id not in choices.metrics or not MIN_WEIGHT <= weight <= MAX_WEIGHT:
            notices.append(
                f"Cannot use the weight “{item.strip()}” (a metric and a number from 0 to 3); "
                "using 1."
            )
            continue
        if weight != DEFAULT_WEIGHT:
            weights[metric_id] = weight
    return tuple((m, weights[m]) for m in choices.metrics if m in weights)


def _parse_shortlist(
    text: object, choices: SelectionChoices, notices: list[str]
) -> tuple[str, ...]:
    raw = first_value(text)
    if raw is None:
        return ()
    codes: list[str] = []
    unknown: list[str] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        code = _resolve(item, choices)
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        notices.append(
            f"No council matches {', '.join(f'“{u}”' for u in unknown)}; left out of the shortlist."
        )
    if len(codes) > MAX_SHORTLIST:
        notices.append(
            f"The shortlist holds at most {MAX_SHORTLIST} councils; the rest are left out."
        )
        codes = codes[:MAX_SHORTLIST]
    return tuple(codes)


def _resolve(text: str, choices: SelectionChoices) -> str | None:
    if text.upper() in choices.areas:
        return text.upper()
    if choices.resolve_area is None:
        return None
    try:
        code = choices.resolve_area(text)
    except LookupError:
        return None
    return code if code in choices.areas else None
