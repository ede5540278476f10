"""Page state <-> URL: every view can be bookmarked, shared and restored from its address.

Parsing never fails: an unknown area, metric or method, or an unreadable period, falls back to
the default and adds a plain-English notice that the page shows. Serialising writes only
values that parse back to the same state. Every page parses on the one mechanism here: a
``Parsed[T]`` (its state and the notices) built from ``first_value``, ``parse_choice`` and
the area and method parsers. The SPC settings both the explorer and the family pages carry
(?rebase=, ?screen=) are read and written here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar
from urllib.parse import quote, urlencode

import pandas as pd

from queries import periods

AREA_PROFILE_PATH = "/area/"
METRIC_EXPLORER_PATH = "/metric/"
PERIOD_LABEL_TYPES = ("month", "quarter", "financial_year")
BREAKDOWN_SEPARATOR = ":"
ALL = "all"
DEFAULT_SPINE = "england"
MIN_YEAR, MAX_YEAR = 1900, 2199  # period bounds outside these are typing slips, not periods
MAX_REBASE_POINTS = 6
SCREEN_VALUES = {"on": True, "off": False}


@dataclass(frozen=True)
class Choices:
    """The values a URL may name, read from the published data; defaults come first."""

    areas: Mapping[str, str]  # council code -> name
    methods: Sequence[str]
    default_area: str
    resolve_area: Callable[[str], str] | None = None  # names and aliases -> code


@dataclass(frozen=True)
class MetricOptions:
    """What the data holds for one metric: period types (default first) and breakdowns."""

    period_types: tuple[str, ...]
    breakdowns: tuple[tuple[str, str], ...] = ()
    headline: bool = True  # False when only breakdowns are published (no "all" rows)


@dataclass(frozen=True)
class ProfileState:
    area: str
    method: str
    spine: str = DEFAULT_SPINE  # which councils the profile's spine chart ranks among


EXPLORER_VIEWS = {  # the explorer's views (?view=), the default first
    "trend": "Trend",
    "spc": "SPC (XmR)",
    "ranking": "Ranking and funnel",
    "reviewed": "Reviewed areas",
}
SPC_BASELINES = {  # which points set the SPC mean and limits (?baseline=)
    "all": "All periods shown",
    "first12": "First 12 periods",
    "first24": "First 24 periods",
}
FUNNEL_LIMITS = {  # the funnel's overdispersion adjustment (?limits=)
    "default": "Metric's default",
    "none": "No adjustment (binomial / Poisson)",
    "multiplicative": "Overdispersion: multiplicative",
    "additive": "Overdispersion: additive random effects",
}
DEFAULT_VIEW, DEFAULT_BASELINE, DEFAULT_LIMITS = (
    next(iter(choices)) for choices in (EXPLORER_VIEWS, SPC_BASELINES, FUNNEL_LIMITS)
)


@dataclass(frozen=True)
class ExplorerState:
    """Everything /metric/<id> shows, as its URL says: what is plotted (metric, area, method,
    period type, breakdown, range) and how (the view and its settings). Other pages link to
    the explorer with it, so it lives here; the explorer reads and writes it whole."""

    metric_id: str
    area: str
    method: str
    period_type: str
    breakdown: str = ALL
    breakdown_value: str = ALL
    period_from: date | None = None
    period_to: date | None = None  # inclusive upper bound on the periods' start dates
    view: str = DEFAULT_VIEW
    baseline: str = DEFAULT_BASELINE
    at: date | None = None  # the ranking's period; None means the latest
    rebase: tuple[date, ...] = ()  # where the SPC limits start again (a service change)
    screen: bool = False  # screen moving-range outliers before setting the SPC limits
    limits: str = DEFAULT_LIMITS
    reviewed_only: bool = False  # ranking and funnel: the reviewed areas (and the area) only

    @property
    def funnel_adjustment(self) -> str | None:
        """The funnel's overdispersion method, None for the metric's catalogue default."""
        return None if self.limits == DEFAULT_LIMITS else self.limits

    @property
    def baseline_points(self) -> int | None:
        """How many leading points set the SPC mean and limits (None: all of them)."""
        return None if self.baseline == "all" else int(self.baseline.removeprefix("first"))


State = TypeVar("State")


@dataclass
class Parsed(Generic[State]):
    """A page's state read from its URL, and the notices explaining any fallback taken."""

    state: State
    notices: list[str] = field(default_factory=list)


def first_value(value: object) -> str | None:
    """Repeated query parameters arrive as lists; the first one wins."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_choice(
    text: object,
    allowed: Sequence[str] | Mapping[str, str],
    notices: list[str],
    unknown: Callable[[str], str],
    *,
    default: str | None = None,
    fold_case: bool = False,
) -> str:
    """One value picked from ``allowed`` (a mapping: its keys): the URL's if it is one, else
    ``default`` (the first allowed) with the notice ``unknown(raw)``. Absent means default.
    ``fold_case`` matches regardless of case and returns the value as ``allowed`` spells it."""
    raw = first_value(text)
    fallback = next(iter(allowed)) if default is None else default
    if raw is None:
        return fallback
    for value in allowed:
        if value == raw or (fold_case and value.lower() == raw.lower()):
            return value
    notices.append(unknown(raw))
    return fallback


def parse_area(text: object, choices: Choices, notices: list[str]) -> str:
    """A council code from a code, name or alias; the default area (with a notice) otherwise."""
    raw = first_value(text)
    if raw is None or raw.lower() == "none":
        return choices.default_area
    if raw.upper() in choices.areas:
        return raw.upper()
    if choices.resolve_area is not None:
        try:
            code = choices.resolve_area(raw)
        except LookupError:
            code = None
        if code in choices.areas:
            return code
    notices.append(
        f"No council matches area “{raw}”; showing {choices.areas[choices.default_area]} instead."
    )
    return choices.default_area


def parse_method(text: object, choices: Choices, notices: list[str]) -> str:
    default = choices.methods[0]
    return parse_choice(
        text,
        choices.methods,
        notices,
        lambda raw: f"Unknown comparator method “{raw}”; using “{default}” instead.",
    )


def profile_href(state: ProfileState) -> str:
    query = {"method": state.method}
    if state.spine != DEFAULT_SPINE:
        query["spine"] = state.spine
    return f"{AREA_PROFILE_PATH}{state.area}?{_encode(query)}"


def explorer_href(state: ExplorerState) -> str:
    """The URL of an explorer view; optional parts and settings that differ from the default
    are written only when they are set, so links stay short."""
    query = {"area": state.area, "method": state.method}
    if state.period_type:
        query["period"] = state.period_type
    if state.breakdown != ALL:
        query["breakdown"] = f"{state.breakdown}{BREAKDOWN_SEPARATOR}{state.breakdown_value}"
    if state.period_from:
        query["from"] = period_text(state.period_from, state.period_type)
    if state.period_to:
        query["to"] = period_text(state.period_to, state.period_type)
    if state.view != DEFAULT_VIEW:
        query["view"] = state.view
    if state.baseline != DEFAULT_BASELINE:
        query["baseline"] = state.baseline
    if state.at:
        query["at"] = period_text(state.at, state.period_type)
    if state.rebase:
        query["rebase"] = rebase_text(state.rebase, state.period_type)
    if state.screen:
        query["screen"] = "on"
    if state.limits != DEFAULT_LIMITS:
        query["limits"] = state.limits
    if state.reviewed_only:
        query["reviewed"] = "1"
    return f"{METRIC_EXPLORER_PATH}{state.metric_id}?{_encode(query)}"


def period_text(period_start: date, period_type: str) -> str:
    """A label people can read ("2016/17 Q1") when it parses back exactly, else an ISO date."""
    start = pd.Timestamp(period_start).date()
    if period_type in PERIOD_LABEL_TYPES:
        text = periods.label(start, period_type)
        if periods.parse(text) == start:
            return text
    return start.isoformat()


def parse_period_bound(
    text: object, which: str, notices: list[str], *, end: bool = False
) -> date | None:
    """A ``from``/``to`` bound, or None (all periods, with a notice) when it cannot be read or
    lies outside the years any published data could cover."""
    raw = first_value(text)
    if raw is None:
        return None
    try:
        bound = periods.parse_end(raw) if end else periods.parse(raw)
    except (ValueError, OverflowError):  # PeriodError, or a date that does not exist
        bound = None
    if bound is None or not MIN_YEAR <= bound.year <= MAX_YEAR:
        notices.append(f"Cannot read the “{which}” period “{raw}”; showing all periods.")
        return None
    return bound


def parse_rebase(text: object, available: Sequence[str], notices: list[str]) -> tuple[date, ...]:
    """Where SPC limits start again (?rebase=2017/18 Q1,…): comma-separated period labels or
    ISO dates, each one the metric has (``available``: ISO starts); sorted, unique. A period
    the metric lacks, or one that cannot be read, is left out with a notice."""
    raw = first_value(text)
    if not raw:
        return ()
    chosen: set[date] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            start = periods.parse(part)
        except ValueError:
            notices.append(f"Cannot read the rebase period “{part}”; it is left out.")
            continue
        if start.isoformat() not in available:
            notices.append(f"No data for the rebase period “{part}”; it is left out.")
            continue
        chosen.add(start)
    if len(chosen) > MAX_REBASE_POINTS:
        notices.append(f"At most {MAX_REBASE_POINTS} rebase points; the first ones are kept.")
    return tuple(sorted(chosen)[:MAX_REBASE_POINTS])


def parse_screen(text: object, notices: list[str]) -> bool:
    """Whether SPC moving-range outliers are screened (?screen=on|off)."""
    raw = first_value(text)
    if raw is None:
        return False
    if raw.lower() in SCREEN_VALUES:
        return SCREEN_VALUES[raw.lower()]
    notices.append(f"Unknown outlier screening “{raw}”; showing the limits without screening.")
    return False


def rebase_text(starts: Sequence[date], period_type: str) -> str:
    """The ?rebase value: readable period labels, comma-separated."""
    return ",".join(period_text(start, period_type) for start in starts)


def _encode(query: Mapping[str, str]) -> str:
    return urlencode(query, quote_via=quote, safe="/:")
